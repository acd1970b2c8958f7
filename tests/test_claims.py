import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from deepfaq.core.claims import (
    MIN_WINDOW,
    AtLeast,
    AtMost,
    Beats,
    Claim,
    ClaimResult,
    Converged,
    EnoughItems,
    Equivalent,
    Exact,
    Greater,
    Ratio,
    Verdict,
    Within,
    render_statement,
)

S, R, I = Verdict.SUPPORTED, Verdict.REFUTED, Verdict.INCONCLUSIVE


def verdict(rule, kind="empirical", **metrics):
    """The verdict the production path (``Claim.check``) gives a bare rule."""
    claim = Claim("c", "s", rule, "supported", "x", kind=kind, unit="")
    return Verdict(claim.check({k: list(v) for k, v in metrics.items()}, {}).verdict)


def test_at_most_and_at_least():
    tight_low = [0.10, 0.11, 0.09, 0.10]
    assert verdict(AtMost("x", 0.2), x=tight_low) is S
    assert verdict(AtMost("x", 0.05), x=tight_low) is R
    assert verdict(AtMost("x", 0.1), x=tight_low) is I
    assert verdict(AtLeast("x", 0.05), x=tight_low) is S
    assert verdict(AtLeast("x", 0.2), x=tight_low) is R
    assert verdict(AtLeast("x", 0.0), x=[1.0]) is I  # one seed: no interval


def test_within():
    x = [1.0, 1.1, 0.9, 1.05]
    assert verdict(Within("x", 0.5, 1.5), x=x) is S
    assert verdict(Within("x", 2.0, 3.0), x=x) is R
    assert verdict(Within("x", 1.0, 3.0), x=x) is I


def test_greater_is_paired():
    rng = np.random.default_rng(0)
    shared = rng.normal(0, 5, 6)
    a, b = shared + 0.5, shared
    assert verdict(Greater("a", "b", 0.0), a=a, b=b) is S
    assert verdict(Greater("a", "b", margin=1.0), a=a, b=b) is R
    assert verdict(Greater("b", "a", 0.0), a=a, b=b) is R
    noisy = shared + rng.normal(0, 1, 6)
    assert verdict(Greater("a", "b", margin=0.5), a=noisy + 0.5, b=shared) is I


def test_equivalent():
    rng = np.random.default_rng(2)
    shared = rng.normal(0.9, 0.05, 8)
    close = shared + rng.normal(0, 0.001, 8)
    assert verdict(Equivalent("a", "b", 0.01), a=shared, b=close) is S
    assert verdict(Equivalent("a", "b", 0.01), a=shared + 0.1, b=close) is R
    assert verdict(Equivalent("a", "b", 0.01), a=[0.9, 0.95, 0.85], b=[0.9, 0.9, 0.9]) is I


def test_exact_needs_every_seed():
    assert verdict(Exact("x", 0.75, 1e-9), x=[0.75, 0.75]) is S
    assert verdict(Exact("x", 0.75, 1e-9), x=[0.5, 0.6]) is R
    assert verdict(Exact("x", 0.75, 1e-9), x=[0.75, 0.6]) is I
    assert verdict(Exact("x", 0.0), x=[float("nan")]) is I


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=12), st.floats(-1e6, 1e6))
def test_at_most_and_at_least_are_consistent(xs, bound):
    lo = verdict(AtMost("x", bound), x=xs)
    hi = verdict(AtLeast("x", bound), x=xs)
    if lo is S and hi is S:
        assert all(x == bound for x in xs)
    if lo is R:
        assert hi is S
    if hi is R:
        assert lo is S


def test_claim_result_round_trips_through_json():
    claim = Claim(
        "c",
        "a statement",
        Greater("a", "b", 0.1),
        "supported",
        "somebody 2020",
        kind="empirical",
        unit="points",
        preconditions=(Beats("a", 0.0, 0.5),),
    )
    res = claim.check({"a": [1.0, 2.0, 3.0], "b": [0.0, 0.5, 1.0]})
    back = ClaimResult.from_dict(json.loads(json.dumps(res.to_dict())))
    assert back == res
    assert res.verdict == "supported" and not res.surprise
    refuted = Claim("c", "s", AtLeast("a", 10), "supported", "x", kind="empirical", unit="")
    assert refuted.check({"a": [1.0, 2.0]}).surprise
    assert res.margin == 0.1


