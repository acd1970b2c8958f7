import math

import numpy as np
import pytest
from scipy import stats

from deepfaq.core.stats import mean_ci, paired_diff_ci


def test_t_interval_matches_scipy():
    x = [0.61, 0.64, 0.59, 0.66, 0.63]
    iv = mean_ci(x)
    lo, hi = stats.t.interval(0.95, len(x) - 1, loc=np.mean(x), scale=stats.sem(x))
    assert iv.lo == pytest.approx(lo) and iv.hi == pytest.approx(hi)
    assert iv.estimate == pytest.approx(np.mean(x)) and iv.n == 5


@pytest.mark.parametrize("n", [3, 5, 10])
def test_t_interval_covers_true_mean_95_percent_of_the_time(n):
    rng = np.random.default_rng(n)
    draws = rng.normal(2.0, 3.0, size=(4000, n))
    covered = [(iv := mean_ci(row)).lo <= 2.0 <= iv.hi for row in draws]
    # Binomial sd at p=.95, 4000 draws is 0.0034: ±0.012 is over 3 sd.
    assert abs(np.mean(covered) - 0.95) < 0.012


def test_skewed_data_coverage_is_reported_honestly():
    # Exponential data, n=5: the t interval under-covers somewhat; it must not collapse.
    rng = np.random.default_rng(0)
    draws = rng.exponential(1.0, size=(4000, 5))
    covered = np.mean([(iv := mean_ci(row)).lo <= 1.0 <= iv.hi for row in draws])
    assert 0.85 < covered < 0.95


def test_degenerate_samples():
    one = mean_ci([3.0])
    assert one.estimate == 3.0 and one.lo == -math.inf and one.hi == math.inf
    same = mean_ci([0.0, 0.0, 0.0])
    assert (same.lo, same.hi) == (0.0, 0.0)
    bad = mean_ci([1.0, float("nan")])
    assert math.isnan(bad.estimate) and math.isnan(bad.lo)


def test_paired_difference_cancels_shared_variation():
    rng = np.random.default_rng(1)
    shared = rng.normal(0, 10, 8)  # large seed-to-seed variation, shared by both arms
    a, b = shared + 1.0 + rng.normal(0, 0.1, 8), shared + rng.normal(0, 0.1, 8)
    iv = paired_diff_ci(a, b)
    assert 0.8 < iv.lo < 1.0 < iv.hi < 1.2
    with pytest.raises(ValueError):
        paired_diff_ci([1, 2], [1, 2, 3])
