"""The calibration rules catch what they are for: each rule with a planted violation,
and an exemption with a written reason lifting it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from deepfaq.core import calibration
from deepfaq.core.claims import (
    Beats,
    Claim,
    Converged,
    EnoughItems,
    Greater,
)
from deepfaq.core.outputs import curve, items, metric
from deepfaq.core.question import Profile, Question
from deepfaq.core.store import RunResult

OUTPUTS = (
    metric("acc_a", "A's held-out accuracy", "%", better="higher", bounds=(0, 1), data="held-out"),
    metric("acc_b", "B's held-out accuracy", "%", better="higher", bounds=(0, 1), data="held-out"),
    metric("chance", "chance accuracy", "%", bounds=(0, 1)),
    metric("err_a", "A's error", "", better="lower", bounds=(0, float("inf"))),
    metric("err_b", "B's error", "", better="lower", bounds=(0, float("inf"))),
    curve("curve_val_a", "A's held-out accuracy", "%", better="higher", data="held-out"),
    curve("curve_train_a", "A's training accuracy", "%", better="higher", data="train"),
    curve("loss_a", "A's training loss", "nats", better="lower", data="train"),
    items("correct_a", "A right on each test sentence", "%", better="higher"),
    items("correct_b", "B right on each test sentence", "%", better="higher"),
)

GOOD = Claim(
    "a-beats-b",
    "A beats B by 2 points.",
    Greater("acc_a", "acc_b", 0.02),
    "supported",
    "x",
    kind="empirical",
    unit="points",
    preconditions=(Beats("acc_a", "chance", 0.2), Converged("curve_val_a", 0.01)),
)


def question(*claims: Claim) -> Question:
    return Question(
        id="toy-calibration",
        title="t",
        asked="t?",
        config=dict,
        profiles={p: Profile({}, seeds=3) for p in ("smoke", "quick", "full")},
        trial=lambda cfg, seed, ctx: {},
        claims=claims,
        figures=lambda r, f: None,
        answer="",
        outputs=OUTPUTS,
    )


def rules(*claims: Claim) -> set[str]:
    return {v.rule for v in calibration.audit(question(*claims))}


def test_a_well_calibrated_claim_passes():
    assert rules(GOOD) == set()


def test_tolerance_more_than_half_the_margin():
    bad = replace(
        GOOD, preconditions=(Beats("acc_a", "chance", 0.2), Converged("curve_val_a", 0.015))
    )
    assert rules(bad) == {"tol-half-margin"}


def test_tolerance_on_another_quantity_must_be_relative():
    bad = replace(
        GOOD,
        preconditions=(
            Beats("acc_a", "chance", 0.2),
            Converged("curve_val_a", 0.01),
            Converged("loss_a", 0.01, higher_is_better=False),
        ),
    )
    assert "tol-half-margin" in rules(bad)
    ok = replace(
        bad, preconditions=(*bad.preconditions[:2], Converged("loss_a", 0.01, False, relative=True))
    )
    assert "tol-half-margin" not in rules(ok)


def test_held_out_claims_judge_held_out_curves():
    bad = replace(
        GOOD, preconditions=(Beats("acc_a", "chance", 0.2), Converged("curve_train_a", 0.01))
    )
    assert rules(bad) == {"held-out-curve"}


def test_direction_follows_the_declaration():
    bad = replace(
        GOOD,
        preconditions=(
            Beats("acc_a", "chance", 0.2),
            Converged("curve_val_a", 0.01, higher_is_better=False),
        ),
    )
    assert rules(bad) == {"direction"}


def test_item_claims_need_a_planned_guard():
    claim = Claim(
        "items",
        "A beats B on sentences.",
        Greater("correct_a", "correct_b", 0.02),
        "supported",
        "x",
        kind="empirical",
        unit="points",
        replication="items",
    )
    assert rules(claim) == {"item-guard"}
    habit = replace(claim, preconditions=(EnoughItems("correct_a", 20),))
    assert rules(habit) == {"item-guard"}
    planned = replace(claim, preconditions=(EnoughItems.planned("correct_a", 0.02, 0.5),))
    assert rules(planned) == set()
    off = replace(claim, preconditions=(EnoughItems.planned("correct_a", 0.05, 0.5),))
    assert rules(off) == {"item-guard"}


def test_comparisons_of_trained_arms_carry_preconditions():
    bare = replace(GOOD, preconditions=())
    assert rules(bare) == {"trained-arms"}
    exempt = replace(bare, exempt={"trained-arms": "both are untrained initialisations"})
    assert rules(exempt) == set()
    assert rules(replace(bare, exempt={"trained-arms": "  "})) == {"trained-arms"}


def test_undeclared_names_are_caught():
    bad = replace(GOOD, rule=Greater("acc_a", "acc_typo", 0.02))
    with pytest.raises(ValueError, match="acc_typo"):
        question(bad)


def _result(metrics, series, profile="quick") -> RunResult:
    return RunResult(
        question="toy-calibration",
        title="t",
        profile=profile,
        config_hash="h",
        config={},
        seeds=[1, 2, 3],
        metrics=metrics,
        series=series,
        claims=[],
        command="",
        seconds=0.0,
    )


def test_window_of_five_evaluations_on_data():
    q = question(GOOD)
    short = {"curve_val_a": [[0.1, 0.5, 0.8, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]] * 3}
    long = {"curve_val_a": [list(np.linspace(0, 0.9, 30))] * 3}
    metrics = {"acc_a": [0.9] * 3, "acc_b": [0.8] * 3, "chance": [0.1] * 3}
    assert {v.rule for v in calibration.audit_result(q, _result(metrics, short))} == {"window"}
    assert calibration.audit_result(q, _result(metrics, long)) == []


def test_margin_on_the_scale_of_the_arm_it_improves():
    claim = Claim(
        "b-lowers-error",
        "B lowers A's error by 0.05.",
        Greater("err_a", "err_b", 0.05),
        "supported",
        "x",
        kind="empirical",
        unit="",
        preconditions=(Beats("err_b", 1.0, 0.5, higher_is_better=False),),
    )
    q = question(claim)
    tiny = {"err_a": [0.008, 0.007, 0.009], "err_b": [0.003, 0.002, 0.004]}
    found = calibration.audit_result(q, _result(tiny, {}))
    assert [v.rule for v in found] == ["margin-scale"]
    big = {"err_a": [0.8, 0.7, 0.9], "err_b": [0.3, 0.2, 0.4]}
    assert calibration.audit_result(q, _result(big, {})) == []


def test_exemptions_are_recorded_in_the_lock():
    from deepfaq.core.lock import claim_entry

    claim = replace(GOOD, exempt={"tol-half-margin": "the margin is a theorem's"})
    assert claim_entry(claim)["exempt"] == {"tol-half-margin": "the margin is a theorem's"}