# -- preconditions, replication, reasons -----------------------------------------------


def test_failed_precondition_makes_any_verdict_inconclusive_with_a_reason():
    claim = Claim(
        "tie",
        "a and b tie",
        Equivalent("a", "b", 0.02),
        "supported",
        "x",
        kind="empirical",
        unit="points",
        preconditions=(
            Beats("a", "chance", 0.1, baseline_name="chance"),
            Beats("b", "chance", 0.1, baseline_name="chance"),
        ),
    )
    metrics = {"a": [0.55, 0.54, 0.56], "b": [0.90, 0.88, 0.92], "chance": [0.5] * 3}
    assert verdict(claim.rule, **metrics) is R  # the rule alone would refute
    res = claim.check(metrics, {})
    assert res.verdict == "inconclusive"
    assert res.reason.startswith("precondition failed: a at least 0.1 above chance")
    assert "0.55 vs 0.5" in res.reason
    assert [p.holds for p in res.preconditions] == [False, True]
    ok = claim.check({**metrics, "a": [0.905, 0.885, 0.918]}, {})
    assert ok.verdict == "supported" and ok.reason is None


def test_beats_lower_is_better():
    pre = Beats("err", 1.0, 0.5, higher_is_better=False)
    assert pre.check({"err": [0.1, 0.2]}, {}).holds
    assert not pre.check({"err": [0.9, 0.8]}, {}).holds
    assert not pre.check({"err": [float("nan")]}, {}).holds


def test_converged_is_two_sided_and_judged_over_seeds():
    rising = [list(np.linspace(0.1, 0.9, 50)), list(np.linspace(0.1, 0.88, 50))]
    flat = [[min(0.1 + 0.05 * i, 0.9) for i in range(50)]] * 2
    pre = Converged("curve", tol=0.01)
    res = pre.check({}, {"curve": rising})
    assert not res.holds and "still improving (+0.14" in res.value and res.window == 10
    assert res.type == "Converged" and res.params["tol"] == 0.01
    assert pre.check({}, {"curve": flat}).holds
    falling = [list(np.linspace(0.9, 0.8, 50))] * 3  # an accuracy getting worse
    worse = pre.check({}, {"curve": falling})
    assert not worse.holds and "getting worse" in worse.value
    loss = Converged("loss", tol=0.01, higher_is_better=False)
    assert not loss.check({}, {"loss": [list(np.linspace(2, 1, 40))]}).holds
    assert loss.check({}, {"loss": [[1.0] * 40]}).holds


def test_converged_does_not_flip_on_noise_within_its_interval():
    rng = np.random.default_rng(1)
    # The mean change over the window sits just above tol, but the seeds disagree:
    # the interval of per-seed changes straddles tol, so the check holds.
    curves = [
        list(np.r_[np.linspace(0, 0.5, 40), 0.5 + d * np.linspace(0, 1, 10)])
        for d in rng.normal(0.012, 0.02, 4)
    ]
    assert Converged("c", tol=0.01).check({}, {"c": curves}).holds


def test_converged_needs_a_window_of_five_evaluations():
    short = [[0.1, 0.5, 0.8, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]] * 2  # last fifth: 2 points
    res = Converged("c", tol=0.01).check({}, {"c": short})
    assert not res.holds and f"{MIN_WINDOW} are needed" in res.value


def test_converged_relative_to_the_curves_range():
    loss = [list(np.r_[np.linspace(1000, 100, 40), np.linspace(100, 95, 10)])] * 2
    # 5 of a 905 range over the last fifth: 0.55% of the range
    assert (
        Converged("l", tol=0.01, higher_is_better=False, relative=True).check({}, {"l": loss}).holds
    )
    assert (
        not Converged("l", tol=0.001, higher_is_better=False, relative=True)
        .check({}, {"l": loss})
        .holds
    )


