"""Our activations and closed-form derivatives against torch and autograd."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from deepfaq.nn import activations as A

X = torch.cat(
    [
        torch.linspace(-30, 30, 2001, dtype=torch.float64),
        torch.tensor([0.0, 1e-8, -1e-8, 700.0, -700.0], dtype=torch.float64),
    ]
)

REFERENCE = {
    "identity": lambda x: x,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky-relu": lambda x: torch.nn.functional.leaky_relu(x, 0.01),
    "elu": lambda x: torch.nn.functional.elu(x, 1.0),
}


@pytest.mark.parametrize("name", list(A.ACTIVATIONS))
def test_function_matches_torch(name):
    torch.testing.assert_close(
        A.ACTIVATIONS[name].fn(X), REFERENCE[name](X), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("name", list(A.ACTIVATIONS))
def test_derivative_matches_autograd_of_torch(name):
    x = X.clone().requires_grad_(True)
    REFERENCE[name](x).sum().backward()
    torch.testing.assert_close(A.ACTIVATIONS[name].grad(X), x.grad, rtol=1e-10, atol=1e-12)


def test_module_wraps_the_function_for_autograd():
    x = torch.randn(5, 3, requires_grad=True)
    A.ACTIVATIONS["elu"].module()(x).sum().backward()
    torch.testing.assert_close(x.grad, A.elu_grad(x.detach()))


@given(st.lists(st.floats(-50, 50), min_size=2, max_size=8), st.floats(-500, 500))
def test_softmax_matches_torch_and_is_shift_invariant(z, c):
    z = torch.tensor(z, dtype=torch.float64)
    torch.testing.assert_close(A.softmax(z), torch.softmax(z, -1))
    torch.testing.assert_close(A.softmax(z + c), A.softmax(z), atol=1e-12, rtol=1e-9)


def test_softmax_jacobian_matches_autograd():
    z = torch.randn(4, 6, dtype=torch.float64)
    jac = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, -1), z[0])
    torch.testing.assert_close(A.softmax_jacobian(z)[0], jac)
    assert A.softmax_jacobian(z).shape == (4, 6, 6)


def test_naive_softmax_overflows_where_ours_does_not():
    z = torch.tensor([1000.0, 999.0], dtype=torch.float64)
    assert A.naive_softmax(z).isnan().any()
    assert torch.isfinite(A.softmax(z)).all()
