"""Claims, the rules that check them, their preconditions, and verdicts.

A claim is a pre-registered test. Before any result is seen it fixes:

* its **rule** and margin (``AtMost``, ``AtLeast``, ``Within``, ``Greater``,
  ``Equivalent``, ``Exact``), in the claim's **unit**;
* its **kind**: ``identity`` (true by construction or mathematics: a check that
  the code is right) or ``empirical`` (a measurement that could have come out
  otherwise);
* its **replication**, what the interval is taken over: ``seeds`` (independent
  trainings; a Student-t interval over per-seed values) or ``items`` (queries,
  word pairs, sentences: a seeded bootstrap over items nested in seeds);
* its **preconditions**: conditions on the data that must hold before the rule
  is judged (every compared arm converged and above its trivial baseline,
  enough items).

The verdict:

* **supported** — the whole 95% interval satisfies the rule;
* **refuted** — the whole interval violates it;
* **inconclusive** — a precondition failed, the interval straddles the
  boundary, or there is no interval; ``reason`` says which, with the numbers.

Every claim, with its rule, margin, unit and preconditions, is recorded in
``claims.lock.json`` (see :mod:`deepfaq.core.lock`), so none can change silently.
"""

from __future__ import annotations

import hashlib
import math
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from enum import Enum
from typing import Literal

import numpy as np

from deepfaq.core.errors import DamagedFile
from deepfaq.core.stats import (
    Interval,
    bootstrap_ci,
    items_to_decide,
    mean_ci,
    seeds_to_decide,
)
from deepfaq.core.units import interval_with_unit, with_unit

KINDS = ("identity", "empirical")
REPLICATIONS = ("seeds", "items")


class Verdict(str, Enum):
    SUPPORTED = "supported"
    REFUTED = "refuted"
    INCONCLUSIVE = "inconclusive"


VERDICTS = tuple(v.value for v in Verdict)


def _verdict(satisfied: bool, violated: bool) -> Verdict:
    if satisfied:
        return Verdict.SUPPORTED
    if violated:
        return Verdict.REFUTED
    return Verdict.INCONCLUSIVE


def _lookup(data: dict, name: str, what: str):
    try:
        return data[name]
    except KeyError:
        raise KeyError(f"claim needs {what} {name!r}, trial returned {sorted(data)}") from None


def _fmt(x: float) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3g}"


# -- rules ---------------------------------------------------------------------------------


class Rule(ABC):
    """A test on the mean of a per-unit quantity. Subclasses are frozen dataclasses.

    ``combine`` turns the rule's metrics (one value per seed, or one array of
    items per seed) into the quantity whose mean is estimated: the metric itself,
    or the paired difference ``a - b``. ``decide`` reads the interval of that mean.
    """

    @property
    @abstractmethod
    def metrics(self) -> tuple[str, ...]: ...

    @abstractmethod
    def describe(self) -> str: ...

    @abstractmethod
    def boundaries(self) -> tuple[float, ...]:
        """The values of the mean at which the verdict changes."""

    @abstractmethod
    def decide(self, iv: Interval) -> Verdict: ...

    def combine(self, *values: np.ndarray) -> np.ndarray:
        return values[0]

    def evaluate(self, metrics: dict[str, list[float]]) -> tuple[Verdict, Interval]:
        """Verdict and t interval over seeds, without preconditions (for tests)."""
        x = self.combine(
            *(np.asarray(_lookup(metrics, m, "metric"), dtype=float) for m in self.metrics)
        )
        iv = mean_ci(x)
        return self.decide(iv), iv


def _bound_check(iv: Interval, lo: float, hi: float) -> Verdict:
    """Verdict for 'the mean lies in [lo, hi]'."""
    if math.isnan(iv.lo) or math.isnan(iv.hi):
        return Verdict.INCONCLUSIVE
    inside = lo <= iv.lo and iv.hi <= hi
    outside = iv.hi < lo or iv.lo > hi
    return _verdict(inside, outside)


