"""Word-embedding pieces against gensim and against hand calculation."""

import math

import numpy as np
import pytest
import torch

from deepfaq.nn.embeddings import (
    GloVe,
    SkipGram,
    build_vocab,
    char_ngrams,
    cooccurrence,
    skipgram_pairs,
    train_glove,
    train_skipgram,
    word_pair_spearman,
)

WORDS = ["apple", "a", "naïve", "internationalisation", "go", "été", "x"]


@pytest.mark.parametrize("word", WORDS)
@pytest.mark.parametrize("span", [(3, 3), (3, 6), (1, 2), (2, 5)])
def test_char_ngrams_match_gensim(word, span):
    from gensim.models.fasttext_inner import compute_ngrams

    assert char_ngrams(word, *span) == compute_ngrams(word, *span)


def test_apple_trigrams():
    assert char_ngrams("apple", 3, 3) == ["<ap", "app", "ppl", "ple", "le>"]


def test_char_ngrams_match_a_trained_fasttext_model():
    """The n-grams gensim's FastText hashes into buckets for a word are ours, hashed."""
    from gensim.models import FastText
    from gensim.models.fasttext import ft_ngram_hashes
    from gensim.models.fasttext_inner import ft_hash_bytes

    model = FastText(
        [["apple", "pie"], ["apple", "tart"]] * 5,
        vector_size=8,
        min_count=1,
        min_n=3,
        max_n=5,
        bucket=1000,
        epochs=1,
        workers=1,
        seed=0,
    )

    ours = [ft_hash_bytes(g.encode("utf-8")) % 1000 for g in char_ngrams("apple", 3, 5)]
    assert sorted(ours) == sorted(ft_ngram_hashes("apple", 3, 5, 1000))  # gensim's own order
    # the word's vector is the mean of its own row and its n-gram rows
    wv = model.wv
    rows = np.vstack([wv.vectors_vocab[wv.key_to_index["apple"]], wv.vectors_ngrams[ours]])
    np.testing.assert_allclose(wv["apple"], rows.mean(0), rtol=1e-5, atol=1e-6)


def test_word_pair_spearman_matches_gensim():
    from gensim.models import KeyedVectors
    from gensim.test.utils import datapath

    from deepfaq.nn.embeddings import read_word_pairs

    rng = np.random.default_rng(0)
    pairs = read_word_pairs(datapath("wordsim353.tsv"))
    vocab = sorted({w for a, b, _ in pairs for w in (a, b)})[::2]  # leave some out
    vectors = rng.normal(size=(len(vocab), 16)).astype(np.float32)
    kv = KeyedVectors(16)
    kv.add_vectors(vocab, vectors)
    _, (rho, _), oov = kv.evaluate_word_pairs(datapath("wordsim353.tsv"))
    ours, ours_oov = word_pair_spearman(vocab, vectors, pairs)
    assert ours == pytest.approx(rho, abs=1e-6)
    assert 100 * ours_oov == pytest.approx(oov, abs=1e-9)


def test_skipgram_pairs_window_one_is_every_neighbour():
    ids = [np.array([0, 1, 2, 3])]
    pairs = skipgram_pairs(ids, 1, np.random.default_rng(0))
    assert sorted(map(tuple, pairs)) == sorted([(0, 1), (1, 2), (2, 3), (1, 0), (2, 1), (3, 2)])


def test_skipgram_pairs_stay_within_the_window():
    ids = [np.arange(50)]
    pairs = skipgram_pairs(ids, 3, np.random.default_rng(1))
    gap = np.abs(pairs[:, 0] - pairs[:, 1])
    assert gap.min() >= 1 and gap.max() <= 3
    assert set(gap) == {1, 2, 3}


