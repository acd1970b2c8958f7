"""Word embeddings written out: skip-gram with negative sampling, GloVe, and the
character n-grams of FastText.

* :class:`SkipGram` — Mikolov et al. (2013b): for each word and each neighbour
  within a window, push their vectors together, and push the word away from
  ``negatives`` words drawn from the unigram distribution raised to 3/4.
* :class:`GloVe` — Pennington, Socher & Manning (2014): weighted least squares on
  the log co-occurrence counts, wᵢ·w̃ⱼ + bᵢ + b̃ⱼ ≈ log Xᵢⱼ, weight (X/x_max)^¾ capped at 1.
* :func:`char_ngrams` — Bojanowski et al. (2017): the word wrapped in ``<`` ``>``,
  cut into every n-gram with min_n ≤ n ≤ max_n.
* :func:`word_pair_spearman` — the WordSim/SimLex evaluation: Spearman correlation
  between cosine similarities and human scores over the pairs in the vocabulary.

Tests compare each with gensim (``tests/test_nn_embeddings.py``).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import torch
from scipy import sparse
from scipy.stats import spearmanr
from torch import nn
from torch.nn import functional as F


def char_ngrams(word: str, min_n: int = 3, max_n: int = 6) -> list[str]:
    """FastText's subwords of ``word``: n-grams of ``<word>`` for n in [min_n, max_n],
    shortest first, left to right (the whole ``<word>`` is kept separately)."""
    w = f"<{word}>"
    return [w[i : i + n] for n in range(min_n, max_n + 1) for i in range(len(w) - n + 1)]


def build_vocab(sentences, min_count: int) -> tuple[list[str], np.ndarray]:
    """Words seen at least ``min_count`` times, most frequent first, and their counts."""
    counts = Counter(w for s in sentences for w in s)
    words = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    return words, np.array([counts[w] for w in words], dtype=np.int64)


def encode(sentences, index: dict[str, int]) -> list[np.ndarray]:
    """Sentences as arrays of vocabulary ids, out-of-vocabulary words dropped."""
    return [np.array([index[w] for w in s if w in index], dtype=np.int64) for s in sentences]


def skipgram_pairs(
    ids: list[np.ndarray], window: int, rng: np.random.Generator, keep: np.ndarray | None = None
) -> np.ndarray:
    """(centre, context) pairs, word2vec style: each centre draws its window size
    uniformly from 1..window; ``keep[id]`` is the probability of keeping a word
    (frequent-word subsampling). Returns an [n, 2] array."""
    pairs = []
    for sent in ids:
        if keep is not None:
            sent = sent[rng.random(len(sent)) < keep[sent]]
        n = len(sent)
        if n < 2:
            continue
        reach = rng.integers(1, window + 1, n)
        for offset in range(1, window + 1):
            ok = np.flatnonzero(reach[: n - offset] >= offset)  # centre i, context i+offset
            pairs.append(np.stack([sent[ok], sent[ok + offset]], 1))
            ok = np.flatnonzero(reach[offset:] >= offset) + offset  # centre i, context i-offset
            pairs.append(np.stack([sent[ok], sent[ok - offset]], 1))
    return np.concatenate(pairs) if pairs else np.zeros((0, 2), dtype=np.int64)


class SkipGram(nn.Module):
    """Two embedding tables: ``centre`` (the word vectors we keep) and ``context``."""

    def __init__(self, vocab_size: int, dim: int):
        super().__init__()
        self.centre = nn.Embedding(vocab_size, dim)
        self.context = nn.Embedding(vocab_size, dim)
        nn.init.uniform_(self.centre.weight, -0.5 / dim, 0.5 / dim)  # as word2vec.c
        nn.init.zeros_(self.context.weight)

    def loss(
        self, centre: torch.Tensor, context: torch.Tensor, negatives: torch.Tensor
    ) -> torch.Tensor:
        """−log σ(u·v) − Σₖ log σ(−u·vₖ), summed over the batch."""
        u = self.centre(centre)  # [B, d]
        pos = (u * self.context(context)).sum(-1)
        neg = torch.bmm(self.context(negatives), u.unsqueeze(-1)).squeeze(-1)  # [B, k]
        return -(F.logsigmoid(pos) + F.logsigmoid(-neg).sum(-1)).sum()

    @torch.no_grad()
    def sgd_step(
        self, centre: torch.Tensor, context: torch.Tensor, negatives: torch.Tensor, lr: float
    ) -> None:
        """One SGD step on :meth:`loss`, with its gradient written out as word2vec.c
        does: for a score s = u·v with label y (1 for the context, 0 for a negative),
        ∂loss/∂s = σ(s) − y, so u moves by −lr·(σ(s) − y)·v and v by −lr·(σ(s) − y)·u.
        Only the rows in the batch are touched (``index_add_``)."""
        C, O = self.centre.weight, self.context.weight
        u, v = C[centre], O[torch.cat([context[:, None], negatives], 1)]  # [B,d], [B,1+k,d]
        score = torch.bmm(v, u.unsqueeze(-1)).squeeze(-1)  # [B, 1+k]
        label = torch.zeros_like(score)
        label[:, 0] = 1.0
        err = torch.sigmoid(score) - label
        grad_u = torch.bmm(err.unsqueeze(1), v).squeeze(1)  # [B, d]
        grad_v = err.unsqueeze(-1) * u.unsqueeze(1)  # [B, 1+k, d]
        C.index_add_(0, centre, grad_u, alpha=-lr)
        O.index_add_(
            0,
            torch.cat([context[:, None], negatives], 1).flatten(),
            grad_v.flatten(0, 1),
            alpha=-lr,
        )


def train_skipgram(
    sentences,
    dim: int = 100,
    window: int = 5,
    negatives: int = 5,
    min_count: int = 5,
    epochs: int = 5,
    sample: float = 1e-3,
    lr: float = 0.025,
    batch_size: int = 1024,
    seed: int = 0,
):
    """Skip-gram with negative sampling, trained by minibatch SGD with word2vec's
    linearly decaying learning rate. Returns (words, vectors [V, dim] as numpy)."""
    words, counts = build_vocab(sentences, min_count)
    ids = encode(sentences, {w: i for i, w in enumerate(words)})
    freq = counts / counts.sum()
    keep = np.minimum(1.0, (np.sqrt(freq / sample) + 1) * sample / freq)  # word2vec.c
    noise = torch.tensor(counts**0.75 / (counts**0.75).sum(), dtype=torch.float)
    rng = np.random.default_rng(seed)
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = SkipGram(len(words), dim)
    epoch_pairs = [skipgram_pairs(ids, window, rng, keep) for _ in range(epochs)]
    total = sum(len(p) for p in epoch_pairs)
    done = 0
    for pairs in epoch_pairs:
        pairs = torch.from_numpy(pairs[rng.permutation(len(pairs))])
        for start in range(0, len(pairs), batch_size):
            batch = pairs[start : start + batch_size]
            neg = torch.multinomial(
                noise, len(batch) * negatives, replacement=True, generator=g
            ).view(len(batch), negatives)
            model.sgd_step(batch[:, 0], batch[:, 1], neg, lr * max(1e-4, 1 - done / total))
            done += len(batch)
    return words, model.centre.weight.detach().numpy()


def cooccurrence(sentences, index: dict[str, int], window: int = 5) -> sparse.coo_matrix:
    """Symmetric co-occurrence counts within ``window``, each pair weighted by
    1/distance as in GloVe's reference code."""
    rows, cols, vals = [], [], []
    for sent in encode(sentences, index):
        for d in range(1, window + 1):
            a, b = sent[:-d], sent[d:]
            rows += [a, b]
            cols += [b, a]
            vals += [np.full(len(a), 1.0 / d)] * 2
    V = len(index)
    if not rows:
        return sparse.coo_matrix((V, V))
    X = sparse.coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(V, V)
    )
    return X.tocsr().tocoo()  # sums duplicates


