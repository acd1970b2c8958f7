"""PLSA, its equivalence with NMF-KL, entropy and Dirichlet statistics."""

import numpy as np
import pytest
from scipy.stats import entropy as scipy_entropy
from sklearn.decomposition import NMF

from deepfaq.nn.topics import entropy, nmf_to_plsa, plsa_em, plsa_joint, plsa_loglik


def test_entropy_matches_scipy():
    p = np.random.default_rng(0).dirichlet(np.full(5, 0.3), 50)
    p[0] = [1, 0, 0, 0, 0]
    np.testing.assert_allclose(entropy(p), scipy_entropy(p, axis=1), atol=1e-12)


@pytest.mark.parametrize("alpha", [0.1, 1.0, 10.0])
def test_dirichlet_moments_match_closed_forms(alpha):
    """E[θᵢ] = αᵢ/α₀ and Var[θᵢ] = αᵢ(α₀ − αᵢ)/(α₀²(α₀ + 1)) — the samples the topics
    page draws follow them."""
    a = np.array([alpha, 2 * alpha, 3 * alpha])
    a0 = a.sum()
    draws = np.random.default_rng(1).dirichlet(a, 200_000)
    np.testing.assert_allclose(draws.mean(0), a / a0, atol=3e-3)
    np.testing.assert_allclose(draws.var(0), a * (a0 - a) / (a0**2 * (a0 + 1)), rtol=0.03)


def test_nmf_to_plsa_reproduces_the_normalised_product():
    rng = np.random.default_rng(2)
    W, H = rng.random((6, 3)), rng.random((3, 8))
    p_z, p_d_z, p_w_z = nmf_to_plsa(W, H)
    assert p_z.sum() == pytest.approx(1) and np.allclose(p_d_z.sum(0), 1)
    assert np.allclose(p_w_z.sum(1), 1)
    np.testing.assert_allclose(plsa_joint(p_z, p_d_z, p_w_z), W @ H / (W @ H).sum())


def test_plsa_em_never_lowers_the_likelihood():
    rng = np.random.default_rng(3)
    X = rng.poisson(2.0, (10, 15)).astype(float)
    init = (np.full(3, 1 / 3), rng.dirichlet(np.ones(10), 3).T, rng.dirichlet(np.ones(15), 3))
    _, trace = plsa_em(X, init, iters=50)
    assert np.all(np.diff(trace) >= -1e-9)
    assert trace[-1] > plsa_loglik(X, plsa_joint(*init))


def test_nmf_kl_solution_is_a_plsa_fixed_point():
    """Gaussier & Goutte (2005): NMF with the KL objective, normalised, is a PLSA
    stationary point with the same likelihood."""
    rng = np.random.default_rng(4)
    X = rng.poisson(rng.gamma(1.0, 2.0, (12, 20))).astype(float)
    nmf = NMF(
        3,
        init="random",
        solver="mu",
        beta_loss="kullback-leibler",
        max_iter=5000,
        tol=1e-12,
        random_state=0,
    )
    W = nmf.fit_transform(X)
    assert (W @ nmf.components_).sum() == pytest.approx(X.sum(), rel=1e-6)
    params = nmf_to_plsa(W, nmf.components_)
    before = plsa_loglik(X, plsa_joint(*params))
    _, trace = plsa_em(X, params, iters=50)
    assert (trace[-1] - before) / abs(before) < 1e-6


def test_topics_lda_fit_is_sklearns_fit_pass_by_pass():
    """topics' lda_fit runs scikit-learn's batch EM one pass at a time to record the
    perplexity curve: the topics must be exactly those of LatentDirichletAllocation.fit."""
    from sklearn.decomposition import LatentDirichletAllocation

    from deepfaq.experiments.topics import Config, lda_fit

    rng = np.random.default_rng(0)
    X = rng.poisson(rng.gamma(0.5, 2.0, (60, 40))).astype(float)
    cfg = Config(n_topics=3, lda_iter=6)
    lda, theta, curve, seconds = lda_fit(X, cfg, seed=7)
    ref = LatentDirichletAllocation(
        3,
        learning_method="batch",
        max_iter=6,
        mean_change_tol=cfg.lda_doc_tol,
        random_state=7,
    ).fit(X)
    np.testing.assert_allclose(lda.components_, ref.components_)
    assert len(curve) == 6 and seconds >= 0 and theta.shape == (60, 3)


def test_topics_nmf_fit_in_pieces_continues_one_run():
    """NMF run in pieces (init="custom" from the last piece) equals one run of as many
    iterations: the solvers keep no state beyond W and H."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    from deepfaq.experiments.topics import CURVE_POINTS, Config, nmf_fit

    X = np.random.default_rng(1).random((30, 20))
    cfg = Config(n_topics=3, nmf_iter=2 * CURVE_POINTS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model, W, curve, _ = nmf_fit(X, cfg, seed=3)
        ref = NMF(3, init="nndsvda", max_iter=2 * CURVE_POINTS, tol=0, random_state=3)
        W_ref = ref.fit_transform(X)
    np.testing.assert_allclose(W, W_ref, rtol=1e-6, atol=1e-9)
    assert len(curve) == CURVE_POINTS and curve[-1] <= curve[0]
