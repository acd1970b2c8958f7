"""Activation functions and their derivatives, written out.

Each derivative is the closed form a textbook gives; the tests compare every one
with autograd. At a kink (ReLU at 0) we use torch's convention: slope 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor, nn


def sigmoid(x: Tensor) -> Tensor:
    """1 / (1 + e^-x), evaluated without overflow for large |x|."""
    e = torch.exp(-x.abs())
    return torch.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(x: Tensor) -> Tensor:
    """σ'(x) = σ(x)(1 − σ(x)), at most 1/4 (at x = 0)."""
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x: Tensor) -> Tensor:
    """(1 − e^{-2|x|}) / (1 + e^{-2|x|}) with the sign of x."""
    e = torch.exp(-2.0 * x.abs())
    return torch.sign(x) * (1.0 - e) / (1.0 + e)


def tanh_grad(x: Tensor) -> Tensor:
    """tanh'(x) = 1 − tanh²(x), at most 1 (at x = 0)."""
    return 1.0 - tanh(x) ** 2


def relu(x: Tensor) -> Tensor:
    return torch.clamp(x, min=0.0)


def relu_grad(x: Tensor) -> Tensor:
    return (x > 0).to(x.dtype)


def leaky_relu(x: Tensor, negative_slope: float = 0.01) -> Tensor:
    return torch.where(x > 0, x, negative_slope * x)


def leaky_relu_grad(x: Tensor, negative_slope: float = 0.01) -> Tensor:
    return torch.where(x > 0, torch.ones_like(x), torch.full_like(x, negative_slope))


def elu(x: Tensor, alpha: float = 1.0) -> Tensor:
    return torch.where(x > 0, x, alpha * torch.expm1(torch.clamp(x, max=0.0)))


def elu_grad(x: Tensor, alpha: float = 1.0) -> Tensor:
    return torch.where(x > 0, torch.ones_like(x), alpha * torch.exp(torch.clamp(x, max=0.0)))


def identity(x: Tensor) -> Tensor:
    return x


def identity_grad(x: Tensor) -> Tensor:
    return torch.ones_like(x)


def softmax(z: Tensor, dim: int = -1) -> Tensor:
    """e^{z_i} / Σ_j e^{z_j}, computed after subtracting max(z): the result is
    unchanged (softmax is shift-invariant) and e^{…} can no longer overflow."""
    e = torch.exp(z - z.amax(dim=dim, keepdim=True))
    return e / e.sum(dim=dim, keepdim=True)


def naive_softmax(z: Tensor, dim: int = -1) -> Tensor:
    """The textbook formula without the max shift; overflows for large z."""
    e = torch.exp(z)
    return e / e.sum(dim=dim, keepdim=True)


def softmax_jacobian(z: Tensor) -> Tensor:
    """∂softmax(z)_i/∂z_j = s_i(δ_ij − s_j) for ``z`` of shape [..., k];
    returns [..., k, k]."""
    s = softmax(z)
    return torch.diag_embed(s) - s.unsqueeze(-1) * s.unsqueeze(-2)


@dataclass(frozen=True)
class Activation:
    """An elementwise nonlinearity with its derivative."""

    name: str
    fn: Callable[[Tensor], Tensor]
    grad: Callable[[Tensor], Tensor]

    def module(self) -> nn.Module:
        return Elementwise(self)


class Elementwise(nn.Module):
    """Wraps an :class:`Activation` as a layer (autograd differentiates ``fn``)."""

    def __init__(self, activation: Activation):
        super().__init__()
        self.activation = activation

    def forward(self, x: Tensor) -> Tensor:
        return self.activation.fn(x)

    def extra_repr(self) -> str:
        return self.activation.name


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("identity", identity, identity_grad),
        Activation("sigmoid", sigmoid, sigmoid_grad),
        Activation("tanh", tanh, tanh_grad),
        Activation("relu", relu, relu_grad),
        Activation("leaky-relu", leaky_relu, leaky_relu_grad),
        Activation("elu", elu, elu_grad),
    )
}
