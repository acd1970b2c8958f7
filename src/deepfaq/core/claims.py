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

An **identity** is judged on every seed (or item), not on the mean: its interval
is the range of the values, and it is supported only when every value satisfies
the rule. A theorem that held on average but failed on one seed would be a bug.

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
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from enum import Enum
from typing import Literal

import numpy as np

from deepfaq.core.errors import DamagedFile
from deepfaq.core.stats import (
    LEVEL,
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


def by_verdict(verdict: str, supported: str, refuted: str, inconclusive: str) -> str:
    """The text a verdict chooses: in an answer template,
    ``{{ by_verdict(v["claim-id"], "…", "…", "…") }}``."""
    return {"supported": supported, "refuted": refuted}.get(verdict, inconclusive)


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

    def back(self, iv: Interval) -> Interval:
        """The interval of the combined quantity in the claim's unit (the identity,
        but for :class:`Ratio`, judged on logarithms)."""
        return iv


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
class Ratio(Rule):
    """``a / b`` is at most (or at least) ``bound``, paired seed by seed, judged on the
    logarithm of the ratio: for quantities that span orders of magnitude (an error
    of 0.008 and one of 0.0007), where a margin in absolute units would be on the
    wrong scale. The estimate and interval are the geometric mean ratio and its
    interval; the claim's unit is ``×``."""

    a: str
    b: str
    bound: float
    at_most: bool = True

    def __post_init__(self):
        if not self.bound > 0:
            raise ValueError("a ratio's bound must be positive")

    @property
    def metrics(self):
        return (self.a, self.b)

    def describe(self):
        word = "≤" if self.at_most else "≥"
        return f"geometric mean of {self.a} / {self.b} {word} {self.bound:g} (paired)"

    def boundaries(self):
        return (self.bound,)

    def combine(self, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(
                (a > 0) & (b > 0), np.log(np.where(a > 0, a, 1) / np.where(b > 0, b, 1)), np.nan
            )

    def back(self, iv: Interval) -> Interval:
        """The interval of the log ratio as a ratio."""
        return Interval(math.exp(iv.estimate), math.exp(iv.lo), math.exp(iv.hi), iv.n)

    def decide(self, iv):
        """``iv`` is the interval of the mean log ratio."""
        edge = math.log(self.bound)
        return (
            _bound_check(iv, -math.inf, edge) if self.at_most else _bound_check(iv, edge, math.inf)
        )


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

    def decide(self, iv):
        """Used on one value at a time (see :func:`_every_value`)."""
        return _bound_check(iv, self.value - self.tol, self.value + self.tol)


# -- preconditions -------------------------------------------------------------------------

#: The fewest evaluations a curve's judged window may hold: fewer cannot show a trend.
MIN_WINDOW = 5


@dataclass(frozen=True)
class PreconditionResult:
    """How a precondition came out. ``statement`` is the condition, ``holds`` the
    outcome, ``value`` (alias ``detail``) what was measured, in words; ``type``,
    ``metric`` and ``params`` are the condition as data (its tolerance or margin),
    ``window`` the evaluations a convergence check judged. ``conservative`` marks a
    failed convergence check that can only strengthen the verdict it left standing
    (an arm that was still improving in the direction the claim says)."""

    statement: str
    holds: bool
    value: str
    type: str = ""
    metric: str = ""
    params: dict = field(default_factory=dict)
    window: int | None = None
    conservative: bool = False

    @property
    def detail(self) -> str:
        return self.value

    def to_dict(self) -> dict:
        return {
            "statement": self.statement,
            "holds": self.holds,
            "value": self.value,
            "type": self.type,
            "metric": self.metric,
            "params": dict(self.params),
            "window": self.window,
            "conservative": self.conservative,
            "detail": self.value,
        }

    @classmethod
    def from_dict(cls, p: dict) -> PreconditionResult:
        params = p.get("params") or {}
        window = p.get("window")
        return cls(
            str(p["statement"]),
            bool(p["holds"]),
            str(p["value"]),
            str(p.get("type") or ""),
            str(p.get("metric") or ""),
            dict(params) if isinstance(params, dict) else {},
            None if window is None else int(window),
            bool(p.get("conservative", False)),
        )


class Precondition(ABC):
    """A condition on the stored data that must hold before a claim is judged.

    ``describe`` gives the condition in words; ``check`` judges it on the stored
    metrics and series, with ``words``, a function from an output's name to its
    declared description, for the measured value in plain words."""

    @abstractmethod
    def describe(self) -> str: ...

    @abstractmethod
    def check(self, metrics: dict, series: dict, words=None) -> PreconditionResult: ...

    @property
    @abstractmethod
    def names(self) -> tuple[str, ...]:
        """The outputs this condition reads."""

    def _result(
        self, holds: bool, value: str, metric: str, window=None, conservative: bool = False
    ) -> PreconditionResult:
        d = spec(self)
        kind = d.pop("type")
        return PreconditionResult(
            self.describe(),
            bool(holds),
            value,
            kind,
            metric,
            jsonable_params(d),
            window,
            conservative,
        )


def jsonable_params(d: dict) -> dict:
    """A precondition's fields without its output names: its tolerance, margin, tail."""
    return {
        k: v
        for k, v in d.items()
        if k not in ("series", "metric", "name")
        and (isinstance(v, int | float | str | bool) or v is None)
    }


def _words(words, name: str) -> str:
    return words(name) if words is not None else name


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

    @property
    def names(self):
        return (self.metric,) + ((self.baseline,) if isinstance(self.baseline, str) else ())

    def describe(self):
        base = self.baseline_name or (
            self.baseline if isinstance(self.baseline, str) else f"{self.baseline:g}"
        )
        word = "above" if self.higher_is_better else "below"
        return f"{self.metric} at least {self.margin:g} {word} {base}"

    def check(self, metrics, series, words=None):
        m, b = _mean_of(metrics, self.metric), _mean_of(metrics, self.baseline)
        gain = m - b if self.higher_is_better else b - m
        holds = bool(gain >= self.margin)  # NaN fails
        base = self.baseline_name or _words(words, str(self.baseline))
        return self._result(
            holds, f"{_words(words, self.metric)} {_fmt(m)} vs {_fmt(b)} for {base}", self.metric
        )


@dataclass(frozen=True)
class Converged(Precondition):
    """Training has levelled off, on both sides.

    The judged window is the last ``tail`` of the stored curve ``series`` (at least
    :data:`MIN_WINDOW` evaluations, else the check fails: a window that short shows
    no trend). On each seed a least-squares line through the window gives the
    change over it, counted as improvement in the curve's better direction
    (``higher_is_better``). The check fails when the seeds show, with 95%
    confidence, that the curve was still *improving* by more than ``tol`` or was
    *worsening* by more than ``tol``: the interval of the per-seed changes lies
    wholly above ``tol`` or wholly below ``-tol`` (one seed: its change itself).
    Judging the interval, not the mean, keeps the check from flipping on rounding
    that moves the mean a hair across ``tol``.

    ``tol`` is in the curve's unit, or with ``relative=True`` a fraction of the
    curve's own range over training (for a loss whose scale says nothing about the
    claim's). ``favours`` names the verdict that further improvement of this arm
    could only strengthen (``"supported"`` for the arm a comparison says wins): a
    still-improving arm then leaves that verdict standing, marked conservative,
    and blocks only the other.
    """

    series: str
    tol: float
    higher_is_better: bool = True
    tail: float = 0.2
    relative: bool = False
    favours: Literal["supported", "refuted"] | None = None

    def __post_init__(self):
        if not self.tol > 0:
            raise ValueError(f"Converged({self.series}): tol must be positive")
        if self.favours not in (None, "supported", "refuted"):
            raise ValueError("favours must be 'supported', 'refuted' or None")

    @property
    def names(self):
        return (self.series,)

    def _part(self) -> str:
        return "fifth" if self.tail == 0.2 else f"{self.tail:g} of the curve"

    def describe(self):
        scale = " of its range" if self.relative else ""
        return (
            f"{self.series} changes by at most {self.tol:g}{scale} either way over the"
            f" last {self._part()} of training"
        )

    def changes(self, series) -> tuple[np.ndarray, int]:
        """Each seed's change over the judged window, as improvement (relative to
        the curve's range when ``relative``), and the window's length."""
        curves = [
            np.asarray(c, dtype=float).ravel()
            for c in _lookup(series, self.series, "series")
            if c is not None
        ]
        if not curves:
            return np.array([]), 0
        n = min(c.size for c in curves)
        k = math.ceil(self.tail * n)
        if n < 2 or k < 2:
            return np.array([]), k
        t = np.arange(k)
        out = []
        for c in curves:
            window = c[n - k : n]
            if np.isnan(window).any():
                out.append(math.nan)
                continue
            change = float(np.polyfit(t, window, 1)[0] * (k - 1))
            if self.relative:
                full = c[:n][np.isfinite(c[:n])]
                span = float(full.max() - full.min()) if full.size else 0.0
                change = change / span if span > 0 else (0.0 if change == 0 else math.inf)
            out.append(change if self.higher_is_better else -change)
        return np.asarray(out), k

    def check(self, metrics, series, words=None):
        x, k = self.changes(series)
        name = _words(words, self.series)
        part = self._part()
        if k < MIN_WINDOW:
            return self._result(
                False,
                f"{name}: only {k} evaluations in the last {part};"
                f" {MIN_WINDOW} are needed to judge a trend",
                self.series,
                k,
            )
        if x.size == 0 or np.isnan(x).any():
            return self._result(False, f"{name}: no curve to judge", self.series, k)
        iv = mean_ci(x) if x.size > 1 else Interval(float(x[0]), float(x[0]), float(x[0]), 1)
        scale = " of its range" if self.relative else ""
        shown = f"{_signed(iv.estimate)}{scale} over the last {part}" + (
            f", 95% interval [{_signed(iv.lo)}, {_signed(iv.hi)}]" if x.size > 1 else ""
        )
        if iv.lo > self.tol:
            return self._result(
                False,
                f"{name} was still improving ({shown})",
                self.series,
                k,
                conservative=self.favours is not None,
            )
        if iv.hi < -self.tol:
            return self._result(False, f"{name} was getting worse ({shown})", self.series, k)
        return self._result(True, f"{name} changed {shown}", self.series, k)


def _signed(x: float) -> str:
    return "n/a" if not math.isfinite(x) else f"{x:+.3g}"


#: z-values behind :meth:`EnoughItems.planned`: a two-sided 95% test with 80% power.
_Z_LEVEL, _Z_POWER = 1.959964, 0.841621


@dataclass(frozen=True)
class EnoughItems(Precondition):
    """At least ``at_least`` items: ``name`` is a series of items (counted in
    every seed) or a metric holding a count.

    Build it with :meth:`planned`, which sets ``at_least`` from the claim's
    ``resolution`` (its margin, or the distance from its bound that matters) and a
    ``planned_sd`` of one item's value written down before the run: the items
    needed for a 95% test to resolve that distance with 80% power. A guard set at
    10 or 20 by habit guards nothing.

    A planned guard is the design's statement of power, so a shortfall does not
    block a verdict that the interval decides anyway: the chance that a decision is
    wrong does not grow with fewer items (the interval widens instead), only the
    chance of deciding falls. An undecided claim with fewer items than planned says
    so — too few items by design, and how many were planned — and a decided one
    notes that it was decided with fewer. A guard without a plan (a count the code
    needs) blocks like any precondition."""

    name: str
    at_least: int
    planned_sd: float | None = None
    resolution: float | None = None

    @classmethod
    def planned(cls, name: str, resolution: float, planned_sd: float) -> EnoughItems:
        need = math.ceil(((_Z_LEVEL + _Z_POWER) * planned_sd / resolution) ** 2)
        return cls(name, max(need, 2), planned_sd, resolution)

    @property
    def names(self):
        return (self.name,)

    def describe(self):
        why = (
            f" (to resolve {self.resolution:g} at a planned item spread of {self.planned_sd:g})"
            if self.planned_sd is not None
            else ""
        )
        return f"at least {self.at_least:,} items in {self.name}{why}"

    def check(self, metrics, series, words=None):
        if self.name in series:
            count = min((len(s) if s is not None else 0) for s in series[self.name])
        else:
            count = float(np.nanmin(_lookup(metrics, self.name, "metric")))
        return self._result(
            bool(count >= self.at_least),
            f"{_words(words, self.name)}: {_fmt(float(count))} items",
            self.name,
        )


# -- claims --------------------------------------------------------------------------------


def _item_arrays(series: dict, name: str) -> list[np.ndarray]:
    values = _lookup(series, name, "item series")
    return [np.asarray(v if v is not None else [], dtype=float).ravel() for v in values]


def _at_bound(values: Sequence[np.ndarray]) -> bool:
    """Every value sits at 0, 1 or 100: a zero-width interval can be honest there."""
    return all(np.isin(np.asarray(v, float), (0.0, 1.0, 100.0)).all() for v in values)


_CONFIG_FIELD = re.compile(r"\{cfg\.([A-Za-z_][A-Za-z0-9_.]*)\}")


def render_statement(statement: str, config) -> str:
    """A statement with its ``{cfg.field}`` placeholders filled from the run's config
    (a dataclass or its dict; dotted names reach nested sections), so that a budget or
    size the statement names is the one the run used. Numbers get thousands
    separators; a placeholder the config lacks is left as written."""
    if config is None or "{cfg." not in statement:
        return statement

    def value(m: re.Match) -> str:
        v = config
        for part in m.group(1).split("."):
            if isinstance(v, dict):
                if part not in v:
                    return m.group(0)
                v = v[part]
            elif hasattr(v, part):
                v = getattr(v, part)
            else:
                return m.group(0)
        if isinstance(v, bool):
            return str(v)
        if isinstance(v, int):
            return f"{v:,}"
        if isinstance(v, float):
            return f"{v:,.0f}" if v == int(v) and abs(v) >= 1000 else f"{v:g}"
        if isinstance(v, list | tuple):
            return "-".join(str(e) for e in v)
        return str(v)

    return _CONFIG_FIELD.sub(value, statement)


@dataclass(frozen=True)
class Claim:
    """A statement in plain words, the rule that settles it, what the literature
    expects (``supported`` or ``refuted``) with its source, and the fields that
    make it an auditable, pre-registered test (see the module docstring).

    ``statement`` may name config values as ``{cfg.steps}`` (dotted for nested
    sections): each result states the budget its own run used."""

    id: str
    statement: str
    rule: Rule
    expected: Literal["supported", "refuted"]
    source: str
    kind: Literal["identity", "empirical"]
    unit: str
    replication: Literal["seeds", "items"] = "seeds"
    preconditions: tuple[Precondition, ...] = field(default=())
    #: calibration rules (:mod:`deepfaq.core.calibration`) this claim is exempt from,
    #: each with its written reason; recorded in the lock with the claim
    exempt: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"claim {self.id}: kind must be one of {KINDS}")
        if not isinstance(self.unit, str):
            raise ValueError(f"claim {self.id}: unit must be a string ('' for none)")
        if self.replication not in REPLICATIONS:
            raise ValueError(f"claim {self.id}: replication must be one of {REPLICATIONS}")
        if self.expected not in ("supported", "refuted"):
            raise ValueError(f"claim {self.id}: expected must be 'supported' or 'refuted'")

    @property
    def names(self) -> tuple[str, ...]:
        """Every output the claim reads: its rule's and its preconditions'."""
        out = list(self.rule.metrics)
        for p in self.preconditions:
            out += [n for n in p.names if n not in out]
        return tuple(out)

    def _bootstrap_seed(self) -> int:
        return int.from_bytes(hashlib.sha256(self.id.encode()).digest()[:4], "little")

    def check(
        self,
        metrics: dict[str, list[float]],
        series: dict[str, list] | None = None,
        config=None,
        words=None,
        level: float = LEVEL,
    ) -> ClaimResult:
        """Judge the claim on stored numbers: preconditions first, then the rule.
        ``config`` fills the statement's placeholders; ``words`` names outputs in
        the reasons (see :class:`Precondition`); ``level`` is the interval's
        confidence (below 95% only where a sequential design looks several times,
        so that the error rate over all looks stays at 5%)."""
        series = series or {}
        checks = [p.check(metrics, series, words) for p in self.preconditions]
        verdict, iv, reason, to_decide = self._judge(metrics, series, level)
        # A still-improving arm whose progress can only strengthen the verdict leaves
        # it standing (conservatively); a planned item count that fell short leaves a
        # decided verdict standing (see EnoughItems); any other failed condition blocks.
        conservative, short, blocking = [], [], []
        for c, p in zip(checks, self.preconditions, strict=True):
            if c.holds:
                continue
            if c.conservative and getattr(p, "favours", None) == verdict.value:
                conservative.append(c)
            elif isinstance(p, EnoughItems) and p.planned_sd is not None:
                short.append((c, p))
            else:
                blocking.append(c)
        notes = []
        if blocking:
            verdict = Verdict.INCONCLUSIVE
            reason = "; ".join(f"precondition failed: {c.statement} ({c.value})" for c in blocking)
            to_decide = None
        elif short and verdict is Verdict.INCONCLUSIVE:
            design = "; ".join(
                f"too few items by design ({c.value}; {p.at_least:,} were planned to resolve"
                f" {p.resolution:g})"
                for c, p in short
            )
            reason = f"{design}; {reason}" if reason else design
        elif short:
            notes += [
                f"decided with fewer items than planned ({c.value}; {p.at_least:,} were"
                " planned): the effect is larger than the design needed to resolve"
                for c, p in short
            ]
        if conservative and verdict is not Verdict.INCONCLUSIVE:
            notes.append(
                "conservative: "
                + "; ".join(c.value for c in conservative)
                + ", which further training could only make more decisive"
            )
        note = "; ".join(notes) or None
        return ClaimResult(
            id=self.id,
            statement=render_statement(self.statement, config),
            rule=self.rule.describe(),
            verdict=verdict.value,
            estimate=iv.estimate,
            ci=(iv.lo, iv.hi),
            n=iv.n,
            expected=self.expected,
            source=self.source,
            kind=self.kind,
            unit=self.unit,
            replication=self.replication,
            reason=reason,
            preconditions=tuple(checks),
            to_decide=to_decide,
            margin=rule_margin(self.rule),
            note=note,
            level=level,
        )

    def _values(self, metrics, series) -> list[np.ndarray] | np.ndarray:
        rule = self.rule
        if self.replication == "items":
            per_metric = [_item_arrays(series, m) for m in rule.metrics]
            return [rule.combine(*arrs) for arrs in zip(*per_metric, strict=True)]
        cols = [np.asarray(_lookup(metrics, m, "metric"), dtype=float) for m in rule.metrics]
        return rule.combine(*cols)

    def _judge(
        self, metrics, series, level: float = LEVEL
    ) -> tuple[Verdict, Interval, str | None, int | None]:
        rule = self.rule
        values = self._values(metrics, series)
        if isinstance(rule, Exact) or self.kind == "identity":
            x = (
                (np.concatenate(values) if values else np.array([]))
                if self.replication == "items"
                else values
            )
            verdict, iv = _every_value(rule, x)
            return verdict, rule.back(iv), self._identity_reason(verdict), None
        if self.replication == "items":
            iv = bootstrap_ci(values, self._bootstrap_seed(), level)
        else:
            x = values
            iv = mean_ci(x, level)
            cols = [np.asarray(_lookup(metrics, m, "metric"), dtype=float) for m in rule.metrics]
            if x.size > 1 and not np.isnan(x).any() and np.ptp(x) == 0 and not _at_bound(cols):
                return (
                    Verdict.INCONCLUSIVE,
                    Interval(rule.back(iv).estimate, math.nan, math.nan, iv.n),
                    "every seed gave the same value, so the seeds do not vary this quantity:"
                    " its interval must be taken over items",
                    None,
                )
        if math.isnan(iv.estimate):
            return Verdict.INCONCLUSIVE, rule.back(iv), "a trial produced no number (NaN)", None
        if iv.n < 2 or not (math.isfinite(iv.lo) and math.isfinite(iv.hi)):
            unit = "seed" if self.replication == "seeds" else "item"
            return Verdict.INCONCLUSIVE, rule.back(iv), f"one {unit}: no interval", None
        judged = iv  # on the rule's own scale (a ratio's: its logarithm)
        verdict = rule.decide(judged)
        shown = rule.back(iv)
        if verdict is not Verdict.INCONCLUSIVE:
            return verdict, shown, None, None
        edges = rule.boundaries()
        edge = min(edges, key=lambda b: abs(shown.estimate - b))
        distance = min(abs(judged.estimate - b) for b in _judged_edges(rule))
        if self.replication == "seeds":
            need = seeds_to_decide(values, distance, level)
            more = f"about {need} seeds would decide it" if need else "more seeds than 1,000"
        else:
            need = items_to_decide(iv, distance)
            more = f"about {need:,} items would decide it" if need else "far more items"
        reason = (
            f"the {100 * level:.3g}% interval"
            f" {interval_with_unit(shown.lo, shown.hi, self.unit, shown.n)}"
            f" contains the boundary {with_unit(edge, self.unit)}; at the observed spread"
            f" {more}"
        )
        return verdict, shown, reason, need

    @staticmethod
    def _identity_reason(verdict: Verdict) -> str | None:
        if verdict is Verdict.INCONCLUSIVE:
            return "the identity held on some seeds and not on others (or a value was NaN)"
        return None


def _judged_edges(rule: Rule) -> tuple[float, ...]:
    if isinstance(rule, Ratio):
        return (math.log(rule.bound),)
    return rule.boundaries()


def _every_value(rule: Rule, x: np.ndarray) -> tuple[Verdict, Interval]:
    """An identity judged on every value: the interval is their range, supported
    when every value satisfies the rule, refuted when none does."""
    x = np.asarray(x, dtype=float).ravel()
    if x.size == 0 or np.isnan(x).any():
        return Verdict.INCONCLUSIVE, Interval(math.nan, math.nan, math.nan, x.size)
    iv = Interval(float(x.mean()), float(x.min()), float(x.max()), x.size)
    if isinstance(rule, Exact):
        err = np.abs(x - rule.value)
        return _verdict(bool((err <= rule.tol).all()), bool((err > rule.tol).all())), iv
    each = [rule.decide(Interval(v, v, v, 1)) for v in x]
    return _verdict(
        all(v is Verdict.SUPPORTED for v in each), all(v is Verdict.REFUTED for v in each)
    ), iv


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
    #: the comparison's practical margin, in ``unit`` (None for bounds and identities)
    margin: float | None = None
    #: why a decided verdict is conservative (an arm still improving its way), or None
    note: str | None = None
    #: the interval's confidence: 95%, or less per look under a sequential design
    level: float = LEVEL

    @property
    def surprise(self) -> bool:
        """Measured verdict is decisive and disagrees with the literature."""
        return self.verdict != Verdict.INCONCLUSIVE.value and self.verdict != self.expected

    def to_dict(self) -> dict:
        d = asdict(self)
        d["ci"] = list(self.ci)
        d["preconditions"] = [p.to_dict() for p in self.preconditions]
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
        margin = d.get("margin")
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
            preconditions=tuple(PreconditionResult.from_dict(p) for p in d["preconditions"]),
            to_decide=None if d.get("to_decide") is None else int(d["to_decide"]),
            margin=None if margin is None else float(margin),
            note=None if d.get("note") is None else str(d["note"]),
            level=float(d.get("level", LEVEL)),
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
