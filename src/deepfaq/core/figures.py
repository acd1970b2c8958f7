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
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000",
           "#F0E442")

#: One colour per method, the same in every figure that draws it. Methods that
#: appear together in one question get different colours; a name not listed
#: gets a colour from its hash (stable from run to run).
METHOD_COLORS = {
    # activations
    "sigmoid": PALETTE[0], "tanh": PALETTE[1], "relu": PALETTE[2],
    "leaky relu": PALETTE[3], "softmax": PALETTE[4],
    # recurrent cells, text models
    "lstm": PALETTE[0], "gru": PALETTE[1], "cnn": PALETTE[2], "mlp": PALETTE[3],
    "bag of words": PALETTE[6], "bag of words + lr": PALETTE[6],
    "cnn-rand": PALETTE[2], "cnn-static": PALETTE[3], "cnn-non-static": PALETTE[4],
    # word vectors
    "cbow": PALETTE[0], "skip-gram": PALETTE[1], "fasttext": PALETTE[2], "glove": PALETTE[3],
    # language-model objectives
    "masked lm (bert)": PALETTE[0], "left-to-right (gpt)": PALETTE[1],
    "right-to-left": PALETTE[5], "l2r ⊕ r2l (elmo-style)": PALETTE[3],
    # initialisations
    "xavier normal": PALETTE[0], "xavier uniform": PALETTE[1], "he normal": PALETTE[2],
    "all zeros": PALETTE[6], "constant": PALETTE[3], "small random": PALETTE[2],
    "one hidden unit": PALETTE[4],
    # topic models
    "lda": PALETTE[0], "nmf (frobenius, tf-idf)": PALETTE[1], "nmf (kl, counts)": PALETTE[2],
    "k-means (tf-idf)": PALETTE[3],
    # upsampling
    "transposed conv k3 s2": PALETTE[3], "transposed conv k2 s2": PALETTE[1],
    "transposed conv k4 s2": PALETTE[4], "nearest ×2 + conv 3×3": PALETTE[0],
}

#: Pixels per inch of the saved PNGs: twice the 110 at which the pages show them,
#: so lines stay sharp on high-resolution screens.
DPI = 220
SCREEN_DPI = 110


def color(name: str) -> str:
    """The report-wide colour of a method (case and spacing ignored)."""
    key = " ".join(name.lower().replace("_", " ").split())
    if key in METHOD_COLORS:
        return METHOD_COLORS[key]
    digest = hashlib.sha256(key.encode()).digest()
    return PALETTE[digest[0] % (len(PALETTE) - 1)]  # never the faint yellow


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
    from matplotlib.ticker import FixedFormatter

    if not isinstance(ax.xaxis.get_major_formatter(), FixedFormatter | StrCategoryFormatter):
        return {}
    return {float(pos): tick.get_text()
            for pos, tick in zip(ax.get_xticks(), ax.get_xticklabels(), strict=False)
            if tick.get_text()}


def _name_at(names: dict[float, str], x: float, half_width: float) -> str:
    near = min(names, key=lambda pos: abs(pos - x), default=None)
    return names[near] if near is not None and abs(near - x) <= half_width else ""


def _error_bounds(container, n: int) -> tuple[list[float], list[float]] | None:
    """The lower and upper ends of an error bar container's vertical bars."""
    cols = container.lines[2] if len(container.lines) > 2 else ()
    for col in cols or ():
        segs = col.get_segments()
        if len(segs) == n and all(abs(s[0][0] - s[1][0]) < 1e-12 for s in segs):
            return ([float(min(s[0][1], s[1][1])) for s in segs],
                    [float(max(s[0][1], s[1][1])) for s in segs])
    return None


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
        line = {"label": _label(ln) or names.get(id(ln), ""),
                "x": [_number(v) for v in ln.get_xdata()],
                "y": [_number(v) for v in ln.get_ydata()]}
        if id(ln) in bounds:
            line["lo"], line["hi"] = bounds[id(ln)]
        data["lines"].append(line)
    names = _tick_names(ax)
    bars = []
    for c in ax.containers:
        if not isinstance(c, BarContainer):
            continue
        xs = [float(p.get_x() + p.get_width() / 2) for p in c.patches]
        half = [abs(float(p.get_width())) / 2 for p in c.patches]
        bar = {"label": _label(c), "x": xs,
               "names": [_name_at(names, x, h) for x, h in zip(xs, half, strict=True)],
               "heights": [float(p.get_height()) for p in c.patches]}
        err = getattr(c, "errorbar", None)
        b = _error_bounds(err, len(xs)) if err is not None else None
        if b:
            bar["lo"], bar["hi"] = b
        bars.append(bar)
    data["bars"] = bars
    data["images"] = [im.get_array().tolist() for im in ax.get_images()]
    return data


#: The columns of every figure's CSV.
CSV_COLUMNS = ("panel", "panel_title", "kind", "series", "x", "x_name", "y", "y_lo", "y_hi",
               "xlabel", "ylabel")
