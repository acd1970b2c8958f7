"""Drawing helpers: means over seeds with the report's one interval.

A curve, level, scatter or bar that is a mean over seeds is drawn with :func:`band`,
:func:`level`, :func:`points` or :func:`bars`, which add the interval (:data:`INTERVAL`,
the same 95% Student-t interval of the mean as every claim's, computed by
:func:`deepfaq.core.stats.column_intervals`) as a shaded band or error bars, and a
one-line note under the figure says so. Each helper keeps, on the artist it draws,
the interval and every seed's values, which :mod:`.export` writes out. :func:`heatmap`
draws a value scale with a labelled colour bar. Every helper draws whatever values it
is given — NaN, ±inf, one seed, a value a rounding error outside its bounds — and says
under the figure when a value was drawn at its bound.
"""

from __future__ import annotations

from deepfaq.core.figures.palette import color as color_of

#: What every band of :func:`band` and error bar of :func:`bars` shows.
INTERVAL = "95% t-interval of the mean"

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

    from deepfaq.core.stats import column_intervals

    values = _per_seed(per_seed)
    v = values
    if log:
        with np.errstate(all="ignore"):
            v = np.where(values > 0, np.log(np.where(values > 0, values, 1.0)), np.nan)
    mean, lo, hi, n = column_intervals(v) if v.size else (np.empty(0),) * 3 + (np.zeros(0, int),)
    if log:
        with np.errstate(all="ignore"):
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
        color = color_of(label)
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
        color = color_of(label)
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
        color = color_of(label)
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
            color_of(label)
            if groups > 1 and label and not label.startswith("_")
            else [color_of(nm) for nm in names]
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
