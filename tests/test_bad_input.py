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
from contextlib import suppress
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
def test_injected_verdict_is_refused(store, tmp_path, capsys, one_question):
    result = run_dir(store) / "result.json"
    d = json.loads(result.read_text())
    d["claims"][0]["verdict"] = "<script>alert(4)</script>"
    result.write_text(json.dumps(d))
    before = files(store)
    site = tmp_path / "site"
    for command in (["report", "--to", site], ["show", "zero-init"]):
        code, _, err = deepfaq(capsys, *command, "--out", store)
        assert_one_error(code, err, "verdict")  # validated in ClaimResult.from_dict
    assert files(store) == before
    # The report is built without the damaged result (issue 29), and without its verdict.
    assert (site / "zero-init.html").exists()
    assert not any(b"<script>alert(4)" in p.read_bytes() for p in site.rglob("*.html"))


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


# == issue 29: bounded reads, a store that cannot point outside itself, no traceback ==
#
# Each case ends in exit 2 and one `error:` line, or in a recovery (exit 1 and one
# line for a killed worker); nothing is read from or written outside --out and the
# named inputs. The readers that build the whole catalogue (list, report) run against
# zero-init alone where the other questions do not matter (`one_question`).


@pytest.fixture
def one_question(monkeypatch, registry):
    """list, show and report see zero-init alone, and draw no reference figures."""
    from deepfaq import catalogue
    from deepfaq.report import site

    only = catalogue.Catalogue([catalogue.entry(registry.get("zero-init"))])
    monkeypatch.setattr(catalogue, "load", lambda registry=None: only)
    monkeypatch.setattr(site, "_reference_figures", lambda *a, **k: [])
    return only


READERS = [
    ["show", "zero-init"],
    ["list"],
    ["diff", "zero-init", "latest", "reference:quick"],
    ["report"],
]


def assert_every_reader_refuses(capsys, out, message, tmp_path):
    """show, list, diff and report: exit 2, one line naming the damage; list and
    report still show what they can (the list, the whole site)."""
    for args in READERS:
        to = ["--to", tmp_path / "site"] if args == ["report"] else []
        code, text, err = deepfaq(capsys, *args, "--out", out, *to)
        assert_one_error(code, err, message)
        if args == ["list"]:
            assert "zero-init" in text and "damaged results file" in text
        if args == ["report"]:
            assert (tmp_path / "site" / "index.html").exists()
            assert (tmp_path / "site" / "zero-init.html").exists()


def _edit_result(out: Path, edit) -> Path:
    path = run_dir(out) / "result.json"
    d = json.loads(path.read_text())
    edit(d)
    path.write_text(json.dumps(d))
    return path


def _fifo(path: Path) -> Path:
    """A FIFO no one writes to; unblocked after 20 s, so a reader that waits on it
    fails the test instead of hanging it."""
    import threading

    os.mkfifo(path)

    def unblock():
        with suppress(OSError):
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)

    timer = threading.Timer(20, unblock)
    timer.daemon = True
    timer.start()
    return path


# -- 1: unbounded reads: regular files only, a size cap that names the limit ---------------


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda tmp: Path("/dev/zero"), "/dev/zero is a character device, not a regular file"),
        (lambda tmp: Path("/dev/urandom"), "is a character device, not a regular file"),
        (lambda tmp: _fifo(tmp / "fifo"), "fifo is a FIFO, not a regular file"),
    ],
    ids=["dev-zero", "dev-urandom", "fifo"],
)
def test_diff_reads_regular_files_only(make, message, tmp_path, capsys):
    code, _, err = deepfaq(capsys, "diff", "zero-init", "reference", make(tmp_path))
    assert_one_error(code, err, message)


def test_diff_refuses_a_file_larger_than_the_cap(tmp_path, capsys):
    big = tmp_path / "result.json"
    with open(big, "wb") as f:  # sparse: no disk used
        f.truncate(300 * 1024 * 1024)
    code, _, err = deepfaq(capsys, "diff", "zero-init", "reference", big)
    assert_one_error(code, err, "is larger than 256 MiB, the most deepfaq reads of one")


