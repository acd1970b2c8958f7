"""Our LSTM and GRU against torch's, given the same weights."""

import pytest
import torch

from deepfaq.nn.recurrent import GRU, LSTM, recurrent_parameters


@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize("input_size, hidden_size, steps", [(1, 4, 7), (5, 8, 12)])
def test_outputs_and_gradients_match_torch(kind, input_size, hidden_size, steps):
    torch.manual_seed(0)
    ref = (torch.nn.LSTM if kind == "lstm" else torch.nn.GRU)(
        input_size, hidden_size, batch_first=True
    ).double()
    ours = (LSTM if kind == "lstm" else GRU)(input_size, hidden_size).double().load_from_torch(ref)
    x = torch.randn(3, steps, input_size, dtype=torch.float64)
    x1, x2 = x.clone().requires_grad_(), x.clone().requires_grad_()
    out1, state1 = ours(x1)
    out2, state2 = ref(x2)
    torch.testing.assert_close(out1, out2)
    if kind == "lstm":
        torch.testing.assert_close(state1[0], state2[0])
        torch.testing.assert_close(state1[1], state2[1])
    else:
        torch.testing.assert_close(state1, state2)
    weights = torch.linspace(-1, 1, out1.numel(), dtype=torch.float64).view_as(out1)
    (out1 * weights).sum().backward()
    (out2 * weights).sum().backward()
    torch.testing.assert_close(x1.grad, x2.grad)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        torch.testing.assert_close(getattr(ours.cell, name).grad, getattr(ref, f"{name}_l0").grad)


def test_initial_state_is_used():
    torch.manual_seed(1)
    ref = torch.nn.LSTM(2, 3, batch_first=True)
    ours = LSTM(2, 3).load_from_torch(ref)
    x, h0, c0 = torch.randn(2, 4, 2), torch.randn(1, 2, 3), torch.randn(1, 2, 3)
    torch.testing.assert_close(ours(x, (h0, c0))[0], ref(x, (h0, c0))[0])


@pytest.mark.parametrize("kind, cls", [("lstm", torch.nn.LSTM), ("gru", torch.nn.GRU)])
def test_parameter_count_formula(kind, cls):
    for i, h in [(1, 4), (40, 32), (7, 100)]:
        assert recurrent_parameters(kind, i, h) == sum(p.numel() for p in cls(i, h).parameters())
    assert recurrent_parameters("gru", 3, 9) / recurrent_parameters("lstm", 3, 9) == 0.75


def test_initialisation_matches_torch_bounds():
    ours = GRU(3, 16)
    bound = 1 / 16**0.5
    for p in ours.parameters():
        assert p.abs().max() <= bound
