"""The Python API (issue 27): deepfaq.questions(), run(), load() and Result.

Each function is tested for what it returns and for the one-line errors it raises
on bad arguments (before any trial runs); the CLI's run and notebook commands are
shown to go through it, and show prints the card that Result.card() returns."""

from __future__ import annotations

import html
import subprocess
import sys
from dataclasses import replace

import pandas as pd
import pytest

import deepfaq
from cli_helpers import deepfaq as cli
from deepfaq import api
from deepfaq.core.config import parse_value
from deepfaq.core.errors import BadConfig, DeepfaqError, UnknownQuestion
from deepfaq.core.question import Registry
from test_report import toy

pytestmark = pytest.mark.slow  # smoke runs, a subprocess


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """zero-init's smoke run through the API, in a results folder of its own."""
    out = tmp_path_factory.mktemp("api-runs")
    return out, deepfaq.run("zero-init", profile="smoke", out=out, progress=False)


# -- import deepfaq --------------------------------------------------------------------


def test_import_deepfaq_is_light_and_the_api_loads_on_use():
    code = (
        "import sys, deepfaq\n"
        "heavy = [m for m in ('torch', 'pandas', 'numpy', 'deepfaq.api') if m in sys.modules]\n"
        "print(heavy, callable(deepfaq.run), 'deepfaq.api' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[] True True"


def test_the_api_is_listed_and_unknown_names_are_attribute_errors():
    assert {"questions", "run", "load", "notebook", "Result", "DeepfaqError"} <= set(dir(deepfaq))
    assert deepfaq.DeepfaqError is DeepfaqError and deepfaq.Result is api.Result
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        deepfaq.nope  # noqa: B018


# -- questions() ---------------------------------------------------------------------------


def test_questions_is_the_catalogue_as_a_table(registry):
    table = deepfaq.questions()
    assert list(table.columns) == ["id", "title", "topic", "claims", "findings", "checks"]
    assert list(table["id"]) == registry.ids()
    row = table.set_index("id").loc["zero-init"]
    q = registry.get("zero-init")
    assert row["title"] == q.title and row["claims"] == len(q.claims)
    assert row["findings"] + row["checks"] == row["claims"]
    assert row["checks"] == sum(c.kind == "identity" for c in q.claims)


# -- run() ---------------------------------------------------------------------------------

SMOKE = {"profile": "smoke", "progress": False}


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"ids": "nope"}, UnknownQuestion, "unknown question 'nope'; valid ids: lstm-vs-gru"),
        ({"ids": []}, DeepfaqError, "name at least one question id"),
        ({"ids": ["zero-init", 3]}, DeepfaqError, "question ids are strings"),
        ({"ids": 3}, DeepfaqError, "name question ids"),
        ({"profile": "fast"}, DeepfaqError, "unknown profile 'fast'; choose one of smoke"),
        ({"seeds": 0}, DeepfaqError, "seeds must be a whole number from 1 to 1000, got 0"),
        ({"seeds": True}, DeepfaqError, "seeds must be a whole number"),
        ({"seeds": 2.0}, DeepfaqError, "seeds must be a whole number"),
        ({"workers": 65}, DeepfaqError, "workers must be a whole number from 1 to 64"),
        ({"out": ""}, DeepfaqError, "out needs a folder name"),
        ({"device": "tpu"}, DeepfaqError, "unknown device 'tpu'"),
        ({"set": {"nope": 1}}, BadConfig, "unknown key 'nope'; valid keys: num_hiddens"),
        ({"set": {"steps": 0}}, BadConfig, "--set steps: 0 is out of range"),
        ({"set": {"lr": "fast"}}, BadConfig, "--set lr: expected a number"),
        ({"set": {"lr": object()}}, BadConfig, "is not a number, a string"),
        ({"set": 0.1}, BadConfig, "set takes a dict such as {'lr': 0.01}"),
        ({"progress": "yes"}, DeepfaqError, "progress is True, False or a reporter"),
    ],
)
def test_bad_arguments_raise_one_line_errors_before_anything_runs(kwargs, error, message, tmp_path):
    args = {"ids": "zero-init", **SMOKE, "out": tmp_path / "runs", **kwargs}
    with pytest.raises(error) as e:
        deepfaq.run(**args)
    assert message in str(e.value) and "\n" not in str(e.value)
    assert not list(tmp_path.glob("runs/*/*/*/seed-*.json"))


@pytest.mark.parametrize(
    "value",
    [0.01, 1e-5, 3, -2, True, None, "wiki", "a b", "True", "'quoted'", "/tmp/x y.txt", (8, 16)]
    + [("a", "b,c"), [1, 2.5], (3,)],
)
def test_set_values_are_written_so_that_the_cli_grammar_reads_them_back(value):
    text = api._literal("key", value)
    expected = tuple(value) if isinstance(value, list) else value
    assert parse_value(text) == expected


def test_set_takes_a_dict_and_the_command_shows_it_as_the_cli_would(runs, tmp_path):
    changed = deepfaq.run("zero-init", seeds=1, set={"lr": 0.01}, out=tmp_path, **SMOKE)
    assert changed.config["lr"] == 0.01 and len(changed.seeds) == 1
    assert "--set lr=0.01" in changed.command and "--seeds 1" in changed.command


