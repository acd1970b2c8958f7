"""Figures that do not mislead: general rules checked on every question's smoke-run
figures, drawn by the question's own figure function and inspected before they are
saved.

* **Log axes**: a band or error bar over seeds on a logarithmic axis is drawn from
  logarithms (``band(..., log=True)``: a geometric mean with a multiplicative
  interval), and no shaded band reaches zero or below (it would fill to the bottom
  of the plot).
* **One colour per method**: a label (a legend entry, or a bar's name) keeps one
  colour across all panels of a figure.
* **Alt text** from the figure's own titles and axes, each said once (no
  "MNIST-1D accuracy for MNIST-1D accuracy").
* **Percent axes**: an axis of accuracy says "%" and is drawn in percent.
* **Nothing clipped**: every title, axis label and tick label lies inside the image.

A question whose figure breaks a rule is listed in ``KNOWN`` with what breaks, as
an expected failure naming the question, until its owner fixes it (then the test
says so, and the entry goes).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from deepfaq.core import figures as figs
from deepfaq.experiments import REGISTRY
from deepfaq.report.figtext import alt_text

IDS = REGISTRY.ids()

#: Questions whose smoke figures still break a rule, with what breaks (their owners
#: are told in issue 30's closing note). Empty when every figure keeps every rule.
KNOWN: dict[str, str] = {}


class KeepOpen(figs.FigureFactory):
    """A figure factory that hands back its figures instead of closing them."""

    def kept(self) -> dict:
        return dict(self.figures)


def _label(artist) -> str:
    label = str(artist.get_label() or "")
    return "" if label.startswith("_") else " ".join(label.lower().split())


def _hex(color) -> str:
    from matplotlib.colors import to_hex

    return to_hex(color, keep_alpha=False)


def log_axis_problems(ax) -> list[str]:
    """Bands and error bars on a log axis that were averaged linearly, or shading
    that reaches zero or below."""
    out = []
    if ax.get_yscale() != "log":
        return out
    for coll in ax.collections:
        for path in coll.get_paths():
            y = path.vertices[:, 1]
            y = y[np.isfinite(y)]
            if y.size and (y <= 0).any():
                out.append(f"shading reaches {y.min():.3g} on a log axis")
                break
    for line in ax.get_lines():
        kept = getattr(line, figs.draw._SEEDS, None)
        if not kept or kept.get("lo") is None:
            continue
        seeds = np.asarray(kept["seeds"], dtype=float)
        mean = np.asarray(line.get_ydata(), dtype=float)[: seeds.shape[1]]
        with np.errstate(all="ignore"):
            arith = np.nanmean(np.where(np.isfinite(seeds), seeds, np.nan), axis=0)
            positive = np.where(seeds > 0, seeds, np.nan)
            geo = np.exp(np.nanmean(np.log(positive), axis=0))
        differ = np.isfinite(arith) & np.isfinite(geo) & (np.abs(arith - geo) > 1e-6 * np.abs(geo))
        differ &= np.isfinite(mean[: differ.size])
        if differ.any():
            m, a, g = mean[differ], arith[differ], geo[differ]
            if (np.abs(m - a) < np.abs(m - g)).mean() > 0.5:
                out.append(f"'{_label(line) or 'a line'}' averaged linearly on a log axis")
    return out


def _is_method(label: str) -> bool:
    """A label the report knows as a method (declared by a question or in the
    palette's table): the ones that must keep their colour. Other labels name a
    line style, a panel or a quantity."""
    from deepfaq.core.figures import palette

    key = palette._key(label)
    return key in palette._DECLARED or key in palette._COLOR_KEYS


def colour_problems(fig) -> list[str]:
    """Methods drawn in more than one colour across a figure's panels (a legend
    entry, or a bar named by its tick, that the report knows as a method), and one
    colour standing for two methods in one figure."""
    from matplotlib.container import BarContainer, ErrorbarContainer

    seen: dict[str, set[str]] = {}

    def add(label, color, named=False):
        if label and (named or _is_method(label)):
            seen.setdefault(label, set()).add(_hex(color))

    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            continue
        in_containers = set()
        for c in ax.containers:
            if isinstance(c, BarContainer):
                names = [" ".join(t.get_text().lower().split()) for t in ax.get_xticklabels()]
                faces = {_hex(p.get_facecolor()) for p in c.patches}
                label = _label(c)
                for k, patch in enumerate(c.patches):
                    in_containers.add(id(patch))
                    if label and len(faces) == 1:  # a series of bars: its label is the method
                        add(label, patch.get_facecolor())
                    elif len(c.patches) == len(names):  # one colour per bar: each name a method
                        add(names[k], patch.get_facecolor(), named=len(faces) > 1)
            elif isinstance(c, ErrorbarContainer) and c.lines[0] is not None:
                in_containers.add(id(c.lines[0]))
                add(_label(c), c.lines[0].get_color())
        for line in ax.get_lines():
            if id(line) not in in_containers:
                add(_label(line), line.get_color())
    out = [
        f"'{label}' drawn in {len(colors)} colours ({', '.join(sorted(colors))})"
        for label, colors in seen.items()
        if len(colors) > 1
    ]
    by_colour: dict[str, list[str]] = {}
    for label, colors in seen.items():
        for c in colors:
            by_colour.setdefault(c, []).append(label)
    out += [
        f"{c} stands for {' and '.join(repr(x) for x in labels)}"
        for c, labels in by_colour.items()
        if len(labels) > 1
    ]
    return out


_ACCURACY = re.compile(r"\baccuracy\b", re.I)


def percent_problems(ax) -> list[str]:
    """An axis of accuracy that is not in percent."""
    out = []
    for axis, label in (("y", ax.get_ylabel()), ("x", ax.get_xlabel())):
        if not _ACCURACY.search(label or ""):
            continue
        values = []
        for line in ax.get_lines():
            data = line.get_ydata() if axis == "y" else line.get_xdata()
            try:
                values += [float(v) for v in data]
            except (TypeError, ValueError):
                continue
        for c in ax.containers:
            for patch in getattr(c, "patches", ()):
                values.append(float(patch.get_height() if axis == "y" else patch.get_width()))
        finite = [v for v in values if math.isfinite(v)]
        if "%" not in label:
            out.append(f"accuracy axis '{label}' does not say %")
        elif finite and max(abs(v) for v in finite) <= 1.0:
            out.append(f"accuracy axis '{label}' is labelled % but drawn as fractions")
    return out


def _drawn_tick_labels(ax) -> list:
    """The tick labels a reader sees: on a visible axis, at ticks inside its limits."""
    if not ax.axison:
        return []
    out = []
    for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
        lo, hi = min(lo, hi), max(lo, hi)
        for tick in axis.get_major_ticks():
            loc = tick.get_loc()
            if lo - 1e-9 * abs(hi - lo) <= loc <= hi + 1e-9 * abs(hi - lo):
                out += [t for t in (tick.label1, tick.label2) if t.get_visible()]
    return out


def clipped_text(fig) -> list[str]:
    """Titles, axis labels and tick labels that reach outside the image."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    out = []
    texts = [fig._supxlabel, fig._supylabel, fig._suptitle]
    for ax in fig.axes:
        texts += [ax.title, ax.xaxis.label, ax.yaxis.label, *_drawn_tick_labels(ax)]
    for t in texts:
        if t is None or not t.get_visible() or not t.get_text().strip():
            continue
        e = t.get_window_extent(renderer)
        if e.x0 < box.x0 - 1 or e.y0 < box.y0 - 1 or e.x1 > box.x1 + 1 or e.y1 > box.y1 + 1:
            out.append(f"'{t.get_text()[:40]}' is clipped")
    return out