@dataclass(frozen=True)
class AtMost(Rule):
    metric: str
    bound: float

    @property
    def metrics(self):
        return (self.metric,)

    def describe(self):
        return f"mean {self.metric} ≤ {self.bound:g}"

    def boundaries(self):
        return (self.bound,)

    def decide(self, iv):
        return _bound_check(iv, -math.inf, self.bound)


@dataclass(frozen=True)
class AtLeast(Rule):
    metric: str
    bound: float

    @property
    def metrics(self):
        return (self.metric,)

    def describe(self):
        return f"mean {self.metric} ≥ {self.bound:g}"

    def boundaries(self):
        return (self.bound,)

    def decide(self, iv):
        return _bound_check(iv, self.bound, math.inf)


@dataclass(frozen=True)
class Within(Rule):
    metric: str
    lo: float
    hi: float

    @property
    def metrics(self):
        return (self.metric,)

    def describe(self):
        return f"mean {self.metric} in [{self.lo:g}, {self.hi:g}]"

    def boundaries(self):
        return (self.lo, self.hi)

    def decide(self, iv):
        return _bound_check(iv, self.lo, self.hi)


@dataclass(frozen=True)
class Greater(Rule):
    """``a`` exceeds ``b`` by more than ``margin`` (in the claim's unit), paired
    seed by seed or item by item. The margin is the smallest difference a
    practitioner would care about; it has no default on purpose."""

    a: str
    b: str
    margin: float

    @property
    def metrics(self):
        return (self.a, self.b)

    def describe(self):
        return f"{self.a} − {self.b} > {self.margin:g} (paired)"

    def boundaries(self):
        return (self.margin,)

    def combine(self, a, b):
        return a - b

    def decide(self, iv):
        if math.isnan(iv.lo) or math.isnan(iv.hi):
            return Verdict.INCONCLUSIVE
        return _verdict(iv.lo > self.margin, iv.hi <= self.margin)


@dataclass(frozen=True)
class Equivalent(Rule):
    """``a`` and ``b`` differ by less than ``margin``: the paired 95% interval of
    the difference lies inside ±margin (stricter than TOST's 90% interval)."""

    a: str
    b: str
    margin: float

    @property
    def metrics(self):
        return (self.a, self.b)

    def describe(self):
        return f"|{self.a} − {self.b}| < {self.margin:g} (paired)"

    def boundaries(self):
        return (-self.margin, self.margin)

    def combine(self, a, b):
        return a - b

    def decide(self, iv):
        return _bound_check(iv, -self.margin, self.margin)


@dataclass(frozen=True)
class Exact(Rule):
    """An identity: every seed's (or item's) value equals ``value`` within ``tol``.

    The interval reported is the range of the values, not a t interval: an
    identity must hold on every seed, not on average.
    """

    metric: str
    value: float
    tol: float = 0.0

    @property
    def metrics(self):
        return (self.metric,)

    def describe(self):
        return f"{self.metric} = {self.value:g} ± {self.tol:g} on every seed"

    def boundaries(self):
        return ()

    def decide(self, iv):  # pragma: no cover - Exact judges the values, see judge()
        raise NotImplementedError

    def judge(self, x: np.ndarray) -> tuple[Verdict, Interval]:
        if x.size == 0 or np.isnan(x).any():
            return Verdict.INCONCLUSIVE, Interval(math.nan, math.nan, math.nan, x.size)
        iv = Interval(float(x.mean()), float(x.min()), float(x.max()), x.size)
        err = np.abs(x - self.value)
        return _verdict(bool((err <= self.tol).all()), bool((err > self.tol).all())), iv

    def evaluate(self, metrics):
        return self.judge(np.asarray(_lookup(metrics, self.metric, "metric"), dtype=float))


# -- preconditions -------------------------------------------------------------------------


@dataclass(frozen=True)
class PreconditionResult:
    statement: str
    holds: bool
    value: str