def test_run_returns_a_result_and_stores_it_where_the_cli_would(runs):
    out, r = runs
    assert isinstance(r, deepfaq.Result) and (r.id, r.profile) == ("zero-init", "smoke")
    assert r.path == next(out.glob("zero-init/smoke/*/result.json"))
    assert deepfaq.load("zero-init", out=out).raw.to_dict() == r.raw.to_dict()
    assert not r.is_reference and r.label == "smoke run · 2 seeds"


def test_a_second_run_resumes_every_finished_trial(runs):
    out, r = runs
    trials = sorted(out.glob("zero-init/smoke/*/seed-*.json"))
    written = [p.stat().st_mtime_ns for p in trials]
    again = deepfaq.run(["zero-init"], profile="smoke", out=out, progress=False)
    assert isinstance(again, deepfaq.Results) and len(again) == 1
    assert [p.stat().st_mtime_ns for p in trials] == written  # no trial ran again
    assert again[0].raw.metrics == r.raw.metrics


def test_progress_in_lines_for_a_notebook(runs):
    import io

    from deepfaq.progress import LineReporter

    out, _ = runs
    buf = io.StringIO()
    deepfaq.run("zero-init", profile="smoke", out=out, progress=LineReporter(buf))
    lines = buf.getvalue().splitlines()
    assert lines[0] == "zero-init: 2 trials" and lines[1].startswith("zero-init: done in ")


def test_a_failed_question_raises_after_the_others_ran(tmp_path):
    def broken_trial(cfg, seed, ctx):
        raise RuntimeError("a trial that cannot run")

    good = toy("toy-good", "A good toy")
    bad = replace(toy("toy-bad", "A toy whose trial raises"), trial=broken_trial)
    with pytest.raises(deepfaq.RunFailed) as e:
        deepfaq.run(
            ["toy-bad", "toy-good"],
            out=tmp_path,
            registry=Registry([good, bad]),
            **SMOKE,
        )
    assert str(e.value).startswith("1 of 2 questions failed: toy-bad (smoke): a trial failed:")
    assert "\n" not in str(e.value) and e.value.exit_code == 1
    assert [r.id for r in e.value.results] == ["toy-good"]
    assert [f.question for f in e.value.failures] == ["toy-bad"]
    assert isinstance(e.value.__cause__, RuntimeError)


# -- Result --------------------------------------------------------------------------------


def test_claims_table(runs, registry):
    _, r = runs
    table = r.claims
    assert list(table.columns) == list(api.CLAIM_COLUMNS)
    assert list(table["id"]) == [c.id for c in registry.get("zero-init").claims]
    assert {"supported", "refuted", "inconclusive"} >= set(table["verdict"])
    assert table[["estimate", "lo", "hi"]].dtypes.eq(float).all()
    assert table["revised_after_results"].dtype == bool
    copies = table.set_index("id").loc["copies"]
    assert copies["kind"] == "identity" and copies["n"] == 2 and copies["replication"] == "seeds"
    table.loc[0, "verdict"] = "edited"  # a copy: the result is unchanged
    assert r.claims.loc[0, "verdict"] != "edited"


def test_metrics_are_tidy_with_declared_units(runs):
    _, r = runs
    m = r.metrics
    assert list(m.columns) == ["seed", "metric", "value", "unit"]
    assert len(m) == sum(len(v) for v in r.raw.metrics.values())
    assert set(m["seed"]) == set(r.seeds)
    acc = m[m.metric == "acc_constant"]
    assert list(acc["unit"]) == ["%", "%"] and list(acc["value"]) == r.raw.metrics["acc_constant"]
    assert set(m[m.metric == "spread_constant"]["unit"]) == {""}
    assert r.outputs.set_index("name").loc["acc_constant", "unit"] == "%"


def test_series_one_row_per_seed_and_point(runs):
    _, r = runs
    curve = r.series("curve_constant")
    assert list(curve.columns) == ["seed", "index", "value"]
    assert list(curve[curve.seed == r.seeds[0]]["value"]) == r.raw.series["curve_constant"][0]
    weights = r.series("weights_constant")  # [checkpoint, unit, pixel] per seed
    assert list(weights.columns) == ["seed", "index_0", "index_1", "index_2", "value"]
    with pytest.raises(DeepfaqError, match="no series 'acc_zero' .a metric: see .metrics.; its"):
        r.series("acc_zero")


def test_figures_drawn_from_the_stored_numbers(runs):
    from matplotlib.figure import Figure

    _, r = runs
    assert r.figure_names == ["unit-weights", "final-weights", "learning-curves"]
    fig = r.figure("learning-curves")
    assert isinstance(fig, Figure) and fig.axes[0].get_lines()
    with pytest.raises(DeepfaqError, match="no figure 'nope'; its figures: unit-weights"):
        r.figure("nope")


def test_a_run_too_old_to_draw_is_one_line(runs):
    _, r = runs
    result = api.Result(replace(r.raw, series={}), r.question, r.store, "x", r.path)
    with pytest.raises(DeepfaqError, match=r"drawn from this smoke run · 2 seeds \(KeyError"):
        result.figure("learning-curves")


