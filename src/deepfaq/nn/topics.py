"""Probabilistic latent semantic analysis (Hofmann 1999), written out, and its link to
non-negative matrix factorisation with the KL objective (Gaussier & Goutte 2005).

PLSA models a count matrix X [documents × words] as draws from

    P(d, w) = Σ_z P(z) P(d | z) P(w | z)

and fits it by EM to maximise Σ X_dw log P(d, w). NMF with the generalised KL
divergence D(X ‖ WH) = Σ X log(X / WH) − X + WH fits X ≈ WH with W, H ≥ 0. At any
fixed point of the multiplicative updates Σ WH = Σ X, and then minimising D is
maximising the same PLSA likelihood with P(d, w) = (WH)_dw / Σ WH — so normalising
the NMF factors gives PLSA parameters with the same likelihood.
"""

from __future__ import annotations

import numpy as np


def plsa_loglik(X: np.ndarray, p_dw: np.ndarray) -> float:
    """Σ X_dw log P(d, w) over the nonzero counts."""
    nz = X > 0
    return float((X[nz] * np.log(np.maximum(p_dw[nz], 1e-300))).sum())


def plsa_joint(p_z: np.ndarray, p_d_z: np.ndarray, p_w_z: np.ndarray) -> np.ndarray:
    """P(d, w) = Σ_z P(z) P(d|z) P(w|z); p_d_z is [D, K], p_w_z is [K, W]."""
    return (p_d_z * p_z) @ p_w_z


def nmf_to_plsa(W: np.ndarray, H: np.ndarray):
    """Normalise X ≈ WH into PLSA parameters (P(z), P(d|z), P(w|z)) with
    P(d, w) = (WH)_dw / Σ WH exactly."""
    col = W.sum(0)  # [K]
    row = H.sum(1)  # [K]
    p_d_z = W / np.maximum(col, 1e-300)
    p_w_z = H / np.maximum(row, 1e-300)[:, None]
    mass = col * row
    return mass / mass.sum(), p_d_z, p_w_z


def plsa_em(X: np.ndarray, params, iters: int = 100):
    """EM for PLSA from (P(z), P(d|z), P(w|z)); returns the new parameters and the
    log-likelihood after each iteration (which EM never lowers)."""
    p_z, p_d_z, p_w_z = (np.array(p, dtype=np.float64) for p in params)
    X = np.asarray(X, dtype=np.float64)
    trace = []
    for _ in range(iters):
        # E step: responsibilities P(z | d, w) ∝ P(z) P(d|z) P(w|z), for every cell
        joint = p_z[None, :, None] * p_d_z[:, :, None] * p_w_z[None, :, :]  # [D, K, W]
        resp = joint / np.maximum(joint.sum(1, keepdims=True), 1e-300)
        # M step: expected counts
        n = X[:, None, :] * resp  # [D, K, W]
        n_z = n.sum((0, 2))
        p_z = n_z / n_z.sum()
        p_d_z = n.sum(2) / np.maximum(n_z, 1e-300)
        p_w_z = n.sum(0) / np.maximum(n_z, 1e-300)[:, None]
        trace.append(plsa_loglik(X, plsa_joint(p_z, p_d_z, p_w_z)))
    return (p_z, p_d_z, p_w_z), trace


def entropy(p: np.ndarray, axis: int = -1) -> np.ndarray:
    """Shannon entropy in nats along ``axis`` (0 log 0 = 0)."""
    p = np.asarray(p, dtype=np.float64)
    return -(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)).sum(axis)
