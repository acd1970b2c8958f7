"""The small formulas behind autoencoders, written out.

* :func:`gaussian_kl` — the VAE's KL term, KL(N(μ, σ²) ‖ N(0, 1)) in closed form
  (Kingma & Welling 2014, appendix B).
* :func:`sparsity_kl` — the sparse autoencoder's penalty: KL between Bernoulli(ρ)
  and Bernoulli(ρ̂ⱼ), the mean activation of hidden unit j (Ng's CS294A notes).
* :func:`psnr` — peak signal-to-noise ratio in decibels.
* :func:`principal_angles` — angles between two subspaces (Björck & Golub 1973).

Each is checked against a reference implementation in ``tests/test_nn_autoencoder.py``.
"""

from __future__ import annotations

import numpy as np
import torch


def gaussian_kl(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, exp(logvar)) ‖ N(0, I)) per row, summed over the last dimension.

    For one coordinate: ½ (μ² + σ² − log σ² − 1)."""
    return 0.5 * (mu.pow(2) + logvar.exp() - logvar - 1.0).sum(-1)


def sparsity_kl(rho: float, rho_hat: torch.Tensor, eps: float = 1e-7) -> torch.Tensor:
    """Σⱼ KL(Bernoulli(ρ) ‖ Bernoulli(ρ̂ⱼ)) over hidden units j:
    ρ log(ρ/ρ̂) + (1−ρ) log((1−ρ)/(1−ρ̂))."""
    r = rho_hat.clamp(eps, 1 - eps)
    return (rho * torch.log(rho / r) + (1 - rho) * torch.log((1 - rho) / (1 - r))).sum()


def psnr(reference: torch.Tensor, estimate: torch.Tensor, peak: float = 1.0) -> torch.Tensor:
    """Peak signal-to-noise ratio, 10·log10(peak² / MSE), per image: the mean
    squared error is taken over every dimension but the first."""
    dims = tuple(range(1, reference.dim()))
    mse = (reference - estimate).pow(2).mean(dims) if dims else (reference - estimate).pow(2)
    return 10.0 * torch.log10(peak**2 / mse.clamp_min(1e-12))


def principal_angles(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Principal angles (radians, ascending) between the column spaces of A [n, p]
    and B [n, q]: the arccosines of the singular values of Q_Aᵀ Q_B."""
    qa, _ = np.linalg.qr(np.asarray(A, dtype=np.float64))
    qb, _ = np.linalg.qr(np.asarray(B, dtype=np.float64))
    s = np.linalg.svd(qa.T @ qb, compute_uv=False)
    return np.sort(np.arccos(np.clip(s, -1.0, 1.0)))
