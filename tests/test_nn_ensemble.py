"""Each ensemble block equals K separate torch modules with the same weights,
forward and backward (gradients of every model's weights and of the inputs)."""

import pytest
import torch
from torch import nn

from deepfaq.nn.ensemble import (
    EnsembleBatchNorm,
    EnsembleConv1d,
    EnsembleConv2d,
    EnsembleGRU,
    EnsembleLinear,
    EnsembleLSTM,
    clip_grad_norm_per_model,
)

K, B = 3, 5


def _modules(make, seed=0):
    mods = []
    for k in range(K):
        torch.manual_seed(seed + k)  # each model from its own seed
        mods.append(make().double())
    return mods


def _check(ensemble, modules, x, run_one=lambda m, xk: m(xk)):
    xe = x.clone().requires_grad_()
    xs = [x[k].clone().requires_grad_() for k in range(K)]
    ye = ensemble(xe)
    ys = [run_one(m, xk) for m, xk in zip(modules, xs, strict=True)]
    torch.testing.assert_close(ye, torch.stack(ys))
    w = torch.linspace(-1, 1, ye.numel(), dtype=torch.float64).view_as(ye)
    (ye * w).sum().backward()
    for k, yk in enumerate(ys):
        (yk * w[k]).sum().backward()
    torch.testing.assert_close(xe.grad, torch.stack([xk.grad for xk in xs]))
    for name, p in ensemble.named_parameters():
        ref_name = {
            "weight_ih": "weight_ih_l0",
            "weight_hh": "weight_hh_l0",
            "bias_ih": "bias_ih_l0",
            "bias_hh": "bias_hh_l0",
        }.get(name, name)
        torch.testing.assert_close(
            p.grad,
            torch.stack([dict(m.named_parameters())[ref_name].grad for m in modules]),
            msg=name,
        )


@pytest.mark.parametrize("bias", [True, False])
def test_linear(bias):
    mods = _modules(lambda: nn.Linear(4, 6, bias=bias))
    _check(
        EnsembleLinear.from_modules(mods).double(), mods, torch.randn(K, B, 4, dtype=torch.float64)
    )


@pytest.mark.parametrize("stride,padding,groups", [(1, 0, 1), (2, 1, 1), (1, 2, 2)])
def test_conv1d(stride, padding, groups):
    mods = _modules(lambda: nn.Conv1d(4, 6, 3, stride=stride, padding=padding, groups=groups))
    _check(EnsembleConv1d.from_modules(mods), mods, torch.randn(K, B, 4, 20, dtype=torch.float64))


def test_conv2d():
    mods = _modules(lambda: nn.Conv2d(2, 4, 3, stride=2, padding=1))
    _check(EnsembleConv2d.from_modules(mods), mods, torch.randn(K, B, 2, 9, 9, dtype=torch.float64))


@pytest.mark.parametrize(
    "shape,make",
    [
        ((K, B, 4), lambda: nn.BatchNorm1d(4)),
        ((K, B, 4, 7), lambda: nn.BatchNorm1d(4)),
        ((K, B, 4, 3, 3), lambda: nn.BatchNorm2d(4)),
    ],
)
def test_batchnorm_train_and_eval(shape, make):
    mods = _modules(make)
    for m in mods:  # distinct affine parameters per model
        nn.init.normal_(m.weight)
        nn.init.normal_(m.bias)
    ens = EnsembleBatchNorm.from_modules(mods).double()
    x = torch.randn(*shape, dtype=torch.float64) * 3 + 1
    _check(ens, mods, x)
    torch.testing.assert_close(ens.running_mean, torch.stack([m.running_mean for m in mods]))
    torch.testing.assert_close(ens.running_var, torch.stack([m.running_var for m in mods]))
    ens.eval()
    for m in mods:
        m.eval()
    with torch.no_grad():
        torch.testing.assert_close(ens(x), torch.stack([m(x[k]) for k, m in enumerate(mods)]))


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_recurrent(kind):
    cls, ref = (EnsembleLSTM, nn.LSTM) if kind == "lstm" else (EnsembleGRU, nn.GRU)
    mods = _modules(lambda: ref(3, 5, batch_first=True))
    _check(
        cls.from_modules(mods),
        mods,
        torch.randn(K, B, 7, 3, dtype=torch.float64),
        run_one=lambda m, xk: m(xk)[0],
    )


def test_per_model_clipping_equals_clipping_each_model():
    mods = _modules(lambda: nn.Linear(4, 3))
    ens = EnsembleLinear.from_modules(mods).double()
    x = torch.randn(K, B, 4, dtype=torch.float64) * torch.tensor([1.0, 10.0, 100.0]).view(K, 1, 1)
    (ens(x) ** 2).sum().backward()
    for k, m in enumerate(mods):
        (m(x[k]) ** 2).sum().backward()
        nn.utils.clip_grad_norm_(m.parameters(), 1.0)
    clip_grad_norm_per_model(ens.parameters(), 1.0)
    torch.testing.assert_close(ens.weight.grad, torch.stack([m.weight.grad for m in mods]))
    torch.testing.assert_close(ens.bias.grad, torch.stack([m.bias.grad for m in mods]))


def test_adam_on_an_ensemble_equals_adam_per_model():
    """Adam is elementwise: one optimiser over the stacked weights takes the same
    steps as K optimisers, so an ensemble trains K independent models."""
    mods = _modules(lambda: nn.Linear(4, 2))
    ens = EnsembleLinear.from_modules(mods).double()
    opt_e = torch.optim.Adam(ens.parameters(), lr=0.1)
    opts = [torch.optim.Adam(m.parameters(), lr=0.1) for m in mods]
    g = torch.Generator().manual_seed(1)
    for _ in range(5):
        x = torch.randn(K, B, 4, generator=g, dtype=torch.float64)
        opt_e.zero_grad()
        ens(x).pow(2).mean(dim=(1, 2)).sum().backward()
        opt_e.step()
        for k, (m, o) in enumerate(zip(mods, opts, strict=True)):
            o.zero_grad()
            m(x[k]).pow(2).mean().backward()
            o.step()
    torch.testing.assert_close(ens.weight.data, torch.stack([m.weight.data for m in mods]))


def test_ensemble_of_a_sequential_cnn_and_unstack():
    def cnn():
        return nn.Sequential(
            nn.Conv1d(1, 6, 5, stride=2, padding=1),
            nn.ReLU(),
            nn.BatchNorm1d(6),
            nn.Conv1d(6, 6, 3, stride=2, padding=1),
            nn.Tanh(),
            nn.MaxPool1d(2),
            nn.Flatten(),
            nn.Linear(6 * 5, 10),
        )

    from deepfaq.nn.ensemble import ensemble_of, unstack

    mods = _modules(cnn)
    ens = ensemble_of(mods)
    _check(ens, mods, torch.randn(K, B, 1, 40, dtype=torch.float64))
    fresh = _modules(cnn, seed=50)
    one = unstack(ens, 1, fresh)
    x = torch.randn(B, 1, 40, dtype=torch.float64)
    torch.testing.assert_close(one(x), mods[1](x))
    with pytest.raises(TypeError, match="no ensemble version"):
        ensemble_of([nn.LSTMCell(2, 2)] * K)