class Precondition(ABC):
    """A condition on the stored data that must hold before a claim is judged."""

    @abstractmethod
    def describe(self) -> str: ...

    @abstractmethod
    def check(
        self, metrics: dict[str, list[float]], series: dict[str, list]
    ) -> PreconditionResult: ...


def _mean_of(metrics, name_or_value) -> float:
    """The mean over seeds (NaN if any seed failed: a failed arm beats nothing)."""
    if isinstance(name_or_value, str):
        return float(np.mean(np.asarray(_lookup(metrics, name_or_value, "metric"), float)))
    return float(name_or_value)


@dataclass(frozen=True)
class Beats(Precondition):
    """The arm ``metric`` beats its trivial ``baseline`` (a metric name or a
    number, such as chance accuracy) by at least ``margin``, on the mean over
    seeds. With ``higher_is_better=False`` (errors, losses) it must be lower."""

    metric: str
    baseline: str | float
    margin: float
    higher_is_better: bool = True
    baseline_name: str = ""

    def describe(self):
        base = self.baseline_name or (
            self.baseline if isinstance(self.baseline, str) else f"{self.baseline:g}"
        )
        word = "above" if self.higher_is_better else "below"
        return f"{self.metric} at least {self.margin:g} {word} {base}"

    def check(self, metrics, series):
        m, b = _mean_of(metrics, self.metric), _mean_of(metrics, self.baseline)
        gain = m - b if self.higher_is_better else b - m
        holds = bool(gain >= self.margin)  # NaN fails
        return PreconditionResult(self.describe(), holds, f"{self.metric} {_fmt(m)} vs {_fmt(b)}")


@dataclass(frozen=True)
class Converged(Precondition):
    """Training has levelled off: over the last ``tail`` of the stored curve
    ``series`` (mean over seeds), a least-squares line improves by at most
    ``tol`` (in the curve's units). ``higher_is_better`` says which way is
    improvement (accuracy up, loss down)."""

    series: str
    tol: float
    higher_is_better: bool = True
    tail: float = 0.2

    def describe(self):
        part = "fifth" if self.tail == 0.2 else f"{self.tail:g}"
        word = "rises" if self.higher_is_better else "falls"
        return f"{self.series} {word} by at most {self.tol:g} over the last {part} of training"

    def improvement(self, series) -> float:
        curves = [
            np.asarray(c, dtype=float).ravel()
            for c in _lookup(series, self.series, "series")
            if c is not None
        ]
        if not curves:
            return math.nan
        n = min(c.size for c in curves)
        curve = np.mean([c[:n] for c in curves], axis=0)
        k = max(3, math.ceil(self.tail * n))
        if n < 3 or np.isnan(curve).any():
            return math.nan
        window = curve[-k:]
        slope = np.polyfit(np.arange(window.size), window, 1)[0]
        change = float(slope * (window.size - 1))
        return change if self.higher_is_better else -change

    def check(self, metrics, series):
        gain = self.improvement(series)
        holds = bool(gain <= self.tol)
        part = "fifth" if self.tail == 0.2 else f"{self.tail:g}"
        way = "rising" if self.higher_is_better else "falling"
        value = (
            f"{self.series} still {way} {_fmt(gain)} over the last {part}"
            if not holds
            else f"{self.series} changed {_fmt(gain)} over the last {part}"
        )
        return PreconditionResult(self.describe(), holds, value)


@dataclass(frozen=True)
class EnoughItems(Precondition):
    """At least ``at_least`` items: ``name`` is a series of items (counted in
    every seed) or a metric holding a count."""

    name: str
    at_least: int

    def describe(self):
        return f"at least {self.at_least} items in {self.name}"

    def check(self, metrics, series):
        if self.name in series:
            count = min((len(s) if s is not None else 0) for s in series[self.name])
        else:
            count = float(np.nanmin(_lookup(metrics, self.name, "metric")))
        return PreconditionResult(
            self.describe(),
            bool(count >= self.at_least),
            f"{self.name}: {_fmt(float(count))} items",
        )


