"""LDA soft clustering, the Dirichlet distribution, and NMF.

Three questions that come together in interviews:

* **Why is LDA "soft clustering"?** Latent Dirichlet allocation (Blei, Ng & Jordan
  2003) gives every document a *mixture* of topics — a probability vector θ — where
  k-means gives it exactly one cluster.
* **What is the Dirichlet distribution?** A distribution over probability vectors. Its
  concentration α sets how mixed they are: α < 1 favours vectors near a corner of the
  simplex (a few topics per document), α > 1 favours the centre (all topics alike).
  LDA puts a Dirichlet prior on every θ.
* **How does NMF relate to LDA?** Non-negative matrix factorisation (Lee & Seung 1999)
  also writes documents as non-negative combinations of topics. With the KL objective
  it optimises the same likelihood as PLSA (Gaussier & Goutte 2005), and LDA is PLSA
  with Dirichlet priors on top.

Data: the shortened English Wikipedia that ships with gensim, cut into documents of
300 tokens, and 200 newsgroup posts (alt.atheism, sci.space) with headers removed.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import Annotated, Literal

import numpy as np

from deepfaq.core.claims import AtLeast, AtMost, Beats, Claim, Exact, Greater
from deepfaq.core.config import Range
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import text
from deepfaq.nn.topics import entropy, nmf_to_plsa, plsa_em, plsa_joint, plsa_loglik

ALPHAS = (0.1, 1.0, 10.0)
METHODS = ("lda", "nmf", "nmf_kl", "kmeans")
LABELS = {
    "lda": "LDA",
    "nmf": "NMF (Frobenius, tf-idf)",
    "nmf_kl": "NMF (KL, counts)",
    "kmeans": "k-means (tf-idf)",
}


@dataclass(frozen=True)
class Config:
    n_topics: int = 10
    # Wikipedia articles are cut into documents of this many tokens (under 100, one
    # run's documents multiply and its time with them: 1 token ran over 200 s)
    doc_length: Annotated[int, Range(100, 30_000)] = 300
    lda_iter: int = 20
    nmf_iter: int = 300
    top_words: Annotated[int, Range(2, 100)] = 10  # coherence needs pairs
    coherence: Literal["c_npmi", "u_mass"] = "c_npmi"
    dirichlet_draws: int = 2000
    # the tiny matrix for the NMF-KL = PLSA check (a 1×1 one can be all zeros)
    plsa_docs: Annotated[int, Range(5, 2000)] = 20
    plsa_words: Annotated[int, Range(5, 3000)] = 30


PROFILES = {
    "smoke": Profile(
        Config(
            n_topics=4,
            doc_length=2000,
            lda_iter=3,
            nmf_iter=30,
            coherence="u_mass",
            dirichlet_draws=200,
        ),
        seeds=2,
    ),
    "quick": Profile(Config(), seeds=3),
    "full": Profile(Config(n_topics=20, lda_iter=100, nmf_iter=1000), seeds=10),
}


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return ENGLISH_STOP_WORDS


def top_words(components: np.ndarray, vocab, n: int) -> list[list[str]]:
    return [[str(vocab[j]) for j in np.argsort(-c)[:n]] for c in components]


def coherence_per_topic(
    topic_sets: dict[str, list[list[str]]], texts, kind: str
) -> dict[str, list[float]]:
    """Each topic's coherence, by gensim's CoherenceModel on the same documents.

    One call scores every set: a topic's coherence depends only on its own words'
    counts, so scoring the sets together gives the same numbers as one by one."""
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    topics = [t for ts in topic_sets.values() for t in ts]
    dictionary = Dictionary(texts)
    if kind == "u_mass":
        model = CoherenceModel(
            topics=topics,
            corpus=[dictionary.doc2bow(t) for t in texts],
            dictionary=dictionary,
            coherence="u_mass",
        )
    else:
        model = CoherenceModel(
            topics=topics, texts=texts, dictionary=dictionary, coherence=kind, processes=1
        )
    scores = [float(c) for c in model.get_coherence_per_topic()]
    out, start = {}, 0
    for name, ts in topic_sets.items():
        out[name], start = scores[start : start + len(ts)], start + len(ts)
    return out


def simplex_xy(p: np.ndarray) -> np.ndarray:
    """3-component probability vectors → 2-D points in an equilateral triangle."""
    corners = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
    return p @ corners


def trial(cfg: Config, seed: int, ctx) -> dict:
    from sklearn.cluster import KMeans
    from sklearn.decomposition import NMF, LatentDirichletAllocation
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    rng = np.random.default_rng(seed)
    out: dict = {}

    # -- the Dirichlet distribution ----------------------------------------------
    for alpha in ALPHAS:
        for k in (3, cfg.n_topics):
            draws = rng.dirichlet(np.full(k, alpha), cfg.dirichlet_draws)
            out[f"dirichlet_max_a{alpha:g}_k{k}"] = float(draws.max(1).mean())
            out[f"dirichlet_entropy_ratio_a{alpha:g}_k{k}"] = float(
                entropy(draws).mean() / np.log(k)
            )
        out[f"simplex_a{alpha:g}"] = np.round(simplex_xy(rng.dirichlet(np.full(3, alpha), 300)), 4)
    ctx.progress(0.05)

    # -- topics on Wikipedia documents ----------------------------------------------
    docs = [list(d) for d in text.chunk(text.wiki_articles(), cfg.doc_length)]
    stop = _stop_words()
    analyzer = lambda d: [w for w in d if w not in stop]  # noqa: E731
    counts_vec = CountVectorizer(analyzer=analyzer, min_df=5, max_df=0.5)
    X = counts_vec.fit_transform(docs)
    tfidf_vec = TfidfVectorizer(analyzer=analyzer, min_df=5, max_df=0.5)
    Xt = tfidf_vec.fit_transform(docs)
    out["n_docs"], out["n_words"] = float(X.shape[0]), float(X.shape[1])
    K = cfg.n_topics

    fits = {
        "lda": (
            lambda: LatentDirichletAllocation(
                K, learning_method="batch", max_iter=cfg.lda_iter, random_state=seed
            ),
            X,
            counts_vec,
        ),
        "nmf": (
            lambda: NMF(K, init="nndsvda", max_iter=cfg.nmf_iter, random_state=seed),
            Xt,
            tfidf_vec,
        ),
        "nmf_kl": (
            lambda: NMF(
                K,
                init="nndsvda",
                solver="mu",
                beta_loss="kullback-leibler",
                max_iter=cfg.nmf_iter,
                random_state=seed,
            ),
            X,
            counts_vec,
        ),
        "kmeans": (lambda: KMeans(K, n_init=3, random_state=seed), Xt, tfidf_vec),
    }
    topics = {}
    for i, (name, (make, data, vec)) in enumerate(fits.items()):
        model = make()
        start = time.perf_counter()
        with warnings.catch_warnings():  # the profile sets the iteration budget on purpose
            warnings.simplefilter("ignore", ConvergenceWarning)
            doc_topic = model.fit_transform(data)
        out[f"seconds_{name}"] = time.perf_counter() - start
        vocab = vec.get_feature_names_out()
        comps = model.cluster_centers_ if name == "kmeans" else model.components_
        topics[name] = top_words(comps, vocab, cfg.top_words)
        if name == "kmeans":
            theta = np.eye(K)[model.labels_]  # one cluster per document
        else:
            theta = doc_topic / np.maximum(doc_topic.sum(1, keepdims=True), 1e-12)
        out[f"entropy_{name}"] = float(entropy(theta).mean())
        out[f"share_mixed_{name}"] = float((theta.max(1) < 0.9).mean())
        out[f"topic_words_{name}"] = topics[name]
        if name == "lda":
            out["lda_theta_example"] = np.round(theta[:: max(1, len(theta) // 40)][:40], 3)
        ctx.progress(0.05 + 0.15 * (i + 1))

    # The trivial baseline for coherence: "topics" of words drawn by corpus frequency, what
    # a model that learned no structure would list. Its own stream, so no other number moves.
    freq = np.asarray(X.sum(0)).ravel()
    draw = np.random.default_rng((seed, 1))
    vocab = counts_vec.get_feature_names_out()
    topics["random"] = [
        [
            str(vocab[j])
            for j in draw.choice(len(vocab), cfg.top_words, replace=False, p=freq / freq.sum())
        ]
        for _ in range(K)
    ]
    for name, scores in coherence_per_topic(topics, docs, cfg.coherence).items():
        out[f"coherence_{name}"] = float(np.mean(scores))
        out[f"coherence_topics_{name}"] = scores  # one value per topic, for the figure
    out["speedup_nmf_vs_lda"] = out["seconds_lda"] / out["seconds_nmf"]
    ctx.progress(0.8)

    # -- the same on the newsgroups, where the true groups are known --------------------
    posts, labels, _ = text.newsgroups()
    vec = CountVectorizer(stop_words="english", min_df=3, max_df=0.5)
    C = vec.fit_transform(posts)
    lda2 = LatentDirichletAllocation(
        2, learning_method="batch", max_iter=cfg.lda_iter * 2, random_state=seed
    ).fit(C)
    assign = lda2.transform(C).argmax(1)
    out["newsgroups_lda_purity"] = float(
        sum(np.bincount(labels[assign == t]).max() for t in np.unique(assign)) / len(labels)
    )
    ctx.progress(0.9)

    # -- NMF with the KL objective is PLSA: a tiny count matrix ------------------------
    tiny = rng.poisson(rng.gamma(1.0, 2.0, (cfg.plsa_docs, cfg.plsa_words))).astype(float)
    nmf = NMF(
        3,
        init="random",
        solver="mu",
        beta_loss="kullback-leibler",
        max_iter=5000,
        tol=1e-12,
        random_state=seed,
    )
    W = nmf.fit_transform(tiny)
    H = nmf.components_
    params = nmf_to_plsa(W, H)
    ll_nmf = plsa_loglik(tiny, plsa_joint(*params))
    _, trace = plsa_em(tiny, params, iters=200)
    out["plsa_mass_ratio"] = float((W @ H).sum() / tiny.sum())  # 1 at a KL fixed point
    out["plsa_em_gain_from_nmf"] = float((trace[-1] - ll_nmf) / abs(ll_nmf))
    random_init = (
        np.full(3, 1 / 3),
        rng.dirichlet(np.ones(cfg.plsa_docs), 3).T,
        rng.dirichlet(np.ones(cfg.plsa_words), 3),
    )
    _, trace_random = plsa_em(tiny, random_init, iters=500)
    out["plsa_em_random_vs_nmf"] = float((trace_random[-1] - ll_nmf) / abs(ll_nmf))
    out["plsa_trace"] = np.asarray(trace)
    ctx.progress(1.0)
    return out


BLEI = "Blei, Ng & Jordan 2003"

# A topic model has learned something only if its topics are more coherent than words
# drawn by frequency: 0.05 NPMI, the smallest coherence difference the claims care about.
LEARNED = {
    m: Beats(
        f"coherence_{m}", "coherence_random", margin=0.05, baseline_name="frequency-drawn topics"
    )
    for m in ("lda", "nmf")
}

CLAIMS = (
    Claim(
        "lda-mixes",
        "LDA gives documents mixed memberships: mean entropy of their topic vectors at least"
        " 0.3 nats.",
        AtLeast("entropy_lda", 0.3),
        expected="supported",
        source=BLEI,
        kind="empirical",
        unit="nats",
        replication="seeds",
        preconditions=(LEARNED["lda"],),
    ),
    Claim(
        "lda-mostly-mixed",
        "At least 20% of documents have no topic holding 90% of their mass.",
        AtLeast("share_mixed_lda", 0.2),
        expected="supported",
        source=BLEI,
        kind="empirical",
        unit="%",
        replication="seeds",
        preconditions=(LEARNED["lda"],),
    ),
    Claim(
        "kmeans-hard",
        "k-means gives each document exactly one cluster (entropy 0).",
        Exact("entropy_kmeans", 0.0),
        expected="supported",
        source="MacQueen 1967",
        kind="identity",
        unit="nats",
    ),
    Claim(
        "dirichlet-sparse",
        "Dirichlet samples with α = 0.1 on 3 components are sparse: the largest component"
        " holds at least 80% of the mass on average.",
        AtLeast("dirichlet_max_a0.1_k3", 0.8),
        expected="supported",
        source=BLEI,
        kind="identity",
        unit="%",
        replication="seeds",
    ),
    Claim(
        "dirichlet-uniform",
        "With α = 10 they are near uniform: entropy at least 95% of the maximum, log 3.",
        AtLeast("dirichlet_entropy_ratio_a10_k3", 0.95),
        expected="supported",
        source=BLEI,
        kind="identity",
        unit="%",
        replication="seeds",
    ),
    Claim(
        "nmf-faster",
        "At each profile's iteration budget, NMF (Frobenius, on tf-idf) fits the Wikipedia"
        " topics at least 1.1× faster than LDA (on this device).",
        AtLeast("speedup_nmf_vs_lda", 1.1),
        expected="supported",
        source="Stevens et al. 2012; O'Callaghan et al. 2015",
        kind="empirical",
        unit="×",
        replication="seeds",
        preconditions=(LEARNED["lda"], LEARNED["nmf"]),
    ),
    Claim(
        "lda-coherence-beats-nmf",
        "LDA's topics are more coherent than NMF's by more than 0.05 NPMI.",
        Greater("coherence_lda", "coherence_nmf", margin=0.05),
        expected="refuted",
        source="O'Callaghan et al. 2015 (NMF as coherent as LDA, or more)",
        kind="empirical",
        unit="NPMI",
        replication="seeds",
        preconditions=(LEARNED["lda"], LEARNED["nmf"]),
    ),
    Claim(
        "nmf-kl-is-plsa",
        "NMF with the KL objective, normalised, is a PLSA solution: PLSA's EM started from it"
        " raises the likelihood by less than 0.1%.",
        AtMost("plsa_em_gain_from_nmf", 1e-3),
        expected="supported",
        source="Gaussier & Goutte 2005",
        kind="identity",
        unit="%",
        replication="seeds",
    ),
    Claim(
        "nmf-kl-keeps-mass",
        "At NMF-KL's fixed point the factors reproduce the total count exactly (Σ WH = Σ X),"
        " the condition for the equivalence.",
        Exact("plsa_mass_ratio", 1.0, tol=1e-3),
        expected="supported",
        source="Gaussier & Goutte 2005",
        kind="identity",
        unit="",
    ),
)


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, bars, heatmap, level

    M, S = result.metrics, result.series
    fig, axes = new_figure("dirichlet-simplex", ncols=3, figsize=(10, 3.3))
    tri = simplex_xy(np.vstack([np.eye(3), np.eye(3)[:1]]))
    for ax, alpha in zip(axes[0], ALPHAS, strict=True):
        pts = np.asarray(S[f"simplex_a{alpha:g}"][0])
        ax.plot(tri[:, 0], tri[:, 1], color="grey", lw=0.8)
        ax.scatter(pts[:, 0], pts[:, 1], s=4, alpha=0.6)
        ax.set_title(f"Dirichlet α = {alpha:g}", fontsize=9)
        ax.set_aspect("equal")
        ax.set_axis_off()

    fig, ax = new_figure("doc-topic-mixtures")
    theta = np.asarray(S["lda_theta_example"][0])
    heatmap(
        ax,
        theta,
        label="share of the document's words",
        cmap="Blues",
        aspect="auto",
        vmin=0,
        vmax=1,
    )
    ax.set_xlabel("topic")
    ax.set_ylabel("document (every n-th)")
    ax.set_title("LDA document–topic proportions (seed 0)", fontsize=9)

    fig, axes = new_figure("coherence-and-time", ncols=2, figsize=(9, 3.4))
    names = [m for m in METHODS if m != "kmeans"]
    bars(
        axes[0, 0],
        [LABELS[m] for m in names],
        [M[f"coherence_{m}"] for m in names],
        label="topic coherence",
    )
    level(
        axes[0, 0], M["coherence_random"], color=REFERENCE, ls=":", label="words drawn by frequency"
    )
    axes[0, 0].set_ylabel(f"topic coherence ({result.config['coherence']})")
    axes[0, 0].legend(fontsize=7)
    bars(
        axes[0, 1],
        [LABELS[m] for m in names],
        [M[f"seconds_{m}"] for m in names],
        bounds=(0, np.inf),
        label="seconds to fit",
    )
    axes[0, 1].set_ylabel("seconds to fit")
    for ax in axes[0]:
        ax.tick_params(axis="x", labelsize=7)

    fig, ax = new_figure("top-words", figsize=(9, 4))
    words = S["topic_words_lda"][0]
    for k, ws in enumerate(words[:10]):
        ax.text(
            0.0,
            1 - (k + 1) / 11,
            f"LDA topic {k + 1}: " + ", ".join(ws[:8]),
            fontsize=8,
            transform=ax.transAxes,
        )
    ax.set_axis_off()


ANSWER = """
**Soft clustering.** On {{ num(m.n_docs) }} Wikipedia documents of {{ cfg.doc_length }}
tokens, LDA with {{ cfg.n_topics }} topics gave topic vectors with mean entropy
{{ num(m.entropy_lda) }} nats (the most a {{ cfg.n_topics }}-topic vector can have is
log {{ cfg.n_topics }}), and {{ pct(m.share_mixed_lda) }} of the documents had no topic
holding nine tenths of their mass
{%- if v["lda-mixes"] == "supported" %}: documents are mixtures.
{%- elif v["lda-mixes"] == "refuted" %}: at this budget LDA gave most documents one
dominant topic, closer to hard clustering than the textbook picture.
{%- else %} ({{ c["lda-mixes"].reason }}).{% endif %}
k-means, by construction, gave entropy {{ num(m.entropy_kmeans) }}: one cluster per
document. An article about Aristotle can be part philosophy and part biology; k-means has
to choose.

