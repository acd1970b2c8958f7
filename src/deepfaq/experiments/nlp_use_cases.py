"""Three everyday NLP tasks, end to end.

Most NLP in practice is one of a few jobs, each with a strong simple baseline and a
pretrained-encoder alternative:

1. **Text classification** — label a text (sentiment, topic). Baseline: a bag of words
   weighted by tf-idf into logistic regression. Alternative: a pretrained sentence
   encoder's vectors into the same logistic regression.
2. **Semantic search** — find the stored text that means what the query means, even
   in other words. Baseline: tf-idf cosine. Alternative: sentence-embedding cosine.
3. **Topic discovery** — find themes in unlabelled documents (non-negative matrix
   factorisation here; the topics question goes deeper).

Data, all shipped with gensim: 200 movie-review sentences (Pang & Lee), 200 newsgroup
posts from alt.atheism and sci.space with their headers removed, and a question-matching
set we wrote (deepfaq's own questions, each with three paraphrases).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from deepfaq.core.claims import AtLeast, Claim, Greater
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import minilm, text
from deepfaq.data.paraphrases import FAQ

TASKS = ("polarity", "newsgroups")


@dataclass(frozen=True)
class Config:
    folds: int = 5
    max_chars: int = 1000  # newsgroup posts are cut here (MiniLM reads 256 word-pieces)
    C: float = 1.0  # inverse regularisation of the logistic regressions
    n_topics: int = 2


PROFILES = {
    "smoke": Profile(Config(folds=2, max_chars=200), seeds=2),
    "quick": Profile(Config(), seeds=3),
    "full": Profile(Config(folds=10), seeds=10),
}


def labelled(task: str, max_chars: int) -> tuple[list[str], np.ndarray]:
    if task == "polarity":
        return text.polarity()
    texts, labels, _ = text.newsgroups()
    return [t[:max_chars] for t in texts], labels


@lru_cache(maxsize=4)
def _embedded(task: str, max_chars: int, device: str) -> np.ndarray:
    """MiniLM vectors of a task's texts: deterministic, so computed once per process."""
    return minilm.encode(labelled(task, max_chars)[0], device)


def cv_accuracy(make_model, X, y, folds: int, seed: int) -> float:
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    cv = StratifiedKFold(folds, shuffle=True, random_state=seed)
    return float(cross_val_score(make_model(), X, y, cv=cv).mean())


def mean_reciprocal_rank(scores: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """MRR and top-1 accuracy of a [queries, documents] score matrix."""
    order = np.argsort(-scores, axis=1)
    ranks = np.argmax(order == truth[:, None], axis=1) + 1
    return float(np.mean(1.0 / ranks)), float(np.mean(ranks == 1))


def trial(cfg: Config, seed: int, ctx) -> dict:
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    out: dict = {}
    for k, task in enumerate(TASKS):
        texts, y = labelled(task, cfg.max_chars)
        out[f"n_{task}"] = float(len(texts))
        bow = lambda: make_pipeline(TfidfVectorizer(sublinear_tf=True),  # noqa: E731
                                    LogisticRegression(C=cfg.C * 10, max_iter=2000))
        out[f"acc_bow_{task}"] = cv_accuracy(bow, np.array(texts, dtype=object), y,
                                             cfg.folds, seed)
        emb = _embedded(task, cfg.max_chars, ctx.device)
        out[f"acc_minilm_{task}"] = cv_accuracy(
            lambda: LogisticRegression(C=cfg.C, max_iter=2000), emb, y, cfg.folds, seed)
        ctx.progress(0.35 * (k + 1))

    # Semantic search: each paraphrase must find its own canonical question.
    ids = list(FAQ)
    docs = [FAQ[i][0] for i in ids]
    queries = [p for i in ids for p in FAQ[i][1]]
    truth = np.array([d for d, i in enumerate(ids) for _ in FAQ[i][1]])
    tfidf = TfidfVectorizer(sublinear_tf=True).fit(docs + queries)
    scores_tfidf = (tfidf.transform(queries) @ tfidf.transform(docs).T).toarray()
    q, d = minilm.encode(queries, ctx.device), minilm.encode(docs, ctx.device)
    out["search_queries"] = float(len(queries))
    out["mrr_tfidf"], out["top1_tfidf"] = mean_reciprocal_rank(scores_tfidf, truth)
    out["mrr_minilm"], out["top1_minilm"] = mean_reciprocal_rank(q @ d.T, truth)
    ctx.progress(0.85)

    # Topic discovery: NMF on the newsgroup posts, without their labels.
    texts, y, names = text.newsgroups()
    vec = TfidfVectorizer(max_df=0.5, min_df=3, stop_words="english")
    X = vec.fit_transform(texts)
    nmf = NMF(cfg.n_topics, init="nndsvda", random_state=seed, max_iter=500)
    W = nmf.fit_transform(X)
    topic = W.argmax(1)
    # purity: each topic counts the posts of its majority group
    out["topic_purity"] = float(sum(np.bincount(y[topic == t]).max() for t in np.unique(topic))
                                / len(y))
    vocab = vec.get_feature_names_out()
    out["topic_top_words"] = [[str(vocab[j]) for j in np.argsort(-comp)[:8]]
                              for comp in nmf.components_]
    ctx.progress(1.0)
    return out


CLAIMS = (
    *(Claim(f"{m}-beats-chance-{t}",
            f"{label} classifies the {t} texts better than chance (50%) in cross-validation.",
            AtLeast(f"acc_{m}_{t}", 0.5), expected="supported", source="Pang & Lee 2005")
      for m, label in (("bow", "Bag-of-words logistic regression"),
                       ("minilm", "Logistic regression on MiniLM embeddings"))
      for t in TASKS),
    Claim("minilm-beats-bow-polarity",
          "With 200 short sentences, MiniLM embeddings classify sentiment better than bag of"
          " words: a pretrained encoder brings knowledge the 200 labels cannot.",
          Greater("acc_minilm_polarity", "acc_bow_polarity"), expected="supported",
          source="Reimers & Gurevych 2019"),
    Claim("minilm-search-beats-tfidf",
          "Matching paraphrased questions, sentence embeddings rank the right question higher"
          " than tf-idf (mean reciprocal rank).",
          Greater("mrr_minilm", "mrr_tfidf"), expected="supported",
          source="Reimers & Gurevych 2019"),
    Claim("topics-recover-groups",
          "Two NMF topics, found without labels, split the newsgroup posts mostly by group"
          " (purity ≥ 0.7).",
          AtLeast("topic_purity", 0.7), expected="supported", source="Lee & Seung 1999"),
)


def figures(result, new_figure) -> None:
    M = result.metrics
    fig, ax = new_figure("classification")
    x = np.arange(len(TASKS))
    for k, (m, label) in enumerate((("bow", "tf-idf + logistic regression"),
                                    ("minilm", "MiniLM + logistic regression"))):
        ax.bar(x + (k - 0.5) * 0.4, [np.mean(M[f"acc_{m}_{t}"]) for t in TASKS], 0.4,
               label=label)
    ax.axhline(0.5, color="grey", ls=":", label="chance")
    ax.set_xticks(x, ["movie-review polarity", "atheism vs space"])
    ax.set_ylabel("cross-validated accuracy")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8)

    fig, ax = new_figure("semantic-search")
    ax.bar(["tf-idf", "MiniLM"], [np.mean(M["mrr_tfidf"]), np.mean(M["mrr_minilm"])])
    ax.set_ylabel("mean reciprocal rank")
    ax.set_ylim(0, 1)

    fig, ax = new_figure("topic-words", figsize=(6, 1.8))
    for k, words in enumerate(result.series["topic_top_words"][0]):
        ax.text(0.01, 0.75 - 0.45 * k, f"topic {k + 1}: " + ", ".join(words), fontsize=9,
                transform=ax.transAxes)
    ax.set_axis_off()


