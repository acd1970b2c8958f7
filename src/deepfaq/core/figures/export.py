"""What a figure drew, kept as data: every line, bar and heat-map cell with its axis
titles, tick names, interval and per-seed values, as JSON and as a tidy CSV (one row
per point of a series, and per seed), and alt text made from the same data."""

from __future__ import annotations

import csv
import io

from deepfaq.core.figures.draw import _SEEDS, INTERVAL


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