def test_show_prints_the_card_the_api_returns(runs, capsys, monkeypatch):
    out, r = runs
    monkeypatch.setenv("COLUMNS", "80")
    code, printed, _ = cli(capsys, "show", "zero-init", "--out", out)
    assert code == 0
    assert printed == deepfaq.load("zero-init", out=out).card(width=80)
    assert r.card(width=80).startswith(r.title)


def test_html_card_is_compact_and_escaped(runs):
    _, r = runs
    page = r._repr_html_()
    assert page.count("<tr>") == len(r.raw.claims) + 1 and r.title in page
    assert html.escape(r.command) in page
    hostile = replace(r.raw.claims[0], statement="<script>alert(1)</script>")
    raw = replace(r.raw, claims=[hostile, *r.raw.claims[1:]])
    page = api.Result(raw, r.question, r.store, "x", r.path)._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_results_list_and_compare(runs):
    _, r = runs
    ref = deepfaq.load("zero-init", "reference")
    assert ref.is_reference and ref.label.startswith("reference · ")
    both = api.Results([r, ref])
    assert list(both.claims["question"]) == ["zero-init"] * 2 * len(r.raw.claims)
    side = r.compare(ref)
    assert list(side.columns) == [
        "id",
        "verdict",
        "estimate",
        "other_verdict",
        "other_estimate",
        "unit",
        "changed",
    ]
    assert (side["changed"] == (side["verdict"] != side["other_verdict"])).all()


# -- load() --------------------------------------------------------------------------------


def test_load_names_a_run_as_diff_does(runs):
    out, r = runs
    by_profile = deepfaq.load("zero-init", "smoke", out=out)
    by_hash = deepfaq.load("zero-init", f"smoke/{r.raw.config_hash}", out=out)
    by_path = deepfaq.load("zero-init", r.path)
    assert by_profile.raw.to_dict() == by_hash.raw.to_dict() == by_path.raw.to_dict()
    assert deepfaq.load("zero-init", "reference:quick").profile == "quick"


@pytest.mark.parametrize(
    "args, error, message",
    [
        (("nope",), UnknownQuestion, "unknown question 'nope'"),
        ((3,), DeepfaqError, "a question id is a string"),
        (("zero-init", "latest"), DeepfaqError, "no stored run of zero-init in"),
        (("zero-init", "reference:paper"), DeepfaqError, "no paper reference result of zero-init"),
        (("zero-init", "yesterday"), DeepfaqError, "unknown run 'yesterday': name latest"),
        (("zero-init", ""), DeepfaqError, "source names a run"),
        (("zero-init", 3), DeepfaqError, "source names a run"),
    ],
)
def test_load_errors_are_one_line(args, error, message, tmp_path):
    with pytest.raises(error, match=message.replace("(", r"\(")) as e:
        deepfaq.load(*args, out=tmp_path / "empty")
    assert "\n" not in str(e.value)


def test_loading_a_result_imports_no_torch():
    code = (
        "import sys, deepfaq\n"
        "r = deepfaq.load('zero-init', 'reference')\n"
        "r.card(); r._repr_html_()\n"
        "print('torch' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


# -- the CLI goes through the API ------------------------------------------------------------


def test_cli_run_and_notebook_call_the_api(runs, capsys, monkeypatch, tmp_path):
    out, _ = runs
    calls = []
    real_run_iter, real_notebook = api.run_iter, api.notebook

    def run_iter(*args, **kwargs):
        calls.append(("run_iter", args[:5]))
        return real_run_iter(*args, **kwargs)

    def notebook(*args):
        calls.append(("notebook", args))
        return real_notebook(*args)

    monkeypatch.setattr(api, "run_iter", run_iter)
    monkeypatch.setattr(api, "notebook", notebook)
    code, _, err = cli(capsys, "run", "zero-init", "--profile", "smoke", "--out", out)
    assert code == 0, err
    assert calls[0] == ("run_iter", (["zero-init"], "smoke", None, [], out))
    code, printed, err = cli(capsys, "notebook", "zero-init", "--out", tmp_path)
    assert code == 0, err
    assert calls[1] == ("notebook", ("zero-init", tmp_path))
    assert (tmp_path / "zero-init.ipynb").is_file() and "zero-init.ipynb" in printed


def test_notebook_errors_are_the_cli_errors(capsys, tmp_path):
    with pytest.raises(UnknownQuestion, match="unknown question 'nope'"):
        deepfaq.notebook("nope", tmp_path)
    with pytest.raises(DeepfaqError, match="out needs a folder name"):
        deepfaq.notebook("zero-init", "")
    code, _, err = cli(capsys, "notebook", "nope", "--out", tmp_path)
    assert code == 2 and err.startswith("error: unknown question 'nope'")


def test_the_tables_are_pandas(runs):
    _, r = runs
    for table in (deepfaq.questions(), r.claims, r.metrics, r.series("steps_axis"), r.outputs):
        assert isinstance(table, pd.DataFrame)
