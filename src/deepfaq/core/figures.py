"""Draw a question's figures from stored numbers, and keep the data drawn.

An experiment's ``figures(result, new_figure)`` asks ``new_figure(name, ...)``
for a matplotlib figure and draws on it from ``result.metrics``/``result.series``
only. Each figure is saved as ``<name>.png`` beside ``<name>.json``, which holds
the lines, images and bars that were actually drawn, so any plot can be
re-checked or re-drawn without matplotlib.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; never open a window

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402

from deepfaq.core.store import atomic_write_json  # noqa: E402

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _axes_data(ax) -> dict:
    data: dict = {"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel()}
    data["lines"] = [
        {"label": ln.get_label(), "x": list(map(float, ln.get_xdata())),
         "y": list(map(float, ln.get_ydata()))}
        for ln in ax.get_lines()
    ]
    data["bars"] = [
        {"label": c.get_label(), "heights": [float(p.get_height()) for p in c.patches]}
        for c in ax.containers if isinstance(c, BarContainer)
    ]
    data["images"] = [im.get_array().tolist() for im in ax.get_images()]
    return data


class FigureFactory:
    """Hands out figures by name and saves them all at the end."""

    def __init__(self):
        self.figures: dict[str, plt.Figure] = {}

    def __call__(self, name: str, nrows: int = 1, ncols: int = 1, **kw):
        if not _NAME.match(name) or name in self.figures:
            raise ValueError(f"figure name {name!r} must be new, lowercase and dash-separated")
        kw.setdefault("figsize", (4.2 * ncols, 3.4 * nrows))
        kw.setdefault("layout", "constrained")
        fig, axes = plt.subplots(nrows, ncols, squeeze=False, **kw)
        self.figures[name] = fig
        return fig, axes if axes.size > 1 else axes[0, 0]

    def save(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        try:
            for name, fig in self.figures.items():
                png = folder / f"{name}.png"
                tmp = folder / f".{name}.png.tmp"
                fig.savefig(tmp, dpi=110, format="png")
                tmp.replace(png)
                atomic_write_json(folder / f"{name}.json",
                                  {"axes": [_axes_data(ax) for ax in fig.axes]})
                paths.append(png)
        finally:
            for fig in self.figures.values():
                plt.close(fig)
        return paths


def render(figures_fn, result, folder: Path) -> list[Path]:
    """Run an experiment's figure function on ``result`` and save what it drew."""
    factory = FigureFactory()
    figures_fn(result, factory)
    return factory.save(folder)
