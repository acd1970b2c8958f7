"""Ensembles: K independent models trained side by side in one set of tensor ops.

The models deepfaq trains are tiny, so one seed costs per-operation overhead, not
arithmetic. Giving every weight a leading *model* dimension K lets K seeds share
each operation — a batched matrix product, a grouped convolution — while every
model keeps its own initialisation, its own data order and its own gradients: the
loss is the sum of the K models' losses, and no parameter of one model touches
another's. Inputs carry the same leading dimension: ``[K, batch, ...]``.

Build an ensemble from K ordinary torch modules (each initialised from its own
seed, exactly as a single-seed run would be) with ``from_modules``; each block is
tested equal to its K separate torch modules, forward and backward.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from deepfaq.nn.batchnorm import normalise
from deepfaq.nn.recurrent import gru_step, lstm_step


def _stack(tensors: Iterable[Tensor]) -> nn.Parameter:
    return nn.Parameter(torch.stack([t.detach().clone() for t in tensors]))


class EnsembleLinear(nn.Module):
    """K ``nn.Linear`` layers: ``x [K, batch, in] → [K, batch, out]``."""

    def __init__(self, weight: Tensor, bias: Tensor | None):
        super().__init__()
        self.weight = nn.Parameter(weight)  # [K, out_features, in_features]
        self.bias = None if bias is None else nn.Parameter(bias)  # [K, out_features]

    @classmethod
    def from_modules(cls, layers: Sequence[nn.Linear]) -> EnsembleLinear:
        bias = None if layers[0].bias is None else _stack(m.bias for m in layers).data
        return cls(_stack(m.weight for m in layers).data, bias)

    def forward(self, x: Tensor) -> Tensor:
        if self.bias is None:
            return torch.bmm(x, self.weight.transpose(1, 2))
        return torch.baddbmm(self.bias.unsqueeze(1), x, self.weight.transpose(1, 2))


class _EnsembleConv(nn.Module):
    """K convolutions as one grouped convolution (groups = K · groups)."""

    dims = 1

    def __init__(self, weight: Tensor, bias: Tensor | None, stride, padding, dilation, groups: int):
        super().__init__()
        self.weight = nn.Parameter(weight)  # [K, out_channels, in_channels/groups, *kernel]
        self.bias = None if bias is None else nn.Parameter(bias)  # [K, out_channels]
        self.stride, self.padding, self.dilation, self.groups = stride, padding, dilation, groups

    @classmethod
    def from_modules(cls, convs: Sequence[nn.Conv1d | nn.Conv2d]):
        c = convs[0]
        if c.padding_mode != "zeros":
            raise ValueError("only zero padding is supported")
        bias = None if c.bias is None else _stack(m.bias for m in convs).data
        return cls(
            _stack(m.weight for m in convs).data, bias, c.stride, c.padding, c.dilation, c.groups
        )

    def forward(self, x: Tensor) -> Tensor:
        K, B = x.shape[:2]  # x: [K, batch, in_channels, *spatial]
        merged = x.transpose(0, 1).reshape(B, K * x.shape[2], *x.shape[3:])
        w = self.weight.reshape(-1, *self.weight.shape[2:])  # [K·out, in/groups, *kernel]
        b = None if self.bias is None else self.bias.reshape(-1)
        conv = F.conv1d if self.dims == 1 else F.conv2d
        y = conv(merged, w, b, self.stride, self.padding, self.dilation, K * self.groups)
        return y.reshape(B, K, -1, *y.shape[2:]).transpose(0, 1)  # [K, batch, out, *spatial]


class EnsembleConv1d(_EnsembleConv):
    """K ``nn.Conv1d``: ``x [K, batch, C, L] → [K, batch, C_out, L_out]``."""

    dims = 1


class EnsembleConv2d(_EnsembleConv):
    """K ``nn.Conv2d``: ``x [K, batch, C, H, W] → [K, batch, C_out, H_out, W_out]``."""

    dims = 2


class EnsembleBatchNorm(nn.Module):
    """K ``nn.BatchNorm1d``/``BatchNorm2d`` (or :class:`deepfaq.nn.batchnorm.BatchNorm1d`):
    each model normalises each feature over its own batch (and positions), with its own
    running statistics, by the same step as :func:`deepfaq.nn.batchnorm.normalise`.

    Input ``[K, batch, features, *positions]``.
    """

    def __init__(self, n_models: int, num_features: int, eps: float = 1e-5, momentum: float = 0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(n_models, num_features))  # γ per model
        self.bias = nn.Parameter(torch.zeros(n_models, num_features))  # β per model
        self.register_buffer("running_mean", torch.zeros(n_models, num_features))
        self.register_buffer("running_var", torch.ones(n_models, num_features))

    @classmethod
    def from_modules(cls, norms: Sequence[nn.Module]):
        m = norms[0]
        out = cls(len(norms), m.num_features, m.eps, m.momentum)
        out.weight = _stack(n.weight for n in norms)
        out.bias = _stack(n.bias for n in norms)
        out.running_mean = torch.stack([n.running_mean for n in norms]).clone()
        out.running_var = torch.stack([n.running_var for n in norms]).clone()
        return out

    def forward(self, x: Tensor) -> Tensor:
        # Statistics per model and feature ([K, features]), over batch and positions.
        x_hat = normalise(
            x,
            (1, *range(3, x.dim())),
            self.running_mean,
            self.running_var,
            training=self.training,
            momentum=self.momentum,
            eps=self.eps,
        )
        shape = (x.shape[0], 1, x.shape[2]) + (1,) * (x.dim() - 3)
        return x_hat * self.weight.reshape(shape) + self.bias.reshape(shape)


class _EnsembleRecurrent(nn.Module):
    """K single-layer, batch-first recurrent layers with torch's parameter layout,
    stepped by the very gate equations of :mod:`deepfaq.nn.recurrent`
    (:func:`~deepfaq.nn.recurrent.lstm_step`, :func:`~deepfaq.nn.recurrent.gru_step`),
    on the affine parts of all K models at once (batched matrix products)."""

    gates = 1

    def __init__(self, weight_ih, weight_hh, bias_ih, bias_hh):
        super().__init__()
        self.weight_ih = nn.Parameter(weight_ih)  # [K, gates·H, I]
        self.weight_hh = nn.Parameter(weight_hh)  # [K, gates·H, H]
        self.bias_ih = nn.Parameter(bias_ih)  # [K, gates·H]
        self.bias_hh = nn.Parameter(bias_hh)
        self.hidden_size = weight_hh.shape[-1]

    @classmethod
    def from_modules(cls, rnns: Sequence[nn.LSTM | nn.GRU]):
        for r in rnns:
            if r.num_layers != 1 or not r.batch_first or r.bidirectional or not r.bias:
                raise ValueError("ensembles copy single-layer, batch-first, biased RNNs")
        return cls(
            *(
                _stack(getattr(r, f"{n}_l0") for r in rnns).data
                for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
            )
        )

    def _input_part(self, x: Tensor) -> Tensor:
        # All time steps' input projections at once: [K, batch, time, gates·H].
        K, B, T, I = x.shape
        xi = torch.baddbmm(
            self.bias_ih.unsqueeze(1), x.reshape(K, B * T, I), self.weight_ih.transpose(1, 2)
        )
        return xi.reshape(K, B, T, -1)

    def _hidden_part(self, h: Tensor) -> Tensor:
        return torch.baddbmm(self.bias_hh.unsqueeze(1), h, self.weight_hh.transpose(1, 2))


class EnsembleLSTM(_EnsembleRecurrent):
    """K LSTMs: ``x [K, batch, time, input] → outputs [K, batch, time, hidden]``."""

    gates = 4

    def forward(self, x: Tensor) -> Tensor:
        K, B, T, _ = x.shape
        # unbind, not xi[:, :, t]: each step's select would backpropagate through a
        # zero tensor of xi's full size, T times per step.
        xs = self._input_part(x).unbind(2)
        h = x.new_zeros(K, B, self.hidden_size)
        c = torch.zeros_like(h)
        outputs = []
        for t in range(T):
            h, c = lstm_step(xs[t], self._hidden_part(h), c)
            outputs.append(h)
        return torch.stack(outputs, 2)


class EnsembleGRU(_EnsembleRecurrent):
    """K GRUs: ``x [K, batch, time, input] → outputs [K, batch, time, hidden]``."""

    gates = 3

    def forward(self, x: Tensor) -> Tensor:
        K, B, T, _ = x.shape
        xs = self._input_part(x).unbind(2)  # see EnsembleLSTM
        h = x.new_zeros(K, B, self.hidden_size)
        outputs = []
        for t in range(T):
            h = gru_step(xs[t], self._hidden_part(h), h)
            outputs.append(h)
        return torch.stack(outputs, 2)


class _PerExample(nn.Module):
    """A module with no parameters, applied to ``[K, batch, ...]`` by folding the
    model dimension into the batch (pooling, flattening, dropout-free layers)."""

    def __init__(self, module: nn.Module):
        super().__init__()
        self.module = module

    def forward(self, x: Tensor) -> Tensor:
        K, B = x.shape[:2]
        y = self.module(x.reshape(K * B, *x.shape[2:]))
        return y.reshape(K, B, *y.shape[1:])


#: Elementwise activations work on ``[K, batch, ...]`` as they are.
_ELEMENTWISE = (
    nn.ReLU,
    nn.Tanh,
    nn.Sigmoid,
    nn.LeakyReLU,
    nn.ELU,
    nn.GELU,
    nn.Identity,
    nn.Softplus,
)
_PER_EXAMPLE = (
    nn.Flatten,
    nn.MaxPool1d,
    nn.MaxPool2d,
    nn.AvgPool1d,
    nn.AvgPool2d,
    nn.Upsample,
    nn.Unflatten,
)


def ensemble_of(models: Sequence[nn.Module]) -> nn.Module:
    """Stack K identically shaped models (an ``nn.Sequential`` of linear,
    convolution, batch-norm, activation, pooling and flatten layers, or one such
    layer) into one ensemble module on ``[K, batch, ...]`` inputs."""
    first = models[0]
    if isinstance(first, nn.Sequential):
        return nn.Sequential(*(ensemble_of([m[i] for m in models]) for i in range(len(first))))
    if isinstance(first, nn.Linear):
        return EnsembleLinear.from_modules(models)
    if isinstance(first, nn.Conv1d):
        return EnsembleConv1d.from_modules(models)
    if isinstance(first, nn.Conv2d):
        return EnsembleConv2d.from_modules(models)
    if isinstance(first, nn.modules.batchnorm._BatchNorm):
        return EnsembleBatchNorm.from_modules(models)
    if isinstance(first, _ELEMENTWISE):
        return first
    if isinstance(first, _PER_EXAMPLE):
        return _PerExample(first)
    raise TypeError(f"no ensemble version of {type(first).__name__}")


def unstack(ensemble: nn.Module, k: int, models: Sequence[nn.Module]) -> nn.Module:
    """Copy model ``k``'s weights out of an ensemble built by :func:`ensemble_of`
    into ``models[k]`` (a plain torch module), e.g. to inspect one seed's net."""
    target = models[k]
    with torch.no_grad():
        for (_, p), (_, q) in zip(
            ensemble.named_parameters(), target.named_parameters(), strict=True
        ):
            q.copy_(p[k].reshape(q.shape))
    return target