def test_a_still_improving_winner_leaves_a_supported_verdict_standing_conservatively():
    rising = [list(np.r_[np.linspace(0.2, 0.9, 40), np.linspace(0.9, 0.95, 10)])] * 3
    flat = [[0.5] * 50] * 3
    claim = Claim(
        "cnn-wins",
        "CNN beats MLP by 2 points",
        Greater("cnn", "mlp", 0.02),
        "supported",
        "x",
        kind="empirical",
        unit="points",
        preconditions=(
            Converged("curve_cnn", 0.01, favours="supported"),
            Converged("curve_mlp", 0.01),
        ),
    )
    series = {"curve_cnn": rising, "curve_mlp": flat}
    won = claim.check({"cnn": [0.95, 0.94, 0.96], "mlp": [0.5, 0.52, 0.49]}, series)
    assert won.verdict == "supported" and won.note.startswith("conservative")
    # The same unconverged winner cannot let a refutation stand: more training could flip it.
    lost = claim.check({"cnn": [0.51, 0.50, 0.52], "mlp": [0.5, 0.52, 0.49]}, series)
    assert lost.verdict == "inconclusive" and "still improving" in lost.reason
    # A still-improving loser blocks every verdict.
    claim2 = Claim(
        "c2",
        "s",
        Greater("cnn", "mlp", 0.02),
        "supported",
        "x",
        kind="empirical",
        unit="points",
        preconditions=(Converged("curve_mlp", 0.01),),
    )
    res = claim2.check({"cnn": [0.95, 0.94, 0.96], "mlp": [0.5, 0.52, 0.49]}, {"curve_mlp": rising})
    assert res.verdict == "inconclusive"


def test_identities_are_judged_on_every_seed_not_on_the_mean():
    # Holds on average (mean 0.7 ≤ 0.76) but fails on one seed: not supported.
    x = [0.5, 0.5, 0.5, 0.5, 0.8, 0.9]
    assert verdict(AtMost("x", 0.76), kind="empirical", x=x * 2) is S
    assert verdict(AtMost("x", 0.76), kind="identity", x=x) is I
    assert verdict(AtMost("x", 0.76), kind="identity", x=[0.5, 0.6]) is S
    assert verdict(AtMost("x", 0.76), kind="identity", x=[0.8, 0.9]) is R
    res = Claim("c", "s", AtMost("x", 0.76), "supported", "x", kind="identity", unit="").check(
        {"x": x}, {}
    )
    assert res.ci == (0.5, 0.9)  # the range, not a t interval


def test_ratio_rule_for_quantities_spanning_orders_of_magnitude():
    fb0 = [0.008, 0.006, 0.009, 0.007]
    fb1 = [0.003, 0.002, 0.0035, 0.0025]
    claim = Claim(
        "fb",
        "bias 1 at least halves the error",
        Ratio("fb1", "fb0", 0.8),
        "supported",
        "x",
        kind="empirical",
        unit="×",
    )
    res = claim.check({"fb0": fb0, "fb1": fb1}, {})
    assert res.verdict == "supported"
    assert res.estimate == pytest.approx(np.exp(np.mean(np.log(np.divide(fb1, fb0)))))
    assert res.ci[0] < res.estimate < res.ci[1] < 0.8
    assert verdict(Ratio("fb1", "fb0", 0.8, at_most=False), fb0=fb0, fb1=fb1) is R


def test_statements_name_the_budget_the_run_used():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Deep:
        steps: int = 4800

    @dataclass(frozen=True)
    class Cfg:
        steps: int = 1500
        lr: float = 0.1
        deep: Deep = Deep()

    text = "After {cfg.steps} steps at lr {cfg.lr} (deep net {cfg.deep.steps}); {cfg.nope}"
    assert render_statement(text, Cfg()) == (
        "After 1,500 steps at lr 0.1 (deep net 4,800 steps); {cfg.nope}".replace(
            "4,800 steps", "4,800"
        )
    )
    assert render_statement(text, {"steps": 3000, "lr": 0.5, "deep": {"steps": 10}}).startswith(
        "After 3,000 steps at lr 0.5 (deep net 10)"
    )


def test_enough_items():
    pre = EnoughItems("pairs", 30)
    assert not pre.check({}, {"pairs": [[1.0] * 29, [1.0] * 40]}).holds
    assert EnoughItems("n", 30).check({"n": [31.0, 30.0]}, {}).holds
    # Planned from a resolution and an item spread: (1.96 + 0.84)² · (0.5 / 0.05)² ≈ 785
    planned = EnoughItems.planned("pairs", resolution=0.05, planned_sd=0.5)
    assert planned.at_least == 785 and planned.planned_sd == 0.5


