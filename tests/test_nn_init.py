"""Our initialisers against torch.nn.init: same fans, same distributions."""

import math

import pytest
import torch
from scipy import stats

from deepfaq.nn import init

SHAPES = [(300, 200), (64, 16, 3, 3)]


def draw(fn, shape, seed=0, *args):
    g = torch.Generator().manual_seed(seed)
    return fn(torch.empty(shape, dtype=torch.float64), *args, generator=g)


def reference(fn, shape, **kw):
    torch.manual_seed(1)
    return fn(torch.empty(shape, dtype=torch.float64), **kw)


@pytest.mark.parametrize("shape", SHAPES)
def test_fans_match_torch(shape):
    assert init.fans(torch.empty(shape)) == torch.nn.init._calculate_fan_in_and_fan_out(
        torch.empty(shape)
    )


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(
    "ours, theirs, kind",
    [
        (init.xavier_normal_, lambda w: torch.nn.init.xavier_normal_(w), "normal"),
        (init.xavier_uniform_, lambda w: torch.nn.init.xavier_uniform_(w), "uniform"),
        (
            init.he_normal_,
            lambda w: torch.nn.init.kaiming_normal_(w, nonlinearity="relu"),
            "normal",
        ),
        (
            init.he_uniform_,
            lambda w: torch.nn.init.kaiming_uniform_(w, nonlinearity="relu"),
            "uniform",
        ),
        (
            init.lecun_normal_,
            lambda w: torch.nn.init.normal_(w, 0, 1 / math.sqrt(init.fans(w)[0])),
            "normal",
        ),
        (
            init.standard_uniform_,
            lambda w: torch.nn.init.uniform_(
                w, -1 / math.sqrt(init.fans(w)[0]), 1 / math.sqrt(init.fans(w)[0])
            ),
            "uniform",
        ),
    ],
)
def test_same_distribution_as_torch(shape, ours, theirs, kind):
    a = draw(ours, shape).ravel().numpy()
    torch.manual_seed(1)
    b = theirs(torch.empty(shape, dtype=torch.float64)).ravel().numpy()
    # Two-sample Kolmogorov–Smirnov: same distribution (fixed seeds, so no flakiness).
    assert stats.ks_2samp(a, b).pvalue > 0.01
    assert a.std() == pytest.approx(b.std(), rel=0.03)
    if kind == "uniform":
        assert abs(a).max() <= abs(b).max() * 1.001 + 1e-12
        assert abs(a).max() == pytest.approx(abs(b).max(), rel=0.01)


def test_truncated_normal_matches_torch_with_two_std_bounds():
    a = draw(init.truncated_normal_, (400, 400), 0, 0.1).ravel().numpy()
    torch.manual_seed(1)
    b = (
        torch.nn.init.trunc_normal_(
            torch.empty(400, 400, dtype=torch.float64), std=0.1, a=-0.2, b=0.2
        )
        .ravel()
        .numpy()
    )
    assert abs(a).max() <= 0.2
    assert stats.ks_2samp(a, b).pvalue > 0.01
    assert a.std() == pytest.approx(0.1 * math.sqrt(0.7737), rel=0.02)  # truncated variance


def test_zero_constant_and_generator_determinism():
    w = torch.ones(3, 4)
    assert init.zeros_(w).eq(0).all()
    assert init.constant_(w, 0.3).eq(0.3).all()
    assert torch.equal(draw(init.xavier_normal_, (5, 5), 7), draw(init.xavier_normal_, (5, 5), 7))
    assert not torch.equal(
        draw(init.xavier_normal_, (5, 5), 7), draw(init.xavier_normal_, (5, 5), 8)
    )


def test_registry_names_every_initialiser():
    g = torch.Generator().manual_seed(0)
    for name, fn in init.INITIALISERS.items():
        w = fn(torch.empty(50, 40), g)
        assert w.shape == (50, 40), name
