"""Draw a question's figures from stored numbers, and keep the data drawn.

An experiment's ``figures(result, new_figure)`` asks ``new_figure(name, ...)``
for a matplotlib figure and draws on it from ``result.metrics``/``result.series``
only. Each figure is saved as ``<name>.png`` at twice screen resolution, beside
``<name>.json`` (the lines, bars and images actually drawn, with axis titles and
tick names) and ``<name>.csv`` (the same data as a tidy table: one row per point
of a series), so any plot can be re-checked or re-drawn without matplotlib.

Colours: every figure draws from the Okabe–Ito palette, which stays distinct
under the common colour-vision deficiencies, and :func:`color` gives a method
the same colour in every figure of the report (``ax.plot(x, y, color=color("GRU"))``).
matplotlib is imported only when a figure is made.

Spread over seeds: a curve, level, scatter or bar that is a mean over seeds is
drawn with :func:`band`, :func:`level`, :func:`points` or :func:`bars`, which add
the report's one interval (:data:`INTERVAL`, the same 95% Student-t interval of
the mean as every claim's, see :mod:`deepfaq.core.stats`) as a shaded band or
error bars, and a one-line note under the figure says so. The figure's JSON and
CSV keep the interval and every seed's value: in the CSV a row with an empty
``seed_index`` is what was drawn (``y`` the mean over ``n_seeds`` seeds,
``y_lo``/``y_hi`` its interval) and a row with ``seed_index`` k is seed k's value
at the same ``x`` (``x_name`` names a bar's category). :func:`heatmap` draws a
value scale with a labelled colour bar.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

from deepfaq.core.store import atomic_write, atomic_write_json, atomic_write_text

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")

#: Okabe & Ito (2008), "Color universal design": black first, yellow last (it is
#: faint on white, so it is drawn only when seven colours are not enough).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")

#: One colour per method, the same in every figure that draws it. Methods that
#: appear together in one question get different colours; a name not listed
#: gets a colour from its hash (stable from run to run).
METHOD_COLORS = {
    # activations
    "sigmoid": PALETTE[0],
    "tanh": PALETTE[1],
    "relu": PALETTE[2],
    "leaky relu": PALETTE[3],
    "softmax": PALETTE[4],
    "elu": PALETTE[5],
    # normalisation
    "with bn": PALETTE[0],
    "without bn": PALETTE[1],
    # recurrent cells, text models
    "lstm": PALETTE[0],
    "gru": PALETTE[1],
    "cnn": PALETTE[2],
    "mlp": PALETTE[3],
    "logistic regression": PALETTE[6],
    "logistic": PALETTE[6],
    "gru (=params)": PALETTE[5],
    "lstm, forget bias 0": PALETTE[0],
    "lstm, forget bias 1": PALETTE[4],
    "bag of words": PALETTE[6],
    "bag of words + lr": PALETTE[6],
    "nb bag of 1–2-grams + lr": PALETTE[6],
    "unigram bow": PALETTE[6],
    "tf-idf": PALETTE[6],
    "tf-idf + logistic regression": PALETTE[6],
    "minilm": PALETTE[5],
    "minilm + logistic regression": PALETTE[5],
    "cnn-rand": PALETTE[2],
    "cnn-static": PALETTE[3],
    "cnn-non-static": PALETTE[4],
    "cnn + bilstm + ctc": PALETTE[0],
    "cnn only + ctc": PALETTE[2],
    # word vectors
    "cbow": PALETTE[0],
    "skip-gram": PALETTE[1],
    "fasttext": PALETTE[2],
    "glove": PALETTE[3],
    # language-model objectives
    "masked lm (bert)": PALETTE[0],
    "left-to-right (gpt)": PALETTE[1],
    "right-to-left": PALETTE[5],
    "l2r ⊕ r2l (elmo-style)": PALETTE[3],
    # initialisations
    "xavier normal": PALETTE[0],
    "xavier uniform": PALETTE[1],
    "he normal": PALETTE[2],
    "standard u[−1/√n, 1/√n]": PALETTE[6],
    "u[-1/√d,1/√d] (standard)": PALETTE[6],
    "n(0,1/d)": PALETTE[0],
    "n(0,1)": PALETTE[3],
    "std 0.1": PALETTE[1],
    "too small: n(0,1/(4d))": PALETTE[5],
    "tanh gain: n(0,(5/3)²/d)": PALETTE[4],
    "all zeros": PALETTE[6],
    "constant": PALETTE[3],
    "small random": PALETTE[2],
    "one hidden unit": PALETTE[4],
    # topic models
    "lda": PALETTE[0],
    "nmf (frobenius, tf-idf)": PALETTE[1],
    "nmf (kl, counts)": PALETTE[2],
    "k-means (tf-idf)": PALETTE[3],
    # upsampling
    "transposed conv k3 s2": PALETTE[3],
    "transposed conv k2 s2": PALETTE[1],
    "transposed conv k4 s2": PALETTE[4],
    "nearest ×2 + conv 3×3": PALETTE[0],
    # autoencoders and what they are compared with
    "autoencoder": PALETTE[0],
    "deep ae": PALETTE[0],
    "stacked ae-64": PALETTE[0],
    "pca": PALETTE[3],
    "pca-30": PALETTE[3],
    "pca-64": PALETTE[3],
    "raw pixels": PALETTE[6],
    "jpeg": PALETTE[1],
}

#: Colour of baselines and reference values (chance, a paper's number): not a method.
REFERENCE = "0.55"

#: What every band of :func:`band` and error bar of :func:`bars` shows.
INTERVAL = "95% t-interval of the mean"

#: Pixels per inch of the saved PNGs: twice the 110 at which the pages show them,
#: so lines stay sharp on high-resolution screens.
DPI = 220
SCREEN_DPI = 110


def _key(name: str) -> str:
    return " ".join(name.lower().replace("_", " ").replace("-", " ").split())


_COLOR_KEYS = {_key(k): v for k, v in METHOD_COLORS.items()}


#: Colours the questions declare (``Question.colors``), by normalised label, with the
#: question that declared each: filled by :func:`register_colors` when the registry
#: is built.
_DECLARED: dict[str, tuple[str, str]] = {}


def register_colors(owner: str, colors: dict[str, str]) -> None:
    """Take a question's method colours into the report-wide palette. One label keeps
    one colour across the report: a label two questions colour differently is an
    error, raised when the registry is built."""
    for name, value in colors.items():
        key = _key(name)
        have = _DECLARED.get(key)
        if have is not None and have[0].lower() != value.lower():
            raise ValueError(
                f"{owner} colours {name!r} {value}, but {have[1]} colours it"
                f" {have[0]}: one method keeps one colour across the report"
            )
        _DECLARED[key] = (value, have[1] if have else owner)


def color(name: str) -> str:
    """The report-wide colour of a method (case, spacing, ``-`` and ``_`` ignored)."""
    key = _key(name)
    if key in _DECLARED:
        return _DECLARED[key][0]
    if key in _COLOR_KEYS:
        return _COLOR_KEYS[key]
    digest = hashlib.sha256(key.encode()).digest()
    return PALETTE[digest[0] % (len(PALETTE) - 1)]  # never the faint yellow


_method_color = color  # for the helpers below, whose ``color`` argument hides it


#: Attribute under which the helpers below keep, on the artist they draw, the
#: interval and per-seed values that :func:`_axes_data` exports.
_SEEDS = "_deepfaq_seeds"


def _per_seed(per_seed):
    """[seed, point] floats from per-seed values: a seed stored as ``None`` (not
    measured) is dropped, ``None`` points become NaN, and seeds of different
    lengths are cut to the shortest."""
    import numpy as np

    rows = [
        np.asarray([np.nan if v is None else v for v in _flat(one)], dtype=float)
        for one in per_seed
        if one is not None
    ]
    if not rows:
        return np.empty((0, 0))
    n = min(r.size for r in rows)
    return np.stack([r[:n] for r in rows])


def _flat(values) -> list:
    """One seed's values as a flat list (a scalar becomes one point)."""
    import numpy as np

    if isinstance(values, list | tuple):
        return list(values)
    return list(np.asarray(values, dtype=object).ravel())


