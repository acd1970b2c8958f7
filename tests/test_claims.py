import json

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from deepfaq.core.claims import (
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
    Verdict,
    Within,
)

S, R, I = Verdict.SUPPORTED, Verdict.REFUTED, Verdict.INCONCLUSIVE


def verdict(rule, **metrics):
    return rule.evaluate({k: list(v) for k, v in metrics.items()})[0]


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
    refuted = Claim("c", "s", AtLeast("a", 10), "supported", "x").check({"a": [1.0, 2.0]})
    assert refuted.surprise


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
    metrics = {"a": [0.55, 0.54, 0.56], "b": [0.90, 0.89, 0.91], "chance": [0.5] * 3}
    assert claim.rule.evaluate(metrics)[0] is R  # the rule alone would refute
    res = claim.check(metrics, {})
    assert res.verdict == "inconclusive"
    assert res.reason.startswith("precondition failed: a at least 0.1 above chance")
    assert "0.55 vs 0.5" in res.reason
    assert [p.holds for p in res.preconditions] == [False, True]
    ok = claim.check({**metrics, "a": [0.905, 0.89, 0.912]}, {})
    assert ok.verdict == "supported" and ok.reason is None


def test_beats_lower_is_better():
    pre = Beats("err", 1.0, 0.5, higher_is_better=False)
    assert pre.check({"err": [0.1, 0.2]}, {}).holds
    assert not pre.check({"err": [0.9, 0.8]}, {}).holds
    assert not pre.check({"err": [float("nan")]}, {}).holds


def test_converged_reads_the_tail_of_the_mean_curve():
    rising = [list(np.linspace(0.1, 0.9, 50)), list(np.linspace(0.1, 0.9, 50))]
    flat = [[min(0.1 + 0.05 * i, 0.9) for i in range(50)]] * 2
    pre = Converged("curve", tol=0.01)
    res = pre.check({}, {"curve": rising})
    assert not res.holds and "still rising 0.147" in res.value
    assert pre.check({}, {"curve": flat}).holds
    loss = Converged("loss", tol=0.01, higher_is_better=False)
    assert not loss.check({}, {"loss": [list(np.linspace(2, 1, 40))]}).holds
    assert loss.check({}, {"loss": [[1.0] * 40]}).holds


def test_enough_items():
    pre = EnoughItems("pairs", 30)
    assert not pre.check({}, {"pairs": [[1.0] * 29, [1.0] * 40]}).holds
    assert EnoughItems("n", 30).check({"n": [31.0, 30.0]}, {}).holds


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
