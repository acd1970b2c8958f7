"""LSTM or GRU?

Both are gated recurrent networks: gates computed from the input and the previous
state decide how much of the old state to keep and how much new content to write,
which lets gradients survive many time steps. The LSTM (Hochreiter & Schmidhuber
1997) keeps a separate cell state and uses three gates plus a candidate; the GRU
(Cho et al. 2014) merges cell and hidden state and uses two gates plus a
candidate: three weight blocks instead of four.

We check the parameter count exactly, time training steps of torch's fused
``nn.LSTM`` and ``nn.GRU`` on this machine over widths 32–512, and train our own
LSTM and GRU (:mod:`deepfaq.nn.ensemble`: torch's gate equations and parameter
layout, every seed of a batch side by side) on three kinds of task: MNIST-1D read
one value per step (40 steps), the adding problem (Hochreiter & Schmidhuber 1997)
at a short and a long length, and character-level language modelling on Lee's
news corpus — at equal width and, for the GRU, also at the LSTM's parameter
count. As Jozefowicz et al. (2015) did, each architecture gets its own learning
rate, chosen on held-out data of other seeds, and the LSTM its forget-gate bias of 1.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from deepfaq.core.claims import AtMost, Beats, Claim, Converged, Equivalent, Exact, Greater
from deepfaq.core.config import Range
from deepfaq.core.context import sub_seed
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.core.sweep import Sweep
from deepfaq.data import mnist1d
from deepfaq.data.text import lee_background
from deepfaq.nn.ensemble import (
    EnsembleGRU,
    EnsembleLinear,
    EnsembleLSTM,
    clip_grad_norm_per_model,
)
from deepfaq.nn.recurrent import recurrent_parameters


@dataclass(frozen=True)
class Config:
    hidden_size: int = 32  # width of both networks on MNIST-1D and the adding problem
    # Adam learning rates, one per architecture and task, and the quick step budgets, chosen
    # on held-out validation data of 5 tuning seeds (seed indices 100–104, never published)
    # by benchmarks/tune_lstm_vs_gru.py (results/tune-lstm-vs-gru-cpu.jsonl): the budget is
    # the smallest candidate at which both architectures, each at its best rate, pass the
    # claims' Beats and Converged tests; the rate, the best mean validation value at the end.
    # Grids: MNIST-1D (1e-3, 3e-3, 1e-2, 3e-2), adding (3e-3, 1e-2, 3e-2). Not tuned for
    # `full` (wider networks, longer sequences): it keeps these rates.
    lr_lstm_mnist1d: float = 1e-2
    lr_gru_mnist1d: float = 1e-2  # also the GRU with the LSTM's parameter count
    lr_lstm_adding: float = 3e-2  # both forget biases (tuned with bias 1), both lengths
    lr_gru_adding: float = 3e-2  # both lengths
    mnist1d_steps: int = 3000
    mnist1d_batch: int = 32
    adding_lengths: Annotated[tuple[int, int], Range(2, 10_000)] = (30, 100)  # short and long
    adding_steps: int = 1000
    adding_batch: int = 50
    lm_lr: float = 3e-3  # Adam, char LM, both architectures (not tuned: `full` decides it)
    lm_hidden: int = 64  # char-level language model width
    lm_seq: Annotated[int, Range(2, 1_000)] = 32  # characters per training window
    lm_batch: int = 32
    lm_steps: int = 150  # quick: enough for a first look; `full` decides the char LM
    # widths at which torch's nn.LSTM and nn.GRU training steps are timed
    timing_hidden_sizes: Annotated[tuple[int, ...], Range(1, 4096)] = (32, 64, 128, 256, 512)
    timing_steps: int = 4  # timed training steps per network and width (after 2 warm-ups)


PROFILES = {
    "smoke": Profile(
        Config(
            mnist1d_steps=20,
            adding_lengths=(10, 20),
            adding_steps=20,
            lm_steps=10,
            lm_hidden=16,
            timing_hidden_sizes=(8, 16),
            timing_steps=2,
        ),
        seeds=2,
        seed_batch=2,
    ),
    "quick": Profile(Config(), seeds=5, seed_batch=5),
    "full": Profile(
        Config(
            hidden_size=64,
            mnist1d_steps=6000,
            adding_lengths=(50, 200),
            adding_steps=5000,
            lm_hidden=256,
            lm_seq=128,
            lm_steps=5000,
            timing_steps=20,
        ),
        seeds=10,
        seed_batch=10,
    ),
}


# -- models: one torch module per seed, stacked into an ensemble --------------------------


class SeqEnsemble(nn.Module):
    """K recurrent networks side by side (our :class:`EnsembleLSTM`/:class:`EnsembleGRU`),
    then a linear read-out of every step or of the last: ``[K, batch, time, input]``."""

    def __init__(self, rnns: list[nn.LSTM | nn.GRU], heads: list[nn.Linear]):
        super().__init__()
        cls = EnsembleLSTM if isinstance(rnns[0], nn.LSTM) else EnsembleGRU
        self.rnn = cls.from_modules(rnns)
        self.head = EnsembleLinear.from_modules(heads)

    def forward(self, x, every_step: bool = False):
        out = self.rnn(x)  # [K, batch, time, hidden]
        if not every_step:
            return self.head(out[:, :, -1])  # [K, batch, n_out]
        K, B, T, H = out.shape
        return self.head(out.reshape(K, B * T, H)).reshape(K, B, T, -1)


def build(
    kind: str,
    input_size: int,
    hidden_size: int,
    n_out: int,
    seeds: list[int],
    part: str,
    forget_bias: list[float] | None = None,
) -> SeqEnsemble:
    """One torch LSTM or GRU and read-out per seed, each initialised from its own
    sub-seed exactly as a single-seed run would be, then stacked. A seed listed
    twice gets the same initial weights twice (except the forget bias)."""
    rnns, heads = [], []
    for k, s in enumerate(seeds):
        torch.manual_seed(sub_seed(s, part))
        rnn = (nn.LSTM if kind == "lstm" else nn.GRU)(input_size, hidden_size, batch_first=True)
        heads.append(nn.Linear(hidden_size, n_out))
        if forget_bias is not None:
            # torch keeps two biases; the forget gate is the second block of four.
            with torch.no_grad():
                rnn.bias_ih_l0[hidden_size : 2 * hidden_size].fill_(forget_bias[k])
                rnn.bias_hh_l0[hidden_size : 2 * hidden_size].fill_(0.0)
        rnns.append(rnn)
    return SeqEnsemble(rnns, heads)


def n_params(kind: str, input_size: int, hidden_size: int, n_out: int) -> int:
    """Recurrent layer plus linear read-out."""
    return recurrent_parameters(kind, input_size, hidden_size) + (hidden_size + 1) * n_out


def gru_width_for(hidden_size: int, input_size: int, n_out: int) -> int:
    """The GRU width whose parameter count is closest to an LSTM's of ``hidden_size``."""
    target = n_params("lstm", input_size, hidden_size, n_out)
    return min(
        range(1, 4 * hidden_size), key=lambda h: abs(n_params("gru", input_size, h, n_out) - target)
    )


