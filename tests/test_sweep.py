"""Sweeps: grids, crossovers, the command and its JSON."""

import json
import subprocess
import sys

import pytest

from deepfaq.core import sweep as sweeps
from deepfaq.core.errors import BadConfig


def test_parse_grid_keeps_tuples_and_words():
    g = sweeps.parse_grid(["lr=0.01,0.1", "shape=(8, 16),(4, 4)", "mode=a,b"])
    assert g == {"lr": (0.01, 0.1), "shape": ((8, 16), (4, 4)), "mode": ("a", "b")}
    assert len(sweeps.points(g)) == 8
    assert sweeps.overrides({"lr": 0.1, "mode": "a"}) == ["lr=0.1", "mode='a'"]
    for bad in (["lr"], ["lr=0.1"], ["lr=1,2", "lr=3,4"], ["=1,2"]):
        with pytest.raises(BadConfig):
            sweeps.parse_grid(bad)


def _row(point, verdict):
    return {
        "point": point,
        "config_hash": "x",
        "seeds": 3,
        "claims": [{"id": "c", "verdict": verdict, "estimate": 1.0, "ci": [0.5, 1.5], "unit": ""}],
    }


def test_crossovers_are_found_along_the_first_key_for_each_other_setting():
    grid = {"n": (10, 100, 1000), "lr": (0.1, 1.0)}
    verdicts = {
        (10, 0.1): "refuted",
        (100, 0.1): "inconclusive",
        (1000, 0.1): "supported",
        (10, 1.0): "supported",
        (100, 1.0): "supported",
        (1000, 1.0): "supported",
    }
    sw = sweeps.SweepResult(
        "q", "smoke", grid, [_row(p, verdicts[(p["n"], p["lr"])]) for p in sweeps.points(grid)]
    )
    found = sw.crossovers()["c"]
    assert found == [
        {"between": [10, 100], "from": "refuted", "to": "inconclusive", "lr": 0.1},
        {"between": [100, 1000], "from": "inconclusive", "to": "supported", "lr": 0.1},
    ]
    assert sweeps.SweepResult.from_dict(json.loads(json.dumps(sw.to_dict()))).rows == sw.rows


def test_verdict_maps_draw_in_the_claims_unit_and_keep_fixed_settings(tmp_path):
    """A claim in points is stored as a fraction and drawn ×100, as tables show it; the
    settings every point shares and the note survive the round trip."""
    grid = {"n": (10, 100)}
    rows = [_row(p, "supported") for p in sweeps.points(grid)]
    for r in rows:
        r["claims"][0].update(unit="points", estimate=0.05, ci=[0.04, 0.06])
    sw = sweeps.SweepResult("q", "quick", grid, rows, fixed={"steps": 5}, note="why")
    sweeps.draw(sw, tmp_path)
    data = json.loads((tmp_path / "sweep-c.json").read_text())
    ys = [y for line in data["axes"][0]["lines"] for y in line["y"]]
    assert max(ys) == pytest.approx(6.0) and min(ys) == pytest.approx(4.0)
    back = sweeps.SweepResult.from_dict(json.loads(json.dumps(sw.to_dict())))
    assert back.fixed == {"steps": 5} and back.note == "why"
    assert sweeps.sweep_hash("q", "quick", grid, 3, {"steps": 5}) != sweeps.sweep_hash(
        "q", "quick", grid, 3
    )


@pytest.mark.slow
def test_sweep_command_json_and_store(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "deepfaq",
            "sweep",
            "zero-init",
            "--grid",
            "steps=10,40",
            "--json",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["point"] for r in lines] == [{"steps": 10}, {"steps": 40}]
    for r in lines:
        assert set(r) == {"question", "point", "claims"} and r["question"] == "zero-init"
        assert {"id", "verdict", "estimate", "ci", "kind", "unit"} <= set(r["claims"][0])
    assert not (tmp_path / "zero-init" / "latest.json").exists(), "a sweep is not an answer"
    stored = list(tmp_path.glob("zero-init/sweeps/*/sweep.json"))
    assert len(stored) == 1 and list(stored[0].parent.glob("sweep-*.png"))


def test_default_sweeps_have_a_larger_full_sweep_that_plans(registry):
    """`deepfaq sweep ID --profile full` runs a wider grid at the full profile; every
    point of it (and of the everyday sweep) is a valid plan of the question."""
    from deepfaq.core import sweep as sweeps
    from deepfaq.core.runner import make_plan

    with_sweeps = [q for q in registry if q.sweep is not None]
    assert len(with_sweeps) >= 5
    for q in with_sweeps:
        small, big = q.sweep.at(None), q.sweep.at("full")
        assert small is q.sweep and big is q.sweep.full and big.profile == "full", q.id
        assert list(big.grid) == list(small.grid), q.id  # the same axis, wider
        assert len(sweeps.points(big.grid)) > len(sweeps.points(small.grid)), q.id
        for s in (small, big):
            for point in sweeps.points(s.grid):
                make_plan(q, s.profile, s.seeds, sweeps.overrides({**s.fixed, **point}))
