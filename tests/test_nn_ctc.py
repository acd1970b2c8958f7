"""CTC decoding against exhaustive search; edit distance on known cases."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from deepfaq.nn.ctc import (
    character_error_rate,
    collapse,
    edit_distance,
    exhaustive_decode,
    greedy_decode,
    prefix_beam_search,
)


def random_log_probs(rng, t, k, sharpness=1.0):
    logits = rng.normal(0, sharpness, (t, k))
    return logits - np.log(np.exp(logits).sum(1, keepdims=True))


def test_collapse():
    assert collapse([0, 1, 1, 0, 1, 2, 2, 0]) == (1, 1, 2)
    assert collapse([0, 0, 0]) == ()


@pytest.mark.parametrize("seed", range(12))
def test_wide_beam_search_finds_the_exact_best_labelling(seed):
    rng = np.random.default_rng(seed)
    lp = random_log_probs(rng, t=5, k=3, sharpness=1.5)
    best, score = exhaustive_decode(lp)
    assert prefix_beam_search(lp, beam_width=3**5) == best


@pytest.mark.parametrize("seed", range(6))
def test_exhaustive_score_matches_torch_ctc_loss(seed):
    rng = np.random.default_rng(100 + seed)
    lp = random_log_probs(rng, t=4, k=3)
    best, score = exhaustive_decode(lp)
    if not best:
        pytest.skip("empty best labelling: ctc_loss needs a target")
    loss = torch.nn.functional.ctc_loss(
        torch.tensor(lp).unsqueeze(1),
        torch.tensor([best]),
        torch.tensor([4]),
        torch.tensor([len(best)]),
        blank=0,
        reduction="sum",
    )
    assert -loss.item() == pytest.approx(score, abs=1e-9)


def test_greedy_can_miss_the_best_labelling_that_beam_search_finds():
    # Two steps: blank is likelier at each step, so the best path is "--" → "";
    # but "1" is spelt by 1-, -1 and 11, whose summed probability is larger.
    p = np.array([[0.55, 0.45, 0.0], [0.55, 0.45, 0.0]]) + 1e-12
    lp = np.log(p / p.sum(1, keepdims=True))
    assert greedy_decode(lp) == ()
    assert prefix_beam_search(lp, beam_width=4) == (1,) == exhaustive_decode(lp)[0]


def test_edit_distance_known_cases():
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("", "abc") == 3
    assert edit_distance((1, 2, 3), (1, 2, 3)) == 0
    assert character_error_rate([(1, 2), (3,)], [(1, 2, 4), (3,)]) == pytest.approx(1 / 4)


@settings(max_examples=60)
@given(st.lists(st.integers(0, 3), max_size=6), st.lists(st.integers(0, 3), max_size=6))
def test_edit_distance_is_a_metric(a, b):
    d = edit_distance(a, b)
    assert d == edit_distance(b, a)
    assert abs(len(a) - len(b)) <= d <= max(len(a), len(b))
    assert (d == 0) == (a == b)
    assert not math.isnan(d)


@pytest.mark.parametrize("seed", range(8))
def test_pruned_beam_search_agrees_on_peaky_outputs(seed):
    """Skipping labels below 1e-3 at a step leaves the answer of a peaky (trained-like)
    output unchanged, and a cut-off no label falls below changes nothing at all."""
    rng = np.random.default_rng(200 + seed)
    logits = rng.normal(0, 1, (12, 5))
    logits[:, 0] += 5  # mostly blank …
    for t in rng.choice(12, 4, replace=False):
        logits[t, rng.integers(1, 5)] += 9  # … with a sharp label here and there
    lp = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    assert prefix_beam_search(lp, 8, prune=1e-3) == prefix_beam_search(lp, 8)
    flat = random_log_probs(rng, t=5, k=3)
    assert prefix_beam_search(flat, 8, prune=1e-300) == prefix_beam_search(flat, 8)
