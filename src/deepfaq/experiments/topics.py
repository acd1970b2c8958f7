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

The page has four sections, each prose → code → claims → figure → its paragraph of the
answer: the Dirichlet distribution; topic models on Wikipedia (soft against hard
clusters, coherence, speed); the newsgroups; NMF-KL and PLSA.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import Annotated, Literal

import numpy as np

from deepfaq.core.claims import AtLeast, AtMost, Beats, Claim, Converged, Exact, Greater, Ratio
from deepfaq.core.config import Range
from deepfaq.core.outputs import curve, metric, series
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import text
from deepfaq.experiments import kit
from deepfaq.nn.topics import entropy, nmf_to_plsa, plsa_em, plsa_joint, plsa_loglik

BLEI = "Blei, Ng & Jordan 2003"


@dataclass(frozen=True)
class Config:
    n_topics: int = 10
    # Wikipedia articles are cut into documents of this many tokens (under 100, one
    # run's documents multiply and its time with them: 1 token ran over 200 s)
    doc_length: Annotated[int, Range(100, 30_000)] = 300
    lda_iter: Annotated[int, Range(5, 10_000)] = 25  # batch variational-EM passes
    # a document's E-step stops when its topic proportions change by less than this
    # (scikit-learn's default is 1e-3; 1e-2 was as good and 20% faster on tuning seeds)
    lda_doc_tol: float = 1e-2
    nmf_iter: Annotated[int, Range(5, 100_000)] = 150  # coordinate-descent / MU iterations
    top_words: Annotated[int, Range(2, 100)] = 10  # coherence needs pairs
    coherence: Literal["c_npmi", "u_mass"] = "c_npmi"
    dirichlet_draws: int = 2000
    # the tiny matrix for the NMF-KL = PLSA check (a 1×1 one can be all zeros)
    plsa_docs: Annotated[int, Range(5, 2000)] = 20
    plsa_words: Annotated[int, Range(5, 3000)] = 30


#: Evaluations of each training curve: LDA's perplexity after every EM pass, NMF's
#: reconstruction error after every ``nmf_iter / CURVE_POINTS`` iterations. 25 points
#: put 5 in the last fifth, the fewest a convergence check may judge.
CURVE_POINTS = 25

PROFILES = {
    "smoke": Profile(
        Config(
            n_topics=4,
            doc_length=2000,
            lda_iter=5,
            nmf_iter=25,
            coherence="u_mass",
            dirichlet_draws=200,
        ),
        seeds=2,
    ),
    "quick": Profile(Config(), seeds=3),
    # ten seeds of quick's converged budgets (each seed ≈ quick's), with longer LDA
    "full": Profile(Config(lda_iter=40, nmf_iter=200), seeds=10),
    # the published scale: 20 topics and long runs (the old "full")
    "paper": Profile(Config(n_topics=20, lda_iter=100, lda_doc_tol=1e-3, nmf_iter=1000), seeds=10),
}


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return ENGLISH_STOP_WORDS


# %% 1. The Dirichlet distribution ----------------------------------------------------------------
#
# A Dirichlet with concentration α on k components draws probability vectors. We draw
# ``dirichlet_draws`` of them at three concentrations, on 3 components (drawn on the
# simplex) and on as many components as the topic models have, and measure how much
# mass the largest component holds and how close the entropy comes to its maximum log k.

ALPHAS = (0.1, 1.0, 10.0)
#: The measured Dirichlet statistics, one per concentration and number of components
#: ("k3": 3 components; "ktopics": ``n_topics``). The trial fills them from this table.
DIRICHLET = tuple(
    (alpha, k, f"dirichlet_max_a{alpha:g}_{k}", f"dirichlet_entropy_ratio_a{alpha:g}_{k}")
    for alpha in ALPHAS
    for k in ("k3", "ktopics")
)
SIMPLEX = tuple((alpha, f"simplex_a{alpha:g}") for alpha in ALPHAS)


def simplex_xy(p: np.ndarray) -> np.ndarray:
    """3-component probability vectors → 2-D points in an equilateral triangle."""
    corners = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
    return p @ corners