def over_seeds(per_seed, log: bool = False, bounds: tuple[float, float] | None = None):
    """Mean over seeds with its :data:`INTERVAL` at every point.

    ``per_seed`` is ``[seed, point]`` (e.g. ``result.series["curve"]``); NaN,
    ±inf or ``None`` values are left out point by point. With ``log=True`` the mean
    and interval are taken of the logarithms and exponentiated back (a geometric
    mean with a multiplicative interval, for quantities plotted on a log scale;
    values ≤ 0 are left out). Returns ``(mean, lo, hi, n, values)``: arrays over
    points, ``n`` the seeds behind each point, ``values`` the ``[seed, point]``
    array; ``lo``/``hi`` are NaN wherever fewer than two seeds were measured (one
    seed has no interval) or the interval is not finite.

    ``bounds`` is the range the quantity can take (``(0, 1)`` for an accuracy,
    ``(-1, 1)`` for a cosine): the mean and both ends of the interval are clipped
    to it (with few seeds the t interval can reach past it, and a rounding error
    can put a value a hair outside). :func:`clipped` says whether any value was
    outside. Whatever finite values come in, ``lo ≤ mean ≤ hi`` wherever all three
    are numbers, so error bars are never negative.
    """
    import numpy as np

    from deepfaq.core.stats import LEVEL

    values = _per_seed(per_seed)
    with np.errstate(all="ignore"):
        v = values
        if log:
            v = np.where(values > 0, np.log(np.where(values > 0, values, 1.0)), np.nan)
        finite = np.isfinite(v)
        n = finite.sum(0)
        mean = np.where(n > 0, np.where(finite, v, 0.0).sum(0) / np.maximum(n, 1), np.nan)
        dev = np.where(finite, v - mean, 0.0)
        sd = np.sqrt((dev**2).sum(0) / np.maximum(n - 1, 1))
        half = np.full(mean.shape, np.nan)
        if (n >= 2).any():
            from scipy import stats

            t = stats.t.ppf(0.5 + LEVEL / 2, np.maximum(n - 1, 1))
            half = np.where(n >= 2, t * sd / np.sqrt(np.maximum(n, 1)), np.nan)
        lo, hi = mean - half, mean + half
        if log:
            mean, lo, hi = np.exp(mean), np.exp(lo), np.exp(hi)
    mean = np.where(np.isfinite(mean), mean, np.nan)
    ok = np.isfinite(lo) & np.isfinite(hi)
    lo, hi = np.where(ok, lo, np.nan), np.where(ok, hi, np.nan)
    if bounds is not None:
        mean, lo, hi = (np.clip(a, *bounds) for a in (mean, lo, hi))
    lo, hi = np.fmin(lo, mean), np.fmax(hi, mean)  # NaN stays NaN where mean is NaN
    lo = np.where(ok & np.isfinite(mean), lo, np.nan)
    hi = np.where(ok & np.isfinite(mean), hi, np.nan)
    return mean, lo, hi, n, values


