import json

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from deepfaq.core.claims import (
    AtLeast,
    AtMost,
    Claim,
    ClaimResult,
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
    assert verdict(Greater("a", "b"), a=a, b=b) is S
    assert verdict(Greater("a", "b", margin=1.0), a=a, b=b) is R
    assert verdict(Greater("b", "a"), a=a, b=b) is R
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
    claim = Claim("c", "a statement", Greater("a", "b"), "supported", "somebody 2020")
    res = claim.check({"a": [1.0, 2.0, 3.0], "b": [0.0, 0.5, 1.0]})
    back = ClaimResult.from_dict(json.loads(json.dumps(res.to_dict())))
    assert back == res
    assert res.verdict == "supported" and not res.surprise
    refuted = Claim("c", "s", AtLeast("a", 10), "supported", "x").check({"a": [1.0, 2.0]})
    assert refuted.surprise
