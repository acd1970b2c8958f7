"""The figure helpers: means over seeds drawn with the report's one interval, bars
with error bars and real category names, labelled colour bars, and the tidy CSV
with one row per seed and point."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from deepfaq.core import figures
from deepfaq.core.stats import mean_ci

CURVES = [[0.1, 0.5, 0.8], [0.2, 0.6, 0.9], [0.15, 0.4, 0.85]]  # [seed, point]


@pytest.fixture
def factory():
    f = figures.FigureFactory()
    yield f
    for fig in f.figures.values():
        f._plt.close(fig)


def _saved(factory, tmp_path, name):
    factory.save(tmp_path)
    data = json.loads((tmp_path / f"{name}.json").read_text())
    rows = list(csv.DictReader(io.StringIO((tmp_path / f"{name}.csv").read_text())))
    return data, rows


def test_over_seeds_is_the_claims_t_interval():
    mean, lo, hi, n, values = figures.over_seeds(CURVES)
    for i in range(3):
        ci = mean_ci([c[i] for c in CURVES])
        assert mean[i] == pytest.approx(ci.estimate)
        assert (lo[i], hi[i]) == pytest.approx((ci.lo, ci.hi))
    assert list(n) == [3, 3, 3] and values.shape == (3, 3)


def test_over_seeds_skips_missing_values_and_has_no_interval_for_one_seed():
    mean, lo, hi, n, _ = figures.over_seeds([[1.0, None], [3.0, 5.0], None])
    assert list(mean) == [2.0, 5.0] and list(n) == [2, 1]
    assert np.isfinite(lo[0]) and np.isnan(lo[1]) and np.isnan(hi[1])
    # ragged seeds are cut to the shortest
    assert figures.over_seeds([[1, 2, 3], [1, 2]])[0].size == 2


def test_over_seeds_log_and_bounds():
    mean, lo, hi, *_ = figures.over_seeds([[1.0], [100.0]], log=True)
    assert mean[0] == pytest.approx(10.0)  # geometric mean
    assert lo[0] * hi[0] == pytest.approx(100.0)  # symmetric in log space
    _, lo, hi, *_ = figures.over_seeds([[0.0], [1.0]], bounds=(0, 1))
    assert lo[0] == 0.0 and hi[0] == 1.0


def test_band_draws_mean_and_interval_and_exports_every_seed(factory, tmp_path):
    _, ax = factory("curves")
    line = figures.band(ax, [0, 10, 20, 30], CURVES, label="GRU")  # x longer: cut
    ax.legend()
    assert line.get_color() == figures.color("GRU")
    assert len(ax.collections) == 1  # the shaded band
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["GRU"]
    note = ax.figure.get_supxlabel()
    assert figures.INTERVAL in note and "3 seeds" in note
    data, rows = _saved(factory, tmp_path, "curves")
    drawn = data["axes"][0]["lines"][0]
    assert drawn["n"] == 3 and len(drawn["seeds"]) == 3
    assert drawn["lo"][0] < drawn["y"][0] < drawn["hi"][0]
    assert tuple(rows[0]) == figures.CSV_COLUMNS
    means = [r for r in rows if r["seed_index"] == ""]
    seeds = [r for r in rows if r["seed_index"] != ""]
    assert len(means) == 3 and len(seeds) == 9
    assert {r["n_seeds"] for r in means} == {"3"} and all(r["y_lo"] for r in means)
    at_10 = [float(r["y"]) for r in seeds if r["x"] == "10"]
    assert sorted(at_10) == sorted(c[1] for c in CURVES)
    assert {r["seed_index"] for r in seeds} == {"0", "1", "2"}
    assert "95% t-interval" in figures.describe("curves", data)


def test_band_with_one_seed_draws_no_band(factory, tmp_path):
    _, ax = factory("one")
    figures.band(ax, [1, 2, 3], [[1.0, 2.0, 3.0]], label="LSTM")
    assert not ax.collections
    assert "no interval" in ax.figure.get_supxlabel().lower()
    data, rows = _saved(factory, tmp_path, "one")
    assert "lo" not in data["axes"][0]["lines"][0]
    assert all(r["y_lo"] == "" for r in rows)
    assert "t-interval" not in figures.describe("one", data)


def test_grouped_bars_keep_category_names_intervals_and_seeds(factory, tmp_path):
    _, ax = factory("bars")
    names = ["dead,\nsmall lr", "dead, large lr", "negative"]
    for k, label in enumerate(("ReLU", "leaky ReLU", "ELU")):
        figures.bars(
            ax,
            names,
            [[0.1 * k, 0.2 * k, 0.1 * k], [0, 0, 0], [0.3, 0.5, 0.4]],
            label=label,
            group=k,
            groups=3,
            bounds=(0, 1),
        )
    ax.legend()
    containers = [c for c in ax.containers if hasattr(c, "patches")]
    assert [c.patches[0].get_facecolor()[:3] for c in containers] == [
        pytest.approx(tuple(int(figures.color(m)[i : i + 2], 16) / 255 for i in (1, 3, 5)))
        for m in ("ReLU", "leaky ReLU", "ELU")
    ]
    # zero-height bars get a visible mark in their colour (ReLU's first bar and the middle
    # bars are all 0), so no legend entry points at nothing
    assert len(ax.collections) >= 4
    data, rows = _saved(factory, tmp_path, "bars")
    bars = [r for r in rows if r["kind"] == "bar" and r["seed_index"] == ""]
    assert [r["x_name"] for r in bars] == ["dead, small lr", "dead, large lr", "negative"] * 3
    assert [r["series"] for r in bars[:3]] == ["ReLU"] * 3
    third = [r for r in bars if r["x_name"] == "negative" and r["series"] == "ELU"][0]
    assert float(third["y"]) == pytest.approx(0.4)
    assert float(third["y_lo"]) < 0.4 < float(third["y_hi"])
    per_seed = [
        r
        for r in rows
        if r["seed_index"] != "" and r["series"] == "ELU" and r["x_name"] == "negative"
    ]
    assert sorted(float(r["y"]) for r in per_seed) == [0.3, 0.4, 0.5]
    assert all(float(r["y_lo"]) >= 0 for r in bars if r["y_lo"])  # clipped to the bounds


def test_bars_with_one_seed_have_no_error_bars(factory):
    _, ax = factory("single")
    c = figures.bars(ax, ["a", "b"], [[1.0], [2.0]])
    assert c.errorbar is None


def test_points_and_level_export_their_intervals(factory, tmp_path):
    _, ax = factory("scatter")
    figures.points(ax, [3, 1, 2], CURVES, label="MiniLM")
    figures.level(ax, [0.5, 0.6, 0.7], label="baseline", color=figures.REFERENCE, ls=":")
    data, rows = _saved(factory, tmp_path, "scatter")
    lines = {ln["label"]: ln for ln in data["axes"][0]["lines"]}
    assert lines["MiniLM"]["n"] == 3 and len(lines["MiniLM"]["lo"]) == 3
    assert lines["baseline"]["y"][0] == pytest.approx(0.6)
    assert lines["baseline"]["lo"][0] < 0.6 < lines["baseline"]["hi"][0]
    assert {r["series"] for r in rows} == {"MiniLM", "baseline"}


def test_heatmap_has_a_labelled_colour_bar_kept_out_of_the_data(factory, tmp_path):
    fig, axes = factory("heat", ncols=2)
    for k, ax in enumerate(axes[0]):
        figures.heatmap(
            ax,
            np.arange(6.0).reshape(2, 3),
            vmin=0,
            vmax=5,
            label="count" if k else None,
            beside=list(axes[0]),
        )
    bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    assert len(bars) == 1 and bars[0].get_ylabel() == "count"
    data, rows = _saved(factory, tmp_path, "heat")
    assert len(data["axes"]) == 2
    assert sum(r["kind"] == "image" for r in rows) == 12


def test_tick_names_from_set_xticks_labels(factory, tmp_path):
    """``set_xticks(positions, labels)`` (a FuncFormatter in recent matplotlib) names
    the bars of a plain ``ax.bar`` too; numeric axes give no names."""
    _, axes = factory("names", ncols=2)
    left, right = axes[0]
    left.bar([0, 1], [1.0, 2.0])
    left.set_xticks([0, 1], ["PCA", "AE"])
    right.bar([0, 1], [1.0, 2.0])
    right.set_xticks([0, 1])
    _, rows = _saved(factory, tmp_path, "names")
    assert [r["x_name"] for r in rows if r["panel"] == "1"] == ["PCA", "AE"]
    assert [r["x_name"] for r in rows if r["panel"] == "2"] == ["", ""]


def test_colour_names_ignore_case_spacing_hyphens_and_underscores():
    assert (
        figures.color("leaky-relu")
        == figures.color("leaky_relu")
        == figures.color("Leaky ReLU")
        == figures.METHOD_COLORS["leaky relu"]
    )
    assert figures.color("with BN") != figures.color("without BN")
    for together in (
        ("sigmoid", "tanh", "relu", "leaky relu", "elu"),
        ("lstm", "gru", "gru (=params)"),
        ("LSTM, forget bias 0", "LSTM, forget bias 1", "GRU"),
        ("cbow", "skip-gram", "fasttext", "glove"),
        ("logistic regression", "mlp", "cnn"),
        ("standard U[−1/√n, 1/√n]", "xavier normal", "xavier uniform", "he normal"),
        (
            "N(0,1)",
            "std 0.1",
            "N(0,1/d)",
            "too small: N(0,1/(4d))",
            "U[-1/√d,1/√d] (standard)",
            "tanh gain: N(0,(5/3)²/d)",
        ),
    ):
        assert len({figures.color(m) for m in together}) == len(together), together


def test_tidy_csv_puts_each_row_on_one_line():
    data = {
        "axes": [
            {
                "title": "two\nlines",
                "xlabel": "",
                "ylabel": "",
                "bars": [{"label": "a", "x": [0], "names": ["PCA-30\n(ours)"], "heights": [1.0]}],
            }
        ]
    }
    rows = list(csv.DictReader(io.StringIO(figures.tidy_csv(data))))
    assert rows[0]["x_name"] == "PCA-30 (ours)" and rows[0]["panel_title"] == "two lines"


#: The questions whose figures draw means over seeds with the helpers.
HELPED = (
    "zero-init",
    "init-scale",
    "xavier",
    "activations",
    "conv-vs-dense",
    "batch-norm",
    "topics",
    "nlp-use-cases",
    "word-embeddings",
    "embedding-limits",
    "handwriting",
    "upsampling",
    "text-cnn",
    "bert",
    "lstm-vs-gru",
    "autoencoders",
)


@pytest.mark.parametrize("qid", HELPED)
def test_smoke_figures_show_the_spread_over_seeds(qid, registry, smoke_results, tmp_path):
    """Every figure of a smoke run (two seeds) that draws a mean over seeds keeps its
    interval and per-seed rows, names its bars, and labels its colour bars."""
    result = smoke_results[1][qid]
    assert len(result.seeds) >= 2
    factory = figures.FigureFactory()
    registry.get(qid).figures(result, factory)
    helped = 0
    try:
        for name, fig in factory.figures.items():
            for ax in fig.axes:
                if ax.get_label() == "<colorbar>":
                    assert ax.get_ylabel() or ax.get_xlabel(), f"{name}: unlabelled colour bar"
            data = {
                "axes": [
                    figures._axes_data(ax) for ax in fig.axes if ax.get_label() != "<colorbar>"
                ]
            }
            for ax in data["axes"]:
                for drawn in ax["lines"] + ax["bars"]:
                    if "seeds" in drawn:
                        helped += 1
                        assert len(drawn["seeds"]) == len(result.seeds), name
                for bar in ax["bars"]:
                    if "seeds" in bar:  # a histogram's bars have no category names
                        assert all(bar["names"]), f"{name}: a bar without its category name"
    finally:
        for fig in factory.figures.values():
            factory._plt.close(fig)
    assert helped, f"{qid}: no figure draws a mean over seeds with its interval"
