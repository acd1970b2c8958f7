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

import re
from pathlib import Path

from deepfaq.core.figures.draw import (  # noqa: F401  (the figure API)
    INTERVAL,
    band,
    bars,
    clipped,
    heatmap,
    level,
    over_seeds,
    points,
    tile,
)
from deepfaq.core.figures.export import (  # noqa: F401
    CSV_COLUMNS,
    MAX_IMAGE_CELLS,
    _axes_data,
    describe,
    tidy_csv,
    tidy_rows,
)
from deepfaq.core.figures.palette import (  # noqa: F401
    METHOD_COLORS,
    PALETTE,
    REFERENCE,
    color,
    register_colors,
)
from deepfaq.core.store import atomic_write, atomic_write_json, atomic_write_text

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")

#: Pixels per inch of the saved PNGs: twice the 110 at which the pages show them,
#: so lines stay sharp on high-resolution screens.
DPI = 220
SCREEN_DPI = 110


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


def render(figures_fn, result, folder: Path) -> list[Path]:
    """Run an experiment's figure function on ``result`` and save what it drew."""
    factory = FigureFactory()
    figures_fn(result, factory)
    return factory.save(folder)