def clipped(per_seed, bounds: tuple[float, float] | None) -> bool:
    """Whether any finite value of ``per_seed`` lies outside ``bounds`` (and so
    was drawn at the bound by the helpers below)."""
    import numpy as np

    if bounds is None:
        return False
    values = per_seed if isinstance(per_seed, np.ndarray) else _per_seed(per_seed)
    values = values[np.isfinite(values)]
    return bool(((values < bounds[0]) | (values > bounds[1])).any())


def _note_clipped(ax, values, bounds) -> None:
    """Say under the figure when a value outside its range was drawn at the bound."""
    if not clipped(values, bounds):
        return
    fig = ax.figure
    notes = getattr(fig, "_deepfaq_clipped", set())
    notes.add((float(bounds[0]), float(bounds[1])))
    fig._deepfaq_clipped = notes
    _write_note(fig)


def _yerr(mean, lo, hi, n):
    """Error bar lengths below and above the mean (never negative; NaN where
    there is no interval, which matplotlib draws as no bar)."""
    import numpy as np

    with np.errstate(invalid="ignore"):
        below = np.where(n >= 2, np.clip(mean - lo, 0, None), np.nan)
        above = np.where(n >= 2, np.clip(hi - mean, 0, None), np.nan)
    return np.vstack([below, above])


def _note_interval(ax, n: int) -> None:
    """Say once, under the figure, what the bands and error bars are."""
    fig = ax.figure
    seen = getattr(fig, _SEEDS, set())
    seen.add(int(n))
    setattr(fig, _SEEDS, seen)
    _write_note(fig)


def _write_note(fig) -> None:
    many = sorted(k for k in getattr(fig, _SEEDS, set()) if k >= 2)
    if many:
        seeds = f"{many[0]}" if len(many) == 1 else f"{many[0]}–{many[-1]}"
        text = f"Shading and error bars: {INTERVAL} over {seeds} seeds."
    else:
        text = "One seed: no interval drawn."
    for a, b in sorted(getattr(fig, "_deepfaq_clipped", ())):
        text += f" Values a rounding error outside [{a:g}, {b:g}] are drawn at the bound."
    fig.supxlabel(text, fontsize=7, color="0.35")