def dirichlet_facts(cfg: Config, rng: np.random.Generator) -> dict:
    out: dict = {}
    for alpha, k, max_name, entropy_name in DIRICHLET:
        dims = 3 if k == "k3" else cfg.n_topics
        draws = rng.dirichlet(np.full(dims, alpha), cfg.dirichlet_draws)
        out[max_name] = float(draws.max(1).mean())
        out[entropy_name] = float(entropy(draws).mean() / np.log(dims))
    for alpha, name in SIMPLEX:
        out[name] = np.round(simplex_xy(rng.dirichlet(np.full(3, alpha), 300)), 4)
    return out


DIRICHLET_OUTPUTS = (
    *(
        o
        for alpha, k, max_name, entropy_name in DIRICHLET
        for o in (
            metric(
                max_name,
                f"the mean share of the largest component of Dirichlet(α = {alpha:g}) draws"
                f" on {'3 components' if k == 'k3' else 'as many components as topics'}",
                "%",
                bounds=(0, 1),
            ),
            metric(
                entropy_name,
                f"the mean entropy of Dirichlet(α = {alpha:g}) draws on"
                f" {'3 components' if k == 'k3' else 'as many components as topics'},"
                " as a share of its maximum",
                "%",
                bounds=(0, 1),
            ),
        )
    ),
    *(
        series(name, f"300 Dirichlet(α = {alpha:g}) draws on 3 components, as simplex points")
        for alpha, name in SIMPLEX
    ),
)

DIRICHLET_CLAIMS = (
    # Both are facts about the distribution, checked on every seed's sample (a check of
    # the sampler and of our statistics): E[max] is about 0.89 at α = 0.1 and the entropy
    # ratio about 0.97 at α = 10, each known to within ±0.01 at 2,000 draws.
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
)


def dirichlet_figure(result, new_figure) -> None:
    S = result.series
    fig, axes = new_figure("dirichlet-simplex", ncols=3, figsize=(10, 3.3))
    tri = simplex_xy(np.vstack([np.eye(3), np.eye(3)[:1]]))
    for ax, (alpha, name) in zip(axes[0], SIMPLEX, strict=True):
        pts = np.asarray(S[name][0])
        ax.plot(tri[:, 0], tri[:, 1], color="grey", lw=0.8)
        ax.scatter(pts[:, 0], pts[:, 1], s=4, alpha=0.6)
        ax.set_title(f"Dirichlet α = {alpha:g}", fontsize=9)
        ax.set_aspect("equal")
        ax.set_axis_off()


DIRICHLET_ANSWER = """
**The Dirichlet distribution** draws probability vectors. On 3 components, the largest
component held {{ pct(m["dirichlet_max_a0.1_k3"]) }} of the mass on average at α = 1/10,
{{ pct(m.dirichlet_max_a1_k3) }} at α = 1 (uniform over the simplex) and
{{ pct(m.dirichlet_max_a10_k3) }} at α = 10, where the entropy reached
{{ pct(m.dirichlet_entropy_ratio_a10_k3) }} of its maximum. The simplex figure shows the
draws moving from the corners to the centre. In LDA, α below 1 encodes the belief that a
document is about a few topics.
"""


# %% 2. Topic models on Wikipedia -----------------------------------------------------------------
#
# LDA (batch variational EM, scikit-learn), NMF with the Frobenius loss on tf-idf, NMF with
# the KL loss on counts, and k-means on tf-idf, each with ``n_topics`` topics. Each model's
# training curve is stored (LDA's perplexity on every twentieth document after each EM pass,
# NMF's reconstruction error), so the claims can ask whether training had levelled off.
# Speed is the CPU time of the fit on this one thread (a wall clock would also count the
# other programs sharing the machine).

METHODS = ("lda", "nmf", "nmf_kl", "kmeans")
LABELS = {
    "lda": "LDA",
    "nmf": "NMF (Frobenius, tf-idf)",
    "nmf_kl": "NMF (KL, counts)",
    "kmeans": "k-means (tf-idf)",
}