def test_a_reference_that_unpacks_too_far_is_refused(tmp_path, capsys, monkeypatch):
    import gzip

    from deepfaq import reference

    monkeypatch.setattr(reference, "MAX_RESULT_BYTES", 1024 * 1024)
    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(gzip.compress(b" " * (2 * 1024 * 1024)))
    code, _, err = deepfaq(capsys, "diff", "zero-init", "reference", bomb)
    assert_one_error(code, err, "unpacks to more than 1 MiB")


@pytest.mark.parametrize(
    "value, message",
    [
        ("/dev/zero", "--set sentiment: '/dev/zero' is a device; give a regular file"),
        ("FIFO", "is a FIFO; give a regular file"),
        ("BIG", "is larger than 256 MiB, the most deepfaq reads of one file"),
        ("/nope/corpus.txt", "--set sentiment: no such file or folder '/nope/corpus.txt'"),
    ],
    ids=["dev-zero", "fifo", "too-big", "missing"],
)
def test_a_file_named_by_set_is_checked_before_anything_runs(value, message, tmp_path, capsys):
    if value == "FIFO":
        value = str(_fifo(tmp_path / "fifo"))
    if value == "BIG":
        value = str(tmp_path / "big.txt")
        with open(value, "wb") as f:
            f.truncate(300 * 1024 * 1024)
    args = ["run", "text-cnn", "--profile", "smoke", "--set", f"sentiment={value}"]
    code, _, err = deepfaq(capsys, *args, "--out", tmp_path / "runs")
    assert_one_error(code, err, message)
    assert not (tmp_path / "runs").exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["result.json", "latest.json"])
@pytest.mark.parametrize(
    "make, message",
    [
        (lambda path: os.symlink("/dev/zero", path), "leads outside the results folder"),
        (_fifo, "is a FIFO, not a regular file"),
    ],
    ids=["link-to-dev-zero", "fifo"],
)
def test_stored_files_that_never_end_are_refused(
    name, make, message, store, tmp_path, capsys, one_question
):
    target = run_dir(store) / name if name == "result.json" else store / "zero-init" / name
    target.unlink()
    make(target)
    assert_every_reader_refuses(capsys, store, message, tmp_path)


@pytest.mark.slow
def test_stored_failure_record_that_is_a_fifo(store, capsys):
    _fifo(store / "zero-init" / "failed.json")
    code, text, err = deepfaq(capsys, "show", "zero-init", "--out", store)
    assert code == 0 and not err
    assert "the last run failed (its record" in " ".join(text.split())


@pytest.mark.slow
def test_a_trial_linked_to_a_device_is_set_aside_and_rerun(store, capsys):
    seed = run_dir(store) / "seed-1.json"
    kept = json.loads(seed.read_text())["metrics"]
    seed.unlink()
    os.symlink("/dev/zero", seed)
    code, _, err = deepfaq(capsys, "run", *SMOKE, "--out", store)
    assert code == 0, err
    assert "leads outside the results folder" in err and "re-running that trial" in err
    assert json.loads(seed.read_text())["metrics"] == kept


def test_lock_file_that_is_a_device_is_refused(capsys):
    code, _, err = deepfaq(capsys, "lock", "--path", "/dev/zero")
    assert_one_error(code, err, "/dev/zero is a character device, not a regular file")


# -- 2: every path read from a stored file stays inside the store --------------------------


@pytest.mark.slow
def test_a_figure_path_out_of_the_store_is_refused(store, tmp_path, capsys, one_question):
    _edit_result(store, lambda d: d["figures"].append("../../../../../../../../etc/hostname"))
    assert_every_reader_refuses(
        capsys, store, "'figures' is not a list of relative paths", tmp_path
    )
    assert not list((tmp_path / "site").rglob("hostname"))