def _store(artist, mean, lo, hi, n, values, names=None) -> None:
    import numpy as np

    have = bool((n >= 2).any())
    setattr(
        artist,
        _SEEDS,
        {
            "n": int(n.max()) if n.size else 0,
            "lo": [float(v) for v in lo] if have else None,
            "hi": [float(v) for v in hi] if have else None,
            "seeds": [[float(v) for v in row] for row in np.asarray(values)],
            "names": names,
        },
    )


def band(
    ax,
    x,
    per_seed,
    *,
    label: str | None = None,
    color: str | None = None,
    log: bool = False,
    bounds: tuple[float, float] | None = None,
    alpha: float = 0.2,
    **plot_kw,
):
    """Plot the mean over seeds of ``per_seed`` (``[seed, point]``) against ``x``
    with a shaded band: the report's one interval, the two-sided 95% Student-t
    interval of the mean over seeds (:data:`INTERVAL`, as in :mod:`deepfaq.core.stats`).

    With one seed only the line is drawn. ``color`` defaults to the method's
    report-wide :func:`color` of ``label``; ``log=True`` averages logarithms (for
    log-scaled axes); ``bounds`` clips the band to the quantity's range (see
    :func:`over_seeds`); other keywords go to ``ax.plot`` (``marker="o"``, ``ls="--"``).
    ``x`` may be longer than the curves (it is cut to them). The figure's JSON and
    CSV keep the band and every seed's values; a note under the figure names the
    interval. Returns the mean's line.
    """
    import numpy as np

    mean, lo, hi, n, values = over_seeds(per_seed, log=log, bounds=bounds)
    xs = np.asarray(x, dtype=float)[: mean.size]
    if color is None and label and not label.startswith("_"):
        color = _method_color(label)
    (line,) = ax.plot(xs, mean[: xs.size], label=label, color=color, **plot_kw)
    if (n >= 2).any():
        ax.fill_between(
            xs,
            lo[: xs.size],
            hi[: xs.size],
            color=line.get_color(),
            alpha=alpha,
            lw=0,
            label="_nolegend_",
        )
    _store(line, mean, lo[: xs.size], hi[: xs.size], n, values[:, : xs.size])
    _note_interval(ax, int(n.max()) if n.size else 0)
    _note_clipped(ax, values, bounds)
    return line


def level(
    ax,
    per_seed_values,
    *,
    label: str | None = None,
    color: str | None = None,
    bounds: tuple[float, float] | None = None,
    alpha: float = 0.15,
    **line_kw,
):
    """A horizontal line at the mean over seeds of one quantity (a final score
    drawn across a training curve's axes), with its :data:`INTERVAL` as a shaded
    horizontal band, as for :func:`band` (``bounds`` too). Other keywords go to
    ``ax.axhline``. Returns the line (``None`` when no seed has a value)."""
    import numpy as np

    mean, lo, hi, n, values = over_seeds([[v] for v in _flat(per_seed_values)], bounds=bounds)
    if mean.size == 0 or not np.isfinite(mean[0]):
        return None  # nothing measured: nothing to draw
    if color is None and label and not label.startswith("_"):
        color = _method_color(label)
    line = ax.axhline(mean[0], label=label, color=color, **line_kw)
    if n[0] >= 2 and np.isfinite(lo[0]):
        ax.axhspan(lo[0], hi[0], color=line.get_color(), alpha=alpha, lw=0, zorder=0.5)
    _store(line, mean.repeat(2), lo.repeat(2), hi.repeat(2), n.repeat(2), values.repeat(2, axis=1))
    _note_interval(ax, int(n[0]))
    _note_clipped(ax, values, bounds)
    return line


def points(
    ax,
    x,
    per_seed,
    *,
    label: str | None = None,
    color: str | None = None,
    log: bool = False,
    bounds: tuple[float, float] | None = None,
    capsize: float = 2,
    **errorbar_kw,
):
    """A scatter of means over seeds, each with a vertical error bar: the 95%
    Student-t interval of the mean (:data:`INTERVAL`, as for :func:`band`), for
    points that form no curve (``x`` need not be sorted). Arguments as for
    :func:`band`; other keywords go to ``ax.errorbar`` (``ms=4``). Returns the
    error bar container."""
    import numpy as np

    mean, lo, hi, n, values = over_seeds(per_seed, log=log, bounds=bounds)
    xs = np.asarray(x, dtype=float)[: mean.size]
    if color is None and label and not label.startswith("_"):
        color = _method_color(label)
    yerr = _yerr(mean, lo, hi, n)[:, : xs.size] if (n >= 2).any() else None
    errorbar_kw.setdefault("ms", 4)
    container = ax.errorbar(
        xs,
        mean[: xs.size],
        yerr=yerr,
        fmt="o",
        color=color,
        label=label,
        capsize=capsize if yerr is not None else 0,
        elinewidth=0.8,
        **errorbar_kw,
    )
    _store(container.lines[0], mean, lo[: xs.size], hi[: xs.size], n, values[:, : xs.size])
    _note_interval(ax, int(n.max()) if n.size else 0)
    _note_clipped(ax, values, bounds)
    return container


