"""What ``show``, ``ask`` and ``list`` need, without their slow parts.

* :func:`mean_interval`: the report's one interval (the two-sided Student-t interval
  of a mean, as :func:`deepfaq.core.stats.mean_ci`) with the t quantile computed here
  from the regularised incomplete beta function, so that a card quoting a published
  result beside ours does not import scipy (a second or more of a cold start).
* :func:`references`: the shipped reference results of a question without their
  series (the curves and images only figures read), from a small cache beside the
  catalogue cache, keyed by a hash of each shipped file; a missing or damaged cache
  entry is rebuilt from the file itself.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np

from deepfaq.core.stats import LEVEL, Interval

# -- the Student-t quantile ------------------------------------------------------------------


def _betacf(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny, eps = 1e-300, 1e-15
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < eps:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    lbt = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x)
    lbt += b * math.log1p(-x)
    front = math.exp(lbt)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t with ``df`` degrees of freedom."""
    tail = 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def t_quantile(q: float, df: float) -> float:
    """The ``q`` quantile of Student's t with ``df`` degrees of freedom (as
    ``scipy.stats.t.ppf`` to about 1e-12), by bisection on :func:`t_cdf`."""
    if not 0.0 < q < 1.0:
        raise ValueError("q must lie in (0, 1)")
    if q == 0.5:
        return 0.0
    if q < 0.5:
        return -t_quantile(1.0 - q, df)
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < q:
        lo, hi = hi, 2.0 * hi
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_cdf(mid, df) < q:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-13 * max(1.0, hi):
            break
    return 0.5 * (lo + hi)


def mean_interval(values, level: float = LEVEL) -> Interval:
    """:func:`deepfaq.core.stats.mean_ci` without scipy (tested to agree)."""
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
    half = t_quantile(0.5 + level / 2, n - 1) * sd / math.sqrt(n)
    return Interval(mean, mean - half, mean + half, n)


# -- shipped references without their series -------------------------------------------------

#: The cached entries' format; a change here makes every older entry stale.
CARD_SCHEMA = "deepfaq.reference-card/1"


def _cache_file(qid: str, kind: str, packed: bytes):
    from deepfaq import catalogue
    from deepfaq.core.store import RESULT_SCHEMA

    h = hashlib.sha256(f"{CARD_SCHEMA} {RESULT_SCHEMA}".encode())
    h.update(packed)
    return catalogue.cache_dir() / "reference-cards" / f"{qid}-{kind}-{h.hexdigest()[:20]}.json"


def _light(qid: str, kind: str):
    """The reference of ``qid`` of ``kind`` without its series, from the cache when it
    holds this file's entry, else from the file (then cached)."""
    import json

    from deepfaq import reference
    from deepfaq.core.errors import DamagedFile
    from deepfaq.core.store import MAX_RESULT_BYTES, atomic_write_text, read_bounded, read_json

    file = reference.path(qid, kind=kind)
    if not file.exists():
        return None
    packed = read_bounded(file, MAX_RESULT_BYTES, "reference file")
    cached = _cache_file(qid, kind, packed)
    try:
        result = reference.from_dict(read_json(cached, what="reference cache"), where=cached)
        if result.question == qid and result.profile == kind:
            return result
    except (DamagedFile, OSError, KeyError, TypeError, ValueError):
        pass  # no entry yet, or a damaged one: read the file itself
    result = reference.load(qid, kind=kind)
    if result is None:
        return None
    result.series = {}
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(cached, json.dumps(result.to_dict(), allow_nan=False))
        for old in cached.parent.glob(f"{qid}-{kind}-*.json"):
            if old != cached:
                old.unlink(missing_ok=True)
    except (OSError, ValueError):  # a cache is optional by design
        pass
    return result


def references(qid: str) -> list:
    """Every shipped reference of ``qid``, most preferred first, without series (as
    :func:`deepfaq.reference.load_all` otherwise). A damaged shipped file raises
    :class:`deepfaq.core.errors.DamagedFile`, as there."""
    from deepfaq import reference

    return [r for k in reference.kinds(qid) if (r := _light(qid, k)) is not None]


def preferred_reference(qid: str):
    """The most preferred shipped reference of ``qid`` without series, or None."""
    found = references(qid)
    return found[0] if found else None