@pytest.mark.slow
def test_a_figure_linked_out_of_the_store_is_left_out(store, tmp_path, capsys, one_question):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"secret bytes")
    figure = run_dir(store) / "figures" / "learning-curves.png"
    figure.unlink()
    os.symlink(secret, figure)
    code, text, err = deepfaq(capsys, "report", "--out", store, "--to", tmp_path / "site")
    assert_one_error(code, err, "learning-curves.png leads outside the results folder")
    assert "the report was built without it" in err and "report: " in text
    site = tmp_path / "site"
    assert (site / "zero-init" / "unit-weights.png").exists()  # the other figures are there
    assert not any(b"secret bytes" in p.read_bytes() for p in site.rglob("*") if p.is_file())


@pytest.mark.slow
@pytest.mark.parametrize(
    "pointer",
    [
        {"profile": "../../../outside", "config_hash": "evil"},
        {"profile": "/etc", "config_hash": "x"},
        {"profile": "smoke", "config_hash": ".."},
    ],
    ids=["dotdot", "absolute", "dotdot-hash"],
)
def test_latest_pointing_out_of_the_store_is_refused(
    pointer, store, tmp_path, capsys, one_question
):
    outside = tmp_path / "outside" / "evil"
    outside.mkdir(parents=True)
    shutil.copyfile(run_dir(store) / "result.json", outside / "result.json")
    (store / "zero-init" / "latest.json").write_text(json.dumps(pointer))
    assert_every_reader_refuses(capsys, store, "points outside the results folder", tmp_path)


# -- 3: damaged stores: checked on load, named, the rest go on -----------------------------


def _raw_number(field_path: str):
    """Put the JSON text 1e999 (which Python's json reads as infinity) at a field."""

    def damage(path: Path) -> None:
        d = json.loads(path.read_text())
        node, *keys = field_path.split("/")
        target = d
        for k in [node, *keys][:-1]:
            target = target[int(k)] if isinstance(target, list) else target[k]
        last = [node, *keys][-1]
        if isinstance(target, list):
            target[int(last)] = "@@1e999@@"
        else:
            target[last] = "@@1e999@@"
        path.write_text(json.dumps(d).replace('"@@1e999@@"', "1e999"))

    return damage


def _nested(path: Path) -> None:
    path.write_text("[" * 100_000)


def _time_as_number(path: Path) -> None:
    d = json.loads(path.read_text())
    d["environment"]["time"] = 20261204
    path.write_text(json.dumps(d))


@pytest.mark.slow
@pytest.mark.parametrize(
    "damage, message",
    [
        (_raw_number("claims/0/n"), "number 1e999 is out of range"),
        (_raw_number("seeds/0"), "number 1e999 is out of range"),
        (_nested, "nested too deeply"),
        (_time_as_number, "environment 'time' has the wrong type"),
    ],
    ids=["n-1e999", "seeds-1e999", "nested", "time-a-number"],
)
def test_damaged_result_is_named_and_the_rest_go_on(
    damage, message, store, tmp_path, capsys, one_question
):
    damage(run_dir(store) / "result.json")
    before = files(store)
    assert_every_reader_refuses(capsys, store, message, tmp_path)
    assert files(store) == before


@pytest.mark.slow
def test_one_damaged_result_stops_neither_list_nor_report(store, tmp_path, capsys, monkeypatch):
    """The whole catalogue: every other question is listed and gets its page."""
    from deepfaq.report import site

    monkeypatch.setattr(site, "_reference_figures", lambda *a, **k: [])
    _nested(run_dir(store) / "result.json")
    code, text, err = deepfaq(capsys, "list", "--out", store)
    assert_one_error(code, err, "nested too deeply")
    assert "topics" in text and "autoencoders" in text
    code, _, err = deepfaq(capsys, "report", "--out", store, "--to", tmp_path / "site")
    assert_one_error(code, err, "the report was built without it")
    pages = {p.stem for p in (tmp_path / "site").glob("*.html")}
    assert {"index", "zero-init", "topics", "autoencoders"} <= pages


