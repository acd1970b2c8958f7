"""LSTM and GRU written out gate by gate, with torch's parameter layout.

The gate equations are written once, as one time step (:func:`lstm_step`,
:func:`gru_step`); the cells here and the ensembles of :mod:`deepfaq.nn.ensemble`
(K models side by side, which the lstm-vs-gru experiment trains) both call them.

Both cells keep ``weight_ih`` [gates·H, I], ``weight_hh`` [gates·H, H], ``bias_ih``
and ``bias_hh`` [gates·H] in the gate order torch uses — LSTM: input, forget,
cell candidate, output; GRU: reset, update, new — so weights can be copied from
``torch.nn.LSTM``/``torch.nn.GRU`` and the outputs compared exactly.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

# -- one time step: the gate equations, shared by the cells below and by the ensembles of
# deepfaq.nn.ensemble (which the lstm-vs-gru experiment trains) -------------------------


def lstm_step(x_part: Tensor, h_part: Tensor, c: Tensor) -> tuple[Tensor, Tensor]:
    """One LSTM step from the two affine parts of the gates' pre-activations,
    ``x_part = W_ih x + b_ih`` and ``h_part = W_hh h + b_hh`` (``[..., 4·H]``, torch's
    gate order i, f, g, o), and the cell state ``c`` (``[..., H]``). Returns (h', c')::

        i = σ(x_i + h_i)      input gate
        f = σ(x_f + h_f)      forget gate
        g = tanh(x_g + h_g)   candidate cell
        o = σ(x_o + h_o)      output gate
        c' = f ⊙ c + i ⊙ g
        h' = o ⊙ tanh(c')
    """
    i, f, g, o = (x_part + h_part).chunk(4, dim=-1)
    c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c), c


def gru_step(x_part: Tensor, h_part: Tensor, h: Tensor) -> Tensor:
    """One GRU step from ``x_part = W_ih x + b_ih`` and ``h_part = W_hh h + b_hh``
    (``[..., 3·H]``, torch's gate order r, z, n) and the state ``h``. Returns h'::

        r = σ(x_r + h_r)              reset gate
        z = σ(x_z + h_z)              update gate
        n = tanh(x_n + r ⊙ h_n)       new state candidate (the reset gate scales the
                                      hidden part *after* its matrix product, as in torch)
        h' = (1 − z) ⊙ n + z ⊙ h
    """
    x_r, x_z, x_n = x_part.chunk(3, dim=-1)
    h_r, h_z, h_n = h_part.chunk(3, dim=-1)
    r = torch.sigmoid(x_r + h_r)
    z = torch.sigmoid(x_z + h_z)
    n = torch.tanh(x_n + r * h_n)
    return (1 - z) * n + z * h


class _Cell(nn.Module):
    gates = 1

    def __init__(self, input_size: int, hidden_size: int):
        super().__init__()
        self.input_size, self.hidden_size = input_size, hidden_size
        g = self.gates * hidden_size
        self.weight_ih = nn.Parameter(torch.empty(g, input_size))
        self.weight_hh = nn.Parameter(torch.empty(g, hidden_size))
        self.bias_ih = nn.Parameter(torch.empty(g))
        self.bias_hh = nn.Parameter(torch.empty(g))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """U[−1/√H, 1/√H] for every parameter, as torch does."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            nn.init.uniform_(p, -bound, bound)

    def input_part(self, x: Tensor) -> Tensor:
        """``W_ih x + b_ih``: [batch, gates·H]."""
        return torch.addmm(self.bias_ih, x, self.weight_ih.T)

    def hidden_part(self, h: Tensor) -> Tensor:
        """``W_hh h + b_hh``: [batch, gates·H]."""
        return torch.addmm(self.bias_hh, h, self.weight_hh.T)


class LSTMCell(_Cell):
    """One step of an LSTM (Hochreiter & Schmidhuber 1997, with a forget gate,
    Gers et al. 2000): the affine parts of the four gates, then :func:`lstm_step`."""

    gates = 4

    def forward(self, x: Tensor, state: tuple[Tensor, Tensor]) -> tuple[Tensor, Tensor]:
        h, c = state  # [batch, hidden_size] each
        return lstm_step(self.input_part(x), self.hidden_part(h), c)


class GRUCell(_Cell):
    """One step of a GRU (Cho et al. 2014): the affine parts of the three gates, then
    :func:`gru_step`. Three blocks of weights where the LSTM has four: 3/4 of its
    parameters."""

    gates = 3

    def forward(self, x: Tensor, h: Tensor) -> Tensor:
        return gru_step(self.input_part(x), self.hidden_part(h), h)


class LSTM(nn.Module):
    """A single-layer, batch-first LSTM over a sequence: [batch, time, input] →
    (outputs [batch, time, hidden], (h, c) each [1, batch, hidden]), like
    ``torch.nn.LSTM(input_size, hidden_size, batch_first=True)``."""

    def __init__(self, input_size: int, hidden_size: int):
        super().__init__()
        self.cell = LSTMCell(input_size, hidden_size)

    def forward(self, x: Tensor, state: tuple[Tensor, Tensor] | None = None):
        n, hs = x.shape[0], self.cell.hidden_size
        h, c = (
            (x.new_zeros(n, hs), x.new_zeros(n, hs))
            if state is None
            else (state[0][0], state[1][0])
        )
        outputs = []
        for t in range(x.shape[1]):
            h, c = self.cell(x[:, t], (h, c))
            outputs.append(h)
        return torch.stack(outputs, 1), (h.unsqueeze(0), c.unsqueeze(0))

    def load_from_torch(self, ref: nn.LSTM) -> LSTM:
        return _copy_weights(self, ref)


class GRU(nn.Module):
    """A single-layer, batch-first GRU, like ``torch.nn.GRU(..., batch_first=True)``."""

    def __init__(self, input_size: int, hidden_size: int):
        super().__init__()
        self.cell = GRUCell(input_size, hidden_size)

    def forward(self, x: Tensor, h0: Tensor | None = None):
        h = x.new_zeros(x.shape[0], self.cell.hidden_size) if h0 is None else h0[0]
        outputs = []
        for t in range(x.shape[1]):
            h = self.cell(x[:, t], h)
            outputs.append(h)
        return torch.stack(outputs, 1), h.unsqueeze(0)

    def load_from_torch(self, ref: nn.GRU) -> GRU:
        return _copy_weights(self, ref)


def _copy_weights(ours, ref):
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(ours.cell, name).copy_(getattr(ref, f"{name}_l0"))
    return ours


def recurrent_parameters(kind: str, input_size: int, hidden_size: int) -> int:
    """Parameters of one torch LSTM/GRU layer: gates · H · (I + H + 2)."""
    gates = {"lstm": 4, "gru": 3}[kind]
    return gates * hidden_size * (input_size + hidden_size + 2)
