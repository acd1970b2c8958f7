"""Declared outputs: every number a question's trial returns, named once, with what it is.

A question declares each metric and series its trial returns before anything reads
them: its name, a description in plain words (what the reasons, figures and answers
say instead of the raw name), its unit, which way is better, the range it can take
and — for a curve — what it is a curve of and on which data. The declarations are
checked both ways:

* when a trial returns (:func:`check_trial`): exactly the declared names, scalars
  for metrics and lists for everything else;
* when a question is built (:meth:`deepfaq.core.question.Question.__post_init__`):
  claims, preconditions, anchors and the answer may read only declared names, of the
  right kind, so a typo fails at import, not after an hour of training.

Names are written literally, or generated from a table next to the code that fills
them (``[metric(f"acc_{arm}", ...) for arm in ARMS]``); a search for a name a claim
reads finds its declaration.

Units follow the claims' convention: ``%`` and ``points`` mean the value is stored
as a fraction and shown ×100; any other string is shown as written.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

KINDS = ("metric", "curve", "items", "series")
BETTER = ("higher", "lower", None)
DATA = ("train", "held-out", "")


class UndeclaredOutput(Exception):
    """A trial returned a name it did not declare, or left out a declared one. A
    bug in the question's code, not the user's input: the question fails."""


@dataclass(frozen=True)
class Output:
    """One declared output of a question's trial.

    ``kind``: ``metric`` (one number per seed, read by claims over seeds),
    ``curve`` (a training curve: one value per evaluation, ``x`` says of what),
    ``items`` (one value per item — query, pair, sentence — read by claims over
    items) or ``series`` (any other list: an axis, an image, values to plot).
    ``better``: ``"higher"``, ``"lower"`` or None when neither is better.
    ``bounds``: the range the value can take by definition (an accuracy (0, 1), a
    cosine (-1, 1)), or None. ``data``: what a curve or metric is measured on,
    ``"train"`` or ``"held-out"`` ("" when that does not apply).
    """

    name: str
    description: str
    unit: str = ""
    better: Literal["higher", "lower"] | None = None
    bounds: tuple[float, float] | None = None
    kind: Literal["metric", "curve", "items", "series"] = "metric"
    data: Literal["train", "held-out", ""] = ""
    x: str = ""

    def __post_init__(self):
        if not self.name or not self.name.replace("_", "").replace(".", "").isalnum():
            raise ValueError(f"output name {self.name!r} must be letters, digits and _")
        if self.kind not in KINDS:
            raise ValueError(f"output {self.name}: kind must be one of {KINDS}")
        if self.better not in BETTER:
            raise ValueError(f"output {self.name}: better must be 'higher', 'lower' or None")
        if self.data not in DATA:
            raise ValueError(f"output {self.name}: data must be 'train', 'held-out' or ''")
        if not self.description.strip():
            raise ValueError(f"output {self.name}: a description in plain words is required")
        if self.bounds is not None and not self.bounds[0] < self.bounds[1]:
            raise ValueError(f"output {self.name}: bounds must be (low, high)")
        if self.kind == "curve" and not self.x:
            raise ValueError(f"curve {self.name}: say what it is a curve of (x=...)")

    @property
    def higher_is_better(self) -> bool | None:
        return None if self.better is None else self.better == "higher"

    def within_bounds(self, value: float) -> bool:
        if self.bounds is None or not math.isfinite(value):
            return True
        return self.bounds[0] <= value <= self.bounds[1]


def metric(
    name: str, description: str, unit: str = "", *, better=None, bounds=None, data: str = ""
) -> Output:
    """A number per seed."""
    return Output(name, description, unit, better, bounds, "metric", data)


def curve(
    name: str,
    description: str,
    unit: str = "",
    *,
    x: str = "training step",
    better=None,
    bounds=None,
    data: str = "",
) -> Output:
    """A training curve: one value per evaluation."""
    return Output(name, description, unit, better, bounds, "curve", data, x)


def items(
    name: str, description: str, unit: str = "", *, better=None, bounds=None, data: str = ""
) -> Output:
    """One value per item (query, word pair, sentence), the same items in every seed."""
    return Output(name, description, unit, better, bounds, "items", data)


def series(name: str, description: str, unit: str = "", *, bounds=None) -> Output:
    """Any other list: an axis, an image, values for a figure."""
    return Output(name, description, unit, None, bounds, "series", "")


#: Chance-level and other reference values every question may read without declaring
#: them: none. (A baseline is an output like any other.)


class Outputs(Mapping):
    """A question's declared outputs by name, in declaration order."""

    def __init__(self, declared: Iterable[Output]):
        self._by_name: dict[str, Output] = {}
        for o in declared:
            if o.name in self._by_name:
                raise ValueError(f"output {o.name!r} declared twice")
            self._by_name[o.name] = o

    def __getitem__(self, name: str) -> Output:
        return self._by_name[name]

    def __iter__(self):
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def of_kind(self, *kinds: str) -> set[str]:
        return {n for n, o in self._by_name.items() if o.kind in kinds}

    def describe(self, name: str) -> str:
        """The output's description, or its name when it is not declared."""
        o = self._by_name.get(name)
        return o.description if o is not None else name


def check_trial(question_id: str, outputs: Outputs, metrics: Mapping, series_: Mapping) -> None:
    """Raise :class:`UndeclaredOutput` unless a trial returned exactly the declared
    names: metrics as numbers, every other kind as a list."""
    metric_names = outputs.of_kind("metric")
    list_names = outputs.of_kind("curve", "items", "series")
    returned = set(metrics) | set(series_)
    extra = sorted(returned - metric_names - list_names)
    missing = sorted((metric_names | list_names) - returned)
    wrong = sorted(
        [n for n in metrics if n in list_names] + [n for n in series_ if n in metric_names]
    )
    problems = []
    if extra:
        problems.append(
            f"returned undeclared {', '.join(extra[:5])}"
            + (f" (+{len(extra) - 5} more)" if len(extra) > 5 else "")
        )
    if missing:
        problems.append(
            f"did not return declared {', '.join(missing[:5])}"
            + (f" (+{len(missing) - 5} more)" if len(missing) > 5 else "")
        )
    if wrong:
        problems.append(
            f"returned the wrong kind for {', '.join(wrong[:5])}"
            " (metrics are numbers, curves, items and series are lists)"
        )
    if problems:
        raise UndeclaredOutput(f"{question_id}: the trial " + "; ".join(problems))