# -- 4: user text is never Rich markup -----------------------------------------------------


def test_progress_labels_and_warnings_are_text(tmp_path):
    import io

    from rich.console import Console

    from deepfaq.cli import RichReporter

    buf = io.StringIO()
    reporter = RichReporter(Console(file=buf, width=120))
    label = "word-embeddings corpus='a[/red]' x=[bold]"
    reporter.add(label, 2)
    reporter.advance(label, 2)
    reporter.warn("damaged results file runs/ob[/red]x/result.json")
    reporter.finish()
    text = buf.getvalue()
    assert "a[/red]" in text and "ob[/red]x" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["run", "text-cnn", "--profile", "smoke", "--set", "sentiment=x[/red]"],
            "--set sentiment: no such file or folder 'x[/red]'",
        ),
        (
            ["sweep", "word-embeddings", "--grid", "corpus=a[/red],b"],
            "--set corpus: no such file or folder 'a[/red]'",
        ),
    ],
)
def test_markup_in_set_and_grid_values(args, message, tmp_path, capsys):
    code, _, err = deepfaq(capsys, *args, "--out", tmp_path / "runs")
    assert_one_error(code, err, message)


@pytest.mark.parametrize("name", ["ob[/red]x", "o[v2]"])
def test_markup_in_the_report_folder(name, finished, tmp_path, capsys, one_question):
    out = tmp_path / name
    shutil.copytree(finished, out)
    code, text, err = deepfaq(capsys, "report", "--out", out)
    assert code == 0, err
    assert text.strip() == f"report: {out / 'report' / 'index.html'}"


# -- 5: no terminal escape sequence from a stored string -----------------------------------

ESCAPES = "\x1b]0;pwned\x07\x1b[31mred\x9b2J"


def _escapes_everywhere(d: dict) -> None:
    d["title"] += ESCAPES
    d["command"] += ESCAPES
    d["environment"]["device"] = ESCAPES
    d["claims"][0]["statement"] += ESCAPES
    d["claims"][0]["reason"] = ESCAPES
    d["claims"][0]["id"] += ESCAPES


def test_stored_strings_cannot_command_the_terminal(finished, tmp_path, capsys, one_question):
    out = tmp_path / "runs"
    shutil.copytree(finished, out)
    _edit_result(out, _escapes_everywhere)
    (out / "zero-init" / "failed.json").write_text(json.dumps({"error": ESCAPES}))
    for args in READERS[:3]:
        code, text, err = deepfaq(capsys, *args, "--out", out)
        assert code == 0, err
        for ch in ("\x1b", "\x07", "\x9b"):
            assert ch not in text + err, args


def test_error_lines_carry_no_control_characters(tmp_path, capsys):
    code, _, err = deepfaq(capsys, "show", "zero\x1b]0;pwned\x07", "--out", tmp_path)
    assert_one_error(code, err, "unknown question")
    assert "\x1b" not in err and "\x07" not in err


# -- 6: values are read by a bounded grammar, not an evaluator -----------------------------


@pytest.mark.parametrize(
    "command, value, message",
    [
        ("run", "-" * 3000 + "1", "--set lr: expected a number, got '-----"),
        ("run", "-" * 50_000 + "1", "--set lr: the value is 50,001 characters long; at most 4,096"),
        ("run", "not " * 3000 + "1", "the value is 12,001 characters long"),
        ("run", "not " * 500 + "1", "--set lr: expected a number, got 'not not"),
        ("run", "(" * 50 + "1" + ")" * 50, "values nest at most 4 brackets deep"),
        ("sweep", "-" * 3000 + "1,2", "--set lr: expected a number, got '-----"),
        ("sweep", "-" * 50_000 + "1,2", "--grid lr: 50,003 characters; at most 4,096"),
    ],
    ids=["minus-3000", "minus-50000", "not-3000", "not-500", "nested", "grid", "grid-long"],
)
def test_long_or_deep_values_are_one_line(command, value, message, tmp_path, capsys):
    option = "--set" if command == "run" else "--grid"
    code, _, err = deepfaq(capsys, command, *SMOKE[:1], option, f"lr={value}", "--out", tmp_path)
    assert_one_error(code, err, message)
    assert len(err) < 400


