"""Hostile input and a hostile machine (issue 17): out-of-range values, damaged store
entries, injected markup, a full disk, undecodable text, kills and concurrent runs.

Each either ends in one `error:` line and exit 2 with the store unchanged, or in a
run that sets the damage aside, re-runs what it must and leaves a store that loads.
The tables run the CLI in-process (one interpreter start for all rows); the cases
that need a real process (argv bytes, SIGKILL, two runs at once) run it in a
subprocess.
"""

import dataclasses
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli_helpers import deepfaq
from deepfaq.core.config import check_config
from deepfaq.core.errors import BadConfig
from deepfaq.core.store import STALE_SECONDS, Store

SMOKE = ["zero-init", "--profile", "smoke"]


def subprocess_deepfaq(*args, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "deepfaq", *args], capture_output=True, timeout=timeout
    )


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes: the store, to compare before and after."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assert_one_error(code, err, message):
    """Exit 2 and exactly one line, `error: …message…`, with no traceback."""
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert message in lines[0], err


def assert_one_error_after_progress(code, err, message):
    """As above for errors raised once trials started: the progress bar may come first."""
    assert code == 2, err
    assert "Traceback" not in err
    errors = [line for line in err.strip().splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and message in errors[0], err
    assert err.strip().splitlines()[-1] == errors[0]


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A results folder holding the smoke run of zero-init (run in a subprocess)."""
    out = tmp_path_factory.mktemp("bad-input") / "runs"
    proc = subprocess_deepfaq("run", *SMOKE, "--out", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    return out


@pytest.fixture
def store(finished, tmp_path):
    """A private copy of the finished run, to damage."""
    out = tmp_path / "runs"
    shutil.copytree(finished, out)
    return out


def run_dir(out: Path) -> Path:
    return next(out.glob("zero-init/smoke/*"))


# -- 2, 5, 8: rejected before anything runs ------------------------------------------

REJECTED = [
    (["run", *SMOKE, "--seeds", "1000000000"], "--seeds must be a whole number from 1 to 1000"),
    (["run", *SMOKE, "--workers", "65"], "--workers must be a whole number from 1 to 64"),
    (["run", *SMOKE, "--set", "steps=1000000000000"], "--set steps: 1000000000000 is out of range"),
    (["run", *SMOKE, "--set", "steps=-5"], "valid: 1 ≤ steps ≤ "),
    (["run", *SMOKE, "--set", "steps=0"], "--set steps: 0 is out of range"),
    (["run", *SMOKE, "--set", "eval_every=0"], "valid: 1 ≤ eval_every ≤ "),
    (["run", *SMOKE, "--set", "num_hiddens=0"], "--set num_hiddens: 0 is out of range"),
    (["run", *SMOKE, "--set", "num_hiddens=-1"], "--set num_hiddens: -1 is out of range"),
    (["run", *SMOKE, "--set", "lr=1e999"], "--set lr: inf is out of range; valid: 0 < lr ≤ "),
    (
        ["run", "topics", "--profile", "smoke", "--set", "coherence=bogus"],
        "--set coherence: 'bogus' is not one of c_npmi, u_mass",
    ),
    (
        ["run", "conv-vs-dense", "--profile", "smoke", "--set", "claim_shift=9"],
        "valid: 1 ≤ claim_shift ≤ max_shift (= 3)",
    ),
    (
        ["run", "init-scale", "--profile", "smoke", "--set", "widths=()"],
        "--set widths: needs at least one value",
    ),
    (["ask", "why not zero \udcff init?"], "the question is not UTF-8 text (character 14)"),
]


@pytest.mark.parametrize("args, message", REJECTED)
def test_rejected_before_anything_runs(args, message, tmp_path, capsys):
    trial = tmp_path / "zero-init" / "smoke" / "0123abcd" / "seed-0.json"
    trial.parent.mkdir(parents=True)
    trial.write_text("{}")
    before = files(tmp_path)
    code, _, err = deepfaq(capsys, *args, "--out", tmp_path)
    assert_one_error(code, err, message)
    assert files(tmp_path) == before


@pytest.mark.parametrize(
    "command, message",
    [
        (["show", "zero-init"], "a-file is a file, not a results folder"),
        (["list"], "a-file is a file, not a results folder"),
        (["report"], "cannot write the report to "),
    ],
)
def test_out_that_is_a_file_is_an_error(command, message, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a results folder")
    code, _, err = deepfaq(capsys, *command, "--out", blocker)
    assert_one_error(code, err, message)
    assert blocker.read_text() == "not a results folder"


def test_every_profile_is_within_its_own_limits(registry):
    problems = []
    for q in registry:
        for name, profile in q.profiles.items():
            try:
                check_config(profile.config)
            except BadConfig as e:
                problems.append(f"{q.id} {name}: {e}")
    assert not problems


@pytest.mark.slow
def test_undecodable_bytes_in_argv(tmp_path):
    """The bytes a shell passes, not a str: Python turns them into lone surrogates."""
    proc = subprocess_deepfaq(b"ask", b"why not zero \xff init?", b"--out", str(tmp_path))
    err = proc.stderr.decode()
    assert_one_error(proc.returncode, err, "the question is not UTF-8 text")


@pytest.mark.slow
@pytest.mark.parametrize(
    "content", [b"\xff\xfe" + bytes(range(256)) * 50, b"text with a NUL\x00 byte " * 500]
)
def test_binary_corpus(content, tmp_path, capsys):
    corpus = tmp_path / "corpus.bin"
    corpus.write_bytes(content)
    code, _, err = deepfaq(
        capsys,
        "run",
        "word-embeddings",
        "--profile",
        "smoke",
        "--set",
        f"corpus={corpus}",
        "--out",
        tmp_path / "runs",
    )
    assert_one_error_after_progress(code, err, f"corpus '{corpus}'")
    assert not list((tmp_path / "runs").rglob("seed-*.json"))


# -- 1: stored strings are text, never markup ----------------------------------------


def test_answer_html_is_shown_as_text(finished, registry, tmp_path):
    from deepfaq.core.question import Registry
    from deepfaq.report.site import build

    q = registry.get("zero-init")
    hostile = dataclasses.replace(q, answer=q.answer + "\n<script>alert(4)</script>\n")
    build(Store(finished), Registry([hostile]), tmp_path / "site")
    page = (tmp_path / "site" / "zero-init.html").read_text()
    assert "<script>alert(4)" not in page and "&lt;script&gt;alert(4)" in page


@pytest.mark.slow
def test_injected_verdict_is_refused(store, capsys):
    result = run_dir(store) / "result.json"
    d = json.loads(result.read_text())
    d["claims"][0]["verdict"] = "<script>alert(4)</script>"
    result.write_text(json.dumps(d))
    before = files(store)
    for command in (["report"], ["show", "zero-init"]):
        code, _, err = deepfaq(capsys, *command, "--out", store)
        assert_one_error(code, err, "verdict")  # validated in ClaimResult.from_dict
    assert files(store) == before
    assert not any(b"<script>alert(4)" in p.read_bytes() for p in store.rglob("*.html"))


# -- 4: damaged store entries --------------------------------------------------------


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside").write_text("x")


def _no_series(path: Path) -> None:
    d = json.loads(path.read_text())
    d["series"] = {}
    path.write_text(json.dumps(d))


def _one_metric_less(path: Path) -> None:
    d = json.loads(path.read_text())
    del d["metrics"]["acc_zero"]
    path.write_text(json.dumps(d))


@pytest.mark.slow
@pytest.mark.parametrize(
    "damage, warning",
    [
        (_folder, "a folder, not a file"),
        (_no_series, "lacks curve_constant"),
        (_one_metric_less, "lacks acc_zero"),
    ],
    ids=["folder", "no-series", "one-metric-less"],
)
def test_damaged_trial_is_set_aside_and_rerun(damage, warning, store, capsys):
    seed1 = run_dir(store) / "seed-1.json"
    kept = json.loads(seed1.read_text())["metrics"]
    damage(seed1)
    code, _, err = deepfaq(capsys, "run", *SMOKE, "--out", store)
    assert code == 0, err
    assert warning in err and "re-running that trial" in err and "Traceback" not in err
    assert seed1.with_name("seed-1.json.damaged").exists()
    assert json.loads(seed1.read_text())["metrics"] == kept
    assert Store(store).load_latest("zero-init").metrics["acc_zero"][1] == kept["acc_zero"]


@pytest.mark.slow
def test_result_that_is_a_folder(store, capsys):
    _folder(run_dir(store) / "result.json")
    before = files(store)
    for command in (["show", "zero-init"], ["report"], ["list"]):
        code, _, err = deepfaq(capsys, *command, "--out", store)
        assert_one_error(code, err, "result.json: a folder, not a file")
    code, _, err = deepfaq(capsys, "run", *SMOKE, "--out", store)
    assert_one_error_after_progress(code, err, "result.json is a folder where a results file")
    assert {k: v for k, v in files(store).items() if "seed-" in k or "result.json" in k} == {
        k: v for k, v in before.items() if "seed-" in k or "result.json" in k
    }


# -- 6: a full disk ------------------------------------------------------------------


def _full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.slow
def test_full_disk_while_saving_a_trial(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(os, "fsync", _full_disk)
    code, _, err = deepfaq(capsys, "run", *SMOKE, "--out", tmp_path)
    assert_one_error_after_progress(code, err, "no space left on device while writing ")
    assert "seed-0.json; finished trials are kept" in err
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # no half-written file


@pytest.mark.slow
def test_full_disk_while_drawing_a_figure(store, capsys, monkeypatch):
    import matplotlib.figure

    (run_dir(store) / "result.json").unlink()
    trials = {p.name: p.read_bytes() for p in run_dir(store).glob("seed-*.json")}
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", _full_disk)
    code, _, err = deepfaq(capsys, "run", *SMOKE, "--out", store)
    assert_one_error_after_progress(code, err, ".png; finished trials are kept")
    assert {p.name: p.read_bytes() for p in run_dir(store).glob("seed-*.json")} == trials
    assert not list(store.rglob("*.tmp"))


def test_full_disk_anywhere_else_is_one_line(tmp_path, capsys, monkeypatch):
    from deepfaq.core.runner import Runner

    monkeypatch.setattr(Runner, "run_many", _full_disk)
    code, _, err = deepfaq(capsys, "run", *SMOKE, "--out", tmp_path)
    assert_one_error(code, err, "no space left on device while writing results")


# -- 3, 8: concurrent runs, kills and their leftovers --------------------------------


def test_only_stale_temporary_files_are_removed(tmp_path):
    store = Store(tmp_path)
    folder = store.run_dir("q", "smoke", "abc")
    (folder / "figures").mkdir(parents=True)
    fresh = folder / ".seed-0.json.x1.tmp"  # a live writer's: must survive
    stale = [
        folder / ".seed-1.json.x2.tmp",
        folder / "figures" / ".a.png.x3.tmp",
        tmp_path / "q" / ".latest.json.x4.tmp",
    ]
    for p in [fresh, *stale]:
        p.write_text("partial")
    old = time.time() - STALE_SECONDS - 5
    for p in stale:
        os.utime(p, (old, old))
    assert store.remove_stale_temporaries("q", "smoke", "abc") == 3
    assert fresh.exists() and not any(p.exists() for p in stale)


@pytest.mark.slow
def test_two_identical_runs_at_once(tmp_path):
    out = tmp_path / "runs"
    cmd = [sys.executable, "-m", "deepfaq", "run", *SMOKE, "--json", "--out", str(out)]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    for p, (_, stderr) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, stderr.decode()
    metrics = [json.loads(stdout)["metrics"] for stdout, _ in outputs]
    assert metrics[0] == metrics[1]
    assert Store(out).load_latest("zero-init").metrics == metrics[0]
    assert not list(out.rglob("*.tmp")) and not list(out.rglob("*.damaged*"))
    assert all(json.loads(p.read_text()) for p in out.rglob("*.json"))


@pytest.mark.slow
def test_sigkill_while_a_file_is_being_written(tmp_path):
    """Kill a run the moment a temporary file shows up; the next run completes, loads,
    and removes the leftover once it is stale."""
    out = tmp_path / "runs"
    cmd = [sys.executable, "-m", "deepfaq", "run", *SMOKE, "--out", str(out)]
    for _ in range(3):  # a write lasts milliseconds: the poll may miss all of them
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        leftovers = []
        while proc.poll() is None and not leftovers:
            leftovers = list(out.rglob(".*.tmp"))
            time.sleep(0.002)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        leftovers = list(out.rglob(".*.tmp"))
        if leftovers:
            break
        shutil.rmtree(out, ignore_errors=True)
    else:
        pytest.skip("no run was caught while writing")
    old = time.time() - STALE_SECONDS - 5
    for p in leftovers:
        os.utime(p, (old, old))

    rerun = subprocess_deepfaq(*cmd[3:])
    assert rerun.returncode == 0, rerun.stderr.decode()
    assert Store(out).load_latest("zero-init").claims
    assert not list(out.rglob(".*.tmp"))
