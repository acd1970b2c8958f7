import json

import pytest

from deepfaq.core.errors import DamagedFile, DeepfaqError
from deepfaq.core.store import RunResult, Store, atomic_write_json, jsonable


def test_jsonable_strips_non_finite_and_numpy():
    import numpy as np

    assert jsonable(
        {"a": np.float32(1.5), "b": float("nan"), "c": np.arange(2), "d": (1, float("inf"))}
    ) == {"a": 1.5, "b": None, "c": [0, 1], "d": [1, None]}


def test_atomic_write_leaves_no_temporary_files(tmp_path):
    atomic_write_json(tmp_path / "x.json", {"a": 1})
    atomic_write_json(tmp_path / "x.json", {"a": 2})
    assert json.loads((tmp_path / "x.json").read_text()) == {"a": 2}
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def _trial(store, path, **over):
    rec = {
        "question": "q",
        "profile": "smoke",
        "config_hash": "abc",
        "index": 0,
        "seed": 1,
        "config": {},
        "device": "cpu",
        "metrics": {"m": 1.0},
        "series": {},
        "seconds": 0.1,
    }
    rec.update(over)
    store.save_trial(path, rec)


def test_trial_round_trip_and_foreign_files(tmp_path):
    store = Store(tmp_path)
    path = store.trial_path("q", "smoke", "abc", 0)
    assert store.load_trial(path, question="q", config_hash="abc", index=0) is None
    _trial(store, path)
    assert store.load_trial(path, question="q", config_hash="abc", index=0)["metrics"] == {"m": 1.0}
    for wrong in (
        {"question": "other"},
        {"config_hash": "zzz"},
        {"index": 3},
        {"metrics": {"m": "text"}},
    ):
        _trial(store, path, **wrong)
        with pytest.raises(DamagedFile):
            store.load_trial(path, question="q", config_hash="abc", index=0)
    path.write_text('{"schema": "deepfaq.trial/1", "metr')  # cut short
    with pytest.raises(DamagedFile, match="damaged"):
        store.load_trial(path, question="q", config_hash="abc", index=0)
    kept = store.set_aside(path)
    assert kept.name == "seed-0.json.damaged" and not path.exists()
    path.write_text("again")
    assert store.set_aside(path).name == "seed-0.json.damaged-1"


def test_result_loading_reports_damage(tmp_path):
    store = Store(tmp_path)
    assert store.load_latest("q") is None
    result = RunResult("q", "t", "smoke", "abc", {}, [1, 2], {"m": [1.0, 2.0]}, {}, [], "cmd", 1.0)
    path = store.save_result(result)
    assert store.load_latest("q").metrics == {"m": [1.0, 2.0]}
    path.write_text("[1, 2, 3]")
    with pytest.raises(DamagedFile, match="not a deepfaq result"):
        store.load_latest("q")
    (tmp_path / "q" / "latest.json").write_text("{")
    with pytest.raises(DamagedFile):
        store.load_latest("q")


def test_unwritable_root_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DeepfaqError, match="cannot write results"):
        Store(blocker / "runs").ensure_writable()