def test_seeds_that_change_nothing_get_no_interval():
    claim = Claim(
        "mrr", "MRR at least 0.5", AtLeast("mrr", 0.5), "supported", "x", kind="empirical", unit=""
    )
    res = claim.check({"mrr": [0.7, 0.7, 0.7]}, {})
    assert res.verdict == "inconclusive" and "over items" in res.reason
    at_bound = Claim(
        "acc", "perfect", AtLeast("acc", 0.9), "supported", "x", kind="empirical", unit="%"
    ).check({"acc": [1.0, 1.0, 1.0]}, {})
    assert at_bound.verdict == "supported"


def test_items_replication_bootstraps_over_items_nested_in_seeds():
    rng = np.random.default_rng(0)
    items = rng.normal(0.7, 0.2, 200)
    claim = Claim(
        "mrr",
        "MRR at least 0.5",
        AtLeast("rr", 0.5),
        "supported",
        "x",
        kind="empirical",
        unit="",
        replication="items",
    )
    res = claim.check({}, {"rr": [list(items)] * 3})  # the seed changes nothing
    assert res.verdict == "supported" and res.n == 200 and res.replication == "items"
    half = (res.ci[1] - res.ci[0]) / 2
    assert 0.5 * 1.96 * items.std() / np.sqrt(200) < half < 1.5 * 1.96 * items.std() / np.sqrt(200)
    assert claim.check({}, {"rr": [list(items)] * 3}) == res  # seeded: reproducible
    paired = Claim(
        "p",
        "a beats b",
        Greater("a", "b", 0.05),
        "supported",
        "x",
        kind="empirical",
        unit="",
        replication="items",
    )
    res2 = paired.check({}, {"a": [list(items + 0.2)], "b": [list(items)]})
    assert res2.verdict == "supported" and abs(res2.estimate - 0.2) < 1e-9


def test_inconclusive_says_how_many_seeds_would_decide():
    claim = Claim(
        "g", "a beats b by 1", Greater("a", "b", 1.0), "supported", "x", kind="empirical", unit="ms"
    )
    res = claim.check({"a": [3.0, 1.0, 4.0], "b": [1.0, 1.0, 1.0]}, {})
    assert res.verdict == "inconclusive" and res.to_decide and res.to_decide > 3
    assert f"about {res.to_decide} seeds" in res.reason
    one = claim.check({"a": [3.0], "b": [1.0]}, {})
    assert one.verdict == "inconclusive" and one.reason == "one seed: no interval"


def test_stored_verdicts_are_validated():
    import pytest

    from deepfaq.core.errors import DamagedFile

    good = (
        Claim("c", "s", AtLeast("a", 0.0), "supported", "x", kind="empirical", unit="")
        .check({"a": [1.0, 2.0]}, {})
        .to_dict()
    )
    for key, bad in (
        ("verdict", "<script>alert(4)</script>"),
        ("kind", "guess"),
        ("replication", "vibes"),
    ):
        with pytest.raises(DamagedFile):
            ClaimResult.from_dict({**good, key: bad})


def test_a_planned_item_count_that_falls_short_labels_but_does_not_block():
    rng = np.random.default_rng(3)
    big = list(rng.normal(0.45, 0.3, 200))  # far beyond the margin on 200 items
    guard = EnoughItems.planned("d", resolution=0.05, planned_sd=0.7)
    assert guard.at_least > 200
    claim = Claim(
        "g",
        "a beats b by 5 points",
        AtLeast("d", 0.05),
        "supported",
        "x",
        kind="empirical",
        unit="points",
        replication="items",
        preconditions=(guard,),
    )
    decided = claim.check({}, {"d": [big]})
    assert decided.verdict == "supported"
    assert decided.note.startswith("decided with fewer items than planned")
    near = list(rng.normal(0.06, 0.7, 200))  # on the boundary: undecided
    res = claim.check({}, {"d": [near]})
    assert res.verdict == "inconclusive" and res.reason.startswith("too few items by design")
    assert "contains the boundary" in res.reason
    # A guard without a plan (a count the code needs) blocks as before.
    hard = Claim(
        "h",
        "s",
        AtLeast("d", 0.05),
        "supported",
        "x",
        kind="empirical",
        unit="points",
        replication="items",
        preconditions=(EnoughItems("d", 500),),
    )
    assert hard.check({}, {"d": [big]}).verdict == "inconclusive"
