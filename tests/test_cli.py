"""The command line as a user meets it, including every bad input."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from cli_helpers import deepfaq
from deepfaq import cli


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A results folder with the smoke profile of zero-init, run through the CLI."""
    out = tmp_path_factory.mktemp("cli") / "runs"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "deepfaq",
            "run",
            "zero-init",
            "--profile",
            "smoke",
            "--json",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return out, proc.stdout


def test_run_json_has_the_stable_shape(runs):
    out, stdout = runs
    lines = stdout.strip().splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert set(obj) == {"question", "profile", "seeds", "seconds", "metrics", "claims", "figures"}
    assert obj["question"] == "zero-init" and obj["profile"] == "smoke" and obj["seeds"] == 2
    assert all(len(v) == 2 for v in obj["metrics"].values())
    for c in obj["claims"]:
        assert set(c) == {
            "id",
            "statement",
            "verdict",
            "estimate",
            "ci",
            "n",
            "expected",
            "source",
            "kind",
            "unit",
            "replication",
            "reason",
            "margin",
            "revised_after_results",
            "note",
            "preconditions",
            "to_decide",
        }
        assert isinstance(c["revised_after_results"], bool)
        assert c["kind"] in ("identity", "empirical") and isinstance(c["unit"], str)
        assert len(c["ci"]) == 2
        assert (c["reason"] is None) == (c["verdict"] != "inconclusive")
        for p in c["preconditions"]:
            assert set(p) == {"statement", "type", "metric", "params", "window", "holds", "detail"}
            assert p["type"] in ("converged", "beats", "enough_items")
    assert all(Path(f).exists() for f in obj["figures"])


def test_list_show_and_report(runs, capsys):
    out, _ = runs
    code, text, _ = deepfaq(capsys, "list", "--out", out)
    assert code == 0 and "zero-init" in text and "not run" in text and "smoke" in text
    code, text, _ = deepfaq(capsys, "show", "zero-init", "--out", out)
    assert code == 0 and "deepfaq run zero-init --profile smoke" in text and "Figures" in text
    code, text, _ = deepfaq(capsys, "show", "init-scale", "--out", out)
    assert code == 0 and "Not run yet" in text
    assert f"deepfaq run init-scale --out {out}" in text  # the user's folder, kept
    code, text, _ = deepfaq(capsys, "report", "--out", out)
    assert code == 0
    site = out / "report"
    page = (site / "zero-init.html").read_text()
    assert "Reproduce" in page and "supported" in page or "refuted" in page
    # Nothing loads from another host (only references' DOI and arXiv links lead
    # out), and every local link and image on the pages exists.
    from test_report import broken_links

    assert not broken_links(site)


def test_run_prints_claim_table(tmp_path, capsys):
    code, text, _ = deepfaq(
        capsys,
        "run",
        "init-scale",
        "--profile",
        "smoke",
        "--seeds",
        "2",
        "--set",
        "depth=4",
        "--out",
        tmp_path,
    )
    assert code == 0
    assert "init-scale" in text and "--set depth=4" in text
    assert any(v in text for v in ("supported", "refuted", "inconclusive"))


BAD = [
    (["run", "no-such-question"], "unknown question 'no-such-question'; valid ids: lstm-vs-gru"),
    (["run", "zero-init", "--profile", "huge"], "unknown profile 'huge'"),
    (["run", "zero-init", "--seeds", "0"], "--seeds must be a whole number"),
    (["run", "zero-init", "--seeds", "many"], "--seeds must be a whole number"),
    (["run", "zero-init", "--workers", "-1"], "--workers must be a whole number"),
    (["run", "zero-init", "--set", "stepz=3"], "valid keys: num_hiddens"),
    (["run", "zero-init", "--set", "steps=fast"], "expected an int"),
    (["run", "zero-init", "--device", "tpu"], "unknown device 'tpu'"),
    (["run"], "name question ids or pass --all"),
    (["show", "nope"], "unknown question 'nope'"),
    (["run", "zero-init", "--bogus"], "No such option"),
]


