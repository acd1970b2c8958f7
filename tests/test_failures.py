"""One question's failure never stops the others.

A question whose figures (or claims, or trial) raise is marked failed with one line
naming it and the error; its trials stay stored; the catalogue goes on; `run` ends
with a summary and a non-zero exit; `show`, `list` and the report say that it failed;
and once the cause is fixed the same command judges the stored trials again without
retraining."""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest

from cli_helpers import deepfaq
from deepfaq import catalogue, cli
from deepfaq.core.question import Registry
from deepfaq.core.runner import RunFailure, Runner, make_plan
from deepfaq.core.store import Store
from deepfaq.report import site
from test_report import toy


def broken_figures(result, new_figure):
    raise ValueError("'yerr' must not contain negative values")


def broken_trial(cfg, seed, ctx):
    raise RuntimeError("a trial that cannot run")


@pytest.fixture
def questions():
    good = toy("toy-good", "A good toy")
    bad = replace(toy("toy-bad", "A toy whose figure raises"), figures=broken_figures)
    worse = replace(toy("toy-worse", "A toy whose trial raises"), trial=broken_trial)
    return good, bad, worse


def test_run_many_goes_on_past_a_failing_question(tmp_path, questions):
    good, bad, worse = questions
    store = Store(tmp_path / "runs")
    plans = [make_plan(q, "smoke") for q in (bad, worse, good)]
    out = list(Runner(store).run_many(plans))
    assert [type(r).__name__ for r in out] == ["RunFailure", "RunFailure", "RunResult"]
    assert out[0].stage == "aggregate" and "toy-bad (smoke)" in out[0].line
    assert "negative values" in out[0].line and "\n" not in out[0].line
    assert out[1].stage == "trial" and "cannot run" in out[1].line
    assert store.load_failure("toy-bad") == out[0].line
    assert store.load_failure("toy-good") is None
    # The failing question's trials are kept; nothing claims to be its latest answer.
    assert (
        len(list(store.run_dir("toy-bad", "smoke", plans[0].config_hash).glob("seed-*.json"))) == 3
    )
    assert store.load_latest("toy-bad") is None


def test_a_fixed_question_is_judged_again_without_retraining(tmp_path, questions):
    _, bad, _ = questions
    store = Store(tmp_path / "runs")
    plan = make_plan(bad, "smoke")
    [failure] = Runner(store).run_many([plan])
    assert isinstance(failure, RunFailure)
    seeds = sorted(store.run_dir(bad.id, "smoke", plan.config_hash).glob("seed-*.json"))
    mtimes = [p.stat().st_mtime_ns for p in seeds]

    def no_training(*a, **k):
        raise AssertionError("a stored trial was run again")

    fixed = replace(bad, figures=toy("x", "x").figures, trial=no_training)
    result = Runner(store).run(make_plan(fixed, "smoke"))
    assert result.claims and result.figures
    assert [p.stat().st_mtime_ns for p in seeds] == mtimes
    assert store.load_failure(bad.id) is None
    assert store.load_latest(bad.id) is not None


def test_runner_run_raises_the_original_error(tmp_path, questions):
    _, bad, _ = questions
    with pytest.raises(ValueError, match="negative values"):
        Runner(Store(tmp_path / "runs")).run(make_plan(bad, "smoke"))


def test_parallel_workers_isolate_failures_too(tmp_path, questions):
    good, _, worse = questions
    plans = [make_plan(q, "smoke") for q in (worse, good)]
    out = list(Runner(Store(tmp_path / "runs"), workers=2).run_many(plans))
    assert isinstance(out[0], RunFailure) and "cannot run" in out[0].line
    assert not isinstance(out[1], RunFailure)


def test_cli_summary_exit_code_and_every_reader_says_it_failed(
    tmp_path, capsys, monkeypatch, questions
):
    good, bad, _ = questions
    registry = Registry([bad, good])
    monkeypatch.setattr(cli, "_registry", lambda: registry)
    monkeypatch.setattr(catalogue, "load", lambda: catalogue.snapshot(registry))
    out = tmp_path / "runs"
    code, text, err = deepfaq(capsys, "run", "--all", "--profile", "smoke", "--out", out)
    assert code == 1
    assert "1 finished, 1 failed" in err and "toy-bad (smoke)" in err
    assert "negative values" in err and "Traceback" not in err + text
    assert "toy-good" in text  # the good question's claims were printed

    code, text, _ = deepfaq(capsys, "show", "toy-bad", "--out", out)
    assert code == 0 and "The last run failed" in text
    code, text, _ = deepfaq(capsys, "list", "--out", out)
    assert code == 0 and "last run failed" in text

    site_dir = site.build(Store(out), catalogue.snapshot(registry), tmp_path / "site").parent
    index = (site_dir / "index.html").read_text()
    page = (site_dir / "toy-bad.html").read_text()
    assert 'id="failed-note"' in index and "toy-bad" in index
    assert 'id="failure-note"' in page and "negative values" in page
    assert 'id="failure-note"' not in (site_dir / "toy-good.html").read_text()


def test_json_run_reports_a_failure_as_one_object(tmp_path, capsys, monkeypatch, questions):
    import json

    good, bad, _ = questions
    monkeypatch.setattr(cli, "_registry", lambda: Registry([bad, good]))
    code, text, _ = deepfaq(
        capsys, "run", "--all", "--profile", "smoke", "--json", "--out", tmp_path / "runs"
    )
    objs = [json.loads(line) for line in text.splitlines()]
    assert code == 1
    assert (
        objs[0] == {"question": "toy-bad", "profile": "smoke", "failed": objs[0]["failed"]}
        and "negative" in objs[0]["failed"]
    )
    assert objs[1]["question"] == "toy-good" and "claims" in objs[1]


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("spawned workers import the test module")
