"""EnsembleDropout against torch.nn.Dropout's semantics: inverted scaling, the identity
in evaluation, the share dropped, gradients through kept values only, and one random
stream per member."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from deepfaq.nn.ensemble import EnsembleDropout


def generators(k: int, start: int = 0) -> list[torch.Generator]:
    return [torch.Generator().manual_seed(start + i) for i in range(k)]


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_kept_values_are_scaled_like_torch_and_the_share_dropped_is_p(p):
    x = torch.rand(3, 400, 50) + 0.5  # no zeros, so a zero output means dropped
    ours = EnsembleDropout(p, generators(3))(x)
    theirs = nn.Dropout(p)(x)
    for y in (ours, theirs):  # torch's own dropout obeys the same two rules
        kept = y != 0
        assert torch.allclose(y[kept], x[kept] / (1 - p), rtol=1e-6)
        assert abs((~kept).float().mean().item() - p) < 0.01  # 60,000 values: sd 0.002
    # Each member's share dropped is p as well (each has its own stream).
    share = (ours == 0).float().mean((1, 2))
    assert torch.allclose(share, torch.full_like(share, p), atol=0.02)


def test_the_expected_value_is_the_input():
    """Averaged over many masks, inverted dropout returns the input (as torch's does)."""
    x = torch.linspace(0.5, 2.0, 10).repeat(2, 1, 1)  # [2, 1, 10]
    layer = EnsembleDropout(0.5, generators(2))
    mean = torch.stack([layer(x) for _ in range(20_000)]).mean(0)
    assert torch.allclose(mean, x, rtol=0.03)  # sd of the mean: 0.7% of x


def test_evaluation_is_the_identity_like_torch():
    x = torch.randn(4, 8, 5)
    layer, reference = EnsembleDropout(0.5, generators(4)), nn.Dropout(0.5)
    layer.eval(), reference.eval()
    assert torch.equal(layer(x), x) and torch.equal(reference(x[0]), x[0])


def test_p_zero_and_one_like_torch():
    x = torch.randn(2, 6, 3)
    assert torch.equal(EnsembleDropout(0.0, generators(2))(x), x)
    assert torch.equal(EnsembleDropout(1.0, generators(2))(x), torch.zeros_like(x))
    assert torch.equal(nn.Dropout(1.0)(x), torch.zeros_like(x))
    with pytest.raises(ValueError):
        EnsembleDropout(1.5, generators(2))


def test_gradient_flows_through_kept_values_only_like_torch():
    x = torch.rand(2, 30, 20).add_(0.5).requires_grad_()
    y = EnsembleDropout(0.3, generators(2))(x)
    y.sum().backward()
    kept = y.detach() != 0
    assert torch.allclose(x.grad[kept], torch.full_like(x.grad[kept], 1 / 0.7))
    assert torch.equal(x.grad[~kept], torch.zeros_like(x.grad[~kept]))
    x0 = x.detach()[0].clone().requires_grad_()
    y0 = nn.Dropout(0.3)(x0)
    y0.sum().backward()
    assert torch.allclose(x0.grad, (y0.detach() != 0).float() / 0.7)


def test_each_member_draws_from_its_own_stream():
    """Member k's masks depend only on its generator: the same whether it trains alone
    or beside others, and different from its neighbours'; the global generator is not
    touched."""
    x = torch.ones(3, 16, 32)
    state = torch.get_rng_state()
    together = EnsembleDropout(0.5, generators(3))(x)
    assert torch.equal(torch.get_rng_state(), state)
    alone = EnsembleDropout(0.5, generators(1, start=1))(x[1:2])
    assert torch.equal(together[1:2], alone)
    assert not torch.equal(together[0], together[1])
    again = EnsembleDropout(0.5, generators(3))(x)  # same seeds, same masks
    assert torch.equal(together, again)


def test_from_modules_and_a_wrong_member_count():
    layer = EnsembleDropout.from_modules([nn.Dropout(0.25)] * 2, generators(2))
    assert layer.p == 0.25 and len(layer.generators) == 2
    with pytest.raises(ValueError):
        EnsembleDropout.from_modules([nn.Dropout(0.25), nn.Dropout(0.5)], generators(2))
    with pytest.raises(ValueError):
        layer(torch.ones(3, 4, 5))
