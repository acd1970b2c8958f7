"""Batch normalisation written out (Ioffe & Szegedy 2015, Algorithm 1).

:func:`normalise` is the step itself, for any layout: standardise each feature over the
axes that hold examples (and positions), and, in training, move the running estimates.
:class:`BatchNorm1d` applies it to ``[batch, features(, length)]``;
:class:`deepfaq.nn.ensemble.EnsembleBatchNorm` applies the same function to K models at
once (``[K, batch, features, ...]``, one set of statistics per model).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn


def normalise(
    x: Tensor,
    dims: tuple[int, ...],
    running_mean: Tensor | None = None,
    running_var: Tensor | None = None,
    *,
    training: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """x̂ = (x − mean) / √(var + ε), per feature, over the axes ``dims`` of ``x``.

    The statistics have the shape of ``x`` without ``dims`` (``[features]`` for a
    batch, ``[K, features]`` for an ensemble), as do the running estimates.

    * ``training`` (or no running estimates): the batch's mean and *biased* variance;
      the running estimates, when given, move toward the batch's mean and *unbiased*
      variance by ``momentum`` (as ``torch.nn.BatchNorm1d`` does);
    * otherwise: the running estimates, so an example's output does not depend on
      the rest of its batch.
    """
    shape = [1 if d in dims else n for d, n in enumerate(x.shape)]  # stats broadcast back
    if training or running_mean is None:
        mean = x.mean(dims)
        var = x.var(dims, unbiased=False)
        if training and running_mean is not None:
            n = math.prod(x.shape[d] for d in dims)  # values behind each statistic
            with torch.no_grad():
                running_mean.lerp_(mean, momentum)
                running_var.lerp_(var * n / max(n - 1, 1), momentum)
    else:
        mean, var = running_mean, running_var
    return (x - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + eps)


class BatchNorm1d(nn.Module):
    """Normalise each feature over the batch, then scale and shift it.

    Same arguments, buffers and behaviour as ``torch.nn.BatchNorm1d`` for inputs
    [batch, num_features] or [batch, num_features, length]:

    * training: use the batch's mean and *biased* variance, and move the running
      estimates toward the batch's mean and *unbiased* variance by ``momentum``;
    * evaluation: use the running estimates, so an example's output no longer
      depends on the rest of its batch.
    """

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
    ):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        if affine:
            self.weight = nn.Parameter(torch.ones(num_features))  # γ
            self.bias = nn.Parameter(torch.zeros(num_features))  # β
        if track_running_stats:
            self.register_buffer("running_mean", torch.zeros(num_features))
            self.register_buffer("running_var", torch.ones(num_features))
            self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))

    def normalise(self, x: Tensor) -> Tensor:
        """x̂: the input standardised per feature, before γ and β (:func:`normalise`
        over the batch, and the positions of a ``[batch, features, length]`` input)."""
        dims = (0,) if x.dim() == 2 else (0, 2)  # everything but the feature axis
        track = self.track_running_stats
        if self.training and track:
            with torch.no_grad():
                self.num_batches_tracked += 1
        return normalise(
            x,
            dims,
            self.running_mean if track else None,
            self.running_var if track else None,
            training=self.training,
            momentum=self.momentum,
            eps=self.eps,
        )

    def forward(self, x: Tensor) -> Tensor:
        if x.dim() not in (2, 3) or x.shape[1] != self.num_features:
            raise ValueError(
                f"expected [batch, {self.num_features}(, length)], got {list(x.shape)}"
            )
        x_hat = self.normalise(x)
        if not self.affine:
            return x_hat
        shape = (1, -1) if x.dim() == 2 else (1, -1, 1)
        return x_hat * self.weight.view(shape) + self.bias.view(shape)

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}"
        )