def test_the_grammar_reads_what_literals_did():
    from deepfaq.core.config import parse_grid, parse_value

    assert parse_value("(8, 16)") == (8, 16) and parse_value("(8,)") == (8,)
    assert parse_value("1e-3") == 0.001 and parse_value("-5") == -5 and parse_value("1_000") == 1000
    assert parse_value("True") is True and parse_value("None") is None
    assert parse_value("'a b'") == "a b" and parse_value("wiki") == "wiki"
    assert parse_value("1e999") == float("inf")  # then refused by the field's range
    assert parse_grid(["shape=(8,16),(4,4)", "s='a,b',c"]) == {
        "shape": ((8, 16), (4, 4)),
        "s": ("a,b", "c"),
    }


# -- 7: a lost worker is one line and exit 1; input errors before dispatch -----------------


def killed_once(cfg, seed, ctx):
    """Kills its own process the first time any seed runs (marker file)."""
    from test_report import trial

    marker = Path(os.environ["DEEPFAQ_TEST_MARKER"])
    if not marker.exists():
        marker.touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return trial(cfg, seed, ctx)


def always_killed(cfg, seed, ctx):
    os._exit(1)


def input_error(cfg, seed, ctx):
    from deepfaq.core.errors import DeepfaqError

    raise DeepfaqError(f"corpus '/nope' is neither 'wiki', 'lee' nor a readable file (seed {seed})")


def _toy_cli(monkeypatch, trial, qid="toy-worker"):
    from deepfaq import cli
    from deepfaq.core.question import Registry
    from test_report import toy

    q = dataclasses.replace(toy(qid, "A toy whose worker dies"), trial=trial)
    monkeypatch.setattr(cli, "_registry", lambda: Registry([q]))
    return q


