"""The autoencoders question's own pieces: shapes, JPEG sizes, quantiser, tiling."""

import numpy as np
import torch

from deepfaq.experiments.autoencoders import (
    colour_targets,
    dense_ae,
    jpeg_roundtrip,
    patches,
    quantise,
    shapes,
    tile,
)


def test_shapes_square_and_circle_areas():
    rng = np.random.default_rng(0)
    n, size = 50, 64
    sq = shapes(n, size, np.zeros(n), np.random.default_rng(1))
    ci = shapes(n, size, np.ones(n), np.random.default_rng(1))  # same sizes and centres
    # a circle of radius h covers π/4 of the square of side 2h around it
    ratio = ci.sum((1, 2)) / sq.sum((1, 2))
    assert abs(ratio.mean() - np.pi / 4) < 0.01 and np.allclose(ratio, np.pi / 4, atol=0.05)
    assert (ci <= sq).all()  # rounding only removes corners
    mid = shapes(n, size, np.full(n, 0.5), rng)
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
    for bits in (2, 4, 8):
        q, zq = quantise(z, lo, hi, bits)
        assert q.min() >= 0 and q.max() <= 2 ** bits - 1
        step = (hi - lo) / (2 ** bits - 1)
        assert ((zq - z).abs() <= step / 2 + 1e-6).all()


def test_dense_ae_shapes_and_linear_option():
    ae = dense_ae([784, 64, 10])
    x = torch.rand(3, 784)
    assert ae[0](x).shape == (3, 10) and ae(x).shape == (3, 784)
    assert ((ae(x) > 0) & (ae(x) < 1)).all()
    lin = dense_ae([784, 10], linear=True)
    assert all(isinstance(m, torch.nn.Linear) for m in lin.modules()
               if not isinstance(m, torch.nn.Sequential))


def test_patches_and_tile_round_trip():
    img = np.arange(56 * 84, dtype=float).reshape(56, 84)
    p = patches(img)
    assert p.shape == (6, 28, 28)
    np.testing.assert_array_equal(p[4], img[28:, 28:56])
    canvas = tile(p, 2, 3, pad=0)
    np.testing.assert_array_equal(canvas, img)