class GloVe(nn.Module):
    def __init__(self, vocab_size: int, dim: int, x_max: float = 100.0, alpha: float = 0.75):
        super().__init__()
        self.w = nn.Embedding(vocab_size, dim)
        self.w_tilde = nn.Embedding(vocab_size, dim)
        self.b = nn.Embedding(vocab_size, 1)
        self.b_tilde = nn.Embedding(vocab_size, 1)
        for emb in (self.w, self.w_tilde):
            nn.init.uniform_(emb.weight, -0.5 / dim, 0.5 / dim)
        nn.init.zeros_(self.b.weight)
        nn.init.zeros_(self.b_tilde.weight)
        self.x_max, self.alpha = x_max, alpha

    def weight(self, x: torch.Tensor) -> torch.Tensor:
        return (x / self.x_max).pow(self.alpha).clamp(max=1.0)

    def loss(self, i: torch.Tensor, j: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        """Σ f(Xᵢⱼ) (wᵢ·w̃ⱼ + bᵢ + b̃ⱼ − log Xᵢⱼ)² over the given nonzero entries."""
        pred = (self.w(i) * self.w_tilde(j)).sum(-1) + self.b(i)[:, 0] + self.b_tilde(j)[:, 0]
        return (self.weight(x) * (pred - x.log()).pow(2)).sum()

    @torch.no_grad()
    def set_grads(self, i: torch.Tensor, j: torch.Tensor, x: torch.Tensor) -> float:
        """Write the gradient of :meth:`loss` into ``.grad``, worked out by hand:
        with e = f(Xᵢⱼ)(wᵢ·w̃ⱼ + bᵢ + b̃ⱼ − log Xᵢⱼ), ∂/∂wᵢ = 2e·w̃ⱼ, ∂/∂w̃ⱼ = 2e·wᵢ and
        ∂/∂bᵢ = ∂/∂b̃ⱼ = 2e, accumulated row by row with ``index_add_`` (much faster
        than autograd through ``nn.Embedding`` on a CPU). Returns :meth:`loss`."""
        wi, wj = self.w.weight[i], self.w_tilde.weight[j]
        pred = (wi * wj).sum(-1) + self.b.weight[i, 0] + self.b_tilde.weight[j, 0]
        fx, diff = self.weight(x), pred - x.log()
        e = 2 * fx * diff
        for emb, rows, grad in (
            (self.w, i, e[:, None] * wj),
            (self.w_tilde, j, e[:, None] * wi),
            (self.b, i, e[:, None]),
            (self.b_tilde, j, e[:, None]),
        ):
            emb.weight.grad = torch.zeros_like(emb.weight).index_add_(0, rows, grad)
        return float((fx * diff.pow(2)).sum())

    def vectors(self) -> np.ndarray:
        """w + w̃, as Pennington et al. recommend."""
        return (self.w.weight + self.w_tilde.weight).detach().numpy()


def train_glove(
    X: sparse.coo_matrix,
    dim: int = 100,
    epochs: int = 25,
    lr: float = 0.05,
    x_max: float = 100.0,
    batch_size: int = 65536,
    seed: int = 0,
) -> tuple[np.ndarray, list[float]]:
    """AdaGrad over shuffled minibatches of the nonzero entries, as the reference code.

    Returns the vectors (w + w̃) and the training curve: per epoch, the mean over the
    nonzero cells of f(Xᵢⱼ)(wᵢ·w̃ⱼ + bᵢ + b̃ⱼ − log Xᵢⱼ)², each cell's term taken just
    before the step that uses it (the reference code prints this "cost", halved)."""
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    model = GloVe(X.shape[0], dim, x_max=x_max)
    opt = torch.optim.Adagrad(model.parameters(), lr=lr)
    i, j = torch.from_numpy(X.row.astype(np.int64)), torch.from_numpy(X.col.astype(np.int64))
    x = torch.from_numpy(X.data.astype(np.float32))
    curve = []
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=g)
        total = 0.0
        for start in range(0, len(x), batch_size):
            b = order[start : start + batch_size]
            total += model.set_grads(i[b], j[b], x[b])
            opt.step()
        curve.append(total / max(1, len(x)))
    return model.vectors(), curve


