"""Batch normalisation written out (Ioffe & Szegedy 2015, Algorithm 1)."""

from __future__ import annotations

import torch
from torch import Tensor, nn


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
        """x̂: the input standardised per feature, before γ and β."""
        dims = (0,) if x.dim() == 2 else (0, 2)  # everything but the feature axis
        shape = (1, -1) if x.dim() == 2 else (1, -1, 1)
        if self.training or not self.track_running_stats:
            mean = x.mean(dims)
            var = x.var(dims, unbiased=False)
            if self.training and self.track_running_stats:
                n = x.numel() // x.shape[1]
                with torch.no_grad():
                    self.num_batches_tracked += 1
                    self.running_mean.lerp_(mean, self.momentum)
                    self.running_var.lerp_(var * n / max(n - 1, 1), self.momentum)
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean.view(shape)) / torch.sqrt(var.view(shape) + self.eps)

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