#: Images with more cells than this (photographs, not measurements) stay out of the CSV.
MAX_IMAGE_CELLS = 4096


def _series_name(label, fallback: str) -> str:
    label = str(label or "")
    return fallback if not label or label.startswith("_") else label


def tidy_rows(data: dict) -> list[dict]:
    """A figure's drawn data (its JSON) as tidy rows: one per point of a line, bar
    or heat-map cell, with the panel, series name, axis labels and any error bar."""
    rows = []
    for k, ax in enumerate(data.get("axes", [])):
        base = {"panel": k + 1, "panel_title": ax.get("title", ""),
                "xlabel": ax.get("xlabel", ""), "ylabel": ax.get("ylabel", "")}
        for j, ln in enumerate(ax.get("lines", [])):
            series = _series_name(ln.get("label"), f"line {j + 1}")
            lo, hi = ln.get("lo"), ln.get("hi")
            for i, (x, y) in enumerate(zip(ln.get("x", []), ln.get("y", []), strict=False)):
                row = {**base, "kind": "line", "series": series, "x": x, "y": y}
                if lo and hi:
                    row.update(y_lo=lo[i], y_hi=hi[i])
                rows.append(row)
        for j, bar in enumerate(ax.get("bars", [])):
            series = _series_name(bar.get("label"), f"bars {j + 1}")
            heights = bar.get("heights", [])
            xs = bar.get("x", list(range(len(heights))))
            names = bar.get("names", [""] * len(heights))
            lo, hi = bar.get("lo"), bar.get("hi")
            for i, h in enumerate(heights):
                row = {**base, "kind": "bar", "series": series, "x": xs[i],
                       "x_name": names[i] if i < len(names) else "", "y": h}
                if lo and hi:
                    row.update(y_lo=lo[i], y_hi=hi[i])
                rows.append(row)
        for j, img in enumerate(ax.get("images", [])):
            cells = sum(len(r) if isinstance(r, list) else 1 for r in img)
            if cells > MAX_IMAGE_CELLS or not img or not isinstance(img[0], list):
                continue
            for i, r in enumerate(img):
                for c, v in enumerate(r):
                    if isinstance(v, list):  # an RGB(A) pixel, not a measurement
                        break
                    rows.append({**base, "kind": "image", "series": f"image {j + 1}",
                                 "x": c, "x_name": f"row {i}", "y": v})
    return rows


def tidy_csv(data: dict) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, CSV_COLUMNS, restval="", lineterminator="\n")
    w.writeheader()
    for row in tidy_rows(data):
        w.writerow({k: "" if v is None else f"{v:.10g}" if isinstance(v, float) else v
                    for k, v in row.items()})
    return buf.getvalue()


def describe(name: str, data: dict | None) -> str:
    """Alt text for a figure: what each panel plots against what, and its series."""
    words = name.replace("-", " ")
    if not data or not data.get("axes"):
        return f"Figure: {words}."
    panels = []
    for ax in data["axes"]:
        series = [s.get("label") for s in ax.get("lines", []) + ax.get("bars", [])
                  if s.get("label") and not str(s.get("label")).startswith("_")]
        what = ax.get("title") or words
        if ax.get("ylabel") and ax.get("xlabel"):
            what += f": {ax['ylabel']} against {ax['xlabel']}"
        elif ax.get("images"):
            what += ": heat map"
        if series:
            what += " for " + ", ".join(dict.fromkeys(series))
        panels.append(what)
    lead = f"Figure '{words}'" + (f", {len(panels)} panels" if len(panels) > 1 else "")
    return lead + ". " + "; ".join(p[0].upper() + p[1:] for p in panels if p) + "."


class FigureFactory:
    """Hands out figures by name and saves them all at the end."""

    def __init__(self):
        import matplotlib

        matplotlib.use("Agg")  # files only; never open a window
        import matplotlib.pyplot as plt
        from cycler import cycler

        self._plt = plt
        self._style = {"axes.prop_cycle": cycler(color=PALETTE[:7]),
                       "figure.dpi": SCREEN_DPI}
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
                data = {"axes": [_axes_data(ax) for ax in fig.axes if ax.get_label()
                                 != "<colorbar>"]}
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

    images = np.asarray(images)[:rows * cols]
    h, w = images.shape[1:3]
    canvas = np.ones((rows * (h + pad) - pad, cols * (w + pad) - pad) + images.shape[3:])
    for k, im in enumerate(images):
        r, c = divmod(k, cols)
        canvas[r * (h + pad):r * (h + pad) + h, c * (w + pad):c * (w + pad) + w] = im
    return canvas


def render(figures_fn, result, folder: Path) -> list[Path]:
    """Run an experiment's figure function on ``result`` and save what it drew."""
    factory = FigureFactory()
    figures_fn(result, factory)
    return factory.save(folder)