def bars(
    ax,
    names,
    per_seed_values,
    *,
    label: str | None = None,
    color=None,
    group: int = 0,
    groups: int = 1,
    width: float = 0.8,
    log: bool = False,
    bounds: tuple[float, float] | None = None,
    capsize: float = 3,
    **bar_kw,
):
    """Bars of the mean over seeds with error bars: the two-sided 95% Student-t
    interval of the mean (:data:`INTERVAL`, as for :func:`band`).

    ``names`` are the categories on the x axis (their tick labels); for each,
    ``per_seed_values`` holds its values over seeds (e.g. ``result.metrics[key]``).
    For grouped bars, call once per series with ``group`` = 0…``groups``−1 and a
    ``label``. ``color`` is one colour or one per bar; by default the
    :func:`color` of ``label`` for grouped bars, else of each name. With one
    seed no error bar is drawn; ``log`` and ``bounds`` as for :func:`band`. A bar
    of height 0 is marked by a short line in its colour, so that a legend entry
    never points at nothing. The figure's JSON and CSV keep the names, the
    interval and every seed's values. Returns the bars' container.
    """
    import numpy as np

    names = [str(nm) for nm in names]
    columns = [
        np.asarray([np.nan if v is None else v for v in _flat(vals)], dtype=float)
        if vals is not None
        else np.asarray([np.nan])
        for vals in per_seed_values
    ]
    if len(columns) != len(names):
        raise ValueError(f"{len(names)} names but {len(columns)} bars of values")
    depth = max([c.size for c in columns] + [1])  # at least one row: a bar with no value
    values = np.full((depth, len(names)), np.nan)  # [seed, bar]
    for j, c in enumerate(columns):
        values[: c.size, j] = c
    mean, lo, hi, n, _ = over_seeds(values, log=log, bounds=bounds)
    w = width / groups
    pos = np.arange(len(names)) + (group - (groups - 1) / 2) * w
    if color is None:
        color = (
            _method_color(label)
            if groups > 1 and label and not label.startswith("_")
            else [_method_color(nm) for nm in names]
        )
    yerr = _yerr(mean, lo, hi, n) if (n >= 2).any() else None
    container = ax.bar(
        pos,
        mean,
        w,
        yerr=yerr,
        label=label,
        color=color,
        capsize=capsize if yerr is not None else 0,
        error_kw={"lw": 1, "ecolor": "0.2"},
        **bar_kw,
    )
    faces = [patch.get_facecolor() for patch in container.patches]
    if container.errorbar is not None:  # a white halo keeps them visible on dark bars
        from matplotlib import patheffects

        halo = [patheffects.withStroke(linewidth=1.9, foreground="white")]
        for artist in (*container.errorbar.lines[1], *container.errorbar.lines[2]):
            artist.set_path_effects(halo)
    for p, m, face in zip(pos, mean, faces, strict=True):
        if m == 0:  # invisible otherwise
            ax.hlines(0, p - w * 0.45, p + w * 0.45, colors=[face], lw=2.5, zorder=3)
    ax.set_xticks(np.arange(len(names)), names)
    _store(container, mean, lo, hi, n, values, names=names)
    _note_interval(ax, int(n.max()) if n.size else 0)
    _note_clipped(ax, values, bounds)
    return container


def heatmap(
    ax,
    values,
    *,
    label: str | None,
    cmap: str = "viridis",
    location: str = "right",
    beside=None,
    **imshow_kw,
):
    """``imshow`` of a value scale with a colour bar labelled ``label`` (what the
    colours measure, with its unit), on the ``location`` side of the axes
    ("bottom" keeps the width of axes that share x). Panels that share one scale
    pass the same ``vmin``/``vmax``, ``label=None`` but for the last, and
    ``beside`` = all their axes, so that one bar serves them all. NaN and ±inf
    cells are left blank. Returns the image."""
    import numpy as np

    values = np.ma.masked_invalid(np.asarray(values, dtype=float))
    im = ax.imshow(values, cmap=cmap, **imshow_kw)
    if label is not None:
        bar = ax.figure.colorbar(
            im, ax=ax if beside is None else beside, fraction=0.046, pad=0.03, location=location
        )
        bar.set_label(label, fontsize=8)
        bar.ax.tick_params(labelsize=7)
    return im


