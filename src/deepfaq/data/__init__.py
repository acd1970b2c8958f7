"""Offline datasets: generated or shipped inside installed packages.

Every loader takes an integer ``seed`` that fixes the train/test split (and, for
generated data, the data itself). Nothing here touches the network.
"""

from deepfaq.data.images import patches, rounded_squares
from deepfaq.data.loaders import (
    Split,
    mnist1d,
    mnist1d_validation,
    mnist_digits,
    sample_photo,
    sklearn_digits,
)

__all__ = [
    "Split",
    "mnist1d",
    "mnist1d_validation",
    "mnist_digits",
    "patches",
    "rounded_squares",
    "sample_photo",
    "sklearn_digits",
]
