"""From-scratch convolution and batch norm against torch."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from deepfaq.nn.batchnorm import BatchNorm1d
from deepfaq.nn.conv import KERNELS, conv2d


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 3),
    c_in=st.integers(1, 3),
    c_out=st.integers(1, 4),
    h=st.integers(3, 9),
    w=st.integers(3, 9),
    k_h=st.integers(1, 3),
    k_w=st.integers(1, 3),
    stride=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    padding=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    bias=st.booleans(),
    seed=st.integers(0, 1000),
)
def test_conv2d_matches_torch(n, c_in, c_out, h, w, k_h, k_w, stride, padding, bias, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, c_in, h, w, generator=g, dtype=torch.float64)
    weight = torch.randn(c_out, c_in, k_h, k_w, generator=g, dtype=torch.float64)
    b = torch.randn(c_out, generator=g, dtype=torch.float64) if bias else None
    ours = conv2d(x, weight, b, stride, padding)
    theirs = torch.nn.functional.conv2d(x, weight, b, stride, padding)
    torch.testing.assert_close(ours, theirs)


def test_conv2d_gradients_match_torch():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(2, 3, 7, 6, generator=g, dtype=torch.float64, requires_grad=True)
    w = torch.randn(4, 3, 3, 3, generator=g, dtype=torch.float64, requires_grad=True)
    x2, w2 = x.detach().clone().requires_grad_(), w.detach().clone().requires_grad_()
    conv2d(x, w, stride=2, padding=1).pow(2).sum().backward()
    torch.nn.functional.conv2d(x2, w2, stride=2, padding=1).pow(2).sum().backward()
    torch.testing.assert_close(x.grad, x2.grad)
    torch.testing.assert_close(w.grad, w2.grad)


def test_conv2d_rejects_channel_mismatch():
    with pytest.raises(ValueError, match="input channels"):
        conv2d(torch.zeros(1, 2, 5, 5), torch.zeros(1, 3, 3, 3))


def test_kernels_do_what_they_say():
    img = torch.ones(1, 1, 6, 6)
    flat = {k: conv2d(img, v.view(1, 1, 3, 3))[0, 0] for k, v in KERNELS.items()}
    torch.testing.assert_close(flat["blur"], torch.ones(4, 4))  # averages keep flat regions
    torch.testing.assert_close(flat["edges (Laplacian)"], torch.zeros(4, 4))  # no edge, no response
    torch.testing.assert_close(flat["sharpen"], torch.ones(4, 4))


@pytest.mark.parametrize("shape", [(16, 5), (8, 5, 7)])
@pytest.mark.parametrize("affine", [True, False])
def test_batchnorm_matches_torch_in_both_modes(shape, affine):
    torch.manual_seed(0)
    ours = BatchNorm1d(5, affine=affine).double()
    theirs = torch.nn.BatchNorm1d(5, affine=affine).double()
    if affine:
        with torch.no_grad():
            for m in (ours, theirs):
                m.weight.copy_(torch.linspace(0.5, 2, 5, dtype=torch.float64))
                m.bias.copy_(torch.linspace(-1, 1, 5, dtype=torch.float64))
    for step in range(4):  # several training batches move the running statistics
        x = torch.randn(*shape, dtype=torch.float64) * 3 + step
        x1, x2 = x.clone().requires_grad_(), x.clone().requires_grad_()
        y1, y2 = ours(x1), theirs(x2)
        torch.testing.assert_close(y1, y2)
        (y1 * torch.arange(y1.numel()).view_as(y1)).sum().backward()
        (y2 * torch.arange(y2.numel()).view_as(y2)).sum().backward()
        torch.testing.assert_close(x1.grad, x2.grad)
        if affine:
            torch.testing.assert_close(ours.weight.grad, theirs.weight.grad)
            torch.testing.assert_close(ours.bias.grad, theirs.bias.grad)
    torch.testing.assert_close(ours.running_mean, theirs.running_mean)
    torch.testing.assert_close(ours.running_var, theirs.running_var)
    assert ours.num_batches_tracked == theirs.num_batches_tracked
    ours.eval()
    theirs.eval()
    x = torch.randn(*shape, dtype=torch.float64)
    torch.testing.assert_close(ours(x), theirs(x))


def test_batchnorm_state_dict_is_interchangeable_with_torch():
    theirs = torch.nn.BatchNorm1d(3)
    theirs(torch.randn(10, 3))
    ours = BatchNorm1d(3)
    ours.load_state_dict(theirs.state_dict())
    ours.eval()
    theirs.eval()
    x = torch.randn(4, 3)
    torch.testing.assert_close(ours(x), theirs(x))


def test_normalised_batch_has_zero_mean_unit_variance():
    x = torch.randn(64, 10, dtype=torch.float64) * 7 + 3
    x_hat = BatchNorm1d(10).double().normalise(x)
    torch.testing.assert_close(x_hat.mean(0), torch.zeros(10, dtype=torch.float64))
    torch.testing.assert_close(
        x_hat.var(0, unbiased=False), torch.ones(10, dtype=torch.float64), atol=1e-5, rtol=0
    )


def test_normalise_is_the_step_of_torchs_batch_norm_for_any_layout():
    """The one normalisation step BatchNorm1d and EnsembleBatchNorm both call: over the
    axes given, with running estimates moved as torch moves them."""
    from deepfaq.nn.batchnorm import normalise

    g = torch.Generator().manual_seed(3)
    x = torch.randn(3, 8, 4, 5, generator=g, dtype=torch.float64) * 2 + 1  # [K, batch, C, L]
    rm, rv = torch.zeros(3, 4, dtype=torch.float64), torch.ones(3, 4, dtype=torch.float64)
    ours = normalise(x, (1, 3), rm, rv, training=True, momentum=0.2, eps=1e-5)
    for k in range(3):
        trm, trv = torch.zeros(4, dtype=torch.float64), torch.ones(4, dtype=torch.float64)
        theirs = torch.nn.functional.batch_norm(x[k], trm, trv, training=True, momentum=0.2)
        torch.testing.assert_close(ours[k], theirs)
        torch.testing.assert_close(rm[k], trm)
        torch.testing.assert_close(rv[k], trv)
    frozen = normalise(x, (1, 3), rm, rv, training=False, eps=1e-5)
    torch.testing.assert_close(
        frozen, (x - rm[:, None, :, None]) / (rv[:, None, :, None] + 1e-5).sqrt()
    )


def test_ensemble_of_our_batchnorm_equals_each_model():
    from deepfaq.nn.ensemble import EnsembleBatchNorm

    torch.manual_seed(1)
    mods = [BatchNorm1d(5).double() for _ in range(3)]
    with torch.no_grad():
        for i, m in enumerate(mods):
            m.weight.copy_(torch.linspace(0.5, 2, 5) + i)
            m.bias.copy_(torch.linspace(-1, 1, 5) - i)
    ens = EnsembleBatchNorm.from_modules(mods).double()
    for step in range(3):
        x = torch.randn(3, 16, 5, dtype=torch.float64) * 3 + step
        torch.testing.assert_close(ens(x), torch.stack([m(x[k]) for k, m in enumerate(mods)]))
    torch.testing.assert_close(ens.running_var, torch.stack([m.running_var for m in mods]))
    ens.eval()
    for m in mods:
        m.eval()
    x = torch.randn(3, 4, 5, dtype=torch.float64)
    torch.testing.assert_close(ens(x), torch.stack([m(x[k]) for k, m in enumerate(mods)]))