ANSWER = """
**1. Classification.** {{ num(cfg.folds) }}-fold cross-validated accuracy, averaged over
{{ n }} shuffles of the folds:

| | tf-idf + logistic regression | MiniLM + logistic regression |
|---|---|---|
| movie-review polarity ({{ num(m.n_polarity) }} sentences) | {{ pct(m.acc_bow_polarity) }} |
{{- " " }}{{ pct(m.acc_minilm_polarity) }} |
| atheism vs space ({{ num(m.n_newsgroups) }} posts) | {{ pct(m.acc_bow_newsgroups) }} |
{{- " " }}{{ pct(m.acc_minilm_newsgroups) }} |

Sentiment in one short sentence is carried by a few words that 160 training sentences
rarely repeat, so bag of words has little to learn from; a pretrained encoder already knows
that "tedious" and "dull" mean the same ({{ v["minilm-beats-bow-polarity"] }}). Telling
atheism from space flight is a matter of vocabulary, where bag of words is hard to beat.
Pang & Lee's full sentence-polarity set has 10,662 sentences; with it, bag-of-words models
reach about 76–79% (Kim 2014, Table 2).

**2. Semantic search.** For {{ num(m.search_queries) }} paraphrases of deepfaq's own
questions, the right question came first {{ pct(m.top1_minilm) }} of the time with MiniLM
(MRR {{ num(m.mrr_minilm) }}) and {{ pct(m.top1_tfidf) }} with tf-idf (MRR
{{ num(m.mrr_tfidf) }}): {{ v["minilm-search-beats-tfidf"] }}. Paraphrases share meaning more
than words — which is what `deepfaq ask` relies on.

**3. Topic discovery.** Two NMF topics found without labels grouped the newsgroup posts
with purity {{ pct(m.topic_purity) }}; the figure lists each topic's top words. The topics
question compares NMF, LDA and k-means properly.
"""

QUESTION = Question(
    id="nlp-use-cases",
    title="Three everyday NLP tasks, end to end",
    asked="What are everyday uses of NLP, and how well do simple methods do?",
    config=Config,
    profiles=PROFILES,
    trial=trial,
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    anchors=(
        Anchor("bag-of-words accuracy on MR sentence polarity (10,662 sentences)",
               "NBSVM 79.4%", "Kim 2014, Table 2 (from Wang & Manning 2012)",
               metric="acc_bow_polarity", note="ours: 200 sentences"),
    ),
    references=(
        "Pang & Lee (2005). Seeing stars: exploiting class relationships for sentiment"
        " categorization with respect to rating scales. ACL.",
        "Kim (2014). Convolutional neural networks for sentence classification. EMNLP.",
        "Reimers & Gurevych (2019). Sentence-BERT. EMNLP.",
        "Lee & Seung (1999). Learning the parts of objects by non-negative matrix"
        " factorization. Nature 401.",
    ),
)
