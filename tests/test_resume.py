"""A run killed part-way resumes and ends with the same numbers."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

ARGS = ["zero-init", "--profile", "smoke", "--seeds", "4", "--set", "steps=150", "--json"]


def run(out, *extra):
    proc = subprocess.run(
        [sys.executable, "-m", "deepfaq", "run", *ARGS, *extra, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    return run(tmp_path_factory.mktemp("whole"))


def test_sigkill_then_resume_gives_the_same_metrics(tmp_path, uninterrupted):
    out = tmp_path / "runs"
    proc = subprocess.Popen(
        [sys.executable, "-m", "deepfaq", "run", *ARGS, "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 300
    while time.time() < deadline and not list(out.glob("zero-init/smoke/*/seed-1.json")):
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = sorted(out.glob("zero-init/smoke/*/seed-*.json"))
    assert 2 <= len(finished) < 4, "killed too late to test resuming"
    kept = {p: p.stat().st_mtime_ns for p in finished}

    resumed = run(out)
    assert resumed["metrics"] == uninterrupted["metrics"]
    assert [c["verdict"] for c in resumed["claims"]] == [
        c["verdict"] for c in uninterrupted["claims"]
    ]
    # Finished trials were reused, not recomputed.
    assert all(p.stat().st_mtime_ns == t for p, t in kept.items())
    assert not list(out.rglob("*.tmp"))


def test_damaged_trial_is_set_aside_and_rerun(tmp_path, uninterrupted):
    out = tmp_path / "runs"
    run(out)
    seed2 = next(out.glob("zero-init/smoke/*/seed-2.json"))
    seed2.write_text(seed2.read_text()[:50])  # a half-written file
    proc = subprocess.run(
        [sys.executable, "-m", "deepfaq", "run", *ARGS, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0
    assert "damaged" in proc.stderr and "re-running" in proc.stderr
    assert json.loads(proc.stdout)["metrics"] == uninterrupted["metrics"]
    assert seed2.with_name("seed-2.json.damaged").exists()


def test_process_pool_gives_the_same_metrics(tmp_path, uninterrupted):
    assert run(tmp_path, "--workers", "2")["metrics"] == uninterrupted["metrics"]