def test_sgns_hand_gradient_step_equals_sgd_on_the_loss():
    torch.manual_seed(0)
    a, b = SkipGram(20, 6), SkipGram(20, 6)
    for m in (a, b):
        torch.nn.init.normal_(m.context.weight, std=0.3)
    b.load_state_dict(a.state_dict())
    centre = torch.tensor([1, 2, 3, 1])
    context = torch.tensor([4, 5, 6, 4])
    neg = torch.tensor([[7, 8], [9, 1], [4, 4], [2, 3]])
    a.sgd_step(centre, context, neg, lr=0.1)
    opt = torch.optim.SGD(b.parameters(), lr=0.1)
    b.loss(centre, context, neg).backward()
    opt.step()
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        torch.testing.assert_close(pa, pb)


def test_glove_loss_by_hand():
    m = GloVe(2, 1, x_max=10.0)
    with torch.no_grad():
        m.w.weight[:] = torch.tensor([[1.0], [2.0]])
        m.w_tilde.weight[:] = torch.tensor([[0.5], [-1.0]])
        m.b.weight[:] = torch.tensor([[0.1], [0.0]])
        m.b_tilde.weight[:] = torch.tensor([[0.0], [0.2]])
    i, j = torch.tensor([0, 1]), torch.tensor([1, 0])
    x = torch.tensor([5.0, 20.0])
    # (0,1): pred = 1·(−1) + 0.1 + 0.2 = −0.7, f = (5/10)^0.75
    # (1,0): pred = 2·0.5 + 0 + 0 = 1.0,      f = 1 (capped)
    expected = (0.5**0.75) * (-0.7 - math.log(5)) ** 2 + (1.0 - math.log(20)) ** 2
    assert m.loss(i, j, x).item() == pytest.approx(expected, rel=1e-6)


def test_glove_hand_gradients_equal_autograd():
    torch.manual_seed(1)
    m = GloVe(10, 4, x_max=3.0)
    i, j = torch.randint(0, 10, (30,)), torch.randint(0, 10, (30,))
    x = torch.rand(30) * 6 + 0.5
    m.loss(i, j, x).backward()
    auto = [p.grad.clone() for p in m.parameters()]
    m.set_grads(i, j, x)
    for a, p in zip(auto, m.parameters(), strict=True):
        torch.testing.assert_close(p.grad, a)


def test_glove_set_grads_returns_the_loss():
    torch.manual_seed(2)
    m = GloVe(10, 4, x_max=3.0)
    i, j = torch.randint(0, 10, (30,)), torch.randint(0, 10, (30,))
    x = torch.rand(30) * 6 + 0.5
    assert m.set_grads(i, j, x) == pytest.approx(m.loss(i, j, x).item(), rel=1e-5)


def test_train_glove_curve_is_the_mean_loss_per_epoch():
    """One batch per epoch: the first point is the loss of the seeded initial model over
    every nonzero cell, divided by their number; AdaGrad then lowers it."""
    X = cooccurrence(
        [list("abcabdacbd") * 3, list("dcba") * 5], {w: k for k, w in enumerate("abcd")}, window=3
    )
    vectors, curve = train_glove(X, dim=3, epochs=40, lr=0.1, x_max=5.0, batch_size=10_000, seed=7)
    torch.manual_seed(7)
    init = GloVe(4, 3, x_max=5.0)
    i, j = torch.from_numpy(X.row.astype(np.int64)), torch.from_numpy(X.col.astype(np.int64))
    x = torch.from_numpy(X.data.astype(np.float32))
    assert curve[0] == pytest.approx(init.loss(i, j, x).item() / X.nnz, rel=1e-5)
    assert len(curve) == 40 and curve[-1] < 0.1 * curve[0]
    assert vectors.shape == (4, 3)


def test_cooccurrence_by_hand():
    X = cooccurrence([["a", "b", "c"]], {"a": 0, "b": 1, "c": 2}, window=2).toarray()
    expected = np.array([[0, 1, 0.5], [1, 0, 1], [0.5, 1, 0]])
    np.testing.assert_allclose(X, expected)


def test_build_vocab_orders_by_frequency():
    words, counts = build_vocab([["b", "a", "b", "c"], ["b", "a"]], min_count=2)
    assert words == ["b", "a"] and counts.tolist() == [3, 2]