def lda_fit(X, cfg: Config, seed: int) -> tuple[object, np.ndarray, list[float], float]:
    """scikit-learn's batch LDA, pass by pass, exactly as ``fit`` runs it (a test checks
    the topics are identical), with the perplexity of every twentieth document after each
    pass. Returns the model, the documents' topic mixtures, the curve and the CPU seconds
    of the EM passes alone (the curve's evaluations not counted)."""
    from sklearn.decomposition import LatentDirichletAllocation

    lda = LatentDirichletAllocation(
        cfg.n_topics,
        learning_method="batch",
        max_iter=cfg.lda_iter,
        mean_change_tol=cfg.lda_doc_tol,
        random_state=seed,
    )
    X = lda._check_non_neg_array(X, reset_n_features=True, whom="lda_fit")
    lda._init_latent_vars(X.shape[1], dtype=X.dtype)
    probe = X[::20]
    seconds, curve_ = 0.0, []
    for _ in range(cfg.lda_iter):
        start = time.thread_time()
        lda._em_step(X, total_samples=X.shape[0], batch_update=True)
        lda.n_iter_ += 1
        seconds += time.thread_time() - start
        curve_.append(float(lda.perplexity(probe)))
    return lda, lda.transform(X), curve_, seconds


def nmf_fit(X, cfg: Config, seed: int) -> tuple[object, np.ndarray, list[float], float]:
    """scikit-learn's NMF run for ``nmf_iter`` iterations in :data:`CURVE_POINTS` pieces,
    each continuing from the last (``init="custom"``; the solvers keep no other state),
    with the reconstruction error after each piece and the CPU seconds of the fit."""
    from sklearn.decomposition import NMF

    step = max(1, cfg.nmf_iter // CURVE_POINTS)
    W = H = None
    seconds, curve_ = 0.0, []
    for _ in range(cfg.nmf_iter // step):
        if W is None:
            model = NMF(cfg.n_topics, init="nndsvda", max_iter=step, tol=0, random_state=seed)
            start = time.thread_time()
            W = model.fit_transform(X)
        else:
            model = NMF(cfg.n_topics, init="custom", max_iter=step, tol=0)
            start = time.thread_time()
            W = model.fit_transform(X, W=W, H=H)
        seconds += time.thread_time() - start
        H = model.components_
        curve_.append(float(model.reconstruction_err_))
    return model, W, curve_, seconds


def nmf_kl_fit(X, cfg: Config, seed: int) -> tuple[object, np.ndarray, float]:
    """NMF with the KL objective on counts (multiplicative updates), at most ``nmf_iter``
    iterations with scikit-learn's own stopping rule; no claim reads its curve."""
    from sklearn.decomposition import NMF

    model = NMF(
        cfg.n_topics,
        init="nndsvda",
        solver="mu",
        beta_loss="kullback-leibler",
        max_iter=cfg.nmf_iter,
        random_state=seed,
    )
    start = time.thread_time()
    W = model.fit_transform(X)
    return model, W, time.thread_time() - start


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


def mixture_facts(name: str, theta: np.ndarray) -> dict:
    """How mixed the documents' topic vectors are: mean entropy, share with no topic at
    90% of the mass."""
    return {
        f"entropy_{name}": float(entropy(theta).mean()),
        f"share_mixed_{name}": float((theta.max(1) < 0.9).mean()),
    }


def wiki_facts(cfg: Config, seed: int, stages) -> dict:
    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    docs = [list(d) for d in text.chunk(text.wiki_articles(), cfg.doc_length)]
    stop = _stop_words()
    analyzer = lambda d: [w for w in d if w not in stop]  # noqa: E731
    counts_vec = CountVectorizer(analyzer=analyzer, min_df=5, max_df=0.5)
    X = counts_vec.fit_transform(docs)
    tfidf_vec = TfidfVectorizer(analyzer=analyzer, min_df=5, max_df=0.5)
    Xt = tfidf_vec.fit_transform(docs)
    counts_vocab, tfidf_vocab = (
        counts_vec.get_feature_names_out(),
        tfidf_vec.get_feature_names_out(),
    )
    out: dict = {"n_docs": float(X.shape[0]), "n_words": float(X.shape[1])}
    topics: dict[str, list[list[str]]] = {}

    lda, theta, out["curve_lda_perplexity"], out["seconds_lda"] = lda_fit(X, cfg, seed)
    theta = theta / np.maximum(theta.sum(1, keepdims=True), 1e-12)
    out.update(mixture_facts("lda", theta))
    out["lda_theta_example"] = np.round(theta[:: max(1, len(theta) // 40)][:40], 3)
    topics["lda"] = top_words(lda.components_, counts_vocab, cfg.top_words)
    stages.done("lda")

    with warnings.catch_warnings():  # the profile sets the iteration budget on purpose
        warnings.simplefilter("ignore", ConvergenceWarning)
        nmf, W, out["curve_nmf_error"], out["seconds_nmf"] = nmf_fit(Xt, cfg, seed)
        nmf_kl, W_kl, out["seconds_nmf_kl"] = nmf_kl_fit(X, cfg, seed)
    for name, model, W_, vocab in (
        ("nmf", nmf, W, tfidf_vocab),
        ("nmf_kl", nmf_kl, W_kl, counts_vocab),
    ):
        out.update(mixture_facts(name, W_ / np.maximum(W_.sum(1, keepdims=True), 1e-12)))
        topics[name] = top_words(model.components_, vocab, cfg.top_words)
    stages.done("nmf")

    start = time.thread_time()
    kmeans = KMeans(cfg.n_topics, n_init=3, random_state=seed).fit(Xt)
    out["seconds_kmeans"] = time.thread_time() - start
    out.update(mixture_facts("kmeans", np.eye(cfg.n_topics)[kmeans.labels_]))  # one cluster each
    topics["kmeans"] = top_words(kmeans.cluster_centers_, tfidf_vocab, cfg.top_words)

    # The trivial baseline for coherence: "topics" of words drawn by corpus frequency, what
    # a model that learned no structure would list. Its own stream, so no other number moves.
    freq = np.asarray(X.sum(0)).ravel()
    draw = kit.rng(seed, "random-topics")
    topics["random"] = [
        [
            str(counts_vocab[j])
            for j in draw.choice(
                len(counts_vocab), cfg.top_words, replace=False, p=freq / freq.sum()
            )
        ]
        for _ in range(cfg.n_topics)
    ]
    scores = coherence_per_topic(topics, docs, cfg.coherence)
    for name in COHERENCE_ARMS:
        out[f"coherence_{name}"] = float(np.mean(scores[name]))
        out[f"coherence_topics_{name}"] = scores[name]  # one value per topic, for the figure
    for name in METHODS:
        out[f"topic_words_{name}"] = topics[name]
    out["speedup_nmf_vs_lda"] = out["seconds_lda"] / out["seconds_nmf"]
    stages.done("coherence")
    return out


#: The topic sets whose coherence is measured, in this order: the three factor models and
#: the frequency-drawn baseline (k-means' centroids are not topics of words).
COHERENCE_ARMS = ("lda", "nmf", "nmf_kl", "random")

WIKI_OUTPUTS = (
    metric("n_docs", "Wikipedia documents", "documents"),
    metric("n_words", "words in the topic models' vocabulary", "words"),
    *(
        o
        for m in METHODS
        for o in (
            metric(
                f"entropy_{m}",
                f"the mean entropy of the documents' topic vectors under {LABELS[m]}",
                "nats",
                bounds=(0, np.inf),
            ),
            metric(
                f"share_mixed_{m}",
                f"the share of documents with no {LABELS[m]} topic holding 90% of their mass",
                "%",
                bounds=(0, 1),
            ),
            metric(
                f"seconds_{m}",
                f"the CPU seconds {LABELS[m]} took to fit",
                "s",
                better="lower",
                bounds=(0, np.inf),
            ),
            series(f"topic_words_{m}", f"the top words of each {LABELS[m]} topic"),
        )
    ),
    *(
        o
        for m, label in (
            ("lda", LABELS["lda"]),
            ("nmf", LABELS["nmf"]),
            ("nmf_kl", LABELS["nmf_kl"]),
            ("random", "frequency-drawn topics"),
        )
        for o in (
            metric(
                f"coherence_{m}",
                f"the mean topic coherence of {label}",
                "NPMI",
                better="higher",
                bounds=(-np.inf, np.inf),  # u_mass (smoke) is not bounded like NPMI
            ),
            series(f"coherence_topics_{m}", f"the coherence of each topic of {label}"),
        )
    ),
    metric(
        "speedup_nmf_vs_lda",
        "how many times faster NMF fit than LDA (CPU seconds)",
        "×",
        better="higher",
        bounds=(0, np.inf),
    ),
    curve(
        "curve_lda_perplexity",
        "LDA's perplexity on every twentieth document",
        "",
        x="batch EM pass",
        better="lower",
        data="train",
    ),
    curve(
        "curve_nmf_error",
        "NMF's reconstruction error (Frobenius, tf-idf)",
        "",
        x="iteration",
        better="lower",
        data="train",
    ),
    series("lda_theta_example", "LDA topic proportions of every n-th document (one seed)"),
)

# A topic model has learned something only if its topics are more coherent than words
# drawn by frequency: 0.05 NPMI, the smallest coherence difference the claims care about.
LDA_LEARNED = Beats(
    "coherence_lda", "coherence_random", margin=0.05, baseline_name="frequency-drawn topics"
)
NMF_LEARNED = Beats(
    "coherence_nmf", "coherence_random", margin=0.05, baseline_name="frequency-drawn topics"
)
# Training has levelled off when, over the last fifth of the run, the curve moves by at
# most 2% of the whole fall it made (perplexity and reconstruction error are on scales
# of their own, so the tolerance is relative to the curve's range). EM's perplexity
# falls roughly geometrically; 2% of the range left to fall is well inside the
# NPMI-scale questions the claims ask (Blei et al. judge convergence the same way, by
# the relative change of the bound).
CURVE_LEVEL = 0.02


def _lda_converged(favours=None) -> Converged:
    return Converged(
        "curve_lda_perplexity", CURVE_LEVEL, higher_is_better=False, relative=True, favours=favours
    )


def _nmf_converged(favours=None) -> Converged:
    return Converged(
        "curve_nmf_error", CURVE_LEVEL, higher_is_better=False, relative=True, favours=favours
    )


WIKI_CLAIMS = (
    Claim(
        # 0.3 nats is the entropy of a 90/10 split between two topics: on average a
        # document is at least that mixed. Further EM passes sharpen the mixtures, so
        # LDA must have levelled off.
        "lda-mixes",
        "LDA gives documents mixed memberships: mean entropy of their topic vectors at least"
        " 0.3 nats (a 90/10 split between two topics).",
        AtLeast("entropy_lda", 0.3),
        expected="supported",
        source=BLEI,
        kind="empirical",
        unit="nats",
        replication="seeds",
        preconditions=(LDA_LEARNED, _lda_converged()),
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
        preconditions=(LDA_LEARNED, _lda_converged()),
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
        # A ratio of CPU times, judged as a geometric mean (the ratio of two timings
        # spans an order of magnitude between seeds and machines). A still-improving
        # LDA would need yet more time (only strengthens "faster"); a still-improving
        # NMF would need more time too, which could undo it.
        "nmf-faster",
        "With {cfg.n_topics} topics, NMF (Frobenius, on tf-idf) fits the Wikipedia topics"
        " to a levelled-off error at least 1.1× faster in CPU time than LDA does in"
        " {cfg.lda_iter} batch EM passes (on this device).",
        Ratio("seconds_lda", "seconds_nmf", 1.1, at_most=False),
        expected="supported",
        source="Stevens et al. 2012; O'Callaghan et al. 2015",
        kind="empirical",
        unit="×",
        replication="seeds",
        preconditions=(
            LDA_LEARNED,
            NMF_LEARNED,
            _lda_converged(favours="supported"),
            _nmf_converged(favours="refuted"),
        ),
    ),
    Claim(
        # More EM passes could make LDA's topics more coherent (towards "supported"), more
        # NMF iterations NMF's (towards "refuted"): each arm blocks only the verdict its
        # progress could undo.
        "lda-coherence-beats-nmf",
        "LDA's topics are more coherent than NMF's by more than 0.05 NPMI.",
        Greater("coherence_lda", "coherence_nmf", margin=0.05),
        expected="refuted",
        source="O'Callaghan et al. 2015 (NMF as coherent as LDA, or more)",
        kind="empirical",
        unit="NPMI",
        replication="seeds",
        preconditions=(
            LDA_LEARNED,
            NMF_LEARNED,
            _lda_converged(favours="supported"),
            _nmf_converged(favours="refuted"),
        ),
    ),
)


def wiki_figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, band, bars, heatmap, level

    M, S = result.metrics, result.series
    fig, ax = new_figure("doc-topic-mixtures")
    heatmap(
        ax,
        np.asarray(S["lda_theta_example"][0]),
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
    names = ("lda", "nmf", "nmf_kl")
    bars(
        axes[0, 0],
        [LABELS[m] for m in names],
        [M["coherence_lda"], M["coherence_nmf"], M["coherence_nmf_kl"]],
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
        [M["seconds_lda"], M["seconds_nmf"], M["seconds_nmf_kl"]],
        bounds=(0, np.inf),
        label="CPU seconds to fit",
    )
    axes[0, 1].set_ylabel("CPU seconds to fit")
    for ax in axes[0]:
        ax.tick_params(axis="x", labelsize=7)

    fig, axes = new_figure("training-curves", ncols=2, figsize=(9, 3.4))
    step = max(1, int(result.config["nmf_iter"]) // CURVE_POINTS)
    for ax, name, label, xlabel, every, log in (
        (axes[0, 0], "curve_lda_perplexity", "LDA", "batch EM pass", 1, True),
        (axes[0, 1], "curve_nmf_error", "NMF (Frobenius, tf-idf)", "NMF iteration", step, False),
    ):
        curves = S[name]
        x = np.arange(1, min(len(c) for c in curves) + 1) * every
        band(ax, x, curves, label=label, color=_color(label), bounds=(0, np.inf), log=log)
        if log:
            ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("perplexity (log scale)" if log else "reconstruction error")
        ax.legend(fontsize=7)

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


def _color(label: str) -> str:
    from deepfaq.core.figures import color

    return color(label)


WIKI_ANSWER = """
**Soft clustering.** On {{ num(m.n_docs) }} Wikipedia documents of {{ cfg.doc_length }}
tokens, LDA with {{ cfg.n_topics }} topics ({{ cfg.lda_iter }} batch EM passes) gave topic
vectors with mean entropy {{ num(m.entropy_lda) }} nats (the most a
{{ cfg.n_topics }}-topic vector can have is log {{ cfg.n_topics }}), and
{{ pct(m.share_mixed_lda) }} of the documents had no topic holding nine tenths of their
mass
{%- if v["lda-mixes"] == "supported" %}: documents are mixtures.
{%- elif v["lda-mixes"] == "refuted" %}: at this budget LDA gave most documents one
dominant topic, closer to hard clustering than the textbook picture.
{%- else %} ({{ c["lda-mixes"].reason }}).{% endif %}
k-means, by construction, gave entropy {{ num(m.entropy_kmeans) }}: one cluster per
document. An article about Aristotle can be part philosophy and part biology; k-means has
to choose.

**NMF against LDA.** NMF on tf-idf took {{ num(m.seconds_nmf) }} CPU seconds
({{ cfg.nmf_iter }} iterations), LDA {{ num(m.seconds_lda) }} s, a ratio of
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
The training-curves figure shows both models levelling off before the timings are taken.
"""


# %% 3. The newsgroups, where the true groups are known -------------------------------------------


def newsgroup_facts(cfg: Config, seed: int) -> dict:
    from sklearn.decomposition import LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer

    posts, labels, _ = text.newsgroups()
    C = CountVectorizer(stop_words="english", min_df=3, max_df=0.5).fit_transform(posts)
    lda = LatentDirichletAllocation(
        2,
        learning_method="batch",
        max_iter=cfg.lda_iter,
        mean_change_tol=cfg.lda_doc_tol,
        random_state=seed,
    ).fit(C)
    assign = lda.transform(C).argmax(1)
    purity = sum(np.bincount(labels[assign == t]).max() for t in np.unique(assign)) / len(labels)
    return {"newsgroups_lda_purity": float(purity)}


NEWSGROUP_OUTPUTS = (
    metric(
        "newsgroups_lda_purity",
        "the purity of two LDA topics against the two newsgroups",
        "%",
        better="higher",
        bounds=(0, 1),
    ),
)

NEWSGROUP_ANSWER = """
On the newsgroups, two LDA topics found without labels recovered the two groups with purity
{{ pct(m.newsgroups_lda_purity) }}.
"""


# %% 4. NMF with the KL objective is PLSA ---------------------------------------------------------
#
# A tiny count matrix, NMF-KL run to its fixed point, its factors normalised into PLSA's
# parameters (:func:`deepfaq.nn.topics.nmf_to_plsa`), and PLSA's own EM started there.


def plsa_facts(cfg: Config, seed: int, rng: np.random.Generator) -> dict:
    from sklearn.decomposition import NMF

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
    random_init = (
        np.full(3, 1 / 3),
        rng.dirichlet(np.ones(cfg.plsa_docs), 3).T,
        rng.dirichlet(np.ones(cfg.plsa_words), 3),
    )
    _, trace_random = plsa_em(tiny, random_init, iters=500)
    return {
        "plsa_mass_ratio": float((W @ H).sum() / tiny.sum()),  # 1 at a KL fixed point
        "plsa_em_gain_from_nmf": float((trace[-1] - ll_nmf) / abs(ll_nmf)),
        "plsa_em_random_vs_nmf": float((trace_random[-1] - ll_nmf) / abs(ll_nmf)),
        "plsa_trace": np.asarray(trace),
    }


PLSA_OUTPUTS = (
    metric("plsa_mass_ratio", "Σ WH / Σ X at NMF-KL's fixed point", "", bounds=(0, np.inf)),
    metric(
        "plsa_em_gain_from_nmf",
        "how much PLSA's EM raised the likelihood from the NMF-KL solution (relative)",
        "%",
    ),
    metric(
        "plsa_em_random_vs_nmf",
        "PLSA's EM from a random start, its likelihood relative to the NMF-KL solution's",
        "%",
    ),
    series("plsa_trace", "PLSA's log-likelihood over EM iterations from the NMF solution"),
)

PLSA_CLAIMS = (
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

PLSA_ANSWER = """
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
keeps their mixtures sparse (Blei et al. 2003).
"""


# %% The trial, the claims, the figures and the answer, section by section ------------------------


def trial(cfg: Config, seed: int, ctx) -> dict:
    stages = kit.Stages(ctx, dirichlet=1, lda=10, nmf=6, coherence=4, newsgroups=2, plsa=1)
    out = dirichlet_facts(cfg, kit.rng(seed, "dirichlet"))
    stages.done("dirichlet")
    out.update(wiki_facts(cfg, seed, stages))
    out.update(newsgroup_facts(cfg, seed))
    stages.done("newsgroups")
    out.update(plsa_facts(cfg, seed, kit.rng(seed, "plsa")))
    stages.done("plsa")
    return out


OUTPUTS = (*DIRICHLET_OUTPUTS, *WIKI_OUTPUTS, *NEWSGROUP_OUTPUTS, *PLSA_OUTPUTS)
CLAIMS = (*WIKI_CLAIMS[:3], *DIRICHLET_CLAIMS, *WIKI_CLAIMS[3:], *PLSA_CLAIMS)


def figures(result, new_figure) -> None:
    dirichlet_figure(result, new_figure)
    wiki_figures(result, new_figure)


ANSWER = WIKI_ANSWER + DIRICHLET_ANSWER + NEWSGROUP_ANSWER + PLSA_ANSWER

ONE_LINE = """
LDA is soft clustering because it gives every document a Dirichlet-distributed mixture of
topics
{%- if v["lda-mixes"] == "supported" %} (here most documents mixed several, where k-means
gives each exactly one)
{%- elif v["lda-mixes"] == "refuted" %} (though at this budget most documents got one
dominant topic)
{%- endif %}, and NMF is its relative: with the KL objective it is
{%- if v["nmf-kl-is-plsa"] != "supported" %} in theory{% endif %} PLSA, LDA without the
priors
{{- by_verdict(v["lda-coherence-beats-nmf"], ", though LDA's topics were the more coherent
  here", ", and NMF's topics were at least as coherent as LDA's", "") }}.
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
    outputs=OUTPUTS,
    colors={
        "LDA": "#0072B2",
        "NMF (Frobenius, tf-idf)": "#E69F00",
        "NMF (KL, counts)": "#009E73",
        "k-means (tf-idf)": "#D55E00",
    },
    key_claims=(
        "lda-mixes",
        "kmeans-hard",
        "dirichlet-sparse",
        "nmf-kl-is-plsa",
        "lda-coherence-beats-nmf",
    ),
    one_line=ONE_LINE,
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