@pytest.mark.parametrize("args, message", BAD)
def test_bad_input_is_one_line_and_exit_2(args, message, tmp_path, capsys):
    code, _, err = deepfaq(capsys, *args, "--out", tmp_path / "runs")
    assert code == 2
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "runs" / "zero-init").exists()


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_cuda_without_gpu(tmp_path, capsys):
    code, _, err = deepfaq(capsys, "run", "zero-init", "--device", "cuda", "--out", tmp_path)
    assert code == 2 and "no CUDA GPU" in err


def test_unwritable_output_folder(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, _, err = deepfaq(
        capsys, "run", "zero-init", "--profile", "smoke", "--out", blocker / "runs"
    )
    assert code == 2 and "cannot write results" in err and "Traceback" not in err
    code, _, err = deepfaq(capsys, "report", "--out", tmp_path, "--to", blocker / "site")
    assert code == 2 and "cannot write the report" in err


def test_damaged_result_is_reported_not_trusted(runs, capsys, tmp_path):
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(runs[0], out)
    result = next(out.glob("zero-init/smoke/*/result.json"))
    result.write_text('{"schema": "deepfaq.result/1", "question": "zero-')
    for args in (["show", "zero-init"], ["report"], ["list"]):
        code, _, err = deepfaq(capsys, *args, "--out", out)
        assert code == 2, args
        assert "damaged results file" in err and "Traceback" not in err
    foreign = next(out.glob("zero-init/smoke/*/result.json"))
    foreign.write_text(json.dumps({"hello": "world"}))
    code, _, err = deepfaq(capsys, "show", "zero-init", "--out", out)
    assert code == 2 and "not a deepfaq result" in err
    # The damaged file is still there for the user to inspect.
    assert json.loads(foreign.read_text()) == {"hello": "world"}


def test_show_card_fits_80_columns_answer_first(runs, capsys, monkeypatch):
    """At COLUMNS=80 every line fits, nothing is padded, the short answer and the
    profile come first, each claim's text has its own line and its interval is
    whole on the next, and there is no literature column."""
    out, _ = runs
    monkeypatch.setattr(cli.out_console, "_width", 80)
    code, text, _ = deepfaq(capsys, "show", "zero-init", "--out", out)
    assert code == 0
    lines = text.splitlines()
    assert max(map(len, lines)) <= 80
    assert not [ln for ln in lines if ln != ln.rstrip()]
    assert any(ln.startswith("smoke run · 2 seeds") for ln in lines[:5])
    assert text.index("Short answer") < text.index("Answer\n") < text.index("Findings")
    assert "literature" not in text.split("Findings")[1].split("Published")[0].replace(
        "✱ the verdict disagrees with the literature", ""
    )
    assert "answer nothing" in text  # a smoke run says so
    from deepfaq.experiments import REGISTRY

    for c in REGISTRY.get("zero-init").claims:
        first_words = " ".join(c.statement.split()[:4])
        assert any(ln.startswith("  " + first_words) for ln in lines), c.id
    for ln in lines:
        if "95% [" in ln:
            assert re.search(r"95% \[[^\]]*\]", ln), ln  # never split
    assert "Published results beside ours" in text


def test_version_and_fast_help():
    proc = subprocess.run(
        [sys.executable, "-m", "deepfaq", "--version"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0 and proc.stdout.strip().startswith("deepfaq ")
    probe = (
        "import sys; sys.argv = ['deepfaq', '--help']\nfrom deepfaq import cli\n"
        "try: cli.main()\nexcept SystemExit: pass\n"
        "print(sorted(m for m in ('torch', 'scipy', 'sklearn', 'matplotlib',"
        " 'deepfaq.experiments', 'numpy') if m in sys.modules), file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert "Usage" in proc.stdout and proc.stderr.strip().splitlines()[-1] == "[]"


def test_run_prints_its_cards_after_the_progress_bars(tmp_path, capsys):
    code, text, err = deepfaq(capsys, "run", "zero-init", "--profile", "smoke", "--out", tmp_path)
    assert code == 0
    assert text.startswith("Why not start every weight at zero?\nsmoke run · 2 seeds")
    assert "reproduce:" in text and "literature" not in text.replace(
        "✱ the verdict disagrees with the literature", ""
    )
