"""Word2Vec (CBOW, skip-gram), GloVe and FastText: what do word embeddings learn?

A one-hot vector says only *which* word this is; every pair of words is equally far
apart. Word embeddings replace it with a short dense vector learned from the
company a word keeps (Firth's "you shall know a word by the company it keeps"):

* **CBOW** predicts a word from the average of its neighbours' vectors;
* **skip-gram** predicts each neighbour from the word (Mikolov et al. 2013);
* **GloVe** fits vectors to the logarithm of the co-occurrence counts by weighted
  least squares (Pennington, Socher & Manning 2014) — our own PyTorch version;
* **FastText** is skip-gram whose word vector is the sum of vectors of the word's
  character n-grams, so it can build a vector for a word it never saw
  (Bojanowski et al. 2017).

All four train here on the same text: by default the ~453,000-token shortened English
Wikipedia dump that ships with gensim — about four orders of magnitude less than the
papers used, and the page shows what that costs. ``--set corpus=/path/to/text.txt``
trains on your own text instead (one sentence or paragraph per line).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Annotated

import numpy as np

from deepfaq.core.claims import AtLeast, Beats, Claim, Converged, EnoughItems, Exact, Greater
from deepfaq.core.config import Range
from deepfaq.core.errors import BadConfig
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import text
from deepfaq.nn.embeddings import (
    build_vocab,
    char_ngrams,
    cooccurrence,
    read_word_pairs,
    train_glove,
    word_pair_spearman,
)

MODELS = ("cbow", "skipgram", "fasttext", "glove")
LABELS = {"cbow": "CBOW", "skipgram": "skip-gram", "fasttext": "FastText", "glove": "GloVe"}

# Misspellings of common words: (typo, intended word). The trial checks that each typo
# is absent from the corpus vocabulary, so it is truly unseen.
MISSPELLINGS = (
    ("goverment", "government"),
    ("philosphy", "philosophy"),
    ("politcal", "political"),
    ("langauge", "language"),
    ("centruy", "century"),
    ("histroy", "history"),
    ("populaton", "population"),
    ("amercian", "american"),
    ("becuase", "because"),
    ("diffrent", "different"),
    ("importnat", "important"),
    ("internatonal", "international"),
    ("univeristy", "university"),
    ("betwen", "between"),
    ("socety", "society"),
    ("economc", "economic"),
    ("relgion", "religion"),
    ("scince", "science"),
    ("countires", "countries"),
    ("developement", "development"),
)
CORPUS_FRACTIONS = (0.1, 0.3, 1.0)
GLOVE_BATCH = 65_536  # nonzero cells per AdaGrad step (train_glove's default)


@dataclass(frozen=True)
class Config:
    corpus: str = "wiki"  # "wiki", "lee", or a path to a text file of your own
    dim: int = 100
    window: int = 5
    min_count: int = 5
    epochs: int = 5
    negative: int = 5
    ft_buckets: Annotated[int, Range(1_000, 5_000_000)] = 200_000  # fastText's: 2,000,000
    ft_max_n: Annotated[int, Range(3, 10)] = 5  # longest character n-gram (fastText's: 6)
    glove_epochs: int = 30  # enough for GloVe's loss to level off (see GLOVE_LEVEL)
    glove_lr: float = 0.2  # AdaGrad (the reference code's 0.05 is per cell, not per batch)
    glove_x_max: float = 10.0  # 100 in the paper, for billions of tokens


PROFILES = {
    "smoke": Profile(
        Config(corpus="lee", dim=32, epochs=1, glove_epochs=1, ft_buckets=20_000), seeds=2
    ),
    "quick": Profile(Config(dim=50), seeds=3),
    "full": Profile(
        Config(dim=100, epochs=20, glove_epochs=60, ft_buckets=2_000_000, ft_max_n=6), seeds=10
    ),
}


def gensim_models():
    try:
        from gensim.models import FastText, KeyedVectors, Word2Vec
    except ImportError as e:
        raise ImportError("word embeddings need gensim: pip install gensim") from e
    return Word2Vec, FastText, KeyedVectors


def analogy_scores(kv, path: str) -> dict:
    """Accuracy on the semantic and syntactic sections of questions-words, over the
    questions whose four words are in the vocabulary, and that coverage."""
    _, sections = kv.evaluate_word_analogies(path, restrict_vocab=len(kv))
    totals: dict[str, int] = {}
    with open(path, encoding="utf-8") as f:
        current = None
        for line in f:
            if line.startswith(":"):
                current = line[1:].strip()
            elif current:
                totals[current] = totals.get(current, 0) + 1
    out = {}
    for kind in ("semantic", "syntactic"):
        secs = [
            s
            for s in sections
            if s["section"] in totals and s["section"].startswith("gram") == (kind == "syntactic")
        ]
        right = sum(len(s["correct"]) for s in secs)
        seen = right + sum(len(s["incorrect"]) for s in secs)
        out[f"{kind}_acc"] = right / seen if seen else float("nan")
        out[f"{kind}_coverage"] = seen / sum(totals[s["section"]] for s in secs)
    return out


def analogy_baselines(kv, path: str) -> dict:
    """Two answers that use no vector arithmetic, on the questions ``kv`` covers (a : b ::
    c : d, all four words in the vocabulary), per section kind: the vocabulary's most
    frequent word other than a, b and c (the *frequency* baseline), and c's nearest
    neighbour other than a and b (Linzen's 2016 "only c" baseline, which shows how much
    of an analogy score is mere similarity to c)."""
    index = kv.key_to_index
    unit = kv.vectors / np.linalg.norm(kv.vectors, axis=1, keepdims=True).clip(1e-12)
    questions: dict[str, list[list[int]]] = {"semantic": [], "syntactic": []}
    with open(path, encoding="utf-8") as f:
        kind = None
        for line in f:
            if line.startswith(":"):
                kind = "syntactic" if line[1:].strip().startswith("gram") else "semantic"
                continue
            words = line.lower().split()
            if kind and len(words) == 4 and all(w in index for w in words):
                questions[kind].append([index[w] for w in words])
    out = {}
    for kind, qs in questions.items():
        q = np.array(qs, dtype=np.int64).reshape(-1, 4)
        # gensim orders the vocabulary by count: the first word not in the question
        freq = np.array(
            [next(k for k in range(len(index)) if k not in row[:3]) for row in q], dtype=np.int64
        )
        sims = unit[q[:, 2]] @ unit.T if len(q) else np.zeros((0, len(index)))
        sims[np.arange(len(q))[:, None], q[:, :3]] = -np.inf
        out[f"analogy_{kind}_acc_frequency"] = (
            float(np.mean(freq == q[:, 3])) if len(q) else float("nan")
        )
        out[f"analogy_{kind}_acc_only_c"] = (
            float(np.mean(sims.argmax(1) == q[:, 3])) if len(q) else float("nan")
        )
    return out


def pair_cosines(kv, pairs) -> tuple[np.ndarray, np.ndarray]:
    """Cosine of each pair's vectors and its human score; every word must be in ``kv``."""
    unit = kv.vectors / np.linalg.norm(kv.vectors, axis=1, keepdims=True).clip(1e-12)
    idx = kv.key_to_index
    cos = np.array([float(unit[idx[a]] @ unit[idx[b]]) for a, b, _ in pairs])
    return cos, np.array([score for _, _, score in pairs])


