"""What BERT changes: bidirectional context through masked-language-model training.

A language model trained to predict the next word (GPT; Radford et al. 2018) may only
look left: its attention mask hides the future. ELMo (Peters et al. 2018) trains one
left-to-right and one right-to-left model and concatenates their states — both sides
are seen, but by separate networks that never combine them inside. BERT (Devlin et
al. 2019) hides some input words behind a [MASK] token and predicts them, so every
layer can attend to both sides at once.

First, exact and fast, the question in counts: on the shortened English Wikipedia
that ships with gensim, how often does the commonest word, the word that most often
follows the left neighbour, and the word that most often sits between the left and
right neighbours fill the hidden middle word of held-out text? Then three tiny
Transformer encoders of identical size — masked LM (bidirectional), left-to-right
LM, and right-to-left LM — the last two combined ELMo-style, on the same held-out
cloze. The masked LM always hides the scored (middle) position during training, as
the cloze does, and every model predicts about as many targets per step, so the
comparison is at equal supervision rather than at equal steps.

Sections, each prose → code → claims → answer: 1. the data and the question in counts;
2. three tiny encoders, one mask each; 3. ELMo-style: two one-way models concatenated;
4. contextual vectors in a real BERT-architecture encoder.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from deepfaq.core.claims import AtMost, Beats, Claim, Converged, Greater
from deepfaq.core.config import Range
from deepfaq.core.context import reseed_torch
from deepfaq.core.errors import BadConfig
from deepfaq.core.figures import PALETTE
from deepfaq.core.outputs import curve, items, metric, series
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import minilm, text
from deepfaq.experiments import kit

PAD, UNK, MASK = 0, 1, 2
LABELS = {
    "mlm": "masked LM (BERT)",
    "l2r": "left-to-right (GPT)",
    "elmo": "L2R ⊕ R2L (ELMo-style)",
    "r2l": "right-to-left",
}


@dataclass(frozen=True)
class Config:
    vocab: Annotated[int, Range(4, 100_000)] = 1000  # most frequent words; the rest: [UNK]
    window: Annotated[int, Range(3, 512)] = 9  # tokens per window; the cloze hides the middle
    dim: int = 48
    layers: int = 2
    heads: int = 2
    dropout: Annotated[float, Range(0, 0.9)] = 0.0  # in the Transformer layers
    # of the token and position embeddings (0: torch's N(0, 1))
    init_std: Annotated[float, Range(0, 2)] = 0.02
    # The recipe, chosen on tuning seeds (benchmarks/tuning/bert.md): AdamW, a linear
    # warm-up over `warmup` steps, then a constant rate, so a flat validation curve at the
    # end means the model stopped improving, not that its rate ran out.
    steps: int = 800  # AdamW steps per language model
    # windows per step of the one-directional LMs (window − 1 targets each); the masked LM
    # takes as many windows as it needs to predict about as many targets per step
    batch_size: int = 64
    lr: float = 3e-3
    warmup: Annotated[int, Range(0, 100_000)] = 40
    # BERT's rate, for the positions other than the middle (which is always masked)
    mask_rate: Annotated[float, Range(0, 1, open_lo=True)] = 0.15
    head_steps: int = 600  # training the ELMo-style head (Adam, `lr`) on frozen states
    head_windows: Annotated[int, Range(256, 1_000_000)] = 40_000  # windows of frozen states
    evals: Annotated[int, Range(5, 10_000)] = 25  # validation points per training curve
    val_windows: Annotated[int, Range(16, 100_000)] = 1500
    cloze_windows: Annotated[int, Range(16, 100_000)] = 6000  # held-out test windows
    minilm_probe: bool = True  # False skips the MiniLM part (for machines without it)

    def __post_init__(self):
        if self.dim % self.heads:
            raise BadConfig(f"heads ({self.heads}) must divide dim ({self.dim})")


PROFILES = {
    "smoke": Profile(
        Config(
            steps=20,
            warmup=5,
            head_steps=20,
            head_windows=500,
            evals=5,
            val_windows=200,
            cloze_windows=500,
            vocab=500,
        ),
        seeds=2,
    ),
    "quick": Profile(Config(), seeds=5),
    # 2.25 times the steps (the masked LM was still rising at the quick budget), 10 seeds
    "full": Profile(Config(steps=1800), seeds=10),
    # The full profile before 2026-12: windows of 15 words, a larger model (torch's default
    # embedding initialisation, dropout 0.1), 20,000 steps at a constant rate without
    # warm-up (the validation curve: 25 points).
    "paper": Profile(
        Config(
            window=15,
            steps=20000,
            head_steps=3000,
            evals=25,
            dim=128,
            layers=4,
            heads=4,
            vocab=5000,
            lr=1e-3,
            warmup=0,
            dropout=0.1,
            init_std=0.0,
        ),
        seeds=10,
    ),
}

# %% 1. The data and the question in counts
# The articles are split per seed: a tenth held out for the test, and of the rest the
# last twentieth of the articles for the validation curves. Test and validation windows
# are every window of those articles whose middle word is in the vocabulary (a random
# subset of them); training windows are cut at random places of the training articles,
# a fresh draw every step, so every training word is a middle word as often as any other.


@dataclass(frozen=True)
class ClozeData:
    vocab: dict[str, int]
    train_arts: list  # the training articles (token lists), for the count models
    stream: torch.Tensor  # the training articles' ids, one after another
    starts: torch.Tensor  # where a training window may start (it stays in one article)
    val: torch.Tensor  # [val_windows, window]
    test: torch.Tensor  # [cloze_windows, window]


def middle_windows(arts, vocab: dict[str, int], cfg: Config, n: int, rng) -> torch.Tensor:
    """``n`` windows (or all, if fewer) drawn from every window of ``arts`` whose middle
    word is in the vocabulary, in article order."""
    mid, rows = cfg.window // 2, []
    for a in arts:
        ids = np.array([vocab.get(w, UNK) for w in a], dtype=np.int64)
        if len(ids) >= cfg.window:
            w = np.lib.stride_tricks.sliding_window_view(ids, cfg.window)
            rows.append(w[w[:, mid] != UNK])
    rows = np.concatenate(rows) if rows else np.zeros((0, cfg.window), np.int64)
    keep = np.sort(rng.permutation(len(rows))[:n])
    return torch.from_numpy(rows[keep].copy())


def cloze_data(cfg: Config, seed: int) -> ClozeData:
    articles = list(text.wiki_articles())
    order = kit.rng(seed, "articles").permutation(len(articles))
    n_test, n_val = len(articles) // 10, max(1, len(articles) // 20)
    test_arts = [articles[i] for i in order[:n_test]]
    val_arts = [articles[i] for i in order[n_test : n_test + n_val]]
    train_arts = [articles[i] for i in order[n_test + n_val :]]
    counts = Counter(w for a in train_arts for w in a)
    vocab = {w: k + 3 for k, (w, _) in enumerate(counts.most_common(cfg.vocab - 3))}
    ids, starts, offset = [], [], 0
    for a in train_arts:
        ids += [vocab.get(w, UNK) for w in a]
        if len(a) >= cfg.window:
            starts.append(np.arange(offset, offset + len(a) - cfg.window + 1))
        offset += len(a)
    return ClozeData(
        vocab,
        train_arts,
        torch.tensor(ids, dtype=torch.long),
        torch.from_numpy(np.concatenate(starts)),
        middle_windows(val_arts, vocab, cfg, cfg.val_windows, kit.rng(seed, "val")),
        middle_windows(test_arts, vocab, cfg, cfg.cloze_windows, kit.rng(seed, "test")),
    )


def sample_windows(data: ClozeData, n: int, window: int, g: torch.Generator) -> torch.Tensor:
    """``n`` training windows cut at random places: [n, window]."""
    s = data.starts[torch.randint(0, len(data.starts), (n,), generator=g)]
    return data.stream[s[:, None] + torch.arange(window)]


def count_cloze(train_arts, vocab: dict[str, int], test: np.ndarray, cfg: Config) -> dict:
    """Exact count models of the middle word, fitted on the training articles and
    scored on every test window (1 if right, 0 if not, in window order): the word most
    common overall; the word that most often follows the left neighbour; most often
    precedes the right neighbour; most often sits between the two (backing off to the
    left-only guess for a pair never seen). [UNK] is never a guess; ties go to the
    commoner word id."""
    V = cfg.vocab
    seqs = [np.array([vocab.get(w, UNK) for w in a], dtype=np.int64) for a in train_arts]
    left = np.concatenate([s[:-2] for s in seqs])
    word = np.concatenate([s[1:-1] for s in seqs])
    right = np.concatenate([s[2:] for s in seqs])
    ok = word != UNK
    left, word, right = left[ok], word[ok], right[ok]

    def most_common_word(keys: np.ndarray, n_keys: int) -> np.ndarray:
        """For every context key, its commonest middle word (−1 if never seen)."""
        codes, counts = np.unique(keys * V + word, return_counts=True)
        k, w = codes // V, codes % V
        order = np.lexsort((w, -counts, k))  # per key: most counts first, then lower id
        k, w = k[order], w[order]
        first = np.r_[True, k[1:] != k[:-1]]
        table = np.full(n_keys, -1, dtype=np.int64)
        table[k[first]] = w[first]
        return table

    mid = cfg.window // 2
    tl, target, tr = test[:, mid - 1], test[:, mid], test[:, mid + 1]
    top = int(np.bincount(word, minlength=V).argmax())
    guess = {"unigram": np.full(len(target), top)}
    by_left = most_common_word(left, V)[tl]
    guess["left"] = np.where(by_left >= 0, by_left, top)
    by_right = most_common_word(right, V)[tr]
    guess["right"] = np.where(by_right >= 0, by_right, top)
    by_both = most_common_word(left * V + right, V * V)[tl * V + tr]
    guess["leftright"] = np.where(by_both >= 0, by_both, guess["left"])
    return {name: (g == target).astype(float) for name, g in guess.items()}


def count_facts(data: ClozeData, cfg: Config) -> dict:
    right = count_cloze(data.train_arts, data.vocab, data.test.numpy(), cfg)
    return {
        "cloze_windows": float(len(data.test)),
        "train_tokens": float(len(data.stream)),
        "cloze_count_unigram_items": right["unigram"].tolist(),
        "cloze_count_left_items": right["left"].tolist(),
        "cloze_count_right_items": right["right"].tolist(),
        "cloze_count_leftright_items": right["leftright"].tolist(),
        "cloze_count_unigram": float(right["unigram"].mean()),
        "cloze_count_left": float(right["left"].mean()),
        "cloze_count_right": float(right["right"].mean()),
        "cloze_count_leftright": float(right["leftright"].mean()),
    }


OUTPUTS_COUNTS = (
    metric("cloze_windows", "held-out test windows (middle word in the vocabulary)", "windows"),
    metric("train_tokens", "words of training text", "words"),
    *(
        o
        for name, what in (
            ("unigram", "always the commonest word"),
            ("left", "the word that most often follows the left neighbour"),
            ("right", "the word that most often precedes the right neighbour"),
            ("leftright", "the word that most often sits between the two neighbours"),
        )
        for o in (
            items(
                f"cloze_count_{name}_items",
                f"whether guessing {what} filled each held-out window's middle word",
                "%",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
            metric(
                f"cloze_count_{name}",
                f"the held-out cloze accuracy of guessing {what}",
                "%",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
        )
    ),
)

DEVLIN = "Devlin et al. 2019"
#: The smallest difference in cloze accuracy worth reporting: 2 points (a fiftieth of the
#: hidden words; the commonest word alone fills about an eighth).
MARGIN = 0.02
#: Items of the count claim: a window is right or wrong for each guess, and the paired
#: difference is nonzero only where exactly one of the two guesses is right; planned at
#: a spread of 0.5 (they disagree on a quarter of the windows), the guard needs 4,900
#: windows to resolve the 2-point margin.
COUNT_SD = 0.5

CLAIMS_COUNTS = (
    Claim(
        "count-both-sides-beat-left",
        "Counting alone, the word that most often sits between the left and right"
        " neighbours fills the hidden middle word more often than the word that most often"
        " follows the left neighbour (by more than 2 points).",
        Greater("cloze_count_leftright_items", "cloze_count_left_items", margin=MARGIN),
        expected="supported",
        source="the argument of " + DEVLIN + ", §1",
        kind="empirical",
        unit="points",
        replication="items",
        # Exact counts: nothing is trained, so no convergence to wait for; the
        # interval is over test windows, and needs enough of them.
        preconditions=(kit.enough_items("cloze_count_leftright_items", MARGIN, COUNT_SD),),
    ),
)

ANSWER_COUNTS = """
**Why both sides? First in counts.** Hide the middle word of a window of held-out Wikipedia
text and guess it from counts in the training articles ({{ num(m.cloze_windows) }} test
windows; the interval is over windows):

