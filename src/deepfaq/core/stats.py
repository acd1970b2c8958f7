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
from scipy import stats as _st

LEVEL = 0.95


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
    half = float(_st.t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
    return Interval(mean, mean - half, mean + half, n)


def paired_diff_ci(a, b, level: float = LEVEL) -> Interval:
    """Interval for the mean of ``a - b``, paired seed by seed."""
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError(f"paired samples differ in length: {a.size} vs {b.size}")
    return mean_ci(a - b, level)