def spearman_pseudovalues(x: np.ndarray, y: np.ndarray) -> list[float]:
    """Jackknife pseudo-values of Spearman's ρ(x, y), one per word pair: n·ρ − (n − 1)·ρ₋ᵢ.

    ρ is not a mean over pairs, but these are: their mean is the jackknife estimate of ρ
    and their spread gives its standard error (Tukey 1958), so a bootstrap over them is
    an interval for ρ over the pairs, and two models scored on the same pairs pair up
    item by item. Empty when there are too few pairs for a correlation."""
    from scipy.stats import spearmanr

    n = len(x)
    if n < 4:
        return []
    rho = spearmanr(x, y).statistic
    loo = np.array([spearmanr(np.delete(x, i), np.delete(y, i)).statistic for i in range(n)])
    return (n * rho - (n - 1) * loo).tolist()


def frequency_split(words, counts, pairs):
    """WordSim pairs in the vocabulary, split at the median count of the rarer word."""
    index = {w: i for i, w in enumerate(words)}
    inside = [p for p in pairs if p[0] in index and p[1] in index]
    rarity = np.array([min(counts[index[a]], counts[index[b]]) for a, b, _ in inside])
    median = np.median(rarity)
    rare = [p for p, r in zip(inside, rarity, strict=True) if r <= median]
    frequent = [p for p, r in zip(inside, rarity, strict=True) if r > median]
    return rare, frequent, float(median)