| guess | right |
|---|---|
| always the commonest word | {{ pct(m.cloze_count_unigram) }} |
| the word that most often follows the left neighbour | {{ pct(m.cloze_count_left) }} |
| the word that most often precedes the right neighbour | {{ pct(m.cloze_count_right) }} |
| the word that most often sits between the two | {{ pct(m.cloze_count_leftright) }} |

{% if v["count-both-sides-beat-left"] == "supported" %}One neighbour on each side beats
one on the left by more than 2 points: a word's identity is constrained by what follows it
as much as by what precedes it ("the ___ of water" — the next words decide). That is the
whole case for bidirectional context, before any network is trained.
{% elif v["count-both-sides-beat-left"] == "refuted" %}Here one neighbour on each side did
**not** beat one on the left by 2 points: pairs of neighbours are too rare in this small
corpus for their counts to help much, so the count model mostly backs off to the left word.
{% else %}Whether one neighbour on each side beats one on the left by 2 points was not
decided: {{ c["count-both-sides-beat-left"].reason or "see the claims table" }}.{% endif %}
"""

# %% 2. Three tiny encoders, one mask each
# The same Transformer encoder three times; only the attention mask and the training
# target differ. Each step every model predicts about as many words: the one-way models
# every next (or previous) word of `batch_size` windows, the masked LM the middle word
# and `mask_rate` of the others of as many windows as that takes.


def attention_mask(kind: str, n: int) -> torch.Tensor:
    """Boolean [n, n] mask, True where position i may NOT attend to position j:
    nothing hidden for ``bidirectional``, the future for ``l2r``, the past for ``r2l``."""
    future = torch.triu(torch.ones(n, n, dtype=torch.bool), 1)
    if kind == "bidirectional":
        return torch.zeros(n, n, dtype=torch.bool)
    if kind == "l2r":
        return future
    if kind == "r2l":
        return future.T
    raise ValueError(f"unknown attention kind {kind!r}")


class TinyEncoder(nn.Module):
    """Token + position embeddings, pre-norm Transformer layers, tied output softmax with
    its own bias (as BERT's). Embeddings start small (std ``init_std``, GPT-2's 0.02): the
    softmax is tied to them, and torch's default N(0, 1) would start it with logits of
    size √dim, sharply peaked on random words."""

    def __init__(self, cfg: Config, kind: str):
        super().__init__()
        self.kind = kind
        self.tok = nn.Embedding(cfg.vocab, cfg.dim)
        self.pos = nn.Embedding(cfg.window, cfg.dim)
        if cfg.init_std:
            nn.init.normal_(self.tok.weight, std=cfg.init_std)
            nn.init.normal_(self.pos.weight, std=cfg.init_std)
        self.bias = nn.Parameter(torch.zeros(cfg.vocab))
        layer = nn.TransformerEncoderLayer(
            cfg.dim,
            cfg.heads,
            2 * cfg.dim,
            dropout=cfg.dropout,
            batch_first=True,
            norm_first=True,
        )
        self.body = nn.TransformerEncoder(layer, cfg.layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(cfg.dim)
        self.register_buffer("mask", attention_mask(kind, cfg.window), persistent=False)

    def states(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.tok(ids) + self.pos(torch.arange(ids.shape[1], device=ids.device))
        n = ids.shape[1]
        return self.norm(self.body(x, mask=self.mask[:n, :n]))

    def logits(self, h: torch.Tensor) -> torch.Tensor:
        return h @ self.tok.weight.T + self.bias


def mlm_batch(x: torch.Tensor, cfg: Config, g: torch.Generator, always: int | None = None):
    """BERT's corruption: choose mask_rate of the positions; of those 80% become [MASK],
    10% a random word, 10% stay. Position ``always`` (training uses the middle, the
    one the cloze scores) is always chosen and always [MASK], as at test time.
    Returns inputs and targets (−100 where not chosen)."""
    chosen = torch.rand(x.shape, generator=g) < cfg.mask_rate
    r = torch.rand(x.shape, generator=g)
    if always is not None:
        r[:, always], chosen[:, always] = 0.0, True
    inp = x.clone()
    inp[chosen & (r < 0.8)] = MASK
    rand_pos = chosen & (r >= 0.8) & (r < 0.9)
    inp[rand_pos] = torch.randint(3, cfg.vocab, (int(rand_pos.sum()),), generator=g)
    return inp, torch.where(chosen, x, torch.full_like(x, -100))


def mlm_windows_per_step(cfg: Config) -> int:
    """Windows per masked-LM step so that it predicts about as many targets per step
    as a one-directional LM does from ``batch_size`` windows (window − 1 each): the
    masked LM predicts 1 + mask_rate · (window − 1) per window."""
    per_window = 1 + cfg.mask_rate * (cfg.window - 1)
    return max(1, round(cfg.batch_size * (cfg.window - 1) / per_window))


def lm_loss(model: TinyEncoder, x: torch.Tensor, cfg: Config, g) -> torch.Tensor:
    """The training loss of one batch of windows ``x``: the masked words (masked LM), each
    next word (l2r) or each previous word (r2l); no credit for guessing [UNK]."""
    dev = next(model.parameters()).device
    if model.kind == "bidirectional":
        inp, target = mlm_batch(x, cfg, g, always=cfg.window // 2)
        inp, target = inp.to(dev), target.to(dev)
        chosen = target != -100  # the softmax only where there is something to predict
        logits, target = model.logits(model.states(inp)[chosen]), target[chosen]
    elif model.kind == "l2r":  # position t predicts token t + 1
        x = x.to(dev)
        logits, target = model.logits(model.states(x))[:, :-1], x[:, 1:]
    else:  # r2l: position t predicts token t − 1
        x = x.to(dev)
        logits, target = model.logits(model.states(x))[:, 1:], x[:, :-1]
    target = target.masked_fill(target == UNK, -100)
    return F.cross_entropy(
        logits.reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=-100
    )


def eval_steps(steps: int, evals: int) -> list[int]:
    """The steps after which a curve is measured: ``evals`` of them, evenly spaced, the
    last at the end of training."""
    return sorted({max(1, round(steps * (k + 1) / evals)) for k in range(evals)})


def warmup_then_constant(opt, lr: float, warmup: int):
    """A linear warm-up over ``warmup`` steps, then the constant rate ``lr``."""
    return torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: min(1.0, (step + 1) / warmup) if warmup else 1.0
    )


def train_lm(model: TinyEncoder, data: ClozeData, cfg: Config, g, score) -> list[float]:
    """AdamW on fresh random windows every step; ``score(model)``, the validation cloze
    accuracy, at each of :func:`eval_steps`. Returns the curve."""
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, foreach=True)
    schedule = warmup_then_constant(opt, cfg.lr, cfg.warmup)
    n = mlm_windows_per_step(cfg) if model.kind == "bidirectional" else cfg.batch_size
    at, curve_ = set(eval_steps(cfg.steps, cfg.evals)), []
    for step in range(1, cfg.steps + 1):
        model.train()
        loss = lm_loss(model, sample_windows(data, n, cfg.window, g), cfg, g)
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()
        if step in at:
            curve_.append(score(model))
    return curve_


@torch.no_grad()
def cloze_features(model: TinyEncoder, x: torch.Tensor, mid: int) -> torch.Tensor:
    """The state a model uses to guess the middle word: the [MASK]ed position itself
    (bidirectional), the word before it (l2r) or after it (r2l)."""
    model.eval()
    x = x.to(next(model.parameters()).device)
    if model.kind == "bidirectional":
        inp = x.clone()
        inp[:, mid] = MASK
        return model.states(inp)[:, mid]
    if model.kind == "l2r":
        return model.states(x[:, :mid])[:, -1]
    return model.states(x)[:, mid + 1]  # the r2l mask keeps it from seeing the middle


def accuracy(logits: torch.Tensor, target: torch.Tensor) -> float:
    """Share of windows whose middle word is the top guess among real words
    ([PAD], [UNK] and [MASK] are never a guess)."""
    guess = logits[:, 3:].argmax(-1) + 3
    return float((guess == target.to(guess.device)).float().mean())


@torch.no_grad()
def cloze_accuracy(model: TinyEncoder, x: torch.Tensor, mid: int) -> float:
    """The cloze accuracy of ``model`` on the windows ``x``, in chunks."""
    right = 0.0
    for chunk in x.split(2000):
        right += accuracy(model.logits(cloze_features(model, chunk, mid)), chunk[:, mid]) * len(
            chunk
        )
    return right / max(1, len(x))


def lm_facts(cfg: Config, seed: int, data: ClozeData, ctx, stages) -> tuple[dict, dict]:
    """Train the three encoders; each one's test cloze accuracy and validation curve."""
    mid, out, models = cfg.window // 2, {}, {}
    g = kit.generator(seed, "windows")
    for name, kind in (("mlm", "bidirectional"), ("l2r", "l2r"), ("r2l", "r2l")):
        reseed_torch(kit.generator(seed, f"init/{name}"))
        models[name] = TinyEncoder(cfg, kind).to(ctx.device)
        out[f"curve_{name}"] = train_lm(
            models[name], data, cfg, g, lambda m: cloze_accuracy(m, data.val, mid)
        )
        out[f"cloze_{name}"] = cloze_accuracy(models[name], data.test, mid)
        stages.done(name)
    out["targets_per_step"] = float(cfg.batch_size * (cfg.window - 1))
    out["curve_steps"] = [float(s) for s in eval_steps(cfg.steps, cfg.evals)]
    return models, out


