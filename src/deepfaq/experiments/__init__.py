"""The question catalogue: one module per question, registered explicitly.

A new question is its module plus one line in the list below."""

from deepfaq.core.figures import register_colors
from deepfaq.core.question import Registry
from deepfaq.experiments import (
    activations,
    autoencoders,
    batch_norm,
    bert,
    conv_vs_dense,
    dropout,
    embedding_limits,
    handwriting,
    init_scale,
    lstm_vs_gru,
    nlp_use_cases,
    optimisers,
    random_labels,
    residual_connections,
    text_cnn,
    topics,
    upsampling,
    word_embeddings,
    xavier,
    zero_init,
)

# In the order of QUESTIONS.md.
REGISTRY = Registry(
    [
        lstm_vs_gru.QUESTION,
        zero_init.QUESTION,
        init_scale.QUESTION,
        xavier.QUESTION,
        activations.QUESTION,
        conv_vs_dense.QUESTION,
        batch_norm.QUESTION,
        handwriting.QUESTION,
        topics.QUESTION,
        nlp_use_cases.QUESTION,
        word_embeddings.QUESTION,
        embedding_limits.QUESTION,
        text_cnn.QUESTION,
        bert.QUESTION,
        autoencoders.QUESTION,
        upsampling.QUESTION,
        dropout.QUESTION,
        residual_connections.QUESTION,
        optimisers.QUESTION,
        random_labels.QUESTION,
    ]
)

for _q in REGISTRY:
    register_colors(_q.id, dict(_q.colors))