# -- training: every member its own loss, its own clipping, Adam per element --------------

#: Points on every validation curve (plus the start): enough for a line through the last fifth.
CURVE_POINTS = 20
N_VAL = 500  # MNIST-1D examples held out of training, and adding-problem validation sequences


def curve_steps(steps: int) -> list[int]:
    """The training steps at which :func:`fit` measures the validation curve."""
    every = max(1, steps // CURVE_POINTS)
    return sorted(set(range(0, steps + 1, every)) | {steps})


def fit(
    model, draw, steps: int, lr: float, loss_fn, evaluate, progress=lambda f: None
) -> list[list[float]]:
    """Adam on the sum of the members' mean losses (each member's gradient is its
    own), each member's gradient clipped to norm 1 on its own; ``evaluate(model)``
    returns one held-out value per member at every step of :func:`curve_steps`.
    Returns one validation curve per member."""
    params = list(model.parameters())
    opt = torch.optim.Adam(params, lr=lr, foreach=True)
    at, points = set(curve_steps(steps)), []
    for step in range(steps + 1):
        if step in at:
            with torch.no_grad():
                points.append(evaluate(model).tolist())
            progress(step / max(steps, 1))
        if step == steps:
            break
        X, y = draw()
        opt.zero_grad()
        loss_fn(model, X, y).sum().backward()
        clip_grad_norm_per_model(params, 1.0)
        opt.step()
    return [list(c) for c in zip(*points, strict=True)]


def ce_last(model, X, y):
    """Cross-entropy of the last step's read-out, one mean per member: [K]."""
    return F.cross_entropy(model(X).transpose(1, 2), y, reduction="none").mean(1)


def accuracy(model, X, y):
    return (model(X).argmax(-1) == y).float().mean(1)


def mse(model, X, y):
    return (model(X) - y).pow(2).mean((1, 2))


def nmse(model, X, y):
    """Mean squared error relative to always answering the mean, per member."""
    return mse(model, X, y) / y.flatten(1).var(1)


def char_ce(model, X, y):
    logits = model(X, every_step=True)  # [K, batch, seq, vocab]
    return F.cross_entropy(logits.permute(0, 3, 1, 2), y, reduction="none").mean((1, 2))


def stacked_draw(X, y, batch: int, gens: list[torch.Generator]):
    """Minibatches from per-member data ``X [K, n, ...]``, each member's rows drawn
    by its own generator."""
    rows = torch.arange(len(gens), device=X.device)[:, None]

    def draw():
        idx = torch.stack([torch.randint(0, X.shape[1], (batch,), generator=g) for g in gens]).to(
            X.device
        )
        return X[rows, idx], y[rows, idx]

    return draw


# -- the tasks ------------------------------------------------------------------------------


def mnist1d_data(seeds: list[int], device: str):
    """Per seed: MNIST-1D generated from the seed, 500 training examples held out for
    the validation curves (the test split only gives the final accuracies); stacked."""
    parts = []
    for s in seeds:
        d = mnist1d(s)
        X = torch.tensor(d.X_train).unsqueeze(-1)  # [n, 40, 1]
        y = torch.tensor(d.y_train)
        parts.append(
            (
                X[N_VAL:],
                y[N_VAL:],
                X[:N_VAL],
                y[:N_VAL],
                torch.tensor(d.X_test).unsqueeze(-1),
                torch.tensor(d.y_test),
                float(np.bincount(d.y_test).max() / len(d.y_test)),
            )
        )
    stacked = [torch.stack([p[i] for p in parts]).to(device) for i in range(6)]
    return (*stacked, [p[6] for p in parts])


def train_mnist1d(
    cfg: Config,
    kind: str,
    hidden_size: int,
    lr: float,
    seeds: list[int],
    data,
    steps: int | None = None,
    progress=lambda f: None,
):
    """Train one architecture (LSTM with forget bias 1) on every seed's MNIST-1D;
    returns (validation accuracy curves, test accuracies), one per seed."""
    X, y, X_val, y_val, X_test, y_test, _ = data
    model = build(
        kind,
        1,
        hidden_size,
        10,
        seeds,
        f"mnist1d/{kind}/{hidden_size}",
        [1.0] * len(seeds) if kind == "lstm" else None,
    ).to(X.device)
    gens = [torch.Generator().manual_seed(sub_seed(s, "mnist1d/batches")) for s in seeds]
    curves = fit(
        model,
        stacked_draw(X, y, cfg.mnist1d_batch, gens),
        cfg.mnist1d_steps if steps is None else steps,
        lr,
        ce_last,
        lambda m: accuracy(m, X_val, y_val),
        progress,
    )
    with torch.no_grad():
        return curves, accuracy(model, X_test, y_test).tolist()


def adding_batch(n: int, length: int, g: torch.Generator):
    """Values U[0,1] with two of them marked; the target is their sum."""
    values = torch.rand(n, length, generator=g)
    marks = torch.zeros(n, length)
    first = torch.randint(0, length // 2, (n,), generator=g)
    second = torch.randint(length // 2, length, (n,), generator=g)
    marks[torch.arange(n), first] = 1.0
    marks[torch.arange(n), second] = 1.0
    X = torch.stack([values, marks], -1)  # [n, length, 2]
    return X, (values * marks).sum(1, keepdim=True)


def adding_sets(n: int, length: int, seeds: list[int], part: str, device: str):
    """One fixed set of ``n`` sequences per seed, from its own generator: [K, n, ...]."""
    sets = [
        adding_batch(n, length, torch.Generator().manual_seed(sub_seed(s, part))) for s in seeds
    ]
    return (
        torch.stack([a for a, _ in sets]).to(device),
        torch.stack([b for _, b in sets]).to(device),
    )


def train_adding(
    cfg: Config,
    kind: str,
    length: int,
    lr: float,
    seeds: list[int],
    forget_bias: list[float] | None,
    device: str,
    steps: int | None = None,
    progress=lambda f: None,
):
    """Train one architecture on the adding problem of ``length``; every member sees
    its seed's own stream of fresh sequences. Returns (validation error curves, test
    errors), both relative to the target's variance, one per member."""
    model = build(kind, 2, cfg.hidden_size, 1, seeds, f"adding/{length}/{kind}", forget_bias).to(
        device
    )
    gens = [torch.Generator().manual_seed(sub_seed(s, f"adding/{length}/batches")) for s in seeds]

    def draw():
        batches = [adding_batch(cfg.adding_batch, length, g) for g in gens]
        return (
            torch.stack([a for a, _ in batches]).to(device),
            torch.stack([b for _, b in batches]).to(device),
        )

    X_val, y_val = adding_sets(N_VAL, length, seeds, f"adding/{length}/validation", device)
    X_test, y_test = adding_sets(1000, length, seeds, f"adding/{length}/test", device)
    curves = fit(
        model,
        draw,
        cfg.adding_steps if steps is None else steps,
        lr,
        mse,
        lambda m: nmse(m, X_val, y_val),
        progress,
    )
    with torch.no_grad():
        return curves, nmse(model, X_test, y_test).tolist()


def text_windows(codes: torch.Tensor, seq: int, n: int):
    """Up to ``n`` non-overlapping windows of ``seq`` characters and their next characters."""
    starts = torch.arange(0, len(codes) - seq - 1, seq)[:n]
    return (
        torch.stack([codes[s : s + seq] for s in starts]),
        torch.stack([codes[s + 1 : s + seq + 1] for s in starts]),
    )


def char_lm_facts(cfg: Config, seeds: list[int], device: str, progress) -> list[dict]:
    """Character-level LMs, bits per character on held-out text. The last 100 windows
    of the training text are held out for the validation curves."""
    text = lee_background().lower()
    vocab = sorted(set(text))
    codes = torch.tensor([vocab.index(c) for c in text])
    split = int(0.9 * len(codes))
    train_codes, test_codes = codes[:split], codes[split:]
    n_val_chars = 100 * cfg.lm_seq + 2
    train_codes, val_codes = train_codes[:-n_val_chars], train_codes[-n_val_chars:]
    V, K = len(vocab), len(seeds)
    eye = torch.eye(V, device=device)

    def windows(c, n):  # the same held-out windows for every member: [K, n, seq]
        X, y = text_windows(c, cfg.lm_seq, n)
        return eye[X.to(device)].expand(K, -1, -1, -1), y.to(device).expand(K, -1, -1)

    X_val, y_val = windows(val_codes, 100)
    X_test, y_test = windows(test_codes, 200)
    # Baseline: a unigram model of the training text (add-one smoothed), on the test windows.
    freq = torch.bincount(train_codes, minlength=V).double() + 1.0
    bpc_unigram = float(-torch.log2(freq / freq.sum())[y_test[0].cpu()].mean())
    outs = [{"bpc_unigram": bpc_unigram} for _ in seeds]
    widths = {
        "lstm": cfg.lm_hidden,
        "gru": cfg.lm_hidden,
        "gru_eqparams": gru_width_for(cfg.lm_hidden, V, V),
    }
    for i, (name, width) in enumerate(widths.items()):
        kind = "lstm" if name == "lstm" else "gru"
        model = build(
            kind, V, width, V, seeds, f"char-lm/{name}", [1.0] * K if kind == "lstm" else None
        ).to(device)
        gens = [torch.Generator().manual_seed(sub_seed(s, "char-lm/batches")) for s in seeds]

        def draw(gens=gens):
            starts = torch.stack(
                [
                    torch.randint(
                        0, len(train_codes) - cfg.lm_seq - 1, (cfg.lm_batch,), generator=g
                    )
                    for g in gens
                ]
            )
            chunk = train_codes[starts[..., None] + torch.arange(cfg.lm_seq + 1)].to(device)
            return eye[chunk[..., :-1]], chunk[..., 1:]  # [K, batch, seq, V], [K, batch, seq]

        curves = fit(
            model,
            draw,
            cfg.lm_steps,
            cfg.lm_lr,
            char_ce,
            lambda m: char_ce(m, X_val, y_val) / math.log(2),
            lambda f, i=i: progress((i + f) / len(widths)),
        )
        with torch.no_grad():
            bpc = (char_ce(model, X_test, y_test) / math.log(2)).tolist()
        for k, out in enumerate(outs):
            out[f"curve_val_bpc_{name}"] = curves[k]
            out[f"bpc_{name}"] = bpc[k]
    return outs


# -- speed: torch's fused layers (what users run), and ours for reference ----------------


def _clock(device: str) -> float:
    """CPU time of this process on a CPU (other users of a shared machine do not
    count), wall time after a synchronisation on a GPU."""
    if device == "cuda":
        torch.cuda.synchronize()
        return time.perf_counter()
    return time.process_time()


def step_times(cfg: Config, seed: int, device: str, ours: bool) -> dict[str, list[float]]:
    """Median ms of one training step (forward, backward, Adam) of a char-LM-shaped
    network (one-hot input of 64 symbols, lm_seq steps, lm_batch sequences, a read-out
    at every step) for each width; LSTM and GRU steps interleaved so that drifts of
    the machine hit both alike."""
    V = 64
    g = torch.Generator().manual_seed(sub_seed(seed, "timing"))
    idx = torch.randint(0, V, (cfg.lm_batch, cfg.lm_seq + 1), generator=g)
    X, y = F.one_hot(idx[:, :-1], V).float().to(device), idx[:, 1:].to(device)
    out: dict[str, list[float]] = {"lstm": [], "gru": []}
    for H in cfg.timing_hidden_sizes:
        nets, opts = {}, {}
        for kind in ("lstm", "gru"):
            torch.manual_seed(sub_seed(seed, f"timing/{kind}/{H}"))
            rnn = (nn.LSTM if kind == "lstm" else nn.GRU)(V, H, batch_first=True)
            head = nn.Linear(H, V)
            net = SeqEnsemble([rnn], [head]) if ours else nn.ModuleDict({"rnn": rnn, "head": head})
            nets[kind] = net.to(device)
            opts[kind] = torch.optim.Adam(net.parameters(), lr=1e-3, foreach=True)
        times: dict[str, list[float]] = {"lstm": [], "gru": []}
        for i in range(cfg.timing_steps + 2):
            for kind in ("lstm", "gru"):
                net = nets[kind]
                t0 = _clock(device)
                if ours:
                    loss = char_ce(net, X[None], y[None]).sum()
                else:
                    logits = net["head"](net["rnn"](X)[0])  # [batch, seq, V]
                    loss = F.cross_entropy(logits.flatten(0, 1), y.flatten())
                opts[kind].zero_grad()
                loss.backward()
                opts[kind].step()
                if i >= 2:
                    times[kind].append(1000 * (_clock(device) - t0))
        for kind in ("lstm", "gru"):
            out[kind].append(float(np.median(times[kind])))
    return out


def geometric_mean(x) -> float:
    return float(np.exp(np.mean(np.log(x))))


def speed_facts(cfg: Config, seed: int, device: str) -> dict:
    fused = step_times(cfg, seed, device, ours=False)
    mine = step_times(cfg, seed, device, ours=True)
    ratio = [g / s for g, s in zip(fused["gru"], fused["lstm"], strict=True)]
    ratio_ours = [g / s for g, s in zip(mine["gru"], mine["lstm"], strict=True)]
    return {
        "step_ms_lstm_by_hidden": fused["lstm"],
        "step_ms_gru_by_hidden": fused["gru"],
        "step_time_ratio_by_hidden": ratio,
        "step_ms_ours_lstm_by_hidden": mine["lstm"],
        "step_ms_ours_gru_by_hidden": mine["gru"],
        "step_time_ratio_ours_by_hidden": ratio_ours,
        # the claim's number: geometric mean of the per-width ratios
        "step_time_ratio_gru_over_lstm": geometric_mean(ratio),
        "step_time_ratio_smallest": ratio[0],
        "step_time_ratio_largest": ratio[-1],
        "step_time_ratio_ours_gru_over_lstm": geometric_mean(ratio_ours),
    }


# -- the trial: all seeds of a batch as one ensemble per architecture ----------------------


def batched_trial(cfg: Config, seeds: list[int], ctx) -> list[dict]:
    dev, H, K = ctx.device, cfg.hidden_size, len(seeds)
    outs: list[dict] = [
        {
            "param_ratio_gru_lstm": recurrent_parameters("gru", 1, H)
            / recurrent_parameters("lstm", 1, H)
        }
        for _ in seeds
    ]

    def put(name: str, values) -> None:
        for k, out in enumerate(outs):
            out[name] = values[k]

    # MNIST-1D, one value per step; every architecture sees the same minibatches.
    data = mnist1d_data(seeds, dev)
    put("acc_mnist1d_chance", data[-1])
    arms = {
        "lstm": ("lstm", H, cfg.lr_lstm_mnist1d),
        "gru": ("gru", H, cfg.lr_gru_mnist1d),
        "gru_eqparams": ("gru", gru_width_for(H, 1, 10), cfg.lr_gru_mnist1d),
    }
    for i, (name, (kind, width, lr)) in enumerate(arms.items()):
        curves, acc = train_mnist1d(
            cfg,
            kind,
            width,
            lr,
            seeds,
            data,
            progress=lambda f, i=i: ctx.progress(0.3 * (i + f) / 3),
        )
        put(f"curve_val_acc_mnist1d_{name}", curves)
        put(f"acc_mnist1d_{name}", acc)
        put(f"params_mnist1d_{name}", [n_params(kind, 1, width, 10)] * K)

    # The adding problem: error relative to always answering the mean. The LSTM with
    # forget bias 0 and 1 train side by side from the same initial weights and data.
    spans = {"short": (0.3, 0.45), "long": (0.45, 0.8)}
    for tag, length in zip(("short", "long"), cfg.adding_lengths, strict=True):
        lo, hi = spans[tag]
        curves, err = train_adding(
            cfg,
            "lstm",
            length,
            cfg.lr_lstm_adding,
            seeds * 2,
            [0.0] * K + [1.0] * K,
            dev,
            progress=lambda f, lo=lo, hi=hi: ctx.progress(lo + (hi - lo) * 0.6 * f),
        )
        for j, name in enumerate(("lstm_fb0", "lstm_fb1")):
            put(f"curve_val_nmse_adding_{tag}_{name}", curves[j * K : (j + 1) * K])
            put(f"nmse_adding_{tag}_{name}", err[j * K : (j + 1) * K])
        curves, err = train_adding(
            cfg,
            "gru",
            length,
            cfg.lr_gru_adding,
            seeds,
            None,
            dev,
            progress=lambda f, lo=lo, hi=hi: ctx.progress(lo + (hi - lo) * (0.6 + 0.4 * f)),
        )
        put(f"curve_val_nmse_adding_{tag}_gru", curves)
        put(f"nmse_adding_{tag}_gru", err)
    for out in outs:
        out["adding_gap_by_length"] = [
            out[f"nmse_adding_{t}_gru"] - out[f"nmse_adding_{t}_lstm_fb1"]
            for t in ("short", "long")
        ]

    for k, facts in enumerate(
        char_lm_facts(cfg, seeds, dev, lambda f: ctx.progress(0.8 + 0.1 * f))
    ):
        outs[k].update(facts)
    for k, s in enumerate(seeds):  # one timing per seed: its spread is the clock's
        outs[k].update(speed_facts(cfg, s, dev))
        ctx.progress(0.9 + 0.1 * (k + 1) / K)
    return outs


# -- claims ---------------------------------------------------------------------------------

CHUNG = "Chung et al. 2014"
JOZ = "Jozefowicz, Zaremba & Sutskever 2015"
MEAN = "predicting the mean (error/variance 1)"


def trained_mnist1d(name: str) -> tuple:
    """The arm learned: 20 points above the majority class, validation curve level."""
    return (
        Beats(
            f"acc_mnist1d_{name}",
            "acc_mnist1d_chance",
            margin=0.2,
            baseline_name="the majority class",
        ),
        Converged(f"curve_val_acc_mnist1d_{name}", tol=0.01),
    )


def trained_adding(name: str) -> tuple:
    """The arm found both marked numbers (error below the 0.5 of variance that
    remembering one of them gives) and its validation error has levelled off."""
    return (
        Beats(
            f"nmse_adding_long_{name}", 1.0, margin=0.5, higher_is_better=False, baseline_name=MEAN
        ),
        Converged(f"curve_val_nmse_adding_long_{name}", tol=0.025, higher_is_better=False),
    )


def trained_lm(name: str) -> tuple:
    """The arm beats a unigram model by half a bit per character, and has levelled off."""
    return (
        Beats(
            f"bpc_{name}",
            "bpc_unigram",
            margin=0.5,
            higher_is_better=False,
            baseline_name="a unigram model",
        ),
        Converged(f"curve_val_bpc_{name}", tol=0.025, higher_is_better=False),
    )


CLAIMS = (
    Claim(
        "gru-three-quarters",
        "At equal width a GRU layer has exactly 3/4 of an LSTM layer's parameters.",
        Exact("param_ratio_gru_lstm", 0.75, tol=1e-12),
        expected="supported",
        source="3 weight blocks vs 4 (Cho et al. 2014)",
        kind="identity",
        unit="",
    ),
    Claim(
        "gru-faster-per-step",
        "On this device a training step of torch's GRU (nn.GRU) is at least 10% faster than"
        " one of torch's LSTM (nn.LSTM) of the same width: the time ratio GRU/LSTM, as a"
        " geometric mean over the widths 32 to 512, is at most 0.9.",
        AtMost("step_time_ratio_gru_over_lstm", 0.9),
        expected="supported",
        source="common claim; " + CHUNG,
        kind="empirical",
        unit="",
    ),
    Claim(
        "tie-mnist1d",
        "On MNIST-1D read as a sequence, LSTM and GRU of equal width, each at its own tuned"
        " learning rate, reach the same accuracy (within 2 points).",
        Equivalent("acc_mnist1d_lstm", "acc_mnist1d_gru", margin=0.02),
        expected="supported",
        source=CHUNG,
        kind="empirical",
        unit="points",
        preconditions=trained_mnist1d("lstm") + trained_mnist1d("gru"),
    ),
    Claim(
        "tie-mnist1d-equal-params",
        "…and so do the LSTM and a wider GRU with as many parameters (within 2 points).",
        Equivalent("acc_mnist1d_lstm", "acc_mnist1d_gru_eqparams", margin=0.02),
        expected="supported",
        source=CHUNG,
        kind="empirical",
        unit="points",
        preconditions=trained_mnist1d("lstm") + trained_mnist1d("gru_eqparams"),
    ),
    Claim(
        "tie-adding-long",
        "On the long adding problem LSTM (forget bias 1) and GRU, each at its own tuned"
        " learning rate, reach the same error (within 0.05 of the target's variance).",
        Equivalent("nmse_adding_long_lstm_fb1", "nmse_adding_long_gru", margin=0.05),
        expected="supported",
        source=CHUNG + "; " + JOZ,
        kind="empirical",
        unit="fraction of variance",
        preconditions=trained_adding("lstm_fb1") + trained_adding("gru"),
    ),
    Claim(
        "tie-char-lm",
        "In character-level language modelling LSTM and GRU of equal width reach the same"
        " bits per character (within 0.05). Decided by the full profile only: the quick"
        " budget stops both far from levelling off.",
        Equivalent("bpc_lstm", "bpc_gru", margin=0.05),
        expected="supported",
        source=CHUNG + "; " + JOZ + " (LSTM ahead on language modelling)",
        kind="empirical",
        unit="bits/char",
        preconditions=trained_lm("lstm") + trained_lm("gru"),
    ),
    Claim(
        "forget-bias-long",
        "At the same learning rate and number of training steps, a forget-gate bias of 1"
        " instead of 0 lowers the LSTM's error on the long adding problem by more than 0.05"
        " of the target's variance (budget: the shortest at which the bias-1 LSTM and the GRU"
        " levelled off on tuning seeds).",
        Greater("nmse_adding_long_lstm_fb0", "nmse_adding_long_lstm_fb1", margin=0.05),
        expected="supported",
        source=JOZ + "; Gers et al. 2000",
        kind="empirical",
        unit="fraction of variance",
        # The claim is about the bias-0 LSTM failing: the bias-1 LSTM must have learned.
        preconditions=trained_adding("lstm_fb1"),
    ),
)


# -- figures --------------------------------------------------------------------------------


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import PALETTE, REFERENCE, band, bars, color

    # band() leaves out seeds without a curve and cuts the others to the shortest
    fig, axes = new_figure("accuracy-by-task", ncols=3)
    pairs = [
        (
            "MNIST-1D accuracy",
            ["acc_mnist1d_lstm", "acc_mnist1d_gru", "acc_mnist1d_gru_eqparams"],
            ["LSTM", "GRU", "GRU (=params)"],
        ),
        (
            "char LM bits/char (lower is better)",
            ["bpc_lstm", "bpc_gru", "bpc_gru_eqparams"],
            ["LSTM", "GRU", "GRU (=params)"],
        ),
        (
            "long adding: error / variance",
            ["nmse_adding_long_lstm_fb0", "nmse_adding_long_lstm_fb1", "nmse_adding_long_gru"],
            ["LSTM fb 0", "LSTM fb 1", "GRU"],
        ),
    ]
    method = {"LSTM fb 0": "LSTM, forget bias 0", "LSTM fb 1": "LSTM, forget bias 1"}
    for ax, (title, keys, labels) in zip(axes[0], pairs, strict=True):
        bars(
            ax,
            labels,
            [result.metrics[k] for k in keys],
            label=title,
            color=[color(method.get(label, label)) for label in labels],
            bounds=(0, 1) if keys[0].startswith("acc") else (0, np.inf),
        )
        ax.tick_params(axis="x", labelsize=8)
        ax.set_title(title, fontsize=9)

    cfg = result.config
    fig, axes = new_figure("validation-curves", ncols=2)
    ax = axes[0][0]
    steps = curve_steps(cfg["mnist1d_steps"])
    for name, label in (("lstm", "LSTM"), ("gru", "GRU"), ("gru_eqparams", "GRU (=params)")):
        band(
            ax,
            steps,
            result.series[f"curve_val_acc_mnist1d_{name}"],
            label=label,
            color=color(label),
            bounds=(0, 1),
        )
    ax.set_title("MNIST-1D, held-out accuracy", fontsize=9)
    ax.set_xlabel("training step")
    ax.legend(fontsize=8)
    ax = axes[0][1]
    steps = curve_steps(cfg["adding_steps"])
    for name, label in (
        ("lstm_fb0", "LSTM, forget bias 0"),
        ("lstm_fb1", "LSTM, forget bias 1"),
        ("gru", "GRU"),
    ):
        band(
            ax,
            steps,
            result.series[f"curve_val_nmse_adding_long_{name}"],
            label=label,
            color=color(label),
            bounds=(0, np.inf),
        )
    ax.set_yscale("log")
    ax.set_title(
        f"adding, length {cfg['adding_lengths'][1]}: held-out error / variance", fontsize=9
    )
    ax.set_xlabel("training step")
    ax.legend(fontsize=8)

    fig, ax = new_figure("adding-vs-length")
    lengths = cfg["adding_lengths"]
    for name, label in (
        ("lstm_fb0", "LSTM, forget bias 0"),
        ("lstm_fb1", "LSTM, forget bias 1"),
        ("gru", "GRU"),
    ):
        per_seed = np.column_stack(
            [result.metrics[f"nmse_adding_{t}_{name}"] for t in ("short", "long")]
        )  # [seed, length]
        band(ax, lengths, per_seed, marker="o", label=label, color=color(label), bounds=(0, np.inf))
    ax.axhline(1.0, color=REFERENCE, ls=":", label="predict the mean")
    ax.set_xlabel("sequence length")
    ax.set_ylabel("test error / target variance")
    ax.set_yscale("log")
    ax.legend(fontsize=8)

    fig, axes = new_figure("step-time-by-width", ncols=2)
    widths = cfg["timing_hidden_sizes"]
    device = result.environment.get("device", "?")
    ax = axes[0][0]
    for name, label, style in (
        ("lstm", "nn.LSTM", {"marker": "o"}),
        ("gru", "nn.GRU", {"marker": "o"}),
        ("ours_lstm", "our LSTM", {"marker": "s", "ls": "--"}),
        ("ours_gru", "our GRU", {"marker": "s", "ls": "--"}),
    ):
        band(
            ax,
            widths,
            result.series[f"step_ms_{name}_by_hidden"],
            label=label,
            color=color("GRU" if "gru" in name else "LSTM"),
            log=True,
            **style,
        )
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("hidden size")
    ax.set_ylabel(f"ms per training step ({device})\n(geometric mean over seeds)")
    ax.legend(fontsize=8)
    ax = axes[0][1]
    band(
        ax,
        widths,
        result.series["step_time_ratio_by_hidden"],
        marker="o",
        label="torch (fused)",
        color=PALETTE[6],
        bounds=(0, np.inf),
    )
    band(
        ax,
        widths,
        result.series["step_time_ratio_ours_by_hidden"],
        marker="s",
        ls="--",
        label="ours (for reference)",
        color=PALETTE[4],
        bounds=(0, np.inf),
    )
    ax.axhline(1.0, color=REFERENCE, ls=":")
    ax.axhline(0.9, color=PALETTE[3], ls=":", label="claim: at most 0.9")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("hidden size")
    ax.set_ylabel("step time GRU / LSTM")
    ax.legend(fontsize=8)


ANSWER = """
**Neither, as a rule — try both.** The honest summary of the literature (Chung et al. 2014;
Jozefowicz et al. 2015; Britz et al. 2017) is that which one wins depends on the task, and
the differences are small next to those from tuning. Our measurements, task by task:

| task | LSTM | GRU (same width) | GRU (same parameters) |
|---|---|---|---|
| MNIST-1D, accuracy | {{ pct(m.acc_mnist1d_lstm) }} | {{ pct(m.acc_mnist1d_gru) }} | {{ ""
  }}{{ pct(m.acc_mnist1d_gru_eqparams) }} |
| adding, length {{ cfg.adding_lengths[0] }}, error/variance | {{ ""
  }}{{ num(m.nmse_adding_short_lstm_fb1) }} | {{ num(m.nmse_adding_short_gru) }} | |
| adding, length {{ cfg.adding_lengths[1] }}, error/variance | {{ ""
  }}{{ num(m.nmse_adding_long_lstm_fb1) }} | {{ num(m.nmse_adding_long_gru) }} | |
| char LM, bits/char (`full` decides) | {{ num(m.bpc_lstm) }} | {{ num(m.bpc_gru) }} | {{ ""
  }}{{ num(m.bpc_gru_eqparams) }} |

({{ n }} seeds; every LSTM with forget-gate bias 1; the claims table gives each comparison's
interval and verdict.) These are our own LSTM and GRU, written gate by gate with torch's
equations and parameter layout and trained all seeds side by side. As Jozefowicz et al.
did, each architecture got its own Adam learning rate, chosen from a small grid (rates a
factor of about three apart) on held-out data of five *other* seeds, and the step budget
was the shortest at which both networks had levelled off on those seeds: on MNIST-1D
LSTM {{ cfg.lr_lstm_mnist1d }}, GRU {{ cfg.lr_gru_mnist1d }}, {{ num(cfg.mnist1d_steps) }}
steps; on the adding problem LSTM {{ cfg.lr_lstm_adding }}, GRU {{ cfg.lr_gru_adding }},
{{ num(cfg.adding_steps) }} steps. A "same result" claim is judged only when both networks
have beaten their trivial baseline (the majority class on MNIST-1D; predicting the mean on
the adding problem; a unigram model of the text for the language model) and their validation
curves, on data held out of the training set, have levelled off (second figure).
{% set ties = [v["tie-mnist1d"], v["tie-mnist1d-equal-params"], v["tie-adding-long"]] %}
{% if "supported" in ties %}
**Where both had trained, they tied** on at least one task, within the claim's margin.
{% endif %}
{% if "refuted" in ties %}
**Where both had trained, they did not always tie.** Some "same result" claims came out
refuted with both networks past their baselines and levelled off, so the gap is not an
artefact of one of them still learning: read the table for which cell was ahead — the
answer is per task.
{% endif %}
{% if "inconclusive" in ties %}
**Some comparisons this budget could not decide.** Where one network had not beaten its
baseline or was still improving, or the seeds disagreed, the claim is inconclusive and the
claims table names the reason with its number; `deepfaq run lstm-vs-gru --profile full`
(several times more steps and seeds) decides these.
{% endif %}

**Language modelling is decided by `full` only.** The character model trains
{{ cfg.lm_steps }} steps here, {% if v["tie-char-lm"] == "supported" %}and both networks had
levelled off within the claim's margin of each other.{% elif v["tie-char-lm"] == "refuted" %}and
with both past a unigram model and levelled off, they differed by more than the claim's
margin — Jozefowicz et al. found the LSTM ahead on language modelling.{% else %}which
leaves both still improving: the quick budget cannot decide this comparison, and the claims
table says which condition failed.{% endif %}

**Size.** A GRU has three weight blocks where the LSTM has four, so at equal width it has
exactly {{ num(m.param_ratio_gru_lstm) }} of the parameters. At equal *parameter count* the
GRU can be wider ({{ num(m.params_mnist1d_gru_eqparams) }} vs {{ num(m.params_mnist1d_lstm) }}
parameters on MNIST-1D).

**Speed is a property of the implementation and the device, not of the architecture.** We
timed training steps of torch's fused `nn.LSTM` and `nn.GRU` — what users run — at widths
{{ cfg.timing_hidden_sizes[0] }} to {{ cfg.timing_hidden_sizes[-1] }} (last figure). The GRU
step took {{ num(m.step_time_ratio_smallest) }} times as long as the LSTM step at width
{{ cfg.timing_hidden_sizes[0] }} and {{ num(m.step_time_ratio_largest) }} times as long at
width {{ cfg.timing_hidden_sizes[-1] }}; {{ num(m.step_time_ratio_gru_over_lstm) }} averaged
over the widths (geometric mean; our own gate-by-gate cells, for reference:
{{ num(m.step_time_ratio_ours_gru_over_lstm) }}). Where the ratio crosses 1, if it does in
this range, the last figure shows.
{% if v["gru-faster-per-step"] == "supported" %}On this device the GRU was at least a tenth
faster, as the textbook says it should be with three matrix products per step where the LSTM
does four.
{% elif v["gru-faster-per-step"] == "refuted" %}The textbook claim that the GRU is at least a
tenth faster came out **refuted** on this device, although it does fewer multiplications;
compare the ratio of our own cells, which do the same arithmetic without torch's fused
kernels. Why torch's GRU step is slower here we did not measure; one hypothesis is that its
reset gate sits *inside* the candidate's matrix product, r ⊙ (W_hn h), which fused kernels
may handle less well than the LSTM's four independent gates.
{% else %}Whether the GRU is at least a tenth faster was not decided on this device: the
interval of the time ratio straddles the bound (claims table).{% endif %}
Re-run on your own hardware — the verdict is per device.

**Forget bias.** {% if v["forget-bias-long"] == "supported" %}Starting the LSTM's forget gate
at bias 1 (so it remembers by default) took the long adding problem's error from
{{ num(m.nmse_adding_long_lstm_fb0) }} to {{ num(m.nmse_adding_long_lstm_fb1) }} of the
variance at the same learning rate and number of steps — the one-line change Jozefowicz et
al. recommend.
{% elif v["forget-bias-long"] == "refuted" %}Starting the LSTM's forget gate at bias 1 did
not lower the long adding problem's error by a practical amount here (bias 0:
{{ num(m.nmse_adding_long_lstm_fb0) }}, bias 1: {{ num(m.nmse_adding_long_lstm_fb1) }} of the
variance), although the bias-1 LSTM had learned the task and levelled off: at this length,
learning rate and budget the bias-0 LSTM learned it too (the second figure shows when each
left the plateau of predicting the mean).
{% else %}Whether a forget-gate bias of 1 helps on the long adding problem was not decided
at this budget (bias 0: {{ num(m.nmse_adding_long_lstm_fb0) }}, bias 1:
{{ num(m.nmse_adding_long_lstm_fb1) }} of the variance): the claim needs the bias-1 LSTM to
have learned the task and levelled off first, and the claims table says which condition
or interval left it open; the `full` profile decides it.{% endif %}
The third figure shows how the cells' errors change with sequence length.
"""

QUESTION = Question(
    id="lstm-vs-gru",
    topic="Architectures for sequences and images",
    paraphrases=(
        "LSTM or GRU: which recurrent cell should I use?",
        "gated recurrent unit versus long short-term memory",
        "is a GRU as good as an LSTM for sequences",
        "which RNN cell trains faster, LSTM or GRU",
    ),
    title="LSTM or GRU?",
    asked="Should I use an LSTM or a GRU?",
    config=Config,
    profiles=PROFILES,
    trial=None,
    batched_trial=batched_trial,
    # Which is faster per step, against the width: one width per point, timed over ten
    # steps; the smoke budgets elsewhere (only the speed claim is of interest here).
    sweep=Sweep(
        {"timing_hidden_sizes": ((32,), (64,), (128,), (256,), (512,), (1024,))},
        profile="smoke",
        seeds=3,
        fixed={"timing_steps": 10},
        note="gru-faster-per-step against the hidden size",
        full=Sweep(
            {
                "timing_hidden_sizes": (
                    (16,),
                    (32,),
                    (64,),
                    (128,),
                    (256,),
                    (512,),
                    (1024,),
                    (2048,),
                )
            },
            profile="full",
            fixed={"mnist1d_steps": 20, "adding_steps": 20, "lm_steps": 10},
            note="gru-faster-per-step against the hidden size, 20 timed"
            " steps per width (the trained sections a few steps)",
        ),
    ),
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    timings=(
        "step_time_ratio_gru_over_lstm",
        "step_time_ratio_smallest",
        "step_time_ratio_largest",
        "step_time_ratio_ours_gru_over_lstm",
    ),
    anchors=(
        Anchor(
            "MNIST-1D test accuracy, GRU",
            "91% (bidirectional, hidden 6, all steps"
            " flattened into the head, 5,134 parameters, 6,000 steps)",
            "Greydanus 2020 (MNIST-1D)",
            metric="acc_mnist1d_gru",
            key="greydanus-gru",
            value=0.91,
            unit="%",
            note="ours: unidirectional, last state only, fewer steps in quick",
        ),
        Anchor(
            "LSTM vs GRU across tasks",
            "no clear winner; 'may depend heavily on the dataset and corresponding task'",
            CHUNG,
            note="a qualitative finding across tasks: no single number to compare",
        ),
        Anchor(
            "LSTM vs GRU across tasks",
            "GRU ahead on all tasks but language modelling; forget bias 1 closes the gap",
            JOZ,
            note="an ordering over their task suite, not one of our measurements",
        ),
        Anchor(
            "LSTM vs GRU in machine translation",
            "LSTM consistently better",
            "Britz et al. 2017",
            note="machine translation, which we do not run",
        ),
    ),
    references=(
        "Hochreiter & Schmidhuber (1997). Long short-term memory. Neural Computation.",
        "Cho et al. (2014). Learning phrase representations using RNN encoder-decoder for"
        " statistical machine translation. EMNLP.",
        "Chung, Gulcehre, Cho & Bengio (2014). Empirical evaluation of gated recurrent neural"
        " networks on sequence modeling. arXiv:1412.3555.",
        "Jozefowicz, Zaremba & Sutskever (2015). An empirical exploration of recurrent network"
        " architectures. ICML.",
        "Britz, Goldie, Luong & Le (2017). Massive exploration of neural machine translation"
        " architectures. EMNLP.",
        "Gers, Schmidhuber & Cummins (2000). Learning to forget: continual prediction with"
        " LSTM. Neural Computation.",
        "Greydanus (2020). Scaling down deep learning (MNIST-1D). arXiv:2011.14439.",
    ),
)