**The Dirichlet distribution** draws probability vectors. On 3 components, the largest
component held {{ pct(m["dirichlet_max_a0.1_k3"]) }} of the mass on average at α = 1/10,
{{ pct(m.dirichlet_max_a1_k3) }} at α = 1 (uniform over the simplex) and
{{ pct(m.dirichlet_max_a10_k3) }} at α = 10, where the entropy reached
{{ pct(m.dirichlet_entropy_ratio_a10_k3) }} of its maximum. The simplex figure shows the
draws moving from the corners to the centre. In LDA, α below 1 encodes the belief that a
document is about a few topics.

**NMF against LDA.** NMF on tf-idf took {{ num(m.seconds_nmf) }} s, LDA
{{ num(m.seconds_lda) }} s ({{ cfg.lda_iter }} batch EM passes), a ratio of
{{ num(m.speedup_nmf_vs_lda) }}
{%- if v["nmf-faster"] == "supported" %}: NMF was the faster fit on this device.
{%- elif v["nmf-faster"] == "refuted" %}: on this device NMF was not faster by the
claim's margin.
{%- else %} (undecided: {{ c["nmf-faster"].reason }}).{% endif %}
Their coherence ({{ cfg.coherence }}, computed by gensim on the same documents): NMF
{{ num(m.coherence_nmf) }}, LDA {{ num(m.coherence_lda) }}, NMF with the KL objective
{{ num(m.coherence_nmf_kl) }}, against {{ num(m.coherence_random) }} for "topics" of words
drawn by their frequency
{%- if v["lda-coherence-beats-nmf"] == "refuted" %}: NMF's topics were as coherent as
LDA's, or more (LDA did not lead by the claim's margin).
{%- elif v["lda-coherence-beats-nmf"] == "supported" %}: here LDA's topics were the more
coherent, by more than the claim's margin.
{%- else %}. Whether LDA leads by more than the claim's margin is undecided:
{{ c["lda-coherence-beats-nmf"].reason }}.{% endif %}

