"""Every figure helper draws whatever finite or non-finite values a run can hand it:
values a rounding error outside their bounds, all seeds equal, one seed, NaN, ±inf,
empty series, a single point. Each example is drawn *and saved* (PNG, JSON, CSV), so
an error that matplotlib raises only at draw time is caught too.

The main job once crashed because a cosine of 1.0000001 made an error bar negative;
these properties keep that class of bug out of every helper."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from deepfaq.core import figures

EDGE = [
    1.0000001,
    -1.0000001,
    0.0,
    1.0,
    -1.0,
    1e-300,
    1e300,
    -1e300,
    float("nan"),
    float("inf"),
    float("-inf"),
]
VALUE = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=32), st.sampled_from(EDGE), st.none()
)
SEEDS = st.lists(st.lists(VALUE, max_size=5), max_size=4)  # [seed, point]
BOUNDS = st.sampled_from([None, (-1, 1), (0, 1)])
EXAMPLES = settings(max_examples=60, deadline=None)


def _draw_and_save(draw) -> dict:
    """Draw on a fresh figure, save it, and return its drawn data (the JSON)."""
    import json

    factory = figures.FigureFactory()
    try:
        _, ax = factory("probe")
        draw(ax)
        with tempfile.TemporaryDirectory() as tmp:
            factory.save(Path(tmp))
            return json.loads((Path(tmp) / "probe.json").read_text())
    finally:
        factory._plt.close("all")


def _intervals_contain_means(data: dict) -> None:
    for ax in data["axes"]:
        for s in ax["lines"] + ax["bars"]:
            ys = s.get("y", s.get("heights", []))
            for y, lo, hi in zip(ys, s.get("lo") or [], s.get("hi") or [], strict=False):
                if all(isinstance(v, float) and np.isfinite(v) for v in (y, lo, hi)):
                    assert lo <= y <= hi


@EXAMPLES
@given(per_seed=SEEDS, bounds=BOUNDS, log=st.booleans())
def test_over_seeds_keeps_the_mean_inside_its_interval_and_bounds(per_seed, bounds, log):
    mean, lo, hi, n, _ = figures.over_seeds(per_seed, log=log, bounds=bounds)
    ok = np.isfinite(mean) & np.isfinite(lo) & np.isfinite(hi)
    assert (lo[ok] <= mean[ok]).all() and (mean[ok] <= hi[ok]).all()
    assert np.isnan(lo[n < 2]).all() and np.isnan(hi[n < 2]).all()
    if bounds is not None:
        for a in (mean, lo, hi):
            finite = a[np.isfinite(a)]
            assert ((finite >= bounds[0]) & (finite <= bounds[1])).all()


@EXAMPLES
@given(per_seed=SEEDS, bounds=BOUNDS, log=st.booleans())
def test_band(per_seed, bounds, log):
    def draw(ax):
        figures.band(ax, range(6), per_seed, label="GRU", bounds=bounds, log=log)
        if log:
            ax.set_yscale("log")

    _intervals_contain_means(_draw_and_save(draw))


@EXAMPLES
@given(per_seed=SEEDS, bounds=BOUNDS, log=st.booleans())
def test_points(per_seed, bounds, log):
    data = _draw_and_save(
        lambda ax: figures.points(
            ax, [3, 1, 2, 0, 5], per_seed, label="GRU", bounds=bounds, log=log
        )
    )
    _intervals_contain_means(data)


@EXAMPLES
@given(
    columns=st.lists(st.one_of(st.none(), st.lists(VALUE, max_size=5)), max_size=4),
    bounds=BOUNDS,
    log=st.booleans(),
)
def test_bars(columns, bounds, log):
    names = [f"arm {i}" for i in range(len(columns))]
    _intervals_contain_means(
        _draw_and_save(lambda ax: figures.bars(ax, names, columns, bounds=bounds, log=log))
    )


@EXAMPLES
@given(values=st.lists(VALUE, max_size=5), bounds=BOUNDS)
def test_level(values, bounds):
    _draw_and_save(lambda ax: figures.level(ax, values, label="chance", bounds=bounds))


@EXAMPLES
@given(shape=st.tuples(st.integers(1, 4), st.integers(1, 4)), data=st.data())
def test_heatmap(shape, data):
    cells = data.draw(
        st.lists(
            st.one_of(
                st.floats(allow_nan=True, allow_infinity=True, width=32), st.sampled_from(EDGE)
            ),
            min_size=shape[0] * shape[1],
            max_size=shape[0] * shape[1],
        )
    )
    values = np.array(cells, dtype=float).reshape(shape)
    _draw_and_save(lambda ax: figures.heatmap(ax, values, label="weight"))


def test_a_value_clipped_to_its_bounds_is_said_under_the_figure():
    """The crash of 2026-12-04: cosines of 1.0000001 on two seeds of three."""

    def draw(ax):
        figures.points(
            ax, [0, 1], [[1.0000001, 0.5], [1.0000001, 0.6], [1.0, 0.55]], bounds=(-1, 1)
        )
        assert "drawn at the bound" in ax.figure.get_supxlabel()

    data = _draw_and_save(draw)
    line = data["axes"][0]["lines"][0]
    assert line["y"][0] == 1.0 and line["hi"][0] == 1.0 and line["lo"][0] <= 1.0


def test_values_inside_their_bounds_get_no_clipping_note():
    def draw(ax):
        figures.band(ax, [0, 1], [[0.2, 0.4], [0.3, 0.5]], bounds=(0, 1))
        assert "bound" not in ax.figure.get_supxlabel()

    _draw_and_save(draw)