OUTPUTS_LM = (
    metric("targets_per_step", "words each model predicts per training step", "words"),
    series("curve_steps", "the training steps after which the validation curves were measured"),
    *(
        o
        for name in ("mlm", "l2r", "r2l")
        for o in (
            metric(
                f"cloze_{name}",
                f"the {LABELS[name]}'s held-out cloze accuracy (middle word)",
                "%",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
            curve(
                f"curve_{name}",
                f"the {LABELS[name]}'s validation cloze accuracy during training",
                "%",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
        )
    ),
)

#: A model has learned when it fills the middle word at least 2 points more often than
#: always guessing the commonest word.
LEARNED = 0.02
#: Convergence: a validation cloze curve changed by at most half the margin, either way,
#: over the last fifth of training (same quantity and unit as the margin).
LEVEL = MARGIN / 2


def learned(name: str) -> Beats:
    return Beats(
        f"cloze_{name}",
        "cloze_count_unigram",
        margin=LEARNED,
        baseline_name="always the commonest word",
    )


CLAIMS_LM = (
    Claim(
        "bidirectional-beats-left",
        "Seeing both sides, the masked LM fills the hidden middle word more often than the"
        " left-to-right LM, which sees only the words before it (by more than 2 points),"
        " each trained {cfg.steps} steps on as many predicted words per step.",
        Greater("cloze_mlm", "cloze_l2r", margin=MARGIN),
        expected="supported",
        source=DEVLIN + ", Table 5",
        kind="empirical",
        unit="points",
        preconditions=(
            learned("mlm"),
            Converged("curve_mlm", LEVEL, favours="supported"),
            learned("l2r"),
            Converged("curve_l2r", LEVEL, favours="refuted"),
        ),
    ),
)

ANSWER_LM = """
**The neural experiment.** Three Transformer encoders of the same size ({{ cfg.layers }}
layers, width {{ cfg.dim }}, {{ cfg.heads }} heads, a {{ num(cfg.vocab) }}-word vocabulary),
trained for {{ num(cfg.steps) }} steps each on windows of {{ cfg.window }} words cut at random
places of {{ num(m.train_tokens) }} words of Wikipedia; they differ only in the attention mask
(first figure) and the training target. The masked LM always hides the middle position — the
one the cloze scores — and, as BERT does, {{ pct(cfg.mask_rate) }} of the others; since that
is only a few targets per window, it reads more windows per step, so that every model
predicts about {{ num(m.targets_per_step) }} words per step: equal supervision, not equal
steps. Test: the same held-out windows, middle word hidden.

| model | cloze accuracy |
|---|---|
| masked LM, bidirectional (BERT) | {{ pct(m.cloze_mlm) }} |
| left-to-right ⊕ right-to-left (ELMo-style) | {{ pct(m.cloze_elmo) }} |
| left-to-right (GPT) | {{ pct(m.cloze_l2r) }} |
| right-to-left alone | {{ pct(m.cloze_r2l) }} |
| always the most common word | {{ pct(m.cloze_count_unigram) }} |
| the count model with one neighbour on each side | {{ pct(m.cloze_count_leftright) }} |

Each ordering below is decided only when both models beat always guessing the commonest
word by 2 points and the validation curves that could still change it (windows held out
of the training text) have levelled off. Bidirectional beats left-only:
**{{ v["bidirectional-beats-left"] }}**{% if v["bidirectional-beats-left"] == "supported" %}
({{ with_unit(c["bidirectional-beats-left"].estimate, "points") }}){% elif
v["bidirectional-beats-left"] == "inconclusive" %} ({{ c["bidirectional-beats-left"].reason
}}){% endif %}.
"""

# %% 3. ELMo-style: two one-way models, concatenated
# The left-to-right and right-to-left models are frozen; a softmax over the vocabulary is
# trained on their concatenated states at the middle position (each side's state is the
# one next to the hidden word). The states of a fixed set of training windows are computed
# once, so the head trains in seconds.


@torch.no_grad()
def both_sides(models: dict, x: torch.Tensor, mid: int) -> torch.Tensor:
    """The frozen l2r and r2l states next to the middle word, concatenated: [n, 2·dim]."""
    return torch.cat(
        [
            torch.cat([cloze_features(models[k], c, mid) for c in x.split(2000)])
            for k in ("l2r", "r2l")
        ],
        1,
    )


def elmo_facts(cfg: Config, seed: int, data: ClozeData, models: dict, ctx) -> dict:
    """Train the ELMo-style head on cached frozen states; its validation curve and test
    cloze accuracy."""
    mid, dev = cfg.window // 2, ctx.device
    g = kit.generator(seed, "elmo")
    x = sample_windows(data, cfg.head_windows, cfg.window, g)
    x = x[x[:, mid] != UNK]
    feats, target = both_sides(models, x, mid), x[:, mid].to(dev)
    val_feats, val_target = both_sides(models, data.val, mid), data.val[:, mid]
    reseed_torch(kit.generator(seed, "init/elmo"))
    head = nn.Linear(2 * cfg.dim, cfg.vocab).to(dev)
    opt = torch.optim.Adam(head.parameters(), lr=cfg.lr, foreach=True)
    at, curve_ = set(eval_steps(cfg.head_steps, cfg.evals)), []
    for step in range(1, cfg.head_steps + 1):
        idx = torch.randint(0, len(feats), (4 * cfg.batch_size,), generator=g)
        loss = F.cross_entropy(head(feats[idx]), target[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step in at:
            with torch.no_grad():
                curve_.append(accuracy(head(val_feats), val_target))
    with torch.no_grad():
        test = accuracy(head(both_sides(models, data.test, mid)), data.test[:, mid])
    return {
        "curve_elmo": curve_,
        "cloze_elmo": test,
        "head_curve_steps": [float(s) for s in eval_steps(cfg.head_steps, cfg.evals)],
    }


OUTPUTS_ELMO = (
    metric(
        "cloze_elmo",
        f"the {LABELS['elmo']}'s held-out cloze accuracy (middle word)",
        "%",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    curve(
        "curve_elmo",
        f"the {LABELS['elmo']} head's validation cloze accuracy during its training",
        "%",
        x="head training step",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    series("head_curve_steps", "the head's training steps at which its curve was measured"),
)

CLAIMS_ELMO = (
    Claim(
        "elmo-beats-left",
        "Concatenating a left-to-right and a right-to-left model (ELMo-style) beats"
        " left-to-right alone (by more than 2 points).",
        Greater("cloze_elmo", "cloze_l2r", margin=MARGIN),
        expected="supported",
        source=DEVLIN + ", Table 5",
        kind="empirical",
        unit="points",
        preconditions=(
            learned("elmo"),
            Converged("curve_elmo", LEVEL, favours="supported"),
            Converged("curve_r2l", LEVEL, favours="supported"),
            learned("l2r"),
            # the left-to-right model is in both arms: its progress could go either way
            Converged("curve_l2r", LEVEL),
        ),
    ),
    Claim(
        "mlm-beats-elmo",
        "…but a single bidirectional model beats the concatenation of two one-directional"
        " ones (by more than 2 points).",
        Greater("cloze_mlm", "cloze_elmo", margin=MARGIN),
        expected="supported",
        source=DEVLIN + ", Table 5",
        kind="empirical",
        unit="points",
        preconditions=(
            learned("mlm"),
            Converged("curve_mlm", LEVEL, favours="supported"),
            learned("elmo"),
            Converged("curve_elmo", LEVEL, favours="refuted"),
            Converged("curve_l2r", LEVEL, favours="refuted"),
            Converged("curve_r2l", LEVEL, favours="refuted"),
        ),
    ),
)

ANSWER_ELMO = """
The two-model concatenation beats left-only: **{{ v["elmo-beats-left"] }}**; one
bidirectional model beats the concatenation: **{{ v["mlm-beats-elmo"] }}** (each by more
than 2 points).
{% for id in ["elmo-beats-left", "mlm-beats-elmo"] %}{% if v[id] == "inconclusive" %}
*{{ id }}*: {{ c[id].reason }}.{% endif %}{% endfor %}
ELMo gets both sides, but each of its networks builds its representation from one side
only; BERT's layers mix the two at every step: Devlin et al.'s (2019, masked-LM section)
reason to expect a deep bidirectional model to be "strictly more powerful" than a shallow
concatenation.
{% if v["mlm-beats-elmo"] == "refuted" %}Here the concatenation was not beaten by 2 points.
Note what was compared: two encoders, each the size of the masked LM, so twice its
parameters and its compute per word, a cost Devlin et al. (2019, ablations) count against
the concatenation; at equal total size the comparison may come out otherwise (not tested
here).{% endif %}
{% set orderings = [v["bidirectional-beats-left"], v["elmo-beats-left"], v["mlm-beats-elmo"]] %}
{% if "refuted" in orderings %}
Where an ordering came out refuted, both models had learned and levelled off, and the
expected winner was not ahead by 2 points: at this model size and budget the design choice
did not pay on the cloze, whatever it does at BERT's scale.
{% endif %}
On pre-training speed, Devlin et al. (2019, appendix C.1, Figure 5) report that the masked
LM "does converge slightly slower" than a left-to-right model, since it predicts only a
fraction of the words in each batch, but that in fine-tuned MNLI accuracy it "begins to
outperform the LTR model almost immediately" — a statement about downstream accuracy at
BERT's scale, not about our cloze.

Devlin et al. (2019, Table 5) measured the same design choice on downstream tasks:
BERT-base reached {{ pct(a["mnli-bert"].value) }} on MNLI and {{ pct(a["squad-bert"].value) }}
F1 on SQuAD; a left-to-right model without next-sentence prediction
{{ pct(a["mnli-l2r"].value) }} and {{ pct(a["squad-l2r"].value) }}; adding a BiLSTM on top
of it {{ pct(a["mnli-l2r-bilstm"].value) }} and {{ pct(a["squad-l2r-bilstm"].value) }}.
Their numbers are fine-tuned task scores, ours cloze accuracies of tiny models — compare the
ordering, not the values.
"""

# %% 4. Contextual vectors in a real BERT-architecture encoder
# The same word in two senses, through the bundled MiniLM: its contextual vector moves
# with the sentence. A fixed model on fixed sentences: the seed changes nothing, so the
# claim's interval is over the words.

#: Polysemous words, each a single word-piece, in two sentences with clearly different senses.
SENSE_PAIRS = {
    "bank": ("i deposited the cheque at the bank", "we had a picnic on the river bank"),
    "bat": ("the bat flew out of the cave", "he swung the bat at the ball"),
    "bark": ("the dog began to bark at the mailman", "the bark of the old oak tree was rough"),
    "spring": ("the flowers bloom in the spring", "a metal spring pushed the lid open"),
    "match": ("she lit the candle with a match", "our team won the football match"),
    "crane": ("a crane lifted the steel beams", "a crane waded through the shallow marsh"),
    "pitch": ("the singer hit every pitch perfectly", "the players ran onto the pitch"),
    "plant": ("she watered the plant on the windowsill", "the power plant employs many workers"),
    "seal": ("a seal swam near the rocks", "break the seal before opening the jar"),
    "bow": ("she tied a bow in her hair", "the archer drew his bow"),
    "mouse": ("the cat chased a mouse across the kitchen", "click the left button of the mouse"),
    "letter": ("she mailed a letter to her aunt", "the word starts with the letter b"),
    "fan": ("turn on the ceiling fan", "every fan in the stadium cheered"),
    "ring": ("he gave her a diamond ring", "the boxers stepped into the ring"),
    "trunk": ("the elephant lifted its trunk", "put the suitcase in the trunk of the car"),
    "club": ("he swung the golf club", "they danced all night at the club"),
    "palm": ("she read the lines on his palm", "a palm tree swayed on the beach"),
    "scale": ("the fish had one shiny scale", "weigh the flour on the kitchen scale"),
    "jam": ("we were stuck in a traffic jam", "spread the strawberry jam on toast"),
    "nail": ("he hammered the nail into the wall", "she painted her nail bright red"),
    "wave": ("a huge wave crashed on the shore", "she gave a friendly wave from the window"),
    "date": ("write the date at the top of the page", "he ate a sweet date from the market"),
    "organ": ("the heart is a vital organ", "she played the organ in the church"),
    "rock": ("he sat on a large rock", "they listened to loud rock music"),
}
#: The claim's resolution: 0.1, the gap between its bound (0.9) and a static word vector's
#: cosine (1). A word's cosine between two senses is planned to vary by 0.15 from word to
#: word: the guard needs 18 words.
SENSE_RESOLUTION, SENSE_SD = 0.1, 0.15


@lru_cache(maxsize=2)
def sense_cosines(device: str) -> tuple[float, ...]:
    """One cosine per word of SENSE_PAIRS, in its order: a fixed model on fixed
    sentences, so computed once per process."""
    sims = []
    for word, (a, b) in SENSE_PAIRS.items():
        va, vb = (minilm.word_vector(s, word, device) for s in (a, b))
        sims.append(float(va @ vb / (np.linalg.norm(va) * np.linalg.norm(vb))))
    return tuple(sims)


def minilm_facts(cfg: Config, device: str) -> dict:
    if not cfg.minilm_probe:
        return {"minilm_same_word_cos": float("nan"), "minilm_same_word_cos_items": []}
    sims = list(sense_cosines(device))
    return {"minilm_same_word_cos_items": sims, "minilm_same_word_cos": float(np.mean(sims))}


OUTPUTS_MINILM = (
    items(
        "minilm_same_word_cos_items",
        "the cosine between MiniLM's vectors of each polysemous word in its two senses",
        bounds=(-1, 1),
    ),
    metric(
        "minilm_same_word_cos",
        "the mean cosine between MiniLM's vectors of a word in two senses",
        bounds=(-1, 1),
    ),
)

CLAIMS_MINILM = (
    Claim(
        "contextual-vectors-move",
        "In MiniLM (a BERT-architecture encoder) the same word gets different vectors in"
        " different senses: mean cosine over polysemous words below 0.9.",
        AtMost("minilm_same_word_cos_items", 0.9),
        expected="supported",
        source=DEVLIN,
        kind="empirical",
        unit="",
        replication="items",
        preconditions=(kit.enough_items("minilm_same_word_cos_items", SENSE_RESOLUTION, SENSE_SD),),
    ),
)

ANSWER_MINILM = """
**Contextual vectors.** In the bundled MiniLM, {{ c["contextual-vectors-move"].n }}
polysemous words ("bank" for a cheque and a river, "bat" in a cave and at a ball, …) each
got one vector per sense; the cosine between the two, averaged over the words, was
{{ num(m.minilm_same_word_cos) }} ({{ v["contextual-vectors-move"] }} against the claim's
bound; the interval is over the words).
{% if v["contextual-vectors-move"] == "supported" %}The vector of a word is a function of
its sentence; a static embedding would give cosine 1.{% endif %}
"""

# %% The trial


def trial(cfg: Config, seed: int, ctx) -> dict:
    stages = kit.Stages(ctx, data=1, mlm=6, l2r=2, r2l=2, elmo=1, minilm=1)
    data = cloze_data(cfg, seed)
    out = count_facts(data, cfg)
    stages.done("data")
    models, lm = lm_facts(cfg, seed, data, ctx, stages)
    out.update(lm)
    out.update(elmo_facts(cfg, seed, data, models, ctx))
    stages.done("elmo")
    out.update(minilm_facts(cfg, ctx.device))
    stages.done("minilm")
    return out


CLAIMS = CLAIMS_COUNTS + CLAIMS_LM + CLAIMS_ELMO + CLAIMS_MINILM
OUTPUTS = OUTPUTS_COUNTS + OUTPUTS_LM + OUTPUTS_ELMO + OUTPUTS_MINILM
ANSWER = ANSWER_COUNTS + ANSWER_LM + ANSWER_ELMO + ANSWER_MINILM

# %% Figures


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, band, bars, color, level

    M, S = result.metrics, result.series
    fig, axes = new_figure("attention-masks", ncols=4, figsize=(11, 3))
    n = result.config["window"]
    panels = [
        ("bidirectional", "BERT: every word sees every word"),
        ("l2r", "GPT: left context only"),
        ("r2l", "ELMo's second model: right only"),
    ]
    for ax, (kind, title) in zip(axes[0], panels, strict=False):
        ax.imshow(~attention_mask(kind, n).numpy(), cmap="Greens", vmin=0, vmax=1.5)
        ax.set_title(title, fontsize=8)
        ax.set_xlabel("attends to position", fontsize=7)
    l2r, r2l = ~attention_mask("l2r", n).numpy(), ~attention_mask("r2l", n).numpy()
    axes[0, 3].imshow(np.hstack([l2r, np.zeros((n, 1)), r2l]), cmap="Greens", vmin=0, vmax=1.5)
    axes[0, 3].set_title("ELMo: two separate models, concatenated", fontsize=8)
    for ax in axes[0]:
        ax.set_xticks([])
        ax.set_yticks([])

    fig, ax = new_figure("count-cloze")
    names = ("unigram", "left", "right", "leftright")
    labels = ("commonest word", "left word", "right word", "left + right words")
    # the count model's context matches the objective's: left as GPT, right as R2L, both as BERT
    bars(
        ax,
        labels,
        [[100 * v for v in M[f"cloze_count_{k}"]] for k in names],
        bounds=(0, 100),
        label="count model",
        color=[REFERENCE, color(LABELS["l2r"]), color(LABELS["r2l"]), color(LABELS["mlm"])],
    )
    ax.tick_params(axis="x", labelsize=8)
    ax.set_ylabel("held-out cloze accuracy, %")

    fig, ax = new_figure("cloze-during-training", figsize=(6.4, 4.2))
    steps = S["curve_steps"][0]
    for name in ("mlm", "l2r", "r2l"):
        c = 100 * np.asarray(S[f"curve_{name}"], dtype=float)
        band(ax, steps, c, label=LABELS[name], color=color(LABELS[name]), bounds=(0, 100))
    level(
        ax,
        [100 * v for v in M["cloze_elmo"]],
        color=color(LABELS["elmo"]),
        ls="--",
        label=LABELS["elmo"] + " (final, test)",
        bounds=(0, 100),
    )
    level(
        ax,
        [100 * v for v in M["cloze_count_unigram"]],
        color=REFERENCE,
        ls=":",
        label="always the commonest word",
        bounds=(0, 100),
    )
    ax.set_xlabel("training step")
    ax.set_ylabel("validation cloze accuracy, %")
    ax.set_title("Filling the hidden middle word", fontsize=9)
    ax.legend(fontsize=7)


TABLE5_NOTE = (
    "an ordering anchor, not comparable in value: fine-tuned downstream scores of"
    " BERT-base-size models, where ours are cloze accuracies of tiny models"
)

QUESTION = Question(
    id="bert",
    topic="Language and text",
    paraphrases=(
        "What does BERT change compared with GPT and ELMo?",
        "masked language modelling versus next word prediction",
        "why is bidirectional context better for pretraining",
        "difference between elmo and bert",
    ),
    title="What BERT changes",
    asked="What does BERT change compared with GPT and ELMo?",
    config=Config,
    profiles=PROFILES,
    trial=trial,
    claims=CLAIMS,
    outputs=OUTPUTS,
    figures=figures,
    answer=ANSWER,
    colors={
        "masked LM (BERT)": PALETTE[0],
        "left-to-right (GPT)": PALETTE[1],
        "right-to-left": PALETTE[5],
        "L2R ⊕ R2L (ELMo-style)": PALETTE[3],
    },
    key_claims=(
        "count-both-sides-beat-left",
        "bidirectional-beats-left",
        "elmo-beats-left",
        "mlm-beats-elmo",
        "contextual-vectors-move",
    ),
    one_line=(
        "BERT trains one model to fill in hidden words from both sides at once (a masked"
        " language model), where GPT predicts the next word from the left only and ELMo"
        " joins two one-way models"
        '{% if v["bidirectional-beats-left"] == "supported" %}: on our held-out cloze the'
        " masked LM beat the left-to-right model by more than 2 points"
        '{% if v["mlm-beats-elmo"] == "supported" %} and the ELMo-style pair too'
        '{% elif v["mlm-beats-elmo"] == "refuted" %}, but not the ELMo-style pair, which'
        " has two encoders to its one{% endif %}"
        '{% elif v["bidirectional-beats-left"] == "refuted" %}, yet on our held-out cloze'
        " the masked LM did not beat the left-to-right model by more than 2 points"
        "{% else %}; whether the masked LM fills a hidden word better than the"
        " left-to-right model is not decided at this budget{% endif %}."
    ),
    anchors=(
        Anchor(
            "BERT-base, MNLI accuracy",
            "84.4",
            DEVLIN + ", Table 5",
            key="mnli-bert",
            value=0.844,
            unit="%",
            note=TABLE5_NOTE,
        ),
        Anchor(
            "BERT-base, SQuAD F1",
            "88.5",
            DEVLIN + ", Table 5",
            key="squad-bert",
            value=0.885,
            unit="%",
            note=TABLE5_NOTE,
        ),
        Anchor(
            "left-to-right, no NSP, MNLI accuracy",
            "82.1",
            DEVLIN + ", Table 5",
            key="mnli-l2r",
            value=0.821,
            unit="%",
            note=TABLE5_NOTE,
        ),
        Anchor(
            "left-to-right, no NSP, SQuAD F1",
            "77.8",
            DEVLIN + ", Table 5",
            key="squad-l2r",
            value=0.778,
            unit="%",
            note=TABLE5_NOTE,
        ),
        Anchor(
            "left-to-right + BiLSTM, MNLI accuracy",
            "82.1",
            DEVLIN + ", Table 5",
            key="mnli-l2r-bilstm",
            value=0.821,
            unit="%",
            note=TABLE5_NOTE,
        ),
        Anchor(
            "left-to-right + BiLSTM, SQuAD F1",
            "84.9",
            DEVLIN + ", Table 5",
            key="squad-l2r-bilstm",
            value=0.849,
            unit="%",
            note=TABLE5_NOTE,
        ),
    ),
    references=(
        "Devlin, Chang, Lee & Toutanova (2019). BERT: pre-training of deep bidirectional"
        " transformers for language understanding. NAACL.",
        "Peters et al. (2018). Deep contextualized word representations. NAACL.",
        "Radford, Narasimhan, Salimans & Sutskever (2018). Improving language understanding"
        " by generative pre-training. OpenAI.",
        "Vaswani et al. (2017). Attention is all you need. NeurIPS.",
    ),
)
