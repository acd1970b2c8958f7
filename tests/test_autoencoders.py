"""The autoencoders question's own pieces: shapes, JPEG sizes, quantiser, common rates,
the linear AE's full-batch loss, seeding per section, tiling."""

import math

import numpy as np
import pytest
import torch

from deepfaq.core.context import sub_seed
from deepfaq.core.figures import tile
from deepfaq.data import patches, rounded_squares
from deepfaq.experiments.autoencoders import SECTIONS, Config
from deepfaq.experiments.autoencoders.colourise import colour_targets
from deepfaq.experiments.autoencoders.compression import (
    at_common_rates,
    jpeg_roundtrip,
    quantise,
)
from deepfaq.experiments.autoencoders.models import (
    dense_ae,
    evaluation_steps,
    fit,
    init_params,
    principal_components,
    sse,
    sse_loss,
)


def test_rounded_squares_square_and_circle_areas():
    rng = np.random.default_rng(0)
    n, size = 50, 64
    sq = rounded_squares(n, size, np.zeros(n), np.random.default_rng(1))
    ci = rounded_squares(n, size, np.ones(n), np.random.default_rng(1))  # same sizes, centres
    # a circle of radius h covers π/4 of the square of side 2h around it
    ratio = ci.sum((1, 2)) / sq.sum((1, 2))
    assert abs(ratio.mean() - np.pi / 4) < 0.01 and np.allclose(ratio, np.pi / 4, atol=0.05)
    assert (ci <= sq).all()  # rounding only removes corners
    mid = rounded_squares(n, size, np.full(n, 0.5), rng)
    assert mid.max() == 1 and set(np.unique(mid)) <= {0.0, 1.0}


def test_colour_targets_paint_circles_red_squares_blue():
    m = np.ones((2, 4, 4), np.float32)
    t = colour_targets(m, np.array([1.0, 0.0]))
    assert t[0, 0].all() and not t[0, 2].any()
    assert t[1, 2].all() and not t[1, 0].any()
    assert not t[:, 1].any()


def test_jpeg_scan_is_the_file_minus_headers_and_quality_helps():
    img = np.random.default_rng(0).random((28, 28)).astype(np.float32)
    dec_lo, file_lo, scan_lo = jpeg_roundtrip(img, 5)
    dec_hi, file_hi, scan_hi = jpeg_roundtrip(img, 95)
    assert 0 < scan_lo < file_lo and 0 < scan_hi < file_hi
    assert 100 < file_lo - scan_lo < 400  # markers, quantisation and Huffman tables
    assert scan_hi > scan_lo
    assert np.abs(dec_hi - img).mean() < np.abs(dec_lo - img).mean()
    assert dec_lo.shape == img.shape


def test_quantise_error_is_at_most_half_a_step():
    z = torch.rand(100, 5) * 4 - 2
    lo, hi = z.min(0).values, z.max(0).values
    for bits in (2, 4, 8, 12):
        q, zq = quantise(z, lo, hi, bits)
        assert q.min() >= 0 and q.max() <= 2**bits - 1
        step = (hi - lo) / (2**bits - 1)
        assert ((zq - z).abs() <= step / 2 + 1e-6).all()


def test_common_rates_interpolate_in_log_bytes_and_say_when_there_are_none():
    ae = {"bytes": [10.0, 20.0, 40.0], "psnr": [10.0, 12.0, 14.0]}  # +2 dB per doubling
    jpeg = {"scan": [20.0, 80.0], "psnr": [11.0, 15.0]}  # +2 dB per doubling too
    lo, hi, psnr_ae, psnr_jpeg = at_common_rates(ae, jpeg)
    assert (lo, hi) == (20.0, 40.0)
    assert psnr_ae == pytest.approx(13.0, abs=1e-9)  # the mean of a line over log-rates
    assert psnr_jpeg == pytest.approx(12.0, abs=1e-9)
    apart = at_common_rates(ae, {"scan": [50.0, 90.0], "psnr": [20.0, 21.0]})
    assert all(math.isnan(x) for x in apart)


def test_linear_ae_loss_from_the_covariance_equals_the_loss_over_images():
    g = torch.Generator().manual_seed(0)
    X = torch.rand(300, 784, generator=g, dtype=torch.float64)
    Xc = X - X.mean(0)
    W1 = torch.randn(5, 784, generator=g, dtype=torch.float64) / 28
    W2 = torch.randn(784, 5, generator=g, dtype=torch.float64) / 3
    C = Xc.T @ Xc / len(Xc)
    A = W1 @ C
    from_cov = C.trace() - 2 * (W2 * A.T).sum() + ((W2.T @ W2) * (A @ W1.T)).sum()
    over_images = (Xc - Xc @ W1.T @ W2.T).pow(2).sum(1).mean()
    assert from_cov.item() == pytest.approx(over_images.item(), rel=1e-10)


