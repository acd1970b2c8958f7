"""Confidence intervals over seeds.

Every interval in deepfaq is the two-sided Student-t interval of a mean at 95%:
``mean ± t(0.975, n-1) · s / sqrt(n)``. Seeds are few (3–10), the per-seed values
are means of many examples and close to normal, and the t interval is exact for
normal data at any n, where a bootstrap over 3 values would be far too narrow.
Paired comparisons use the same interval on the per-seed differences, so the
seed-to-seed variation that both arms share cancels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

LEVEL = 0.95


def _t_quantile(q: float, df: int) -> float:
    """Student-t quantile. scipy is imported here, on first use, not with the
    module: it takes a second or more, and list, show and --help never need it."""
    from scipy import stats

    return float(stats.t.ppf(q, df))


@dataclass(frozen=True)
class Interval:
    """An estimate with its confidence interval over ``n`` values."""

    estimate: float
    lo: float
    hi: float
    n: int

    @property
    def finite(self) -> bool:
        return all(math.isfinite(v) for v in (self.estimate, self.lo, self.hi))


def mean_ci(values, level: float = LEVEL) -> Interval:
    """Student-t interval for the mean of ``values``.

    One value gives an unbounded interval; NaNs make the whole interval NaN, so
    no verdict can be drawn from a failed trial.
    """
    x = np.asarray(values, dtype=float).ravel()
    n = x.size
    if n == 0 or np.isnan(x).any():
        return Interval(math.nan, math.nan, math.nan, n)
    mean = float(x.mean())
    if n == 1:
        return Interval(mean, -math.inf, math.inf, 1)
    sd = float(x.std(ddof=1))
    if sd == 0.0:
        return Interval(mean, mean, mean, n)
    half = _t_quantile(0.5 + level / 2, n - 1) * sd / math.sqrt(n)
    return Interval(mean, mean - half, mean + half, n)


def column_intervals(values, level: float = LEVEL):
    """:func:`mean_ci` of every column of ``values`` (``[seed, point]``), leaving out
    the non-finite values of each column, for curves and bars drawn over seeds.

    Where :func:`mean_ci` turns a whole interval into NaN when any seed failed (a
    claim is not judged on a failed trial), a figure draws each point from the seeds
    that measured it. Returns ``(mean, lo, hi, n)`` arrays; ``lo``/``hi`` are NaN
    where fewer than two seeds measured a point (no interval) or the interval
    overflows."""
    v = np.asarray(values, dtype=float)
    if v.ndim == 1:
        v = v[:, None]
    with np.errstate(all="ignore"):
        finite = np.isfinite(v)
        n = finite.sum(0)
        mean = np.where(n > 0, np.where(finite, v, 0.0).sum(0) / np.maximum(n, 1), np.nan)
        dev = np.where(finite, v - mean, 0.0)
        sd = np.sqrt((dev**2).sum(0) / np.maximum(n - 1, 1))
        half = np.full(mean.shape, np.nan)
        if (n >= 2).any():
            from scipy import stats

            t = stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1))
            half = np.where(n >= 2, t * sd / np.sqrt(np.maximum(n, 1)), np.nan)
        lo, hi = mean - half, mean + half
    mean = np.where(np.isfinite(mean), mean, np.nan)
    ok = np.isfinite(lo) & np.isfinite(hi)
    return mean, np.where(ok, lo, np.nan), np.where(ok, hi, np.nan), n


def paired_diff_ci(a, b, level: float = LEVEL) -> Interval:
    """Interval for the mean of ``a - b``, paired seed by seed."""
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError(f"paired samples differ in length: {a.size} vs {b.size}")
    return mean_ci(a - b, level)


#: Bootstrap replicates for intervals over items.
BOOTSTRAP_REPLICATES = 2000


def _item_means(items: np.ndarray, replicates: int, rng: np.random.Generator) -> np.ndarray:
    """``replicates`` bootstrap means of ``items`` (resampled with replacement)."""
    n = items.size
    out = np.empty(replicates)
    chunk = max(1, 2_000_000 // max(n, 1))  # bound memory: chunk × n indices at a time
    for start in range(0, replicates, chunk):
        stop = min(start + chunk, replicates)
        idx = rng.integers(0, n, size=(stop - start, n))
        out[start:stop] = items[idx].mean(axis=1)
    return out


def bootstrap_ci(
    per_seed_items, seed: int, level: float = LEVEL, replicates: int = BOOTSTRAP_REPLICATES
) -> Interval:
    """Percentile bootstrap interval of a mean over items, nested in seeds.

    ``per_seed_items`` holds one array of item values (queries, word pairs,
    test sentences…) per seed. Each replicate resamples the seeds, then the
    items within each chosen seed, and averages the per-seed means, so the
    interval carries both the seed-to-seed and the item sampling variation.
    Seeds whose items are identical count once: a quantity the seed does not
    change is resampled over its items only. ``n`` is the number of items (of
    the first seed). The generator is seeded, so the interval is reproducible.
    """
    arrays = [np.asarray(a, dtype=float).ravel() for a in per_seed_items]
    if not arrays or any(a.size == 0 or np.isnan(a).any() for a in arrays):
        return Interval(math.nan, math.nan, math.nan, 0 if not arrays else arrays[0].size)
    distinct: list[np.ndarray] = []
    for a in arrays:
        if not any(a.shape == d.shape and np.array_equal(a, d) for d in distinct):
            distinct.append(a)
    n_items = arrays[0].size
    estimate = float(np.mean([a.mean() for a in distinct]))
    if all(a.size == 1 for a in distinct) and len(distinct) == 1:
        return Interval(estimate, -math.inf, math.inf, n_items)
    rng = np.random.default_rng(seed)
    means = np.stack([_item_means(a, replicates, rng) for a in distinct])  # [seeds, B]
    if len(distinct) > 1:
        pick = rng.integers(0, len(distinct), size=(replicates, len(distinct)))
        boot = means[pick, np.arange(replicates)[:, None]].mean(axis=1)
    else:
        boot = means[0]
    alpha = (1 - level) / 2
    lo, hi = np.quantile(boot, [alpha, 1 - alpha])
    return Interval(estimate, float(lo), float(hi), n_items)


def seeds_to_decide(values, distance: float, level: float = LEVEL, limit: int = 1000) -> int | None:
    """How many seeds a t interval would need to exclude a boundary at
    ``distance`` from the mean, if the spread stayed as observed; None when the
    mean sits on the boundary or more than ``limit`` seeds would be needed."""
    x = np.asarray(values, dtype=float).ravel()
    if x.size < 2 or np.isnan(x).any() or not distance > 0:
        return None
    sd = float(x.std(ddof=1))
    if sd == 0:
        return x.size
    for n in range(2, limit + 1):
        if _t_quantile(0.5 + level / 2, n - 1) * sd / math.sqrt(n) < distance:
            return n
    return None


def items_to_decide(iv: Interval, distance: float, limit: int = 10**7) -> int | None:
    """How many items a bootstrap interval would need to exclude a boundary at
    ``distance`` from the estimate, scaling its half-width as 1/sqrt(n)."""
    half = (iv.hi - iv.lo) / 2
    if not (iv.finite and distance > 0 and half > 0):
        return None
    need = math.ceil(iv.n * (half / distance) ** 2)
    return need if need <= limit else None