def _flat(text: str) -> str:
    return " ".join(str(text).lower().split())


def figure_problems(q, result) -> list[str]:
    """Every rule broken by any figure of ``q`` drawn from ``result``."""
    from test_report import doubled

    factory = KeepOpen()
    q.figures(result, factory)
    problems = []
    try:
        for name, fig in factory.kept().items():
            found = []
            for ax in fig.axes:
                found += log_axis_problems(ax) + percent_problems(ax)
            found += colour_problems(fig) + clipped_text(fig)
            data = {
                "axes": [figs._axes_data(ax) for ax in fig.axes if ax.get_label() != "<colorbar>"]
            }
            alt = alt_text(name, data)
            if doubled(alt):
                found.append(f"alt text repeats itself: {alt[:120]}")
            for ax in data["axes"]:
                if ax["title"] and _flat(ax["title"]) not in _flat(alt):
                    found.append(f"alt text leaves out the panel '{_flat(ax['title'])}'")
            problems += [f"{name}: {p}" for p in dict.fromkeys(found)]
    finally:
        import matplotlib.pyplot as plt

        for fig in factory.kept().values():
            plt.close(fig)
    return problems


@pytest.mark.parametrize("qid", IDS)
def test_figures_keep_the_rules(qid, smoke_results):
    problems = figure_problems(REGISTRY.get(qid), smoke_results[1][qid])
    if qid in KNOWN:
        if problems:
            pytest.xfail(f"{qid}: {KNOWN[qid]} — " + "; ".join(problems))
        pytest.fail(f"{qid}'s figures keep every rule now: remove it from KNOWN")
    assert not problems, "\n".join(problems)