def test_principal_components_match_the_svd():
    g = torch.Generator().manual_seed(1)
    Q, _ = torch.linalg.qr(torch.randn(784, 5, generator=g))  # five orthonormal directions
    scales = torch.tensor([10.0, 8.0, 6.0, 4.0, 2.0])  # well-separated variances
    X = (torch.randn(500, 5, generator=g) * scales) @ Q.T + 0.01 * torch.randn(
        500, 784, generator=g
    )
    Xc = X - X.mean(0)
    Vt = principal_components(Xc)
    _, _, ref = torch.linalg.svd(Xc.double(), full_matrices=False)
    cosines = (Vt[:5].double() * ref[:5]).sum(1).abs()  # the same directions, up to sign
    assert torch.allclose(cosines, torch.ones(5, dtype=torch.float64), atol=1e-4)


def test_dense_ae_shapes_and_linear_option():
    g = torch.Generator().manual_seed(0)
    ae = dense_ae([784, 64, 10], g)
    x = torch.rand(3, 784)
    assert ae[0](x).shape == (3, 10) and ae(x).shape == (3, 784)
    assert ((ae(x) > 0) & (ae(x) < 1)).all()
    lin = dense_ae([784, 10], g, linear=True)
    assert all(
        isinstance(m, torch.nn.Linear)
        for m in lin.modules()
        if not isinstance(m, torch.nn.Sequential)
    )


def test_weights_come_from_the_generator_not_the_global_one():
    torch.manual_seed(123)
    a = dense_ae([784, 10], torch.Generator().manual_seed(5))
    torch.manual_seed(456)
    b = dense_ae([784, 10], torch.Generator().manual_seed(5))
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    lin = torch.nn.Linear(100, 3)
    init_params(lin, torch.Generator().manual_seed(0))
    bound = 1 / math.sqrt(100)  # torch's default: U[−1/√fan_in, 1/√fan_in]
    assert lin.weight.abs().max() <= bound and lin.bias.abs().max() <= bound


def test_every_section_has_its_own_seed_and_config():
    seeds = {name: sub_seed(1234, name) for name in SECTIONS}
    assert len(set(seeds.values())) == len(SECTIONS)
    assert sub_seed(1234, "vae") == sub_seed(1234, "vae") != sub_seed(1235, "vae")
    assert all(0 <= s < 2**31 for s in seeds.values())
    assert set(SECTIONS) == {f.name for f in Config.__dataclass_fields__.values()}


def test_patches_and_tile_round_trip():
    img = np.arange(56 * 84, dtype=float).reshape(56, 84)
    p = patches(img)
    assert p.shape == (6, 28, 28)
    np.testing.assert_array_equal(p[4], img[28:, 28:56])
    canvas = tile(p, 2, 3, pad=0)
    np.testing.assert_array_equal(canvas, img)


def test_fit_measures_its_curves_without_touching_the_training():
    """Evaluating during training draws nothing from the training generator: the trained
    weights are the same with and without curves, and each curve has one point per
    evaluation, the last at the end of training."""
    X = torch.rand(64, 784, generator=torch.Generator().manual_seed(0))
    runs = []
    for evaluate in (None, lambda m: {"sse": sse(m(X[:8]), X[:8])}):
        g = torch.Generator().manual_seed(1)
        model, curves = fit(dense_ae([784, 5], g), sse_loss, X, 40, 1e-2, g, 16, evaluate=evaluate)
        runs.append((model, curves))
    (a, none), (b, curves) = runs
    assert none == {}
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    assert len(curves["sse"]) == len(evaluation_steps(40)) == 30
    assert evaluation_steps(40)[-1] == 40
    assert curves["sse"][-1] == pytest.approx(sse(b(X[:8]), X[:8]))


def test_every_output_of_a_section_is_declared_once():
    from deepfaq.experiments.autoencoders import OUTPUTS

    names = [o.name for o in OUTPUTS]
    assert len(names) == len(set(names))
    assert {o.name for s in SECTIONS.values() for o in s.OUTPUTS} == set(names)


def test_flush_denormals_zeroes_denormals_inside_the_block_only():
    from deepfaq.experiments.kit import flush_denormals

    tiny = torch.tensor([1e-39], dtype=torch.float32)  # a float32 denormal
    assert (tiny * 1.0).item() != 0.0
    with flush_denormals():
        if not torch.set_flush_denormal(True):
            pytest.skip("this CPU cannot flush denormals")
        assert (tiny * 1.0).item() == 0.0
        assert (torch.tensor([1e-30]) * 1.0).item() == pytest.approx(1e-30)
    assert (tiny * 1.0).item() != 0.0
