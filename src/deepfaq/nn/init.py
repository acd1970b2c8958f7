"""Weight initialisers, written out.

Each function fills ``tensor`` in place, draws only from the ``generator`` it is
given, and returns the tensor, like ``torch.nn.init``. ``fan_in`` and ``fan_out``
follow torch's convention: a weight of shape ``[out, in, *kernel]`` has
``fan_in = in · prod(kernel)`` and ``fan_out = out · prod(kernel)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch


def fans(tensor: torch.Tensor) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight shaped ``[out, in, *kernel]``."""
    if tensor.dim() < 2:
        raise ValueError("fan in/out need a weight with at least 2 dimensions")
    receptive = math.prod(tensor.shape[2:]) if tensor.dim() > 2 else 1
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


@torch.no_grad()
def zeros_(tensor: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    return tensor.fill_(0.0)


@torch.no_grad()
def constant_(tensor: torch.Tensor, value: float) -> torch.Tensor:
    return tensor.fill_(value)


@torch.no_grad()
def normal_(
    tensor: torch.Tensor, std: float = 1.0, generator: torch.Generator | None = None
) -> torch.Tensor:
    """N(0, std²) for every entry."""
    z = torch.randn(tensor.shape, generator=generator, dtype=tensor.dtype)
    return tensor.copy_(z * std)


@torch.no_grad()
def uniform_(
    tensor: torch.Tensor, bound: float, generator: torch.Generator | None = None
) -> torch.Tensor:
    """U[-bound, bound] for every entry."""
    u = torch.rand(tensor.shape, generator=generator, dtype=tensor.dtype)
    return tensor.copy_((2.0 * u - 1.0) * bound)


@torch.no_grad()
def truncated_normal_(
    tensor: torch.Tensor, std: float = 0.1, generator: torch.Generator | None = None
) -> torch.Tensor:
    """N(0, std²) redrawn until every value lies within two standard deviations.

    This is TensorFlow's ``truncated_normal`` (the "std 0.1" recipe of many
    tutorials). Note that ``torch.nn.init.trunc_normal_`` cuts at absolute
    bounds ``a=-2, b=2`` by default, which for std 0.1 cuts nothing.
    The truncation lowers the variance to about 0.774·std².
    """
    out = torch.randn(tensor.shape, generator=generator, dtype=tensor.dtype) * std
    bad = out.abs() > 2 * std
    while bad.any():
        out[bad] = torch.randn(int(bad.sum()), generator=generator, dtype=tensor.dtype) * std
        bad = out.abs() > 2 * std
    return tensor.copy_(out)


def lecun_normal_(tensor: torch.Tensor, generator: torch.Generator | None = None):
    """N(0, 1/fan_in): keeps the variance of a linear layer's output equal to its
    input's (LeCun et al. 1998)."""
    return normal_(tensor, 1.0 / math.sqrt(fans(tensor)[0]), generator)


def standard_uniform_(tensor: torch.Tensor, generator: torch.Generator | None = None):
    """U[-1/√fan_in, 1/√fan_in], the "commonly used heuristic" that Glorot &
    Bengio (2010) call standard initialisation: variance 1/(3·fan_in)."""
    return uniform_(tensor, 1.0 / math.sqrt(fans(tensor)[0]), generator)


def xavier_normal_(
    tensor: torch.Tensor, gain: float = 1.0, generator: torch.Generator | None = None
):
    """N(0, gain²·2/(fan_in+fan_out)) (Glorot & Bengio 2010)."""
    fan_in, fan_out = fans(tensor)
    return normal_(tensor, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def xavier_uniform_(
    tensor: torch.Tensor, gain: float = 1.0, generator: torch.Generator | None = None
):
    """U[-a, a] with a = gain·√(6/(fan_in+fan_out)): the same variance as
    :func:`xavier_normal_`, since U[-a, a] has variance a²/3."""
    fan_in, fan_out = fans(tensor)
    return uniform_(tensor, gain * math.sqrt(6.0 / (fan_in + fan_out)), generator)


def he_normal_(tensor: torch.Tensor, generator: torch.Generator | None = None):
    """N(0, 2/fan_in) for ReLU networks (He et al. 2015): ReLU zeroes half of
    its input, so the weights carry twice LeCun's variance."""
    return normal_(tensor, math.sqrt(2.0 / fans(tensor)[0]), generator)


def he_uniform_(tensor: torch.Tensor, generator: torch.Generator | None = None):
    """U[-a, a] with a = √(6/fan_in): the uniform draw with He's variance."""
    return uniform_(tensor, math.sqrt(6.0 / fans(tensor)[0]), generator)


Initialiser = Callable[[torch.Tensor, torch.Generator], torch.Tensor]

#: The initialisers by name, each as ``fn(weight, generator)``.
INITIALISERS: dict[str, Initialiser] = {
    "zeros": zeros_,
    "normal": lambda w, g: normal_(w, 1.0, g),
    "lecun-normal": lecun_normal_,
    "truncated-normal-0.1": lambda w, g: truncated_normal_(w, 0.1, g),
    "standard-uniform": standard_uniform_,
    "xavier-normal": lambda w, g: xavier_normal_(w, 1.0, g),
    "xavier-uniform": lambda w, g: xavier_uniform_(w, 1.0, g),
    "he-normal": he_normal_,
    "he-uniform": he_uniform_,
}