def _label(artist) -> str:
    label = str(artist.get_label() or "")
    return "" if label.startswith("_") else label  # matplotlib's "_nolegend_", "_child0"


def _number(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return str(v)


def _tick_names(ax) -> dict[float, str]:
    """Category names on the x axis by position (a bar chart names its bars so);
    empty for a numeric axis."""
    from matplotlib.category import StrCategoryFormatter
    from matplotlib.ticker import FixedFormatter, FixedLocator, FuncFormatter

    fmt = ax.xaxis.get_major_formatter()
    named = isinstance(fmt, FixedFormatter | StrCategoryFormatter) or (
        # ``set_xticks(positions, labels)`` gives a FuncFormatter in recent matplotlib
        isinstance(fmt, FuncFormatter) and isinstance(ax.xaxis.get_major_locator(), FixedLocator)
    )
    if not named:
        return {}
    return {
        float(pos): tick.get_text()
        for pos, tick in zip(ax.get_xticks(), ax.get_xticklabels(), strict=False)
        if tick.get_text()
    }


def _name_at(names: dict[float, str], x: float, half_width: float) -> str:
    near = min(names, key=lambda pos: abs(pos - x), default=None)
    return names[near] if near is not None and abs(near - x) <= half_width else ""


def _error_bounds(container, n: int) -> tuple[list[float], list[float]] | None:
    """The lower and upper ends of an error bar container's vertical bars."""
    cols = container.lines[2] if len(container.lines) > 2 else ()
    for col in cols or ():
        segs = col.get_segments()
        if len(segs) == n and all(
            len(s) >= 2 and abs(s[0][0] - s[1][0]) < 1e-12 for s in segs
        ):  # a NaN error bar has no segment
            return (
                [float(min(s[0][1], s[1][1])) for s in segs],
                [float(max(s[0][1], s[1][1])) for s in segs],
            )
    return None


def _add_seeds(drawn: dict, kept: dict | None) -> None:
    """What :func:`band`/:func:`bars` kept on an artist, into its drawn data."""
    if not kept:
        return
    drawn["n"] = kept["n"]
    drawn["seeds"] = kept["seeds"]
    if kept["lo"] is not None:
        drawn["lo"], drawn["hi"] = kept["lo"], kept["hi"]
    else:
        drawn.pop("lo", None)
        drawn.pop("hi", None)
    if kept.get("names"):
        drawn["names"] = list(kept["names"])


def _axes_data(ax) -> dict:
    from matplotlib.container import BarContainer, ErrorbarContainer

    data: dict = {"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel()}
    caps, bounds, names = set(), {}, {}
    for c in ax.containers:
        if isinstance(c, ErrorbarContainer):
            caps.update(id(ln) for ln in c.lines[1] or ())
            if c.lines[0] is not None:
                names[id(c.lines[0])] = _label(c)
                b = _error_bounds(c, len(c.lines[0].get_xdata()))
                if b:
                    bounds[id(c.lines[0])] = b
    data["lines"] = []
    for ln in ax.get_lines():
        if id(ln) in caps:
            continue  # an error bar's cap, not a series
        line = {
            "label": _label(ln) or names.get(id(ln), ""),
            "x": [_number(v) for v in ln.get_xdata()],
            "y": [_number(v) for v in ln.get_ydata()],
        }
        if id(ln) in bounds:
            line["lo"], line["hi"] = bounds[id(ln)]
        _add_seeds(line, getattr(ln, _SEEDS, None))
        data["lines"].append(line)
    names = _tick_names(ax)
    bars = []
    for c in ax.containers:
        if not isinstance(c, BarContainer):
            continue
        xs = [float(p.get_x() + p.get_width() / 2) for p in c.patches]
        half = [abs(float(p.get_width())) / 2 for p in c.patches]
        bar = {
            "label": _label(c),
            "x": xs,
            "names": [_name_at(names, x, h) for x, h in zip(xs, half, strict=True)],
            "heights": [float(p.get_height()) for p in c.patches],
        }
        err = getattr(c, "errorbar", None)
        b = _error_bounds(err, len(xs)) if err is not None else None
        if b:
            bar["lo"], bar["hi"] = b
        _add_seeds(bar, getattr(c, _SEEDS, None))
        bars.append(bar)
    data["bars"] = bars
    data["images"] = [im.get_array().tolist() for im in ax.get_images()]
    return data


#: The columns of every figure's CSV. A row with an empty ``seed_index`` is a point
#: as drawn (for a mean over seeds: ``y`` the mean over ``n_seeds`` seeds,
#: ``y_lo``/``y_hi`` its interval); a row with ``seed_index`` k is seed k's value at
#: the same point (k counts the run's seeds from 0, as in ``metrics.csv``).
CSV_COLUMNS = (
    "panel",
    "panel_title",
    "kind",
    "series",
    "x",
    "x_name",
    "seed_index",
    "y",
    "y_lo",
    "y_hi",
    "n_seeds",
    "xlabel",
    "ylabel",
)
#: Images with more cells than this (photographs, not measurements) stay out of the CSV.
MAX_IMAGE_CELLS = 4096


def _finite(v) -> bool:
    return isinstance(v, int | float) and v == v and abs(v) != float("inf")


def _series_name(label, fallback: str) -> str:
    label = str(label or "")
    return fallback if not label or label.startswith("_") else label


def _seed_rows(point: dict, seeds, i: int) -> list[dict]:
    """One row per seed at point ``i`` of a mean over seeds."""
    return [
        {
            **point,
            "seed_index": k,
            "y": vals[i] if i < len(vals) else None,
            "y_lo": None,
            "y_hi": None,
            "n_seeds": None,
        }
        for k, vals in enumerate(seeds or [])
    ]


def tidy_rows(data: dict) -> list[dict]:
    """A figure's drawn data (its JSON) as tidy rows: one per point of a line, bar
    or heat-map cell, with the panel, series name, axis labels and any error bar;
    for a mean over seeds (drawn by :func:`band`, :func:`points` or :func:`bars`),
    also one row per seed and point with that seed's value (see :data:`CSV_COLUMNS`)."""
    rows = []
    for k, ax in enumerate(data.get("axes", [])):
        base = {
            "panel": k + 1,
            "panel_title": ax.get("title", ""),
            "xlabel": ax.get("xlabel", ""),
            "ylabel": ax.get("ylabel", ""),
        }
        for j, ln in enumerate(ax.get("lines", [])):
            series = _series_name(ln.get("label"), f"line {j + 1}")
            lo, hi, seeds = ln.get("lo"), ln.get("hi"), ln.get("seeds")
            for i, (x, y) in enumerate(zip(ln.get("x", []), ln.get("y", []), strict=False)):
                row = {**base, "kind": "line", "series": series, "x": x, "y": y}
                if lo and hi:
                    row.update(y_lo=lo[i], y_hi=hi[i])
                if seeds is not None:
                    row["n_seeds"] = sum(1 for s in seeds if i < len(s) and _finite(s[i]))
                rows.append(row)
                rows += _seed_rows(row, seeds, i)
        for j, bar in enumerate(ax.get("bars", [])):
            series = _series_name(bar.get("label"), f"bars {j + 1}")
            heights = bar.get("heights", [])
            xs = bar.get("x", list(range(len(heights))))
            names = bar.get("names", [""] * len(heights))
            lo, hi, seeds = bar.get("lo"), bar.get("hi"), bar.get("seeds")
            for i, h in enumerate(heights):
                row = {
                    **base,
                    "kind": "bar",
                    "series": series,
                    "x": xs[i],
                    "x_name": names[i] if i < len(names) else "",
                    "y": h,
                }
                if lo and hi:
                    row.update(y_lo=lo[i], y_hi=hi[i])
                if seeds is not None:
                    row["n_seeds"] = sum(1 for s in seeds if i < len(s) and _finite(s[i]))
                rows.append(row)
                rows += _seed_rows(row, seeds, i)
        for j, img in enumerate(ax.get("images", [])):
            cells = sum(len(r) if isinstance(r, list) else 1 for r in img)
            if cells > MAX_IMAGE_CELLS or not img or not isinstance(img[0], list):
                continue
            for i, r in enumerate(img):
                for c, v in enumerate(r):
                    if isinstance(v, list):  # an RGB(A) pixel, not a measurement
                        break
                    rows.append(
                        {
                            **base,
                            "kind": "image",
                            "series": f"image {j + 1}",
                            "x": c,
                            "x_name": f"row {i}",
                            "y": v,
                        }
                    )
    return rows


def _cell(v):
    if v is None or (isinstance(v, float) and not _finite(v)):
        return ""
    if isinstance(v, float):
        return f"{v:.10g}"
    if isinstance(v, str):
        return " ".join(v.split("\n"))  # a label broken over lines: one line per row
    return v


def tidy_csv(data: dict) -> str:
    """:func:`tidy_rows` as CSV text with the :data:`CSV_COLUMNS`."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, CSV_COLUMNS, restval="", lineterminator="\n")
    w.writeheader()
    for row in tidy_rows(data):
        w.writerow({k: _cell(v) for k, v in row.items()})
    return buf.getvalue()


def describe(name: str, data: dict | None) -> str:
    """Alt text for a figure: what each panel plots against what, and its series."""
    words = name.replace("-", " ")
    if not data or not data.get("axes"):
        return f"Figure: {words}."
    panels = []
    for ax in data["axes"]:
        series = [
            s.get("label")
            for s in ax.get("lines", []) + ax.get("bars", [])
            if s.get("label") and not str(s.get("label")).startswith("_")
        ]
        what = ax.get("title") or words
        if ax.get("ylabel") and ax.get("xlabel"):
            what += f": {ax['ylabel']} against {ax['xlabel']}"
        elif ax.get("images"):
            what += ": heat map"
        if series:
            what += " for " + ", ".join(dict.fromkeys(series))
        panels.append(what)
    lead = f"Figure '{words}'" + (f", {len(panels)} panels" if len(panels) > 1 else "")
    text = lead + ". " + "; ".join(p[0].upper() + p[1:] for p in panels if p) + "."
    seeds = sorted(
        {
            s["n"]
            for ax in data["axes"]
            for s in ax.get("lines", []) + ax.get("bars", [])
            if isinstance(s.get("n"), int) and s.get("lo") is not None
        }
    )
    if seeds:
        many = f"{seeds[0]}" if len(seeds) == 1 else f"{seeds[0]}–{seeds[-1]}"
        text += f" Means over {many} seeds; shading and error bars: {INTERVAL}."
    return text


class FigureFactory:
    """Hands out figures by name and saves them all at the end."""

    def __init__(self):
        import matplotlib

        matplotlib.use("Agg")  # files only; never open a window
        import matplotlib.pyplot as plt
        from cycler import cycler

        self._plt = plt
        self._style = {"axes.prop_cycle": cycler(color=PALETTE[:7]), "figure.dpi": SCREEN_DPI}
        self.figures: dict = {}

    def __call__(self, name: str, nrows: int = 1, ncols: int = 1, **kw):
        if not _NAME.match(name) or name in self.figures:
            raise ValueError(f"figure name {name!r} must be new, lowercase and dash-separated")
        kw.setdefault("figsize", (4.2 * ncols, 3.4 * nrows))
        kw.setdefault("layout", "constrained")
        with self._plt.rc_context(self._style):
            fig, axes = self._plt.subplots(nrows, ncols, squeeze=False, **kw)
        self.figures[name] = fig
        return fig, axes if axes.size > 1 else axes[0, 0]

    def save(self, folder: Path) -> list[Path]:
        paths = []
        try:
            for name, fig in self.figures.items():
                png = folder / f"{name}.png"
                atomic_write(png, lambda f, fig=fig: fig.savefig(f, dpi=DPI, format="png"))
                data = {
                    "axes": [_axes_data(ax) for ax in fig.axes if ax.get_label() != "<colorbar>"]
                }
                atomic_write_json(folder / f"{name}.json", data)
                atomic_write_text(folder / f"{name}.csv", tidy_csv(data))
                paths.append(png)
        finally:
            for fig in self.figures.values():
                self._plt.close(fig)
        return paths


def tile(images, rows: int, cols: int, pad: int = 1):
    """[rows·cols, h, w(, c)] images → one numpy array with a ``pad``-pixel white
    gap between them, for a single ``imshow``."""
    import numpy as np

    images = np.asarray(images)[: rows * cols]
    h, w = images.shape[1:3]
    canvas = np.ones((rows * (h + pad) - pad, cols * (w + pad) - pad) + images.shape[3:])
    for k, im in enumerate(images):
        r, c = divmod(k, cols)
        canvas[r * (h + pad) : r * (h + pad) + h, c * (w + pad) : c * (w + pad) + w] = im
    return canvas


def render(figures_fn, result, folder: Path) -> list[Path]:
    """Run an experiment's figure function on ``result`` and save what it drew."""
    factory = FigureFactory()
    figures_fn(result, factory)
    return factory.save(folder)
