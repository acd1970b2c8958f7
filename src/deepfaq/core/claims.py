"""Claims, the rules that check them, and verdicts.

A rule turns per-seed values into an interval and a verdict:

* **supported** — the whole 95% interval satisfies the rule;
* **refuted** — the whole interval violates it;
* **inconclusive** — the interval straddles the boundary (or is undefined).

Rules and margins are written in the experiment file before any result is seen.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from enum import Enum
from typing import Literal

import numpy as np

from deepfaq.core.stats import Interval, mean_ci, paired_diff_ci


class Verdict(str, Enum):
    SUPPORTED = "supported"
    REFUTED = "refuted"
    INCONCLUSIVE = "inconclusive"


def _verdict(satisfied: bool, violated: bool) -> Verdict:
    if satisfied:
        return Verdict.SUPPORTED
    if violated:
        return Verdict.REFUTED
    return Verdict.INCONCLUSIVE


def _values(metrics: dict[str, list[float]], name: str) -> list[float]:
    try:
        return metrics[name]
    except KeyError:
        raise KeyError(f"rule needs metric {name!r}, trial returned {sorted(metrics)}") from None


class Rule(ABC):
    """A test on per-seed metrics. Subclasses are frozen dataclasses."""

    @abstractmethod
    def evaluate(self, metrics: dict[str, list[float]]) -> tuple[Verdict, Interval]: ...

    @abstractmethod
    def describe(self) -> str: ...

    @property
    @abstractmethod
    def metrics(self) -> tuple[str, ...]: ...


def _bound_check(iv: Interval, lo: float, hi: float) -> Verdict:
    """Verdict for 'the mean lies in [lo, hi]'."""
    if not iv.finite and (math.isnan(iv.lo) or math.isnan(iv.hi)):
        return Verdict.INCONCLUSIVE
    inside = lo <= iv.lo and iv.hi <= hi
    outside = iv.hi < lo or iv.lo > hi
    return _verdict(inside, outside)


@dataclass(frozen=True)
class AtMost(Rule):
    metric: str
    bound: float

    def evaluate(self, metrics):
        iv = mean_ci(_values(metrics, self.metric))
        return _bound_check(iv, -math.inf, self.bound), iv

    def describe(self):
        return f"mean {self.metric} ≤ {self.bound:g}"

    @property
    def metrics(self):
        return (self.metric,)


@dataclass(frozen=True)
class AtLeast(Rule):
    metric: str
    bound: float

    def evaluate(self, metrics):
        iv = mean_ci(_values(metrics, self.metric))
        return _bound_check(iv, self.bound, math.inf), iv

    def describe(self):
        return f"mean {self.metric} ≥ {self.bound:g}"

    @property
    def metrics(self):
        return (self.metric,)


@dataclass(frozen=True)
class Within(Rule):
    metric: str
    lo: float
    hi: float

    def evaluate(self, metrics):
        iv = mean_ci(_values(metrics, self.metric))
        return _bound_check(iv, self.lo, self.hi), iv

    def describe(self):
        return f"mean {self.metric} in [{self.lo:g}, {self.hi:g}]"

    @property
    def metrics(self):
        return (self.metric,)


@dataclass(frozen=True)
class Greater(Rule):
    """``a`` exceeds ``b`` by more than ``margin``, paired seed by seed."""

    a: str
    b: str
    margin: float = 0.0

    def evaluate(self, metrics):
        iv = paired_diff_ci(_values(metrics, self.a), _values(metrics, self.b))
        if math.isnan(iv.lo):
            return Verdict.INCONCLUSIVE, iv
        return _verdict(iv.lo > self.margin, iv.hi <= self.margin), iv

    def describe(self):
        return f"{self.a} − {self.b} > {self.margin:g} (paired)"

    @property
    def metrics(self):
        return (self.a, self.b)


@dataclass(frozen=True)
class Equivalent(Rule):
    """``a`` and ``b`` differ by less than ``margin``: the paired 95% interval of
    the difference lies inside ±margin (stricter than TOST's 90% interval)."""

    a: str
    b: str
    margin: float

    def evaluate(self, metrics):
        iv = paired_diff_ci(_values(metrics, self.a), _values(metrics, self.b))
        return _bound_check(iv, -self.margin, self.margin), iv

    def describe(self):
        return f"|{self.a} − {self.b}| < {self.margin:g} (paired)"

    @property
    def metrics(self):
        return (self.a, self.b)


@dataclass(frozen=True)
class Exact(Rule):
    """An identity: every seed's value equals ``value`` within ``tol``.

    The interval reported is the range over seeds, not a t interval: an identity
    must hold on every seed, not on average.
    """

    metric: str
    value: float
    tol: float = 0.0

    def evaluate(self, metrics):
        x = np.asarray(_values(metrics, self.metric), dtype=float)
        if x.size == 0 or np.isnan(x).any():
            return Verdict.INCONCLUSIVE, Interval(math.nan, math.nan, math.nan, x.size)
        iv = Interval(float(x.mean()), float(x.min()), float(x.max()), x.size)
        err = np.abs(x - self.value)
        return _verdict(bool((err <= self.tol).all()), bool((err > self.tol).all())), iv

    def describe(self):
        return f"{self.metric} = {self.value:g} ± {self.tol:g} on every seed"

    @property
    def metrics(self):
        return (self.metric,)


@dataclass(frozen=True)
class Claim:
    """A statement in plain words, the rule that settles it, and what the
    literature expects (``supported`` or ``refuted``) with its source."""

    id: str
    statement: str
    rule: Rule
    expected: Literal["supported", "refuted"]
    source: str

    def check(self, metrics: dict[str, list[float]]) -> ClaimResult:
        verdict, iv = self.rule.evaluate(metrics)
        return ClaimResult(
            id=self.id,
            statement=self.statement,
            rule=self.rule.describe(),
            verdict=verdict.value,
            estimate=iv.estimate,
            ci=(iv.lo, iv.hi),
            n=iv.n,
            expected=self.expected,
            source=self.source,
        )


@dataclass(frozen=True)
class ClaimResult:
    """A claim's outcome; round-trips through JSON."""

    id: str
    statement: str
    rule: str
    verdict: str
    estimate: float
    ci: tuple[float, float]
    n: int
    expected: str
    source: str

    @property
    def surprise(self) -> bool:
        """Measured verdict is decisive and disagrees with the literature."""
        return self.verdict != Verdict.INCONCLUSIVE.value and self.verdict != self.expected

    def to_dict(self) -> dict:
        d = asdict(self)
        d["ci"] = list(self.ci)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> ClaimResult:
        lo, hi = d["ci"]
        return cls(
            id=d["id"],
            statement=d["statement"],
            rule=d.get("rule", ""),
            verdict=d["verdict"],
            estimate=math.nan if d["estimate"] is None else float(d["estimate"]),
            ci=(
                math.nan if lo is None else float(lo),
                math.nan if hi is None else float(hi),
            ),
            n=int(d["n"]),
            expected=d["expected"],
            source=d["source"],
        )
