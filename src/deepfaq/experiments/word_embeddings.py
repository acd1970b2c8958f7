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

import numpy as np

from deepfaq.core.claims import AtLeast, Claim, Exact, Greater
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
    ("goverment", "government"), ("philosphy", "philosophy"), ("politcal", "political"),
    ("langauge", "language"), ("centruy", "century"), ("histroy", "history"),
    ("populaton", "population"), ("amercian", "american"), ("becuase", "because"),
    ("diffrent", "different"), ("importnat", "important"), ("internatonal", "international"),
    ("univeristy", "university"), ("betwen", "between"), ("socety", "society"),
    ("economc", "economic"), ("relgion", "religion"), ("scince", "science"),
    ("countires", "countries"), ("developement", "development"),
)
CORPUS_FRACTIONS = (0.1, 0.3, 1.0)


@dataclass(frozen=True)
class Config:
    corpus: str = "wiki"  # "wiki", "lee", or a path to a text file of your own
    dim: int = 100
    window: int = 5
    min_count: int = 5
    epochs: int = 5
    negative: int = 5
    ft_buckets: int = 200_000  # hashed n-gram rows (fastText's default is 2,000,000)
    ft_max_n: int = 5  # longest character n-gram (fastText's default is 6)
    glove_epochs: int = 5
    glove_x_max: float = 10.0  # 100 in the paper, for billions of tokens


