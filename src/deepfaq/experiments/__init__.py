"""The question catalogue: one module per question, registered explicitly."""

from deepfaq.core.question import Registry
from deepfaq.experiments import (
                                 activations,
                                 batch_norm,
                                 conv_vs_dense,
                                 init_scale,
                                 xavier,
                                 zero_init,
)

REGISTRY = Registry([
    zero_init.QUESTION,
    init_scale.QUESTION,
    xavier.QUESTION,
    activations.QUESTION,
    conv_vs_dense.QUESTION,
    batch_norm.QUESTION,
])