# -- claims --------------------------------------------------------------------------------


def _item_arrays(series: dict, name: str) -> list[np.ndarray]:
    values = _lookup(series, name, "item series")
    return [np.asarray(v if v is not None else [], dtype=float).ravel() for v in values]


def _at_bound(values: Sequence[np.ndarray]) -> bool:
    """Every value sits at 0, 1 or 100: a zero-width interval can be honest there."""
    return all(np.isin(np.asarray(v, float), (0.0, 1.0, 100.0)).all() for v in values)


@dataclass(frozen=True)
class Claim:
    """A statement in plain words, the rule that settles it, what the literature
    expects (``supported`` or ``refuted``) with its source, and the fields that
    make it an auditable, pre-registered test (see the module docstring)."""

    id: str
    statement: str
    rule: Rule
    expected: Literal["supported", "refuted"]
    source: str
    kind: Literal["identity", "empirical"] | None = None
    unit: str | None = None
    replication: Literal["seeds", "items"] = "seeds"
    preconditions: tuple[Precondition, ...] = field(default=())

    def __post_init__(self):
        if self.kind is not None and self.kind not in KINDS:
            raise ValueError(f"claim {self.id}: kind must be one of {KINDS}")
        if self.replication not in REPLICATIONS:
            raise ValueError(f"claim {self.id}: replication must be one of {REPLICATIONS}")

    def _bootstrap_seed(self) -> int:
        return int.from_bytes(hashlib.sha256(self.id.encode()).digest()[:4], "little")

    def check(
        self, metrics: dict[str, list[float]], series: dict[str, list] | None = None
    ) -> ClaimResult:
        series = series or {}
        checks = [p.check(metrics, series) for p in self.preconditions]
        verdict, iv, reason, to_decide = self._judge(metrics, series)
        failed = [c for c in checks if not c.holds]
        if failed:
            verdict = Verdict.INCONCLUSIVE
            reason = "; ".join(f"precondition failed: {c.statement} ({c.value})" for c in failed)
            to_decide = None
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
            kind=self.kind or "empirical",
            unit=self.unit or "",
            replication=self.replication,
            reason=reason,
            preconditions=tuple(checks),
            to_decide=to_decide,
        )

    def _judge(self, metrics, series) -> tuple[Verdict, Interval, str | None, int | None]:
        rule = self.rule
        if self.replication == "items":
            per_metric = [_item_arrays(series, m) for m in rule.metrics]
            values = [rule.combine(*arrs) for arrs in zip(*per_metric, strict=True)]
            if isinstance(rule, Exact):
                verdict, iv = rule.judge(np.concatenate(values) if values else np.array([]))
                return verdict, iv, self._exact_reason(verdict), None
            iv = bootstrap_ci(values, self._bootstrap_seed())
        else:
            cols = [np.asarray(_lookup(metrics, m, "metric"), dtype=float) for m in rule.metrics]
            x = rule.combine(*cols)
            if isinstance(rule, Exact):
                verdict, iv = rule.judge(x)
                return verdict, iv, self._exact_reason(verdict), None
            iv = mean_ci(x)
            if (
                self.kind != "identity"
                and x.size > 1
                and not np.isnan(x).any()
                and np.ptp(x) == 0
                and not _at_bound(cols)
            ):
                return (
                    Verdict.INCONCLUSIVE,
                    Interval(iv.estimate, math.nan, math.nan, iv.n),
                    "every seed gave the same value, so the seeds do not vary this quantity:"
                    " its interval must be taken over items",
                    None,
                )
        if math.isnan(iv.estimate):
            return Verdict.INCONCLUSIVE, iv, "a trial produced no number (NaN)", None
        if iv.n < 2 or not (math.isfinite(iv.lo) and math.isfinite(iv.hi)):
            unit = "seed" if self.replication == "seeds" else "item"
            return Verdict.INCONCLUSIVE, iv, f"one {unit}: no interval", None
        verdict = rule.decide(iv)
        if verdict is not Verdict.INCONCLUSIVE:
            return verdict, iv, None, None
        edges = rule.boundaries()
        distance = min(abs(iv.estimate - b) for b in edges)
        edge = min(edges, key=lambda b: abs(iv.estimate - b))
        if self.replication == "seeds":
            need = seeds_to_decide(x, distance)
            more = f"about {need} seeds would decide it" if need else "more seeds than 1,000"
        else:
            need = items_to_decide(iv, distance)
            more = f"about {need:,} items would decide it" if need else "far more items"
        unit = self.unit or ""
        reason = (
            f"the 95% interval {interval_with_unit(iv.lo, iv.hi, unit, iv.n)} contains"
            f" the boundary {with_unit(edge, unit)}; at the observed spread {more}"
        )
        return verdict, iv, reason, need

    @staticmethod
    def _exact_reason(verdict: Verdict) -> str | None:
        if verdict is Verdict.INCONCLUSIVE:
            return "the identity held on some seeds and not on others (or a value was NaN)"
        return None


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
    kind: str = "empirical"
    unit: str = ""
    replication: str = "seeds"
    reason: str | None = None
    preconditions: tuple[PreconditionResult, ...] = ()
    #: seeds (or items) that would likely decide an inconclusive claim
    to_decide: int | None = None

    @property
    def surprise(self) -> bool:
        """Measured verdict is decisive and disagrees with the literature."""
        return self.verdict != Verdict.INCONCLUSIVE.value and self.verdict != self.expected

    def to_dict(self) -> dict:
        d = asdict(self)
        d["ci"] = list(self.ci)
        d["preconditions"] = [asdict(p) for p in self.preconditions]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> ClaimResult:
        if not isinstance(d, dict):
            raise DamagedFile("a stored claim is not an object")
        lo, hi = d["ci"]
        checks = {
            "verdict": VERDICTS,
            "expected": ("supported", "refuted"),
            "kind": KINDS,
            "replication": REPLICATIONS,
        }
        for key, allowed in checks.items():
            if d.get(key) not in allowed:
                raise DamagedFile(
                    f"stored claim {d.get('id')!r} has {key} {d.get(key)!r};"
                    f" expected one of {', '.join(allowed)}"
                )
        return cls(
            id=str(d["id"]),
            statement=str(d["statement"]),
            rule=str(d.get("rule", "")),
            verdict=d["verdict"],
            estimate=math.nan if d["estimate"] is None else float(d["estimate"]),
            ci=(
                math.nan if lo is None else float(lo),
                math.nan if hi is None else float(hi),
            ),
            n=int(d["n"]),
            expected=d["expected"],
            source=str(d["source"]),
            kind=d["kind"],
            unit=str(d["unit"]),
            replication=d["replication"],
            reason=None if d["reason"] is None else str(d["reason"]),
            preconditions=tuple(
                PreconditionResult(str(p["statement"]), bool(p["holds"]), str(p["value"]))
                for p in d["preconditions"]
            ),
            to_decide=None if d.get("to_decide") is None else int(d["to_decide"]),
        )


def spec(obj) -> dict:
    """A rule or precondition as plain data: its type and its fields."""
    return {"type": type(obj).__name__, **{f.name: getattr(obj, f.name) for f in fields(obj)}}


def rule_margin(rule: Rule) -> float | None:
    """The practical margin of a comparison (None for bounds and identities)."""
    return getattr(rule, "margin", None)


def tally(claims: Sequence[ClaimResult]) -> dict[str, dict[str, int]]:
    """Verdict counts per kind, so identities are counted apart from findings."""
    out = {k: dict.fromkeys(VERDICTS, 0) for k in KINDS}
    for c in claims:
        out[c.kind][c.verdict] += 1
    return out