@pytest.mark.slow
def test_our_skipgram_matches_gensim_quality():
    """Same corpus, same settings: WordSim-353 ρ within 0.05 of gensim's skip-gram
    (mean of two seeds each; benchmarks/sgns_vs_gensim.py measures speed)."""
    from gensim.models import Word2Vec

    from deepfaq.data import text
    from deepfaq.nn.embeddings import read_word_pairs

    sentences = text.load_corpus("wiki")
    pairs = read_word_pairs(text.benchmark_path(text.WORDSIM353))
    ours, theirs = [], []
    for seed in (1, 2):
        words, vectors = train_skipgram(sentences, dim=50, epochs=3, seed=seed)
        ours.append(word_pair_spearman(words, vectors, pairs)[0])
        kv = Word2Vec(
            sentences,
            vector_size=50,
            window=5,
            min_count=5,
            sg=1,
            negative=5,
            epochs=3,
            seed=seed,
            workers=1,
        ).wv
        theirs.append(word_pair_spearman(list(kv.index_to_key), kv.vectors, pairs)[0])
    assert abs(np.mean(ours) - np.mean(theirs)) <= 0.05, (ours, theirs)


def test_word_embeddings_misspellings_are_unseen_adjacent_swaps():
    """Generated misspellings swap two adjacent inner letters of a vocabulary word and
    never occur in the corpus; ours come first; the draw is the same every time."""
    from deepfaq.data import text
    from deepfaq.experiments.word_embeddings import MISSPELLINGS, misspellings
    from deepfaq.nn.embeddings import build_vocab

    sentences = text.load_corpus("lee")
    words, counts = build_vocab(sentences, 5)
    got = misspellings(sentences, words, counts, 30)
    assert got == misspellings(sentences, words, counts, 30)
    seen = {w for s in sentences for w in s}
    vocab = set(words)
    ours = [p for p in got if p in MISSPELLINGS]
    assert got[: len(ours)] == ours
    for typo, word in got[len(ours) :]:
        assert typo not in seen and word in vocab and len(typo) == len(word)
        diff = [i for i in range(len(word)) if typo[i] != word[i]]
        assert len(diff) == 2 and diff[1] == diff[0] + 1 and diff[0] >= 1
        assert typo[diff[0]] == word[diff[1]] and typo[diff[1]] == word[diff[0]]


def test_word_embeddings_pooled_rho_is_the_pair_weighted_mean():
    """Pooling benchmarks: ρ within each, weighted by its pairs; the pseudo-values are
    each benchmark's, concatenated (their mean is close to the pooled ρ)."""
    from scipy.stats import spearmanr

    from deepfaq.experiments.word_embeddings import pair_cosines, pooled

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(40)]
    kv = {w: rng.normal(size=8) for w in words}
    group = lambda n: [  # noqa: E731
        (words[rng.integers(40)], words[rng.integers(40)], float(rng.random())) for _ in range(n)
    ]
    a, b = group(30), group(60)
    rho, pvs = pooled(kv, [a, b])
    rhos = [spearmanr(*pair_cosines(kv, g)).statistic for g in (a, b)]
    assert rho == pytest.approx((30 * rhos[0] + 60 * rhos[1]) / 90)
    assert len(pvs) == 90 and np.mean(pvs) == pytest.approx(rho, abs=0.05)


def test_spearman_jackknife_equals_leaving_each_out():
    """The one-pass leave-one-out ρ equals scipy's Spearman on each deleted sample, with
    ties in both variables (human scores repeat)."""
    from scipy.stats import spearmanr

    from deepfaq.nn.embeddings import spearman_jackknife

    rng = np.random.default_rng(0)
    x = rng.normal(size=40)
    x[5] = x[7]  # a tie
    y = np.round(rng.normal(size=40) + x, 1)  # many ties
    rho, loo = spearman_jackknife(x, y)
    assert rho == pytest.approx(spearmanr(x, y).statistic)
    want = [spearmanr(np.delete(x, i), np.delete(y, i)).statistic for i in range(40)]
    np.testing.assert_allclose(loo, want, rtol=1e-10, atol=1e-12)
