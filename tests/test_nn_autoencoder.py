"""The autoencoder formulas against their references."""

import numpy as np
import torch
from scipy.linalg import subspace_angles
from torch.distributions import Bernoulli, Normal, kl_divergence

from deepfaq.nn.autoencoder import gaussian_kl, principal_angles, psnr, sparsity_kl


def test_gaussian_kl_matches_torch_distributions():
    g = torch.Generator().manual_seed(0)
    mu = torch.randn(64, 8, generator=g, dtype=torch.float64) * 2
    logvar = torch.randn(64, 8, generator=g, dtype=torch.float64)
    ref = kl_divergence(Normal(mu, (0.5 * logvar).exp()), Normal(0.0, 1.0)).sum(-1)
    torch.testing.assert_close(gaussian_kl(mu, logvar), ref)


def test_gaussian_kl_gradient_matches_torch_distributions():
    mu = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    logvar = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    ours = torch.autograd.grad(gaussian_kl(mu, logvar).sum(), (mu, logvar))
    ref_kl = kl_divergence(Normal(mu, (0.5 * logvar).exp()), Normal(0.0, 1.0)).sum()
    ref = torch.autograd.grad(ref_kl, (mu, logvar))
    for a, b in zip(ours, ref, strict=True):
        torch.testing.assert_close(a, b)


def test_gaussian_kl_is_zero_at_the_prior():
    assert gaussian_kl(torch.zeros(3, 4), torch.zeros(3, 4)).abs().max() == 0


def test_sparsity_kl_matches_bernoulli_kl():
    rho_hat = torch.linspace(0.001, 0.999, 50, dtype=torch.float64)
    ref = kl_divergence(
        Bernoulli(probs=torch.full_like(rho_hat, 0.01)), Bernoulli(probs=rho_hat)
    ).sum()
    torch.testing.assert_close(sparsity_kl(0.01, rho_hat), ref)


def test_psnr_known_values():
    x = torch.zeros(2, 1, 4, 4)
    y = x.clone()
    y[0] += 0.1  # MSE 0.01 → 20 dB at peak 1
    y[1] += 0.01  # MSE 1e-4 → 40 dB
    torch.testing.assert_close(psnr(x, y), torch.tensor([20.0, 40.0]))


def test_principal_angles_match_scipy():
    rng = np.random.default_rng(1)
    A, B = rng.normal(size=(30, 5)), rng.normal(size=(30, 5))
    np.testing.assert_allclose(principal_angles(A, B), np.sort(subspace_angles(A, B)), atol=1e-10)
    assert np.allclose(principal_angles(A, A @ rng.normal(size=(5, 5))), 0, atol=1e-6)
