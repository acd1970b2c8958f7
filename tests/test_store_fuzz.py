"""A fuzzer over the stored files (issue 29): damaged ``result.json``, ``seed-*.json``,
``latest.json`` and ``failed.json`` — cut short, bytes flipped, a field replaced by
any JSON value, numbers past float range, deep nesting, terminal escapes in strings
— must end, for every reader, in exit 2 with one ``error:`` line or in a recovery
(the card, list or report drawn, the damage named), never in a traceback, a hang, a
control character on the terminal, or a file read from outside the store.

The readers run in-process against a one-question catalogue, so each example costs
a fraction of a second; the number of examples is kept small (the whole module takes
seconds), and each run of the suite draws new ones. ``DEEPFAQ_FUZZ_EXAMPLES=500``
fuzzes harder.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_helpers import deepfaq
from deepfaq import catalogue
from deepfaq.core.errors import DamagedFile
from deepfaq.core.store import Store

QID = "zero-init"
FUZZ = settings(
    max_examples=int(os.environ.get("DEEPFAQ_FUZZ_EXAMPLES", "10")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, registry):
    """zero-init's smoke run, made once through the runner."""
    from deepfaq.core.runner import Runner, make_plan

    out = tmp_path_factory.mktemp("fuzz") / "runs"
    Runner(Store(out)).run(make_plan(registry.get(QID), "smoke"))
    Store(out).save_failure(QID, "smoke", "0" * 12, "zero-init (smoke): a trial failed: boom")
    return out


@pytest.fixture
def one_question(monkeypatch, registry):
    """list, show and report see only zero-init (a whole catalogue takes seconds),
    and the report draws no reference figures."""
    from deepfaq import reference
    from deepfaq.report import site

    only = catalogue.Catalogue([catalogue.entry(registry.get(QID))])
    monkeypatch.setattr(catalogue, "load", lambda registry=None: only)
    monkeypatch.setattr(site, "_reference_figures", lambda *a, **k: [])
    monkeypatch.setattr(reference, "load", functools.lru_cache(reference.load))  # not fuzzed
    return only


# -- damage --------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
RAW_NUMBERS = ["1e999", "-1e999", "NaN", "Infinity", "1" + "0" * 400, "1" + "0" * 5000, "-0"]
ESCAPES = ["\x1b]0;pwned\x07", "\x1b[31mred", "\x9b31m", "a\rb", "\x00", "[/red]", "[bold]x"]


def _paths(obj, prefix=()):
    """Every (path to a value) in a JSON object, containers included."""
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj[:3]):
            yield from _paths(v, (*prefix, i))


def _replace(obj, path, value):
    if not path:
        return value
    node = obj
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return obj


@st.composite
def damaged(draw, original: bytes) -> bytes:
    """``original`` (a stored JSON file) damaged one of several ways."""
    how = draw(st.sampled_from(["cut", "flip", "value", "raw-number", "escape", "deep", "any"]))
    if how == "cut":
        return original[: draw(st.integers(0, max(len(original) - 1, 0)))]
    if how == "flip":
        data = bytearray(original)
        for _ in range(draw(st.integers(1, 4))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if how == "deep":
        return draw(st.sampled_from([b"[", b'{"a":'])) * draw(st.integers(30, 100_000))
    if how == "any":
        return json.dumps(draw(JSON_VALUES)).encode()
    obj = json.loads(original)
    path = draw(st.sampled_from(list(_paths(obj))))
    if how == "value":
        return json.dumps(_replace(obj, path, draw(JSON_VALUES))).encode()
    marker = "@@RAW@@"
    if how == "raw-number":
        text = json.dumps(_replace(obj, path, marker))
        return text.replace(f'"{marker}"', draw(st.sampled_from(RAW_NUMBERS))).encode()
    return json.dumps(_replace(obj, path, draw(st.sampled_from(ESCAPES)))).encode()


def _stored(out: Path, name: str) -> Path:
    if name in ("latest.json", "failed.json"):
        return out / QID / name
    return next(out.glob(f"{QID}/smoke/*/{name}"))


def assert_clean(code, out, err):
    """Exit 0, or exit 2 with one `error:` line; no traceback; nothing that commands
    a terminal."""
    assert code in (0, 2), err
    assert "Traceback" not in err
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), err
    for text in (out, err):
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text, repr(text)


@pytest.mark.parametrize("name", ["result.json", "latest.json", "failed.json"])
@FUZZ
@given(data=st.data())
def test_readers_survive_a_damaged_file(name, data, pristine, one_question, tmp_path, capsys):
    out = tmp_path / "runs"
    if not out.exists():
        shutil.copytree(pristine, out)
    target = _stored(out, name)
    original = _stored(pristine, name).read_bytes()
    target.write_bytes(data.draw(damaged(original)))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for args in (["show", QID], ["list"], ["diff", QID, "latest", "reference:quick"]):
        assert_clean(*deepfaq(capsys, *args, "--out", out))
    code, text, err = deepfaq(capsys, "report", "--out", out, "--to", tmp_path / "site")
    assert_clean(code, text, err)
    assert (tmp_path / "site" / "index.html").exists(), "the report is built all the same"
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    target.write_bytes(original)


@FUZZ
@given(data=st.data())
def test_a_damaged_trial_is_refused_never_trusted(data, pristine, tmp_path):
    store = Store(pristine)
    path = _stored(pristine, "seed-1.json")
    original = path.read_bytes()
    rec = json.loads(original)
    kw = {"question": QID, "config_hash": rec["config_hash"], "index": 1}
    bad = data.draw(damaged(original))
    copy = tmp_path / "runs"
    shutil.copytree(pristine, copy, dirs_exist_ok=True)
    damaged_path = _stored(copy, "seed-1.json")
    damaged_path.write_bytes(bad)
    try:
        loaded = Store(copy).load_trial(damaged_path, **kw)
    except DamagedFile as e:
        assert "\n" not in str(e) and "\x1b" not in str(e)
        return
    # Accepted: then it is a trial of this question, config and seed, with numbers.
    assert loaded is not None and all(isinstance(v, float) for v in loaded["metrics"].values())
    assert store.load_trial(path, **kw) is not None  # the pristine one is untouched


def test_a_nested_trial_is_set_aside_and_the_run_goes_on(pristine, tmp_path, capsys):
    """The issue's case: a seed file of 100,000 nested brackets stopped `run`."""
    out = tmp_path / "runs"
    shutil.copytree(pristine, out)
    seed = _stored(out, "seed-1.json")
    kept = json.loads(seed.read_text())["metrics"]
    seed.write_text("[" * 100_000)
    code, _, err = deepfaq(capsys, "run", QID, "--profile", "smoke", "--out", out)
    assert code == 0, err
    assert "nested too deeply" in err and "re-running that trial" in err
    assert seed.with_name("seed-1.json.damaged").exists()
    assert json.loads(seed.read_text())["metrics"] == kept


def test_symlinks_out_of_the_store_are_refused(pristine, tmp_path, one_question, capsys):
    """A stored file that is a link to a file outside the store is not read."""
    out = tmp_path / "runs"
    shutil.copytree(pristine, out)
    outside = tmp_path / "elsewhere.json"
    result = _stored(out, "result.json")
    shutil.copyfile(result, outside)
    result.unlink()
    os.symlink(outside, result)
    code, _, err = deepfaq(capsys, "show", QID, "--out", out)
    assert code == 2 and "leads outside the results folder" in err
