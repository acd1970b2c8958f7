"""Small image helpers for the data the experiments build: cutting a picture into
patches, and drawing synthetic shapes."""

from __future__ import annotations

import numpy as np


def patches(img: np.ndarray, side: int = 28) -> np.ndarray:
    """The non-overlapping ``side``×``side`` patches of a 2-D image, row by row:
    [n, side, side] (a remainder narrower than ``side`` is dropped)."""
    h, w = (s // side * side for s in img.shape)
    return (
        img[:h, :w].reshape(h // side, side, w // side, side).swapaxes(1, 2).reshape(-1, side, side)
    )


def rounded_squares(
    n: int, size: int, roundness: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Filled rounded squares on black, one per image, of random size and position:
    roundness 0 is a square, 1 a circle (corner radius = roundness × half-side).
    Returns masks [n, size, size] of 0 and 1."""
    half = rng.uniform(size * 0.2, size * 0.35, n)
    cx = rng.uniform(half + 1, size - half - 1)
    cy = rng.uniform(half + 1, size - half - 1)
    yy, xx = np.mgrid[0:size, 0:size] + 0.5
    dx = np.abs(xx[None] - cx[:, None, None])
    dy = np.abs(yy[None] - cy[:, None, None])
    h, c = half[:, None, None], (np.asarray(roundness) * half)[:, None, None]
    core = h - c
    corner = (np.maximum(dx - core, 0) ** 2 + np.maximum(dy - core, 0) ** 2) <= c**2 + 1e-9
    return ((dx <= h) & (dy <= h) & corner).astype(np.float32)