def read_word_pairs(path: str) -> list[tuple[str, str, float]]:
    """Tab-separated (word, word, score) lines; ``#`` comments skipped."""
    pairs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            a, b, score = line.rstrip("\n").split("\t")[:3]
            pairs.append((a.lower(), b.lower(), float(score)))
    return pairs


def word_pair_spearman(
    words: list[str], vectors: np.ndarray, pairs: list[tuple[str, str, float]]
) -> tuple[float, float]:
    """Spearman ρ between cosine similarity and human score over the pairs whose two
    words are in the vocabulary; also returns the share of pairs left out."""
    index = {w: i for i, w in enumerate(words)}
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-12)
    sims, gold = [], []
    for a, b, score in pairs:
        if a in index and b in index:
            sims.append(float(unit[index[a]] @ unit[index[b]]))
            gold.append(score)
    if len(sims) < 3:
        return float("nan"), 1.0
    return float(spearmanr(sims, gold).statistic), 1 - len(sims) / len(pairs)


def spearman_jackknife(x, y) -> tuple[float, np.ndarray]:
    """Spearman ρ(x, y) and its leave-one-out values ρ₋ᵢ, all n of them in one pass.

    Deleting item i changes the others' average ranks by a known amount: −1 above it,
    −½ within its tie group, nothing below it. So each ρ₋ᵢ is the Pearson correlation of
    the adjusted ranks, and the n of them come from one [n, n] array instead of n calls
    to ``spearmanr`` (equal to them to rounding; a test checks)."""
    from scipy.stats import rankdata

    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    n = x.size
    rx, ry = rankdata(x), rankdata(y)
    rho = float(np.corrcoef(rx, ry)[0, 1])

    def adjusted(v, r):
        # [i, j]: rank of j once i is removed
        return r[None, :] - (v[None, :] > v[:, None]) - 0.5 * (v[None, :] == v[:, None])

    keep = ~np.eye(n, dtype=bool)
    ax = adjusted(x, rx)[keep].reshape(n, n - 1)
    ay = adjusted(y, ry)[keep].reshape(n, n - 1)
    ax -= ax.mean(1, keepdims=True)
    ay -= ay.mean(1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        loo = (ax * ay).sum(1) / np.sqrt((ax * ax).sum(1) * (ay * ay).sum(1))
    return rho, loo