def clip_grad_norm_per_model(parameters: Iterable[nn.Parameter], max_norm: float) -> Tensor:
    """``nn.utils.clip_grad_norm_`` applied to each model of an ensemble on its own:
    every parameter's leading dimension is the model, so model k's norm is taken
    over slice k of every gradient. Returns the K norms before clipping."""
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return torch.zeros(0)
    sq = torch.stack([g.reshape(g.shape[0], -1).pow(2).sum(1) for g in grads]).sum(0)
    norms = sq.sqrt()  # [K]
    scale = (max_norm / (norms + 1e-6)).clamp(max=1.0)
    for g in grads:
        g.mul_(scale.reshape(-1, *([1] * (g.dim() - 1))))
    return norms


class EnsembleDropout(nn.Module):
    """K ``nn.Dropout(p)`` layers, each member drawing its masks from its own random
    stream: ``x [K, batch, ...] → [K, batch, ...]``.

    In training every value is kept with probability ``1 − p`` and divided by
    ``1 − p`` (inverted dropout, as torch's ``nn.Dropout``), so its expected value is
    unchanged; in evaluation the layer is the identity. ``generators[k]`` draws
    member k's masks, so a member's masks do not depend on how many other members
    share the ensemble, nor on torch's global generator. The masks are drawn on the
    generators' device and moved to the input's.
    """

    def __init__(self, p: float, generators: Sequence[torch.Generator]):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, got {p}")
        self.p = float(p)
        self.generators = list(generators)

    @classmethod
    def from_modules(
        cls, dropouts: Sequence[nn.Dropout], generators: Sequence[torch.Generator]
    ) -> EnsembleDropout:
        """K ``nn.Dropout`` of one probability, member k drawing from ``generators[k]``."""
        if len({d.p for d in dropouts}) != 1 or len(dropouts) != len(generators):
            raise ValueError("one dropout probability, and one generator per member")
        return cls(dropouts[0].p, generators)

    def mask(self, shape: Sequence[int], dtype=torch.float32) -> Tensor:
        """The next ``[K, *shape]`` scaled masks: 0 where dropped, ``1/(1−p)`` where kept."""
        keep = 1.0 - self.p
        if keep == 0.0:
            return torch.zeros(len(self.generators), *shape, dtype=dtype)
        draws = [torch.rand(tuple(shape), generator=g, device=g.device) for g in self.generators]
        return (torch.stack(draws) < keep).to(dtype) / keep

    def forward(self, x: Tensor) -> Tensor:
        if not self.training or self.p == 0.0:
            return x
        if x.shape[0] != len(self.generators):
            raise ValueError(f"{len(self.generators)} members, input has {x.shape[0]}")
        return x * self.mask(x.shape[1:], x.dtype).to(x.device)

    def extra_repr(self) -> str:
        return f"p={self.p}, members={len(self.generators)}"
