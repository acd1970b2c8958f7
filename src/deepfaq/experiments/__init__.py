"""The question catalogue: one module per question, registered explicitly."""

from deepfaq.core.question import Registry
from deepfaq.experiments import activations, init_scale, zero_init

REGISTRY = Registry([
    zero_init.QUESTION,
    init_scale.QUESTION,
    activations.QUESTION,
])
