"""Synthetic lines of handwriting made from real MNIST digits.

Each line is a random digit string (3–5 digits by default) drawn with real
handwritten digits: every digit image is trimmed to its ink, optionally stretched
or squeezed horizontally, placed after the previous one with a random gap
(negative gaps overlap), and jittered vertically. The label is only the string —
no positions — which is all CTC needs.
"""

from __future__ import annotations

import numpy as np


def _ink_columns(img: np.ndarray) -> np.ndarray:
    cols = np.flatnonzero(img.max(0) > 0.1)
    return img[:, cols[0] : cols[-1] + 1] if cols.size else img


def stretch_columns(digit: np.ndarray, factor: float) -> np.ndarray:
    """``digit`` [height, w] resampled to ``max(1, round(w · factor))`` columns by
    linear interpolation along each row."""
    w = digit.shape[1]
    new_w = max(1, round(w * factor))
    at = np.linspace(0, w - 1, new_w)
    return np.stack([np.interp(at, np.arange(w), row) for row in digit]).astype(digit.dtype)


def make_lines(
    images: np.ndarray,
    labels: np.ndarray,
    n: int,
    rng: np.random.Generator,
    scale: int = 1,
    width: int = 128,
    min_len: int = 3,
    max_len: int = 5,
    gap: tuple[int, int] = (-2, 5),
    jitter: int = 4,
    stretch: tuple[float, float] = (1.0, 1.0),
):
    """``n`` lines built from ``images`` [m, 784] (values 0–1) and ``labels`` [m].

    Digits are shrunk by ``scale`` (2: 14×14 pixels, by 2×2 averaging); lines are
    ``28 // scale + jitter`` pixels high. Returns ``X`` [n, 1, height, width]
    float32 and a list of ``n`` label tuples. Digits that would run past the right
    edge are left out of the line (and of its label). With ``stretch`` other than
    (1, 1) every digit's width is scaled by a factor drawn uniformly from it (the
    default draws nothing, so lines stay as they were).
    """
    size = 28 // scale
    digits = images.reshape(-1, size, scale, size, scale).mean((2, 4))
    X = np.zeros((n, 1, size + jitter, width), dtype=np.float32)
    targets = []
    for i in range(n):
        x, label = int(rng.integers(0, 5 // scale + 1)), []
        for _ in range(int(rng.integers(min_len, max_len + 1))):
            j = int(rng.integers(len(images)))
            digit = _ink_columns(digits[j])
            if stretch != (1.0, 1.0):
                digit = stretch_columns(digit, float(rng.uniform(*stretch)))
            w = digit.shape[1]
            if x + w > width:
                break
            top = int(rng.integers(0, jitter + 1))
            region = X[i, 0, top : top + size, x : x + w]
            np.maximum(region, digit, out=region)
            label.append(int(labels[j]))
            x = max(0, x + w + int(rng.integers(gap[0], gap[1] + 1)))
        targets.append(tuple(label))
    return X, targets