**Why they are relatives.** NMF with the KL objective fits X ≈ WH; normalising W and H
into P(z), P(d|z), P(w|z) gives a PLSA model whose likelihood PLSA's own EM could raise by
only {{ num(m.plsa_em_gain_from_nmf) }} (relative)
{%- if v["nmf-kl-is-plsa"] == "supported" %} — it is already a PLSA fixed point;
{%- else %} — more than the claimed tolerance, so this run did not show the NMF solution
to be a PLSA fixed point ({{ v["nmf-kl-is-plsa"] }});{% endif %}
at that point Σ WH / Σ X = {{ num(m.plsa_mass_ratio, 6) }}.
EM from a random start ended {{ num(m.plsa_em_random_vs_nmf) }} (relative) from the NMF
solution: a different local optimum of the same objective. LDA is PLSA with Dirichlet priors
on the document and topic distributions, which is what lets it score unseen documents and
keeps their mixtures sparse.

On the newsgroups, two LDA topics found without labels recovered the two groups with purity
{{ pct(m.newsgroups_lda_purity) }}.
"""

QUESTION = Question(
    id="topics",
    topic="Language and text",
    paraphrases=(
        "What is soft clustering in LDA, and how does NMF relate to it?",
        "latent dirichlet allocation versus k-means for documents",
        "what does the alpha parameter of a dirichlet prior do",
        "non-negative matrix factorization for topic modelling",
    ),
    title="LDA soft clustering, the Dirichlet distribution, NMF",
    asked="What is soft clustering in LDA, what is the Dirichlet distribution, and how"
    " does NMF relate to LDA?",
    config=Config,
    profiles=PROFILES,
    trial=trial,
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    anchors=(
        Anchor(
            "NMF-KL and PLSA",
            "optimise the same objective",
            "Gaussier & Goutte 2005",
            metric="plsa_em_gain_from_nmf",
            note="ours: EM gain from the NMF solution",
        ),
        Anchor(
            "LDA document–topic vectors",
            "mixtures under a Dirichlet prior",
            BLEI,
            metric="entropy_lda",
            note="ours: mean entropy, nats",
        ),
    ),
    references=(
        "Blei, Ng & Jordan (2003). Latent Dirichlet allocation. JMLR 3.",
        "Hofmann (1999). Probabilistic latent semantic analysis. UAI.",
        "Lee & Seung (1999). Learning the parts of objects by non-negative matrix"
        " factorization. Nature 401.",
        "Gaussier & Goutte (2005). Relation between PLSA and NMF and implications. SIGIR.",
        "O'Callaghan, Greene, Carthy & Cunningham (2015). An analysis of the coherence of"
        " descriptors in topic modeling. Expert Systems with Applications 42(13).",
        "Stevens, Kegelmeyer, Andrzejewski & Buttler (2012). Exploring topic coherence over"
        " many models and many topics. EMNLP.",
    ),
    timings=(
        "seconds_lda",
        "seconds_nmf",
        "seconds_nmf_kl",
        "seconds_kmeans",
        "speedup_nmf_vs_lda",
    ),
)