# -- the rules catch what they should --------------------------------------------------------


def _fig(ncols=1):
    factory = KeepOpen()
    fig, axes = factory("planted", 1, ncols)
    return factory, fig, axes


def test_a_linear_band_on_a_log_axis_is_caught():
    _, fig, ax = _fig()
    x = np.arange(5)
    per_seed = [[1e-3, 1e-2, 0.1, 1, 10], [1e-1, 1, 10, 100, 1000]]
    figs.band(ax, x, per_seed, label="linear")
    ax.set_yscale("log")
    assert any("averaged linearly" in p for p in log_axis_problems(ax))
    assert any("shading reaches" in p for p in log_axis_problems(ax))
    _, fig, ax = _fig()
    figs.band(ax, x, per_seed, label="logs", log=True)
    ax.set_yscale("log")
    assert log_axis_problems(ax) == []


def test_a_method_changing_colour_between_panels_is_caught():
    factory, fig, axes = _fig(2)
    left, right = axes[0]
    left.plot([0, 1], [0, 1], label="LSTM, forget bias 1", color=figs.PALETTE[0])
    right.plot([0, 1], [0, 1], label="LSTM, forget bias 1", color=figs.PALETTE[4])
    assert colour_problems(fig) == ["'lstm, forget bias 1' drawn in 2 colours (#0072b2, #cc79a7)"]


def test_fractions_on_an_accuracy_axis_are_caught():
    _, fig, ax = _fig()
    ax.plot([0, 1], [0.5, 0.9])
    ax.set_ylabel("test accuracy")
    assert percent_problems(ax) == ["accuracy axis 'test accuracy' does not say %"]
    ax.set_ylabel("test accuracy (%)")
    assert percent_problems(ax) == [
        "accuracy axis 'test accuracy (%)' is labelled % but drawn as fractions"
    ]


def test_a_clipped_label_is_caught():
    _, fig, ax = _fig()
    ax.plot([0, 1], [0, 1])
    ax.set_ylabel("a label", labelpad=400)
    fig.set_layout_engine("none")
    assert any("'a label' is clipped" in p for p in clipped_text(fig))


def test_alt_text_says_each_thing_once():
    data = {
        "axes": [
            {
                "title": "MNIST-1D accuracy",
                "xlabel": "",
                "ylabel": "MNIST-1D accuracy",
                "lines": [],
                "bars": [{"label": "MNIST-1D accuracy", "heights": [1.0]}],
            },
            {"title": "loss", "xlabel": "step", "ylabel": "loss", "lines": [{"label": "GRU"}]},
        ]
    }
    alt = alt_text("accuracy-by-task", data)
    assert alt == (
        "Figure 'accuracy by task', 2 panels. MNIST-1D accuracy; Loss against step for GRU."
    )