def trial(cfg: Config, seed: int, ctx) -> dict:
    Word2Vec, FastText, KeyedVectors = gensim_models()
    sentences = text.load_corpus(cfg.corpus)
    n_tokens = sum(map(len, sentences))
    wordsim = read_word_pairs(text.benchmark_path(text.WORDSIM353))
    simlex = read_word_pairs(text.benchmark_path(text.SIMLEX999))
    common = dict(
        vector_size=cfg.dim,
        window=cfg.window,
        min_count=cfg.min_count,
        negative=cfg.negative,
        epochs=cfg.epochs,
        seed=seed,
        workers=1,
    )  # one worker: gensim is reproducible only single-threaded
    out: dict = {"corpus_tokens": float(n_tokens)}
    words, counts = build_vocab(sentences, cfg.min_count)
    if len(words) < 10:  # gensim would fail later with "you must first build vocabulary"
        raise BadConfig(
            f"the corpus has {len(words)} distinct words seen at least min_count ="
            f" {cfg.min_count} times; give a larger corpus or a lower min_count"
        )
    out["vocab_size"] = float(len(words))
    out["one_hot_over_dense_bytes"] = len(words) / cfg.dim  # V×V table vs V×d

    kvs = {}
    specs = (
        ("cbow", Word2Vec, dict(sg=0, alpha=0.05)),  # word2vec.c's CBOW default rate
        ("skipgram", Word2Vec, dict(sg=1)),
        ("fasttext", FastText, dict(sg=1, bucket=cfg.ft_buckets, min_n=3, max_n=cfg.ft_max_n)),
    )
    for k, (name, cls, kw) in enumerate(specs):
        model = cls(**common, **kw)
        model.build_vocab(sentences)
        start = time.perf_counter()
        model.train(sentences, total_examples=model.corpus_count, epochs=cfg.epochs)
        out[f"words_per_s_{name}"] = n_tokens * cfg.epochs / (time.perf_counter() - start)
        kvs[name] = model.wv
        ctx.progress(0.15 * (k + 1))
    out["speedup_cbow_vs_skipgram"] = out["words_per_s_cbow"] / out["words_per_s_skipgram"]

    X = cooccurrence(sentences, {w: i for i, w in enumerate(words)}, cfg.window)
    out["glove_cells_at_most_1"] = float(np.mean(X.data <= 1.0))  # of the nonzero cells
    glove = KeyedVectors(cfg.dim)
    vectors, loss = train_glove(
        X,
        cfg.dim,
        cfg.glove_epochs,
        lr=cfg.glove_lr,
        x_max=cfg.glove_x_max,
        batch_size=GLOVE_BATCH,
        seed=seed,
    )
    glove.add_vectors(words, vectors)
    # the training curve, as a fraction of the first epoch's loss (scale-free)
    out["curve_glove_loss_rel"] = (np.array(loss) / loss[0]).tolist()
    out["glove_loss_final_rel"] = float(loss[-1] / loss[0])
    # AdaGrad steps in all: one per batch of nonzero cells per epoch
    out["glove_steps"] = float(cfg.glove_epochs * -(-X.nnz // GLOVE_BATCH))
    kvs["glove"] = glove
    ctx.progress(0.6)

    for name, kv in kvs.items():
        vocab = list(kv.index_to_key)
        out[f"wordsim_{name}"], out["wordsim_oov"] = word_pair_spearman(vocab, kv.vectors, wordsim)
        out[f"simlex_{name}"], out["simlex_oov"] = word_pair_spearman(vocab, kv.vectors, simlex)
        covered = [p for p in wordsim if p[0] in kv.key_to_index and p[1] in kv.key_to_index]
        out[f"wordsim_pv_{name}"] = spearman_pseudovalues(*pair_cosines(kv, covered))
        if name == "skipgram":
            covered = [p for p in simlex if p[0] in kv.key_to_index and p[1] in kv.key_to_index]
            out["simlex_pv_skipgram"] = spearman_pseudovalues(*pair_cosines(kv, covered))
        for key, value in analogy_scores(kv, text.benchmark_path(text.ANALOGIES)).items():
            out[f"analogy_{key}_{name}"] = value
        if name == "skipgram":  # the baselines, on the questions skip-gram covers
            out.update(analogy_baselines(kv, text.benchmark_path(text.ANALOGIES)))
    ctx.progress(0.75)

    # Rare against frequent words: the pairs split at the median count of the rarer word.
    rare, frequent, median = frequency_split(words, counts, wordsim)
    out["rare_split_count"] = median
    for half, pairs in (("rare", rare), ("frequent", frequent)):
        # the pairs both models cover, in one order, so the two models pair up item by item
        pairs = [
            p
            for p in pairs
            if all(
                p[0] in kvs[m].key_to_index and p[1] in kvs[m].key_to_index
                for m in ("cbow", "skipgram")
            )
        ]
        out[f"n_pairs_{half}"] = float(len(pairs))
        for name in ("cbow", "skipgram"):
            vocab = list(kvs[name].index_to_key)
            out[f"wordsim_{half}_{name}"] = word_pair_spearman(vocab, kvs[name].vectors, pairs)[0]
            pv = spearman_pseudovalues(*pair_cosines(kvs[name], pairs))
            out[f"wordsim_{half}_pv_{name}"] = pv
            # the standard error of ρ that the choice of pairs alone gives
            out[f"wordsim_{half}_se_{name}"] = (
                float(np.std(pv, ddof=1) / np.sqrt(len(pv))) if pv else float("nan")
            )

    # Unseen, misspelled words: FastText builds a vector from n-grams; Word2Vec has none.
    ft, w2v = kvs["fasttext"], kvs["skipgram"]
    testable = [
        (typo, word)
        for typo, word in MISSPELLINGS
        if word in ft.key_to_index and typo not in ft.key_to_index
    ]
    hits = [word in [w for w, _ in ft.most_similar(typo, topn=5)] for typo, word in testable]
    out["misspell_tested"] = float(len(testable))
    out["misspell_hits_fasttext"] = [float(h) for h in hits]  # per misspelling
    out["misspell_top5_fasttext"] = float(np.mean(hits)) if hits else float("nan")
    out["misspell_no_vector_word2vec"] = float(
        np.mean([t not in w2v.key_to_index for t, _ in testable])
    )
    out["misspell_examples"] = [
        [t, w, ", ".join(x for x, _ in ft.most_similar(t, topn=5))] for t, w in testable[:5]
    ]

    # FastText's own n-grams of "apple" against ours and against the expected list.
    from gensim.models.fasttext_inner import compute_ngrams

    expected = ["<ap", "app", "ppl", "ple", "le>"]
    out["apple_trigrams_match"] = float(
        char_ngrams("apple", 3, 3) == expected == compute_ngrams("apple", 3, 3)
    )
    ctx.progress(0.8)

    # How quality grows with the amount of text: skip-gram on 10%, 30% and all of the
    # sentences. The subsets are drawn once, nested, with a fixed seed (the trial's seed
    # changes only the training), so every seed scores one fixed set of pairs: the WordSim
    # (and, for the figure, SimLex) pairs that even the 10% vocabulary covers.
    order = np.random.default_rng(0).permutation(len(sentences))
    kv_by_frac = {1.0: kvs["skipgram"]}
    for frac in CORPUS_FRACTIONS[:-1]:
        part = [sentences[i] for i in order[: max(1, int(frac * len(sentences)))]]
        kv_by_frac[frac] = Word2Vec(part, sg=1, **common).wv
    small = kv_by_frac[CORPUS_FRACTIONS[0]].key_to_index
    for bench, pairs in (("wordsim", wordsim), ("simlex", simlex)):
        shared = [p for p in pairs if p[0] in small and p[1] in small]
        out[f"size_curve_{bench}"] = [
            word_pair_spearman(list(kv_by_frac[f].index_to_key), kv_by_frac[f].vectors, shared)[0]
            for f in CORPUS_FRACTIONS
        ]
        # the share of all the benchmark's pairs each size's vocabulary covers
        out[f"size_curve_coverage_{bench}"] = [
            float(
                np.mean(
                    [
                        p[0] in kv_by_frac[f].key_to_index and p[1] in kv_by_frac[f].key_to_index
                        for p in pairs
                    ]
                )
            )
            for f in CORPUS_FRACTIONS
        ]
        out[f"size_curve_pairs_{bench}"] = float(len(shared))
        if bench == "wordsim":
            for frac, key in zip(CORPUS_FRACTIONS, ("10pct", "30pct", "100pct"), strict=True):
                out[f"wordsim_shared_{key}"] = out["size_curve_wordsim"][
                    CORPUS_FRACTIONS.index(frac)
                ]
                out[f"wordsim_shared_pv_{key}"] = spearman_pseudovalues(
                    *pair_cosines(kv_by_frac[frac], shared)
                )  # same pairs, same order
                out[f"wordsim_coverage_{key}"] = out["size_curve_coverage_wordsim"][
                    CORPUS_FRACTIONS.index(frac)
                ]
    out["size_curve_pairs"] = out["size_curve_pairs_wordsim"]
    ctx.progress(1.0)
    return out


MIKOLOV = "Mikolov et al. 2013"
BOJANOWSKI = "Bojanowski et al. 2017"
#: A correlation with human ratings means something from ρ = 0.1 up (a "small" effect),
#: and 0.05 is the smallest difference in ρ between two models worth acting on.
RHO_USEFUL, RHO_MARGIN = 0.1, 0.05
#: Below 20 items a percentile bootstrap of a mean is too narrow to trust.
MIN_ITEMS = 20
#: GloVe has converged when, over the last fifth of its epochs, its loss falls by at most
#: 1% of the first epoch's loss (the curve is stored as a fraction of that loss).
GLOVE_LEVEL = 0.01


MIKOLOV_NOTE = (
    "not comparable: trained on 320M words of LDC corpora, several hundred"
    " times our default corpus (corpus_tokens), and scored on all the questions;"
    " ours (analogy_*_acc_*) only on the questions our vocabulary covers"
)
PENNINGTON_NOTE = (
    "not comparable: 6 billion tokens and all the questions; ours is trained"
    " on our corpus (corpus_tokens) and scored on the covered questions"
)


def _learned(metric: str) -> Beats:
    return Beats(metric, 0.0, margin=RHO_USEFUL, baseline_name="no correlation")


# Spearman ρ over word pairs is not a mean over pairs; claims on it read the per-pair
# jackknife pseudo-values (spearman_pseudovalues), whose mean is ρ (bias-corrected), so
# the interval is a bootstrap over pairs nested in seeds: the seed changes the trained
# vectors (gensim is seeded) and the pairs are a sample of word pairs.
CLAIMS = (
    Claim(
        "dense-smaller-than-one-hot",
        "A vocabulary's dense vectors take far less memory than its one-hot vectors: a V×V"
        " table against V×d, at least 10× smaller.",
        AtLeast("one_hot_over_dense_bytes", 10),
        expected="supported",
        source=MIKOLOV,
        kind="identity",
        unit="×",
    ),
    *(
        Claim(
            f"wordsim-positive-{m}",
            f"{LABELS[m]} vectors put related words close: Spearman ρ with WordSim-353"
            " human ratings of at least 0.1.",
            AtLeast(f"wordsim_pv_{m}", RHO_USEFUL),
            expected="supported",
            source="Finkelstein et al. 2002; " + MIKOLOV,
            kind="empirical",
            unit="",
            replication="items",
            preconditions=(
                EnoughItems(f"wordsim_pv_{m}", MIN_ITEMS),
                *(
                    (Converged("curve_glove_loss_rel", GLOVE_LEVEL, higher_is_better=False),)
                    if m == "glove"
                    else ()
                ),
            ),
        )
        for m in MODELS
    ),
    Claim(
        "simlex-positive-skipgram",
        "Skip-gram vectors also rank SimLex-999 pairs (similarity, not mere relatedness)"
        " with Spearman ρ of at least 0.1.",
        AtLeast("simlex_pv_skipgram", RHO_USEFUL),
        expected="supported",
        source="Hill et al. 2015",
        kind="empirical",
        unit="",
        replication="items",
        preconditions=(EnoughItems("simlex_pv_skipgram", MIN_ITEMS),),
    ),
    Claim(
        "cbow-faster",
        "CBOW trains at least 1.1× as many words per second as skip-gram (same settings,"
        " one thread, on this device).",
        AtLeast("speedup_cbow_vs_skipgram", 1.1),
        expected="supported",
        source=MIKOLOV,
        kind="empirical",
        unit="×",
        replication="seeds",
    ),
    Claim(
        "skipgram-better-rare",
        "Skip-gram beats CBOW on pairs of rare words (WordSim pairs below the median count)"
        " by more than 0.05 in Spearman ρ.",
        Greater("wordsim_rare_pv_skipgram", "wordsim_rare_pv_cbow", margin=RHO_MARGIN),
        expected="supported",
        source=MIKOLOV + " (word2vec documentation)",
        kind="empirical",
        unit="",
        replication="items",
        preconditions=(
            _learned("wordsim_rare_skipgram"),
            _learned("wordsim_cbow"),
            EnoughItems("wordsim_rare_pv_skipgram", MIN_ITEMS),
        ),
    ),
    Claim(
        "cbow-better-frequent",
        "CBOW beats skip-gram on frequent words by more than 0.05 in Spearman ρ (the"
        ' word2vec documentation says "slightly better").',
        Greater("wordsim_frequent_pv_cbow", "wordsim_frequent_pv_skipgram", margin=RHO_MARGIN),
        expected="supported",
        source=MIKOLOV + " (word2vec documentation)",
        kind="empirical",
        unit="",
        replication="items",
        preconditions=(
            _learned("wordsim_frequent_cbow"),
            _learned("wordsim_skipgram"),
            EnoughItems("wordsim_frequent_pv_cbow", MIN_ITEMS),
        ),
    ),
    Claim(
        "fasttext-misspellings",
        "FastText gives an unseen, misspelled word a vector whose 5 nearest neighbours"
        " include the intended word, for at least half of the misspellings.",
        AtLeast("misspell_hits_fasttext", 0.5),
        expected="supported",
        source=BOJANOWSKI,
        kind="empirical",
        unit="%",
        replication="items",
        preconditions=(
            _learned("wordsim_fasttext"),
            EnoughItems("misspell_hits_fasttext", MIN_ITEMS),
        ),
    ),
    Claim(
        "word2vec-no-vector",
        "Word2Vec has no vector at all for those misspellings.",
        Exact("misspell_no_vector_word2vec", 1.0),
        expected="supported",
        source=MIKOLOV,
        kind="identity",
        unit="%",
    ),
    Claim(
        "apple-trigrams",
        'FastText\'s character 3-grams of "apple" are exactly <ap, app, ppl, ple, le> (ours'
        " and gensim's).",
        Exact("apple_trigrams_match", 1.0),
        expected="supported",
        source=BOJANOWSKI,
        kind="identity",
        unit="",
    ),
    Claim(
        "more-text-helps",
        "Skip-gram trained on all of the corpus beats skip-gram trained on a tenth of it"
        " by more than 0.05 in WordSim ρ, on the pairs both vocabularies cover.",
        Greater("wordsim_shared_pv_100pct", "wordsim_shared_pv_10pct", margin=RHO_MARGIN),
        expected="supported",
        source=MIKOLOV,
        kind="empirical",
        unit="",
        replication="items",
        preconditions=(
            _learned("wordsim_shared_100pct"),
            EnoughItems("wordsim_shared_pv_100pct", MIN_ITEMS),
        ),
    ),
)


def figures(result, new_figure) -> None:
    from matplotlib.ticker import NullFormatter

    from deepfaq.core.figures import band, bars, color

    M, S = result.metrics, result.series
    mean = lambda key: float(np.nanmean(M[key])) if key in M else float("nan")  # noqa: E731

    fig, ax = new_figure("similarity-benchmarks")
    for k, m in enumerate(MODELS):
        bars(
            ax,
            ["WordSim-353", "SimLex-999"],
            [M.get(f"wordsim_{m}"), M.get(f"simlex_{m}")],
            label=LABELS[m],
            color=color(LABELS[m]),
            group=k,
            groups=len(MODELS),
            bounds=(-1, 1),
        )
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_ylabel("Spearman ρ with human ratings")
    ax.legend(fontsize=8)

    fig, ax = new_figure("rare-vs-frequent")
    for k, m in enumerate(("cbow", "skipgram")):
        bars(
            ax,
            ["rare-word pairs", "frequent-word pairs"],
            [M.get(f"wordsim_rare_{m}"), M.get(f"wordsim_frequent_{m}")],
            label=LABELS[m],
            color=color(LABELS[m]),
            group=k,
            groups=2,
            bounds=(-1, 1),
        )
    ax.set_ylabel("WordSim-353 Spearman ρ")
    ax.legend(fontsize=8)

    fig, axes = new_figure("corpus-size", ncols=2, figsize=(9, 3.4))
    tokens = np.array(CORPUS_FRACTIONS) * mean("corpus_tokens")
    for bench, label, style in (
        ("wordsim", "WordSim-353", {"marker": "o"}),
        ("simlex", "SimLex-999", {"marker": "s", "ls": "--"}),
    ):
        if f"size_curve_{bench}" not in S:
            continue
        # None (too few pairs covered) is left out of that point's mean
        band(
            axes[0][0],
            tokens,
            S[f"size_curve_{bench}"],
            label=label,
            color=color("skip-gram"),
            bounds=(-1, 1),
            **style,
        )
        band(
            axes[0][1],
            tokens,
            S[f"size_curve_coverage_{bench}"],
            label=label,
            color=color("skip-gram"),
            bounds=(0, 1),
            **style,
        )
    axes[0][0].set_ylabel("Spearman ρ on the pairs\na tenth of the corpus covers")
    axes[0][1].set_ylabel("share of all pairs covered")
    for ax in axes[0]:
        ax.set_xscale("log")
        ax.set_xticks(tokens, [f"{t / 1e3:.3g}k" if t < 1e6 else f"{t / 1e6:.3g}M" for t in tokens])
        ax.xaxis.set_minor_formatter(NullFormatter())  # they overlapped the named ticks
        ax.set_xlabel("training tokens (skip-gram)")
        ax.legend(fontsize=8)

    fig, ax = new_figure("speed")
    names = ("cbow", "skipgram", "fasttext")
    bars(
        ax,
        [LABELS[m] for m in names],
        [
            None if M.get(f"words_per_s_{m}") is None else np.asarray(M[f"words_per_s_{m}"]) / 1e3
            for m in names
        ],
        width=0.6,
        bounds=(0, np.inf),
        label="thousand words per second",
    )
    ax.set_ylabel("thousand words per second (1 thread)")

    fig, ax = new_figure("analogies")
    for k, m in enumerate(MODELS):
        bars(
            ax,
            ["semantic", "syntactic"],
            [M.get(f"analogy_{kind}_acc_{m}") for kind in ("semantic", "syntactic")],
            label=LABELS[m],
            color=color(LABELS[m]),
            group=k,
            groups=len(MODELS),
            bounds=(0, 1),
        )
    ax.set_ylabel("accuracy on the covered\nanalogy questions")
    ax.legend(fontsize=8)


ANSWER = """
**The corpus.** {{ num(m.corpus_tokens) }} tokens, a vocabulary of {{ num(m.vocab_size) }}
words seen at least {{ cfg.min_count }} times; {{ cfg.dim }}-dimensional vectors, window
{{ cfg.window }}, {{ cfg.epochs }} epochs, {{ n }} seeds. Mikolov et al. compared their
architectures on 320 million words and trained their largest models on 6 billion tokens;
Pennington et al. used up to 42 billion: expect every number below to be lower than theirs,
and watch the corpus-size figure for the trend.

**Why dense?** A one-hot table for this vocabulary is {{ num(m.one_hot_over_dense_bytes) }}×
larger than the dense one. (A single one-hot vector can be stored as one integer; the real
cost is downstream — a model reading one-hot input needs a weight per word per unit, and
learns nothing about one word from another.) Dense vectors put related words close:
WordSim-353 Spearman ρ was {{ num(m.wordsim_cbow) }} for CBOW, {{ num(m.wordsim_skipgram) }}
for skip-gram, {{ num(m.wordsim_fasttext) }} for FastText and {{ num(m.wordsim_glove) }} for our
GloVe ({{ pct(m.wordsim_oov) }} of the pairs have a word outside the vocabulary and are left
out). SimLex-999, which rewards similarity rather than relatedness ("coffee"–"cup" is related,
not similar), is harder: {{ num(m.simlex_skipgram) }} for skip-gram.
Our GloVe trained for {{ cfg.glove_epochs }} epochs ({{ num(m.glove_steps) }} AdaGrad
steps over the nonzero cells of the co-occurrence matrix, in large batches): its loss ended
at {{ pct(m.glove_loss_final_rel) }} of the first epoch's, and the claim on it counts only
if the loss had levelled off — over the last fifth of the epochs, fallen by at most a
further hundredth of that first loss.
{% if v["wordsim-positive-glove"] == "refuted" %}Trained to that point, it still did not
put related words close by the claim's bound. One plausible reason, not tested here: the
counts are thin — {{ pct(m.glove_cells_at_most_1) }} of the nonzero cells hold a
(distance-weighted) count of at most 1; Pennington et al. show GloVe improving steadily with
corpus size.
{%- elif v["wordsim-positive-glove"] == "inconclusive" %}Whether our GloVe puts related
words close is undecided: {{ c["wordsim-positive-glove"].reason }}.{% endif %}

**CBOW or skip-gram?** CBOW processed {{ num(m.words_per_s_cbow) }} words/s and skip-gram
{{ num(m.words_per_s_skipgram) }} (one thread), {{ num(m.speedup_cbow_vs_skipgram) }}×
{%- if v["cbow-faster"] == "supported" %} as fast: CBOW does one prediction per word,
skip-gram one per neighbour.
{%- elif v["cbow-faster"] == "refuted" %}: on this device CBOW was not faster by the claim's
margin.
{%- else %} (undecided: {{ c["cbow-faster"].reason }}).{% endif %}
On the {{ num(m.n_pairs_rare) }} WordSim pairs whose rarer word occurs at most
{{ num(m.rare_split_count) }} times, ρ was {{ num(m.wordsim_rare_skipgram) }} for skip-gram
and {{ num(m.wordsim_rare_cbow) }} for CBOW; on the {{ num(m.n_pairs_frequent) }} frequent
pairs {{ num(m.wordsim_frequent_skipgram) }} and {{ num(m.wordsim_frequent_cbow) }}.
{% if v["skipgram-better-rare"] == "supported" %}Skip-gram was better on the rare pairs, by
more than the claim's margin.
{%- elif v["skipgram-better-rare"] == "refuted" %}Skip-gram was not better on the rare
pairs by the claim's margin.
{%- else %}Whether skip-gram is better on the rare pairs is undecided
({{ c["skipgram-better-rare"].reason }}).{% endif %}
{% if v["cbow-better-frequent"] == "supported" %}CBOW was better on the frequent pairs, by
more than the claim's margin.
{%- elif v["cbow-better-frequent"] == "refuted" %}CBOW was not better on the frequent pairs
by the claim's margin.
{%- else %}Whether CBOW is better on the frequent pairs is undecided
({{ c["cbow-better-frequent"].reason }}).{% endif %}
The usual explanation for the documented difference: CBOW averages the context, which blurs
the few signals a rare word gets, while skip-gram gives each occurrence its own updates.
{{ num(m.n_pairs_rare) }} pairs carry little evidence: the choice of pairs alone gives ρ on
the rare half a standard error of about {{ num(m.wordsim_rare_se_skipgram) }} (skip-gram), which is
why these intervals are taken over the pairs as well as the seeds.

**FastText and unseen words.** FastText adds up the vectors of a word's character n-grams
(3 to {{ cfg.ft_max_n }} characters, inside `<` `>` boundary markers; for "apple" the
3-grams are `<ap`, `app`, `ppl`, `ple`, `le>`
{%- if v["apple-trigrams"] == "supported" %} — ours and gensim's agree).
{%- else %} — but ours and gensim's did not agree on this run: {{ v["apple-trigrams"] }}).
{%- endif %}
So a misspelling it never saw still gets a vector: for
{{ pct(m.misspell_top5_fasttext) }} of {{ num(m.misspell_tested) }} misspellings the intended
word was among the 5 nearest neighbours. Word2Vec had no vector for
{{ pct(m.misspell_no_vector_word2vec) }} of them.
{% if v["fasttext-misspellings"] == "refuted" %}The claim that the intended word is usually
among them came out **refuted**. Possible reasons, not tested separately: a misspelling
keeps most of its n-grams, but on {{ num(m.corpus_tokens) }} tokens the n-gram vectors are
learned from few examples, and words sharing the misspelling's *endings* ("-ment", "-ion")
compete with the intended word (the stored examples list the neighbours found). Bojanowski
et al. trained on Wikipedia dumps thousands of times larger.
{%- elif v["fasttext-misspellings"] == "inconclusive" %}Whether the intended word is usually
among them is undecided here: {{ c["fasttext-misspellings"].reason }}.{% endif %}


**Analogies** ("man is to king as woman is to ?", solved by vector arithmetic). Most of
the 19,544 questions-words questions use a word outside this vocabulary: only
{{ pct(m.analogy_semantic_coverage_skipgram) }} of semantic and
{{ pct(m.analogy_syntactic_coverage_skipgram) }} of syntactic questions could be asked. On
those, accuracy was:

| | semantic | syntactic |
|---|---|---|
{% for key, label in [("cbow", "CBOW"), ("skipgram", "skip-gram"), ("fasttext", "FastText"),
                      ("glove", "GloVe")] -%}
| {{ label }} (ours) | {{ pct(m["analogy_semantic_acc_" ~ key]) }} |
{{- " " }}{{ pct(m["analogy_syntactic_acc_" ~ key]) }} |
{% endfor -%}
| baseline: the most frequent other word | {{ pct(m.analogy_semantic_acc_frequency) }} |
{{- " " }}{{ pct(m.analogy_syntactic_acc_frequency) }} |
| baseline: c's nearest neighbour (skip-gram) | {{ pct(m.analogy_semantic_acc_only_c) }} |
{{- " " }}{{ pct(m.analogy_syntactic_acc_only_c) }} |
| Mikolov 2013, CBOW 640-d, 320M words | {{ pct(a["mikolov-cbow-semantic"].value) }} |
{{- " " }}{{ pct(a["mikolov-cbow-syntactic"].value) }} |
| Mikolov 2013, skip-gram 640-d, 320M words | {{ pct(a["mikolov-skipgram-semantic"].value) }} |
{{- " " }}{{ pct(a["mikolov-skipgram-syntactic"].value) }} |

The published rows are not comparable with ours: they come from several hundred times
more text, and are scored on every question, where ours are scored only on the questions
this vocabulary covers; they show what the method reaches, not what ours should. The two
baselines use no arithmetic: answering with the commonest word, or with the word nearest
to c (for "Athens : Greece :: Baghdad : ?", whatever is closest to "Baghdad"; Linzen 2016)
— scored on the questions skip-gram covers. Vector arithmetic earns credit only for what it
adds to the second.
Pennington et al. (2014) report {{ pct(a["pennington-glove"].value) }} overall for 300-d
GloVe on 6 billion tokens, against {{ pct(a["pennington-skipgram"].value) }} for skip-gram
and {{ pct(a["pennington-cbow"].value) }} for CBOW. Bojanowski et al. found FastText's n-grams
help most on the syntactic questions (plurals, tenses), which share word endings.

**More text.** Skip-gram on a tenth, three tenths and all of the sentences (fixed, nested
subsets), each scored on the same {{ num(m.size_curve_pairs) }} WordSim pairs — those that
even a tenth of the corpus covers — reached ρ {{ num(m.wordsim_shared_10pct) }},
{{ num(m.wordsim_shared_30pct) }} and {{ num(m.wordsim_shared_100pct) }}. The vocabularies
cover {{ pct(m.wordsim_coverage_10pct) }}, {{ pct(m.wordsim_coverage_30pct) }}
and {{ pct(m.wordsim_coverage_100pct) }} of all WordSim pairs: more text also lets
more of the benchmark be asked, which the fixed pair set leaves out of the comparison.
{% if v["more-text-helps"] == "supported" %}More text helped, by more than the claim's
margin. Continued over four more orders of magnitude, this curve is a plausible first
explanation of the gap to the published numbers — plausible, not tested here.
{%- elif v["more-text-helps"] == "refuted" %}Ten times more text did not help by the
claim's margin on these pairs.
{%- else %}Whether ten times more text helps is undecided here
({{ c["more-text-helps"].reason }}).{% endif %}
"""

QUESTION = Question(
    id="word-embeddings",
    topic="Language and text",
    paraphrases=(
        "How do Word2Vec, GloVe and FastText differ?",
        "skip-gram versus CBOW",
        "how are word vectors learned from text",
        "what does fasttext do with words it has never seen",
    ),
    title="Word2Vec (CBOW, skip-gram), GloVe, FastText",
    asked="How do Word2Vec, GloVe and FastText differ, and what do word embeddings learn?",
    config=Config,
    profiles=PROFILES,
    trial=trial,
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    anchors=(
        *(
            Anchor(
                f"analogy accuracy, {label} 640-d, {kind} questions",
                f"{value:.0%}",
                MIKOLOV + ", Table 3",
                key=f"mikolov-{model}-{kind}",
                value=value,
                unit="%",
                metric=None,
                note=MIKOLOV_NOTE,
            )
            for model, label, kind, value in (
                ("skipgram", "skip-gram", "semantic", 0.55),
                ("skipgram", "skip-gram", "syntactic", 0.59),
                ("cbow", "CBOW", "semantic", 0.24),
                ("cbow", "CBOW", "syntactic", 0.64),
            )
        ),
        *(
            Anchor(
                f"analogy accuracy, {label} 300-d, 6B tokens (total)",
                f"{value:.1%}",
                "Pennington et al. 2014, Table 2",
                key=f"pennington-{model}",
                value=value,
                unit="%",
                metric=None,
                note=PENNINGTON_NOTE,
            )
            for model, label, value in (
                ("glove", "GloVe", 0.717),
                ("skipgram", "skip-gram", 0.691),
                ("cbow", "CBOW", 0.657),
            )
        ),
        Anchor(
            "vectors for rare and unseen words",
            "built from character n-grams",
            BOJANOWSKI,
            metric="misspell_top5_fasttext",
            note="ours: misspellings, top-5 hit rate",
        ),
    ),
    references=(
        "Mikolov, Chen, Corrado & Dean (2013). Efficient estimation of word representations"
        " in vector space. ICLR workshop.",
        "Mikolov, Sutskever, Chen, Corrado & Dean (2013). Distributed representations of"
        " words and phrases and their compositionality. NeurIPS.",
        "Pennington, Socher & Manning (2014). GloVe: global vectors for word representation."
        " EMNLP.",
        "Bojanowski, Grave, Joulin & Mikolov (2017). Enriching word vectors with subword"
        " information. TACL 5.",
        "Finkelstein et al. (2002). Placing search in context: the concept revisited. ACM TOIS"
        " 20(1).",
        "Hill, Reichart & Korhonen (2015). SimLex-999: evaluating semantic models with"
        " (genuine) similarity estimation. Computational Linguistics 41(4).",
    ),
    timings=(
        "words_per_s_cbow",
        "words_per_s_skipgram",
        "words_per_s_fasttext",
        "speedup_cbow_vs_skipgram",
    ),
)
