"""Calibration rules: every number inside a claim's rule on the scale of what it tests.

A claim can be pre-registered, locked and still be decided by an artefact of its
calibration: a margin no outcome can meet, a convergence tolerance larger than the
effect, a window of three evaluations, an item guard far below what the margin needs.
These rules catch that, from the claims and the declared outputs alone
(:func:`audit`) and, for what only data can show, from a stored result
(:func:`audit_result`). ``deepfaq lock`` and the contract tests enforce both.

Each rule has a name; a claim may be exempted from one only with a written reason
(``Claim(..., exempt={"rule-name": "why"})``), which the lock records with the claim.

The rules:

``declared``
    every claim reads declared outputs only (see :mod:`deepfaq.core.outputs`).
``tol-half-margin``
    a convergence tolerance on the same quantity as the claim's margin (same unit, or
    % and points) is at most half the margin; on another quantity (a loss curve for
    an accuracy claim) it is stated relative to the curve's own range.
``held-out-curve``
    a claim about held-out performance judges convergence on held-out curves.
``direction``
    convergence and baseline checks improve in the direction the output declares.
``item-guard``
    a claim over items has an item guard, set from its resolution (the margin) and a
    planned spread, not a round number.
``trained-arms``
    an empirical comparison over seeds carries preconditions (its arms trained, beat
    their baselines); one of quantities that involve no training says so in an
    exemption.
``window`` (data)
    every judged convergence window holds at least
    :data:`~deepfaq.core.claims.MIN_WINDOW` evaluations.
``margin-scale`` (data)
    an improvement margin is smaller than the room the improved arm has: below the
    value of an error it lowers (an error of 0.008 cannot fall by 0.05), below the
    distance to 1 of an accuracy it raises.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from deepfaq.core.claims import (
    MIN_WINDOW,
    Beats,
    Claim,
    Converged,
    EnoughItems,
    Equivalent,
    Greater,
    Ratio,
    rule_margin,
)
from deepfaq.core.outputs import Outputs

RULES = (
    "declared",
    "tol-half-margin",
    "held-out-curve",
    "direction",
    "item-guard",
    "trained-arms",
    "window",
    "margin-scale",
)

_PERCENT = {"%", "points"}


@dataclass(frozen=True)
class Violation:
    question: str
    claim: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.question}/{self.claim}: {self.rule}: {self.message}"


def _same_scale(a: str, b: str) -> bool:
    return a == b or (a in _PERCENT and b in _PERCENT)


def _exempt(claim: Claim, rule: str) -> bool:
    return bool(getattr(claim, "exempt", {}).get(rule, "").strip())


def audit(question) -> list[Violation]:
    """The calibration rules that ``question``'s claims break, from their definitions
    and the question's declared outputs (exempted rules left out)."""
    out = Outputs(question.outputs)
    found: list[Violation] = []

    def flag(claim: Claim, rule: str, message: str) -> None:
        if not _exempt(claim, rule):
            found.append(Violation(question.id, claim.id, rule, message))

    for claim in question.claims:
        missing = [n for n in claim.names if n not in out]
        if missing:
            flag(claim, "declared", f"reads undeclared {', '.join(missing)}")
            continue
        margin = rule_margin(claim.rule)
        comparison = isinstance(claim.rule, Greater | Equivalent | Ratio)
        if (
            claim.kind == "empirical"
            and comparison
            and claim.replication == "seeds"
            and not claim.preconditions
        ):
            flag(
                claim,
                "trained-arms",
                "a comparison over seeds without preconditions: say"
                " which arms must have trained, or why none train",
            )
        held_out = any(out[m].data == "held-out" for m in claim.rule.metrics)
        for p in claim.preconditions:
            if isinstance(p, Converged):
                curve = out[p.series]
                if margin is not None and not p.relative:
                    if _same_scale(curve.unit, claim.unit):
                        if p.tol > margin / 2 + 1e-12:
                            flag(
                                claim,
                                "tol-half-margin",
                                f"tolerance {p.tol:g} on {p.series} is more than half the"
                                f" margin {margin:g}",
                            )
                    else:
                        flag(
                            claim,
                            "tol-half-margin",
                            f"{p.series} is in {curve.unit or 'no unit'!r}, the claim in"
                            f" {claim.unit or 'no unit'!r}: state the tolerance relative to"
                            " the curve's range (relative=True)",
                        )
                if held_out and curve.data != "held-out":
                    flag(
                        claim,
                        "held-out-curve",
                        f"the claim is about held-out data but {p.series} is measured on"
                        f" {curve.data or 'unstated data'}",
                    )
                if curve.better is not None and p.higher_is_better != (curve.better == "higher"):
                    flag(
                        claim,
                        "direction",
                        f"{p.series} is declared {curve.better}-is-better but judged the other way",
                    )
            elif isinstance(p, Beats):
                arm = out[p.metric]
                if arm.better is not None and p.higher_is_better != (arm.better == "higher"):
                    flag(
                        claim,
                        "direction",
                        f"{p.metric} is declared {arm.better}-is-better but its baseline"
                        " check goes the other way",
                    )
        if claim.replication == "items":
            guards = [p for p in claim.preconditions if isinstance(p, EnoughItems)]
            if not guards:
                flag(claim, "item-guard", "a claim over items needs an item guard")
            for g in guards:
                if g.planned_sd is None or g.resolution is None:
                    flag(
                        claim,
                        "item-guard",
                        f"the guard on {g.name} ({g.at_least} items) is not set from a"
                        " resolution and a planned spread: use EnoughItems.planned",
                    )
                elif isinstance(claim.rule, Greater | Equivalent) and not math.isclose(
                    g.resolution, claim.rule.margin
                ):
                    flag(
                        claim,
                        "item-guard",
                        f"the guard on {g.name} resolves {g.resolution:g}, the claim's margin"
                        f" is {claim.rule.margin:g}",
                    )
    return found


def audit_result(question, result) -> list[Violation]:
    """The calibration rules that only data can check, on a stored ``result`` of
    ``question`` (its metrics and series)."""
    out = Outputs(question.outputs)
    found: list[Violation] = []

    def flag(claim: Claim, rule: str, message: str) -> None:
        if not _exempt(claim, rule):
            found.append(Violation(question.id, claim.id, rule, message))

    for claim in question.claims:
        for p in claim.preconditions:
            if isinstance(p, Converged) and p.series in result.series:
                _, k = p.changes(result.series)
                if k < MIN_WINDOW:
                    flag(
                        claim,
                        "window",
                        f"{p.series} has {k} evaluations in its judged window"
                        f" ({result.profile}); at least {MIN_WINDOW} are needed",
                    )
        rule = claim.rule
        if isinstance(rule, Greater) and claim.replication == "seeds":
            a, b = rule.a, rule.b
            if a not in out or a not in result.metrics or b not in result.metrics:
                continue
            better = out[a].better
            bounds = out[a].bounds
            if better == "lower":  # a - b > margin: b lowers the error a
                room = _mean(result.metrics[a]) - (bounds[0] if bounds else 0.0)
            elif better == "higher" and bounds is not None:  # b... a raises over b
                room = bounds[1] - _mean(result.metrics[b])
            else:
                continue
            if math.isfinite(room) and rule.margin >= room:
                flag(
                    claim,
                    "margin-scale",
                    f"margin {rule.margin:g} is not below the room the improved arm has"
                    f" ({room:.3g} in {result.profile}); use a relative rule (Ratio)",
                )
    return found


def _mean(values) -> float:
    x = np.asarray([math.nan if v is None else v for v in values], dtype=float)
    return float(np.nanmean(x)) if np.isfinite(x).any() else math.nan
