"""The measures behind upsampling's per-phase variance and zero-init's exact collapse."""

import pytest
import torch
from torch import nn

from deepfaq.experiments.upsampling import Config, phase_variances, upsample
from deepfaq.experiments.zero_init import collapse_error, collapse_to_one_unit


def test_output_variance_over_random_inputs_is_the_sum_of_squared_taps():
    """For one fixed layer, the variance over i.i.d. unit inputs at an output pixel is
    the sum of the squared weights that reach it: the layer with squared weights and no
    bias, applied to all ones. The per-phase measure rests on this."""
    torch.manual_seed(0)
    layer = upsample("deconv_k3s2", 4, 1)
    x = torch.randn(20000, 4, 6, 6, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        measured = layer(x).var(0)[0, 2:-2, 2:-2]
        squared = upsample("deconv_k3s2", 4, 1)
        squared.weight.copy_(layer.weight**2)
        squared.bias.zero_()
        expected = squared(torch.ones(1, 4, 6, 6))[0, 0, 2:-2, 2:-2]
    torch.testing.assert_close(measured, expected, rtol=0.05, atol=0)


@pytest.mark.parametrize(
    "kind,counts",
    [
        ("deconv_k3s2", [[1, 2], [2, 4]]),
        ("deconv_k2s2", [[1, 1], [1, 1]]),
        ("deconv_k4s2", [[1, 1], [1, 1]]),
        ("resize_conv", [[1, 1], [1, 1]]),
    ],
)
def test_per_phase_variance_follows_the_overlap_counts(kind, counts):
    g = torch.Generator().manual_seed(0)
    v = phase_variances(kind, Config(init_draws=2), g)
    assert v.shape == (2, 2)
    ratios = torch.tensor(v / v.min())
    torch.testing.assert_close(ratios, torch.tensor(counts, dtype=ratios.dtype), rtol=0.1, atol=0)


def _net(width: int, copies: bool) -> nn.Sequential:
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(5, width), nn.Tanh(), nn.Linear(width, 3))
    if copies:
        with torch.no_grad():
            net[0].weight.copy_(net[0].weight[:1].expand(width, -1))
            net[0].bias.fill_(net[0].bias[0].item())
            net[2].weight.copy_(torch.randn(3, 1).expand(-1, width))
    return net


def test_a_network_of_copies_collapses_exactly_to_one_unit():
    net = _net(7, copies=True)
    X = torch.randn(50, 5)
    one = collapse_to_one_unit(net)
    assert one[0].out_features == 1 and one[2].in_features == 1
    torch.testing.assert_close(one(X), net(X), rtol=1e-5, atol=1e-6)
    assert collapse_error(net, X) < 1e-12


def test_the_collapse_of_distinct_units_is_far_off():
    net = _net(7, copies=False)
    assert collapse_error(net, torch.randn(50, 5)) > 0.1