@pytest.mark.slow
def test_a_killed_pool_worker_is_one_line_and_the_rerun_resumes(tmp_path, capsys, monkeypatch):
    _toy_cli(monkeypatch, killed_once)
    monkeypatch.setenv("DEEPFAQ_TEST_MARKER", str(tmp_path / "killed"))
    args = ["run", "toy-worker", "--profile", "smoke", "--workers", "2", "--out", tmp_path / "r"]
    code, _, err = deepfaq(capsys, *args)
    assert code == 1 and "Traceback" not in err
    errors = [ln for ln in err.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1 and err.strip().splitlines()[-1] == errors[0]
    assert "a worker process died while running toy-worker (seed " in errors[0]
    assert "finished trials are kept: run the same command to resume" in errors[0]
    code, _, err = deepfaq(capsys, *args)
    assert code == 0, err


@pytest.fixture
def ray_pickles_tests():
    ray = pytest.importorskip("ray", reason="the [ray] extra is not installed")
    import test_report

    for module in (sys.modules[__name__], test_report):
        ray.cloudpickle.register_pickle_by_value(module)
    yield ray
    if ray.is_initialized():
        ray.shutdown()


@pytest.mark.slow
def test_ray_worker_lost_after_retries_is_one_line(
    tmp_path, capsys, monkeypatch, ray_pickles_tests
):
    _toy_cli(monkeypatch, always_killed)
    args = ["run", "toy-worker", "--profile", "smoke", "--executor", "ray", "--workers", "2"]
    code, _, err = deepfaq(capsys, *args, "--out", tmp_path)
    assert code == 1 and "Traceback" not in err, err
    errors = [ln for ln in err.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1 and "Ray gave up after 3 retries: WorkerCrashedError" in errors[0]
    assert "finished trials are kept" in errors[0]
    assert "Token authentication" not in err  # Ray's notice stays quiet


@pytest.mark.slow
def test_ray_input_error_inside_a_trial_is_one_line(
    tmp_path, capsys, monkeypatch, ray_pickles_tests
):
    _toy_cli(monkeypatch, input_error)
    args = ["run", "toy-worker", "--profile", "smoke", "--executor", "ray", "--workers", "2"]
    code, _, err = deepfaq(capsys, *args, "--out", tmp_path)
    assert_one_error_after_progress(code, err, "corpus '/nope' is neither")
    assert "\x1b" not in err and "Traceback" not in err


# -- 9: reports at once share the figure cache; an unwritable cache still draws -------------


def _zero_init_reference_figures(tmp_path, name="site"):
    from deepfaq import catalogue, reference
    from deepfaq.report import site

    q = catalogue.load().get("zero-init")
    fig_dir = tmp_path / name / "zero-init"
    fig_dir.mkdir(parents=True)
    problems: list[str] = []
    figures = site._reference_figures(
        q, reference.load("zero-init"), fig_dir, "zero-init", problems
    )
    return figures, problems


@pytest.mark.slow
def test_another_reports_drawing_is_never_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPFAQ_CACHE", str(tmp_path / "cache"))
    base = tmp_path / "cache" / "reference-figures" / "zero-init"
    theirs = base / ".0123456789abcdef-other.tmp"
    theirs.mkdir(parents=True)
    (theirs / "half-drawn.png").write_bytes(b"png")
    stale = base / ".fedcba9876543210-killed.tmp"
    stale.mkdir()
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    figures, problems = _zero_init_reference_figures(tmp_path)
    assert len(figures) == 3 and not problems
    assert theirs.exists() and not stale.exists()


@pytest.mark.slow
def test_losing_the_race_to_the_cache_keeps_the_figures(tmp_path, monkeypatch):
    """Another report renames its folder into place first: ours is dropped, theirs used."""
    from deepfaq.core import figures as figs

    monkeypatch.setenv("DEEPFAQ_CACHE", str(tmp_path / "cache"))
    render = figs.render

    def racing(draw, result, folder):
        paths = render(draw, result, folder)
        final = folder.parent / folder.name[1:].split("-")[0]
        shutil.copytree(folder, final)  # the other report, finishing just before us
        atomic = final / "drawn.json"
        atomic.write_text(json.dumps([p.name for p in paths]))
        return paths

    monkeypatch.setattr(figs, "render", racing)
    figures, problems = _zero_init_reference_figures(tmp_path)
    assert len(figures) == 3 and not problems
    assert not [p for p in (tmp_path / "cache").rglob("*.tmp")]


@pytest.mark.slow
def test_an_unwritable_cache_still_draws_the_figures(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DEEPFAQ_CACHE", str(blocker / "cache"))
    figures, problems = _zero_init_reference_figures(tmp_path)
    assert len(figures) == 3 and not problems
    assert sorted(p.name for p in (tmp_path / "site" / "zero-init").iterdir()) == sorted(
        f"{f['name']}.{ext}" for f in figures for ext in ("png", "json", "csv")
    )


@pytest.mark.slow
def test_two_reports_at_once_both_keep_every_figure(tmp_path):
    """Two processes draw the same reference figures into an empty cache at once."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path\n"
        "from test_bad_input import _zero_init_reference_figures as draw\n"
        "figures, problems = draw(Path(sys.argv[2]), sys.argv[3])\n"
        "print(len(figures), len(problems))\n"
    )
    env = {**os.environ, "DEEPFAQ_CACHE": str(tmp_path / "cache")}
    here = str(Path(__file__).parent)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, here, str(tmp_path), f"site{k}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for k in range(2)
    ]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
        assert out.split() == [b"3", b"0"]


# -- 10, 11: nothing written outside --out; the small ones ---------------------------------


@pytest.mark.parametrize("option", ["--to", "--out"])
def test_an_empty_folder_name_is_refused(option, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = deepfaq(capsys, "report", option, "")
    assert_one_error(code, err, f"Invalid value for '{option}': needs a folder name")
    assert not list(tmp_path.iterdir())


def test_bare_deepfaq_prints_the_help_and_no_empty_error(capsys):
    code, text, err = deepfaq(capsys)
    assert code == 0 and "Usage" in text and not err.strip()


def test_full_disk_in_report_names_the_file_it_could_not_write(
    finished, tmp_path, capsys, monkeypatch, one_question
):
    monkeypatch.setattr(os, "fsync", _full_disk)
    site = tmp_path / "site"
    code, _, err = deepfaq(capsys, "report", "--out", finished, "--to", site)
    assert_one_error(code, err, f"no space left on device while writing {site}/")


def test_lock_path_that_does_not_exist(tmp_path, capsys):
    code, _, err = deepfaq(capsys, "lock", "--path", tmp_path / "missing.json")
    assert_one_error(code, err, "missing.json not found")


@pytest.mark.slow
def test_a_tuning_run_never_becomes_the_answer(tmp_path, capsys, one_question):
    code, _, err = deepfaq(capsys, "run", *SMOKE, "--seed-offset", "5", "--out", tmp_path)
    assert code == 0, err
    assert not (tmp_path / "zero-init" / "latest.json").exists()
    code, text, _ = deepfaq(capsys, "show", "zero-init", "--out", tmp_path)
    assert code == 0 and "Not run yet on this machine" in text
    code, _, err = deepfaq(capsys, "diff", "zero-init", "smoke", "reference", "--out", tmp_path)
    assert_one_error(code, err, "no stored smoke run of zero-init")


def warns(cfg, seed, ctx):
    """A trial that warns the ways numpy, scikit-learn and matplotlib do."""
    import numpy as np

    from test_report import trial

    np.log(np.zeros(2))  # RuntimeWarning: divide by zero
    import warnings

    warnings.warn("constrained_layout not applied", UserWarning, stacklevel=1)
    return trial(cfg, seed, ctx)


WARNING_RUN = """\
import dataclasses, sys
sys.path.insert(0, sys.argv[1])
from deepfaq import cli
from deepfaq.core.question import Registry
from test_report import toy
import test_bad_input
q = dataclasses.replace(toy("toy-warns", "A toy that warns"), trial=test_bad_input.warns)
cli._registry = lambda: Registry([q])
sys.argv = ["deepfaq", "run", "toy-warns", "--profile", "smoke", *sys.argv[2:]]
cli.main()
"""


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_no_python_warning_reaches_stderr(workers, tmp_path):
    here = str(Path(__file__).parent)
    proc = subprocess.run(
        [sys.executable, "-c", WARNING_RUN, here, "--workers", workers, "--out", str(tmp_path)],
        capture_output=True,
        timeout=300,
    )
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert "Warning" not in err and "warn(" not in err


# == workers end with their run ==
#
# A run stopped by `kill -9` runs no cleanup; its pool workers must not go on training
# units whose results no one will save (they did: found when a killed full run's two
# workers kept both cores busy beside its rerun).

POOL_PARENT = """
import multiprocessing, os, time
from concurrent.futures import ProcessPoolExecutor
from deepfaq.core.executors import _die_with_parent

if __name__ == "__main__":
    pool = ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_die_with_parent,
        initargs=(os.getpid(),),
    )
    print(pool.submit(os.getpid).result(), flush=True)
    pool.submit(time.sleep, 120)
    time.sleep(120)
"""


def _alive(pid: int) -> bool:
    """Running, not a zombie that nobody has reaped yet."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_pool_workers_die_with_a_killed_run():
    parent = subprocess.Popen(
        [sys.executable, "-c", POOL_PARENT], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        worker = int(parent.stdout.readline())
        assert _alive(worker)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(worker), "the worker outlived its killed run"
    finally:
        parent.kill()