PROFILES = {
    "smoke": Profile(Config(corpus="lee", dim=32, epochs=1, glove_epochs=1, ft_buckets=20_000),
                     seeds=2),
    "quick": Profile(Config(dim=50), seeds=3),
    "full": Profile(Config(dim=100, epochs=20, glove_epochs=50, ft_buckets=2_000_000,
                           ft_max_n=6), seeds=10),
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
        secs = [s for s in sections if s["section"] in totals
                and s["section"].startswith("gram") == (kind == "syntactic")]
        right = sum(len(s["correct"]) for s in secs)
        seen = right + sum(len(s["incorrect"]) for s in secs)
        out[f"{kind}_acc"] = right / seen if seen else float("nan")
        out[f"{kind}_coverage"] = seen / sum(totals[s["section"]] for s in secs)
    return out


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
    common = dict(vector_size=cfg.dim, window=cfg.window, min_count=cfg.min_count,
                  negative=cfg.negative, epochs=cfg.epochs, seed=seed,
                  workers=1)  # one worker: gensim is reproducible only single-threaded
    out: dict = {"corpus_tokens": float(n_tokens)}
    words, counts = build_vocab(sentences, cfg.min_count)
    out["vocab_size"] = float(len(words))
    out["one_hot_over_dense_bytes"] = len(words) / cfg.dim  # V×V table vs V×d

    kvs = {}
    specs = (("cbow", Word2Vec, dict(sg=0, alpha=0.05)),  # word2vec.c's CBOW default rate
             ("skipgram", Word2Vec, dict(sg=1)),
             ("fasttext", FastText, dict(sg=1, bucket=cfg.ft_buckets, min_n=3,
                                         max_n=cfg.ft_max_n)))
    for k, (name, cls, kw) in enumerate(specs):
        model = cls(**common, **kw)
        model.build_vocab(sentences)
        start = time.perf_counter()
        model.train(sentences, total_examples=model.corpus_count, epochs=cfg.epochs)
        out[f"words_per_s_{name}"] = n_tokens * cfg.epochs / (time.perf_counter() - start)
        kvs[name] = model.wv
        ctx.progress(0.15 * (k + 1))

    X = cooccurrence(sentences, {w: i for i, w in enumerate(words)}, cfg.window)
    out["glove_cells_at_most_1"] = float(np.mean(X.data <= 1.0))  # of the nonzero cells
    glove = KeyedVectors(cfg.dim)
    glove.add_vectors(words, train_glove(X, cfg.dim, cfg.glove_epochs, x_max=cfg.glove_x_max,
                                         seed=seed))
    kvs["glove"] = glove
    ctx.progress(0.6)

    for name, kv in kvs.items():
        vocab = list(kv.index_to_key)
        out[f"wordsim_{name}"], out["wordsim_oov"] = word_pair_spearman(vocab, kv.vectors,
                                                                        wordsim)
        out[f"simlex_{name}"], out["simlex_oov"] = word_pair_spearman(vocab, kv.vectors, simlex)
        for key, value in analogy_scores(kv, text.benchmark_path(text.ANALOGIES)).items():
            out[f"analogy_{key}_{name}"] = value
    ctx.progress(0.75)

    # Rare against frequent words: the pairs split at the median count of the rarer word.
    rare, frequent, median = frequency_split(words, counts, wordsim)
    out["rare_split_count"] = median
    for name in ("cbow", "skipgram"):
        vocab = list(kvs[name].index_to_key)
        out[f"wordsim_rare_{name}"] = word_pair_spearman(vocab, kvs[name].vectors, rare)[0]
        out[f"wordsim_frequent_{name}"] = word_pair_spearman(vocab, kvs[name].vectors,
                                                             frequent)[0]

    # Unseen, misspelled words: FastText builds a vector from n-grams; Word2Vec has none.
    ft, w2v = kvs["fasttext"], kvs["skipgram"]
    testable = [(typo, word) for typo, word in MISSPELLINGS
                if word in ft.key_to_index and typo not in ft.key_to_index]
    hits = [word in [w for w, _ in ft.most_similar(typo, topn=5)] for typo, word in testable]
    out["misspell_tested"] = float(len(testable))
    out["misspell_top5_fasttext"] = float(np.mean(hits)) if hits else float("nan")
    out["misspell_no_vector_word2vec"] = float(np.mean([t not in w2v.key_to_index
                                                        for t, _ in testable]))
    out["misspell_examples"] = [[t, w, ", ".join(x for x, _ in ft.most_similar(t, topn=5))]
                                for t, w in testable[:5]]

    # FastText's own n-grams of "apple" against ours and against the expected list.
    from gensim.models.fasttext_inner import compute_ngrams

    expected = ["<ap", "app", "ppl", "ple", "le>"]
    out["apple_trigrams_match"] = float(char_ngrams("apple", 3, 3) == expected
                                        == compute_ngrams("apple", 3, 3))
    ctx.progress(0.8)

    # How quality grows with the amount of text: skip-gram on a random 10%, 30% and all of
    # the sentences, scored on the same WordSim pairs (those the 10% vocabulary covers).
    order = np.random.default_rng(seed).permutation(len(sentences))
    kv_by_frac = {1.0: kvs["skipgram"]}
    for frac in CORPUS_FRACTIONS[:-1]:
        part = [sentences[i] for i in order[: max(1, int(frac * len(sentences)))]]
        kv_by_frac[frac] = Word2Vec(part, sg=1, **common).wv
    small = kv_by_frac[CORPUS_FRACTIONS[0]].key_to_index
    shared = [p for p in wordsim if p[0] in small and p[1] in small]
    curve = [word_pair_spearman(list(kv_by_frac[f].index_to_key), kv_by_frac[f].vectors,
                                shared)[0] for f in CORPUS_FRACTIONS]
    out["size_curve_pairs"] = float(len(shared))
    out["size_curve_wordsim"] = curve
    out["wordsim_shared_10pct"], out["wordsim_shared_100pct"] = curve[0], curve[-1]
    ctx.progress(1.0)
    return out


MIKOLOV = "Mikolov et al. 2013"
BOJANOWSKI = "Bojanowski et al. 2017"

CLAIMS = (
    Claim("dense-smaller-than-one-hot",
          "A vocabulary's dense vectors take far less memory than its one-hot vectors: a V×V"
          " table against V×d, at least 10× smaller.",
          AtLeast("one_hot_over_dense_bytes", 10), expected="supported", source=MIKOLOV),
    *(Claim(f"wordsim-positive-{m}",
            f"{LABELS[m]} vectors put related words close: positive Spearman ρ with WordSim-353"
            " human ratings.",
            AtLeast(f"wordsim_{m}", 0.0), expected="supported",
            source="Finkelstein et al. 2002; " + MIKOLOV) for m in MODELS),
    Claim("simlex-positive-skipgram",
          "Skip-gram vectors also rank SimLex-999 pairs (similarity, not mere relatedness)"
          " positively.",
          AtLeast("simlex_skipgram", 0.0), expected="supported", source="Hill et al. 2015"),
    Claim("cbow-faster",
          "CBOW trains faster than skip-gram (words per second, same settings, one thread).",
          Greater("words_per_s_cbow", "words_per_s_skipgram"), expected="supported",
          source=MIKOLOV),
    Claim("skipgram-better-rare",
          "Skip-gram beats CBOW on pairs of rare words (WordSim pairs below the median count).",
          Greater("wordsim_rare_skipgram", "wordsim_rare_cbow"), expected="supported",
          source=MIKOLOV + " (word2vec documentation)"),
    Claim("cbow-better-frequent",
          "CBOW is slightly better than skip-gram on frequent words.",
          Greater("wordsim_frequent_cbow", "wordsim_frequent_skipgram"), expected="supported",
          source=MIKOLOV + " (word2vec documentation)"),
    Claim("fasttext-misspellings",
          "FastText gives an unseen, misspelled word a vector whose 5 nearest neighbours"
          " include the intended word, for at least half of the misspellings.",
          AtLeast("misspell_top5_fasttext", 0.5), expected="supported", source=BOJANOWSKI),
    Claim("word2vec-no-vector",
          "Word2Vec has no vector at all for those misspellings.",
          Exact("misspell_no_vector_word2vec", 1.0), expected="supported", source=MIKOLOV),
    Claim("apple-trigrams",
          "FastText's character 3-grams of \"apple\" are exactly <ap, app, ppl, ple, le> (ours"
          " and gensim's).",
          Exact("apple_trigrams_match", 1.0), expected="supported", source=BOJANOWSKI),
    Claim("more-text-helps",
          "Skip-gram trained on all of the corpus beats skip-gram trained on a tenth of it"
          " (WordSim ρ on the pairs both vocabularies cover).",
          Greater("wordsim_shared_100pct", "wordsim_shared_10pct"), expected="supported",
          source=MIKOLOV),
)


def figures(result, new_figure) -> None:
    M, S = result.metrics, result.series
    mean = lambda key: float(np.nanmean(M[key])) if key in M else float("nan")  # noqa: E731

    fig, ax = new_figure("similarity-benchmarks")
    x = np.arange(len(MODELS))
    ax.bar(x - 0.2, [mean(f"wordsim_{m}") for m in MODELS], 0.4, label="WordSim-353")
    ax.bar(x + 0.2, [mean(f"simlex_{m}") for m in MODELS], 0.4, label="SimLex-999")
    ax.set_xticks(x, [LABELS[m] for m in MODELS])
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_ylabel("Spearman ρ with human ratings")
    ax.legend(fontsize=8)

    fig, ax = new_figure("rare-vs-frequent")
    x = np.arange(2)
    for k, m in enumerate(("cbow", "skipgram")):
        ax.bar(x + (k - 0.5) * 0.4, [mean(f"wordsim_rare_{m}"), mean(f"wordsim_frequent_{m}")],
               0.4, label=LABELS[m])
    ax.set_xticks(x, ["rare-word pairs", "frequent-word pairs"])
    ax.set_ylabel("WordSim-353 Spearman ρ")
    ax.legend(fontsize=8)

    fig, ax = new_figure("corpus-size")
    tokens = mean("corpus_tokens")
    curve = np.asarray(S["size_curve_wordsim"], dtype=float)  # None (too few pairs) → nan
    counts = (~np.isnan(curve)).sum(0)
    means = np.where(counts > 0, np.nansum(curve, 0) / np.maximum(counts, 1), np.nan)
    ax.plot(np.array(CORPUS_FRACTIONS) * tokens, means, marker="o")
    ax.set_xscale("log")
    ax.set_xlabel("training tokens (skip-gram)")
    ax.set_ylabel("WordSim-353 Spearman ρ")

    fig, ax = new_figure("speed")
    names = ("cbow", "skipgram", "fasttext")
    ax.bar([LABELS[m] for m in names], [mean(f"words_per_s_{m}") / 1e3 for m in names])
    ax.set_ylabel("thousand words per second (1 thread)")

    fig, ax = new_figure("analogies")
    x = np.arange(len(MODELS))
    for k, kind in enumerate(("semantic", "syntactic")):
        ax.bar(x + (k - 0.5) * 0.4, [mean(f"analogy_{kind}_acc_{m}") for m in MODELS], 0.4,
               label=kind)
    ax.set_xticks(x, [LABELS[m] for m in MODELS])
    ax.set_ylabel("accuracy on the covered analogy questions")
    ax.legend(fontsize=8)


ANSWER = """
**The corpus.** {{ num(m.corpus_tokens) }} tokens, a vocabulary of {{ num(m.vocab_size) }}
words seen at least {{ cfg.min_count }} times; {{ cfg.dim }}-dimensional vectors, window
{{ cfg.window }}, {{ cfg.epochs }} epochs, {{ n }} seeds. Mikolov et al. trained on 6 billion
tokens and Pennington et al. on up to 42 billion: expect every number below to be lower than
theirs, and watch the corpus-size figure for the trend.

**Why dense?** A one-hot table for this vocabulary is {{ num(m.one_hot_over_dense_bytes) }}×
larger than the dense one. (A single one-hot vector can be stored as one integer; the real
cost is downstream — a model reading one-hot input needs a weight per word per unit, and
learns nothing about one word from another.) Dense vectors put related words close:
WordSim-353 Spearman ρ was {{ num(m.wordsim_cbow) }} for CBOW, {{ num(m.wordsim_skipgram) }}
for skip-gram, {{ num(m.wordsim_fasttext) }} for FastText and {{ num(m.wordsim_glove) }} for our
GloVe ({{ pct(m.wordsim_oov) }} of the pairs have a word outside the vocabulary and are left
out). SimLex-999, which rewards similarity rather than relatedness ("coffee"–"cup" is related,
not similar), is harder: {{ num(m.simlex_skipgram) }} for skip-gram.
{% if v["wordsim-positive-glove"] != "supported" %}GloVe came out
**{{ v["wordsim-positive-glove"] }}**: it fits the logarithms of co-occurrence counts, and on
half a million tokens those counts are thin — {{ pct(m.glove_cells_at_most_1) }} of the
nonzero cells of the co-occurrence matrix hold a (distance-weighted) count of at most 1.
Pennington et al. show GloVe improving steadily with corpus size.{% endif %}

**CBOW or skip-gram?** CBOW processed {{ num(m.words_per_s_cbow) }} words/s and skip-gram
{{ num(m.words_per_s_skipgram) }} (one thread): CBOW does one prediction per word,
skip-gram one per neighbour. On WordSim pairs whose rarer word occurs at most
{{ num(m.rare_split_count) }} times, ρ was {{ num(m.wordsim_rare_skipgram) }} for skip-gram
and {{ num(m.wordsim_rare_cbow) }} for CBOW ({{ v["skipgram-better-rare"] }}); on the
frequent half {{ num(m.wordsim_frequent_skipgram) }} and {{ num(m.wordsim_frequent_cbow) }}
("CBOW better on frequent words": {{ v["cbow-better-frequent"] }}). The usual explanation:
CBOW averages the context, which blurs the few signals a rare word gets, while skip-gram
gives each occurrence its own updates.
{% if v["skipgram-better-rare"] == "inconclusive" or v["cbow-better-frequent"] == "inconclusive"
%}Where a verdict is inconclusive, this corpus cannot resolve the difference: each half holds
only about a hundred pairs, and ρ over a hundred pairs moves by about ±0.1 from seed to
seed.{% endif %}

**FastText and unseen words.** FastText adds up the vectors of a word's character n-grams
(3 to {{ cfg.ft_max_n }} characters, inside `<` `>` boundary markers; for "apple" the
3-grams are `<ap`, `app`, `ppl`, `ple`, `le>` — ours and gensim's agree:
{{ v["apple-trigrams"] }}). So a misspelling it never saw still gets a vector: for
{{ pct(m.misspell_top5_fasttext) }} of {{ num(m.misspell_tested) }} misspellings the intended
word was among the 5 nearest neighbours. Word2Vec had no vector for
{{ pct(m.misspell_no_vector_word2vec) }} of them.
{% if v["fasttext-misspellings"] != "supported" %}The claim that the intended word is usually
among them came out **{{ v["fasttext-misspellings"] }}**: a misspelling keeps most of its
n-grams, but on half a million tokens the n-gram vectors are learned from few examples, and
words sharing the misspelling's *endings* ("-ment", "-ion") compete with the intended word
(the stored examples list the neighbours found). Bojanowski et al. trained on Wikipedia dumps
thousands of times larger.{% endif %}


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
| Mikolov 2013, CBOW 640-d | 24% | 64% |
| Mikolov 2013, skip-gram 640-d | 55% | 59% |

Pennington et al. (2014) report 71.7% overall for 300-d GloVe on 6 billion tokens, against
69.1% for skip-gram and 65.7% for CBOW. FastText's n-grams help most on the syntactic
questions (plurals, tenses), which share word endings.

**More text.** On the WordSim pairs that even a tenth of the corpus covers (about
{{ num(m.size_curve_pairs, 2) }}), skip-gram on 10% of the sentences reached ρ
{{ num(m.wordsim_shared_10pct) }} and on all of them {{ num(m.wordsim_shared_100pct) }}
({{ v["more-text-helps"] }}). Every gap to the published numbers above is, first of all,
this curve continued for four more orders of magnitude.
"""

QUESTION = Question(
    id="word-embeddings",
    title="Word2Vec (CBOW, skip-gram), GloVe, FastText",
    asked="How do Word2Vec, GloVe and FastText differ, and what do word embeddings learn?",
    config=Config,
    profiles=PROFILES,
    trial=trial,
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    anchors=(
        Anchor("analogy accuracy, skip-gram 640-d (semantic / syntactic)", "55% / 59%",
               MIKOLOV + ", Table 3", metric="analogy_semantic_acc_skipgram",
               note="ours: semantic, covered questions only"),
        Anchor("analogy accuracy, CBOW 640-d (semantic / syntactic)", "24% / 64%",
               MIKOLOV + ", Table 3", metric="analogy_semantic_acc_cbow",
               note="ours: semantic, covered questions only"),
        Anchor("analogy accuracy, GloVe 300-d, 6B tokens (total)", "71.7%",
               "Pennington et al. 2014, Table 2", metric="analogy_syntactic_acc_glove",
               note="ours: syntactic, covered questions only"),
        Anchor("vectors for rare and unseen words", "built from character n-grams", BOJANOWSKI,
               metric="misspell_top5_fasttext", note="ours: misspellings, top-5 hit rate"),
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
    timings=("words_per_s_cbow", "words_per_s_skipgram", "words_per_s_fasttext"),
)
