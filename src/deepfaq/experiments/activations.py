"""Sigmoid, tanh, softmax, ReLU, leaky ReLU: what each does and why it matters.

A nonlinearity is what lets a stack of layers compute more than one matrix can.
Its *slope* decides how much gradient survives each layer on the way back: the
sigmoid's slope is at most 1/4, so a deep sigmoid net multiplies its early
gradients by (≤ 1/4)^depth; ReLU's slope is exactly 1 where it is active and 0
where it is not — which is also how a unit can die. Softmax turns scores into
probabilities and does not care about a constant added to every score.

Every function and derivative here is our own (``deepfaq.nn.activations``),
tested against autograd; the networks are trained on MNIST-1D (Greydanus 2020).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch
from scipy.optimize import brentq
from torch import nn

from deepfaq.core.claims import AtLeast, AtMost, Beats, Claim, Converged, Exact, Greater
from deepfaq.core.config import Range
from deepfaq.core.context import sub_seed
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import mnist1d, mnist1d_validation
from deepfaq.nn import init
from deepfaq.nn.activations import ACTIVATIONS, naive_softmax, softmax
from deepfaq.nn.ensemble import EnsembleLinear

# Gains that keep the forward variance steady for each nonlinearity (the values of
# torch.nn.init.calculate_gain); each network starts from N(0, gain²/fan_in).
GAINS = {
    "identity": 1.0,
    "sigmoid": 1.0,
    "tanh": 5 / 3,
    "relu": math.sqrt(2),
    "leaky-relu": math.sqrt(2),
    "elu": math.sqrt(2),
}


@dataclass(frozen=True)
class Config:
    grad_depth: int = 10  # layers of the net whose per-layer gradients we compare
    grad_width: Annotated[int, Range(16, 6400)] = 64  # narrower: a dead ReLU layer (÷0)
    train_width: int = 100  # hidden width of the nets trained to a target accuracy
    train_depth: int = 3
    lr: float = 0.05  # SGD, momentum 0.9
    batch_size: int = 100
    max_steps: int = 2500  # budget of the steps-to-target nets (the ReLU curve levels off)
    target_accuracy: Annotated[float, Range(0, 1)] = 0.8  # training accuracy to reach
    eval_every: int = 25
    dead_width: int = 256  # hidden width of the dead-unit nets (2 hidden layers)
    dead_steps: int = 1000  # plain SGD steps (leaky ReLU at lr_large levels off)
    lr_small: float = 0.05
    lr_large: float = 0.7
    xor_steps: int = 500


PROFILES = {
    "smoke": Profile(
        Config(
            max_steps=100,
            eval_every=20,
            dead_steps=30,
            xor_steps=100,
            train_width=32,
            dead_width=64,
        ),
        seeds=2,
        seed_batch=2,
    ),
    "quick": Profile(Config(), seeds=5, seed_batch=5),
    "full": Profile(
        Config(max_steps=6000, dead_steps=2000, xor_steps=2000), seeds=10, seed_batch=10
    ),
}


def mlp(
    n_in: int, width: int, depth: int, n_out: int, activation: str, g: torch.Generator
) -> nn.Sequential:
    layers, fan_in = [], n_in
    for _ in range(depth):
        lin = nn.Linear(fan_in, width)
        init.normal_(lin.weight, GAINS[activation] / math.sqrt(fan_in), g)
        init.zeros_(lin.bias)
        layers += [lin, ACTIVATIONS[activation].module()]
        fan_in = width
    out = nn.Linear(fan_in, n_out)
    init.normal_(out.weight, 1 / math.sqrt(fan_in), g)
    init.zeros_(out.bias)
    return nn.Sequential(*layers, out)


def stack(nets: list[nn.Sequential]) -> nn.Sequential:
    """K nets of one shape as one ensemble on ``[K, batch, ...]``: their linear layers
    stacked (deepfaq.nn.ensemble); our activations are elementwise, so one copy of
    each serves every member."""
    return nn.Sequential(
        *(
            EnsembleLinear.from_modules([net[i] for net in nets])
            if isinstance(layer, nn.Linear)
            else layer
            for i, layer in enumerate(nets[0])
        )
    )


def generator(seed: int, part: str) -> torch.Generator:
    """The random stream of one part of a seed's trial."""
    return torch.Generator().manual_seed(sub_seed(seed, part))


def batches(n: int, batch_size: int, g: torch.Generator):
    """Epochs of full batches in the order drawn by ``g`` (a last, partial batch is dropped)."""
    while True:
        yield from torch.randperm(n, generator=g)[: n // batch_size * batch_size].split(batch_size)


def stacked(arrays, device: str) -> torch.Tensor:
    """One array per seed → a tensor [K, ...]."""
    return torch.stack([torch.as_tensor(a) for a in arrays]).to(device)


CURVE_POINTS = 30  # checkpoints per XOR and dead-unit curve; convergence reads the last fifth


def accuracy(model, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Each member's accuracy: ``X`` [K, n, features], ``y`` [K, n] → [K]."""
    with torch.no_grad():
        return (model(X).argmax(-1) == y).float().mean(1)


def train_step(model, opt, X, y, idx) -> None:
    """One step on the sum of the members' mean losses (each gets its own gradient);
    member k trains on rows ``idx[k]`` of its own data ``X[k]``."""
    rows = torch.arange(len(X), device=X.device)[:, None]
    opt.zero_grad()
    logits = model(X[rows, idx])  # [K, batch, classes]
    nn.functional.cross_entropy(logits.transpose(1, 2), y[rows, idx], reduction="none").mean(
        1
    ).sum().backward()
    opt.step()


def function_facts(seed: int) -> dict:
    """Curves, slopes and softmax identities, from our implementations."""
    out: dict = {}
    x = torch.linspace(-6, 6, 241, dtype=torch.float64)
    for name in ("sigmoid", "tanh", "relu", "leaky-relu", "elu"):
        a = ACTIVATIONS[name]
        out[f"f_{name}"] = a.fn(x).tolist()
        out[f"df_{name}"] = a.grad(x).tolist()
    out["x_axis"] = x.tolist()
    dense = torch.linspace(-10, 10, 200_001, dtype=torch.float64)  # includes 0
    out["max_sigmoid_slope"] = ACTIVATIONS["sigmoid"].grad(dense).max().item()
    tanh_grad = ACTIVATIONS["tanh"].grad
    out["tanh_slope_bound"] = brentq(
        lambda v: tanh_grad(torch.tensor(v, dtype=torch.float64)).item() - 0.25,
        0.0,
        5.0,
        xtol=1e-14,
    )

    g = torch.Generator().manual_seed(seed)
    # The identities are checked in float64; float32 is shown for what it costs:
    # adding 100 to a float32 score already rounds it in the 6th digit.
    z = torch.randn(1000, 10, generator=g, dtype=torch.float64) * 10  # [batch, classes]
    shift = (torch.rand(1000, 1, generator=g, dtype=torch.float64) - 0.5) * 200
    s = softmax(z)
    out["softmax_sum_error"] = (s.sum(1) - 1).abs().max().item()
    out["softmax_shift_error"] = (softmax(z + shift) - s).abs().max().item()
    z32, shift32 = z.float(), shift.float()
    out["softmax_shift_error_float32"] = (softmax(z32 + shift32) - softmax(z32)).abs().max().item()
    out["naive_softmax_nan_at_1000"] = naive_softmax(z + 1000).isnan().any(1).float().mean().item()
    return out


def xor_facts(cfg: Config, seeds: list[int], device: str) -> list[dict]:
    """A deep linear stack is one matrix; it cannot fit XOR, a ReLU stack can. Each
    seed draws its own 800 noisy points and its own nets."""
    centres = torch.tensor([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
    labels = torch.tensor([0, 0, 1, 1])
    gens = [generator(seed, "xor") for seed in seeds]
    points = []
    for g in gens:
        k = torch.randint(0, 4, (800,), generator=g)
        points.append((centres[k] + 0.25 * torch.randn(800, 2, generator=g), labels[k]))
    X = torch.stack([p[0] for p in points]).to(device)  # [K, 800, 2]
    y = torch.stack([p[1] for p in points]).to(device)
    outs: list[dict] = [{} for _ in seeds]
    every = max(1, cfg.xor_steps // CURVE_POINTS)
    full = torch.arange(800, device=device).expand(len(seeds), -1)  # full-batch training
    for name in ("identity", "relu"):
        model = stack([mlp(2, 16, 4, 2, name, g) for g in gens]).to(device)
        opt = torch.optim.Adam(model.parameters(), lr=0.01, foreach=True)
        curve = []  # training accuracy: fitting XOR is the question
        for step in range(cfg.xor_steps):
            if step % every == 0:
                curve.append(accuracy(model, X, y))
            train_step(model, opt, X, y, full)
        curve.append(accuracy(model, X, y))
        key = "linear" if name == "identity" else name
        for k, out in enumerate(outs):
            out[f"acc_xor_{key}"] = curve[-1][k].item()
            out[f"curve_train_acc_xor_{key}"] = [c[k].item() for c in curve]
        if name == "identity":
            with torch.no_grad():
                y_hat = model(X)
                for k, out in enumerate(outs):
                    # Multiply member k's layers out: W = W_L…W_1, b accumulated on the way.
                    W, b = torch.eye(2, device=device), torch.zeros(2, device=device)
                    for layer in model:
                        if isinstance(layer, EnsembleLinear):
                            W, b = layer.weight[k] @ W, layer.weight[k] @ b + layer.bias[k]
                    out["collapse_error"] = (y_hat[k] - (X[k] @ W.T + b)).abs().max().item()
    return outs


def gradient_facts(cfg: Config, X: torch.Tensor, y: torch.Tensor, g: torch.Generator) -> dict:
    """Norm of the loss gradient at every layer of a deep net, at initialisation."""
    out = {}
    for name in ("sigmoid", "tanh", "relu"):
        net = mlp(X.shape[1], cfg.grad_width, cfg.grad_depth, 10, name, g).to(X.device)
        nn.functional.cross_entropy(net(X), y).backward()
        norms = [m.weight.grad.norm().item() for m in net if isinstance(m, nn.Linear)][:-1]
        out[f"grad_norms_{name}"] = norms
        out[f"log10_grad_ratio_{name}"] = math.log10(norms[0] / norms[-1])
    return out


def steps_to_target(cfg: Config, seeds: list[int], data, val, name: str) -> list[dict]:
    """Steps until each seed's training accuracy first reaches the target (checked
    every ``eval_every`` steps; ``max_steps + eval_every`` if never: censored), with
    the training and validation curves. One net per seed, trained side by side."""
    X, y = data  # [K, n_train, 40], [K, n_train]
    model = stack(
        [
            mlp(
                X.shape[-1],
                cfg.train_width,
                cfg.train_depth,
                10,
                name,
                generator(seed, f"speed/{name}"),
            )
            for seed in seeds
        ]
    ).to(X.device)
    orders = [
        batches(X.shape[1], cfg.batch_size, generator(seed, f"speed/{name}/batches"))
        for seed in seeds
    ]
    opt = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=0.9, foreach=True)
    curve, val_curve = [], []
    reached = [cfg.max_steps + cfg.eval_every] * len(seeds)  # censored if never
    for step in range(cfg.max_steps + 1):
        if step % cfg.eval_every == 0:
            curve.append(accuracy(model, X, y).tolist())
            val_curve.append(accuracy(model, *val).tolist())
            reached = [
                min(r, step) if a >= cfg.target_accuracy else r
                for r, a in zip(reached, curve[-1], strict=True)
            ]
        if step == cfg.max_steps:
            break
        train_step(model, opt, X, y, torch.stack([next(o) for o in orders]).to(X.device))
    return [
        {
            f"steps_{name}": float(reached[k]),
            f"train_curve_{name}": [c[k] for c in curve],
            f"reached_target_{name}": float(reached[k] <= cfg.max_steps),
            f"curve_val_acc_{name}": [c[k] for c in val_curve],
            f"acc_val_{name}": val_curve[-1][k],
        }
        for k in range(len(seeds))
    ]


def dead_units(cfg: Config, seeds: list[int], data, val, name: str, lr: float) -> list[dict]:
    """Train one net per seed with plain SGD at ``lr``, then count hidden units that
    pass no gradient on any training input (slope below 1e-6 everywhere) and units
    whose input is negative on every training input; with the validation curve."""
    X, y = data
    part = f"dead/{name}/{lr}"
    model = stack(
        [mlp(X.shape[-1], cfg.dead_width, 2, 10, name, generator(seed, part)) for seed in seeds]
    ).to(X.device)
    orders = [
        batches(X.shape[1], cfg.batch_size, generator(seed, f"{part}/batches")) for seed in seeds
    ]
    opt = torch.optim.SGD(model.parameters(), lr=lr, foreach=True)
    every, curve = max(1, cfg.dead_steps // CURVE_POINTS), []
    for step in range(cfg.dead_steps + 1):
        if step % every == 0 or step == cfg.dead_steps:
            curve.append(accuracy(model, *val).tolist())
        if step == cfg.dead_steps:
            break
        train_step(model, opt, X, y, torch.stack([next(o) for o in orders]).to(X.device))
    dead, negative, h = [], [], X
    with torch.no_grad():
        for layer in model[:-1]:
            if isinstance(layer, EnsembleLinear):
                pre = layer(h)  # [K, n_train, dead_width]
                dead.append((ACTIVATIONS[name].grad(pre) < 1e-6).all(1))  # [K, dead_width]
                negative.append((pre < 0).all(1))
            h = layer(h)
    dead_frac = torch.cat(dead, 1).float().mean(1).tolist()
    negative_frac = torch.cat(negative, 1).float().mean(1).tolist()
    outs = []
    for k in range(len(seeds)):
        c = [point[k] for point in curve]
        if any(p[k].isnan().any() for p in model.parameters()):  # this member diverged
            outs.append({"dead": math.nan, "negative": math.nan, "acc": math.nan, "curve": c})
        else:
            outs.append(
                {"dead": dead_frac[k], "negative": negative_frac[k], "acc": c[-1], "curve": c}
            )
    return outs


def batched_trial(cfg: Config, seeds: list[int], ctx) -> list[dict]:
    """The seeds of a batch trained side by side as ensembles: each seed keeps its own
    data, initial weights and batch order, as if trained alone. Returns one trial
    output per seed."""
    dev = ctx.device
    outs = [function_facts(seed) for seed in seeds]
    for out, more in zip(outs, xor_facts(cfg, seeds, dev), strict=True):
        out.update(more)
    ctx.progress(0.1)
    splits = [mnist1d(seed) for seed in seeds]
    data = (stacked([d.X_train for d in splits], dev), stacked([d.y_train for d in splits], dev))
    val = [mnist1d_validation(seed) for seed in seeds]  # fresh examples, for the curves
    val = (stacked([v[0] for v in val], dev), stacked([v[1] for v in val], dev))
    for k, (seed, d, out) in enumerate(zip(seeds, splits, outs, strict=True)):
        out["acc_chance"] = float((d.y_test == np.bincount(d.y_train).argmax()).mean())
        out.update(
            gradient_facts(cfg, data[0][k, :1000], data[1][k, :1000], generator(seed, "gradients"))
        )
    ctx.progress(0.2)
    for i, name in enumerate(("relu", "tanh", "sigmoid")):
        for out, more in zip(outs, steps_to_target(cfg, seeds, data, val, name), strict=True):
            out.update(more)
        ctx.progress(0.2 + 0.2 * (i + 1))
    for out in outs:
        # Censored runs (target never reached) make a ratio a lower bound.
        out["steps_ratio_tanh_over_relu"] = out["steps_tanh"] / max(out["steps_relu"], 1.0)
        out["steps_ratio_sigmoid_over_relu"] = out["steps_sigmoid"] / max(out["steps_relu"], 1.0)
    for name in ("relu", "leaky-relu", "elu"):
        key = name.replace("-", "_")
        for size, lr in (("small", cfg.lr_small), ("large", cfg.lr_large)):
            for out, d in zip(outs, dead_units(cfg, seeds, data, val, name, lr), strict=True):
                out[f"dead_{key}_{size}_lr"] = d["dead"]
                out[f"negative_{key}_{size}_lr"] = d["negative"]
                out[f"acc_val_{key}_{size}_lr"] = d["acc"]
                out[f"curve_val_acc_{key}_{size}_lr"] = d["curve"]
    ctx.progress(1.0)
    return outs


def learned(acc: str, curve: str) -> tuple:
    """Preconditions of an MNIST-1D arm expected to learn: its final validation
    accuracy beats chance (the majority class) by 20 points, and its validation
    curve gained at most one point over the last fifth of training."""
    return (
        Beats(acc, "acc_chance", margin=0.2, baseline_name="chance (majority class)"),
        Converged(curve, tol=0.01),
    )


def reached_on_every_seed(name: str) -> Beats:
    """The faster arm reached the target on every seed (``reached_target_*`` is 1 or
    0 per seed, so its mean is 1 only then): its step count is measured, not censored."""
    return Beats(
        f"reached_target_{name}",
        0.0,
        margin=1.0,
        baseline_name="0 (1 = the target reached on every seed)",
    )


LOG10 = "log10"  # of a ratio of gradient norms: 1 = a factor 10
CENSORED = (
    " A run that never reaches the target within the budget counts as the budget plus"
    " one evaluation interval, so a stalled {slow} run makes the ratio a lower bound."
)

CLAIMS = (
    Claim(
        "sigmoid-slope",
        "The sigmoid's slope never exceeds 0.25.",
        AtMost("max_sigmoid_slope", 0.25),
        expected="supported",
        source="σ'(x) = σ(x)(1 − σ(x)) ≤ 1/4",
        kind="identity",
        unit="",
    ),
    Claim(
        "tanh-slope-bound",
        "tanh's slope exceeds 0.25 exactly for |x| < atanh(√3/2) ≈ 1.3170.",
        Exact("tanh_slope_bound", math.atanh(math.sqrt(3) / 2), tol=1e-9),
        expected="supported",
        source="1 − tanh²(x) = 1/4 ⇔ tanh(x) = √3/2",
        kind="identity",
        unit="",
    ),
    Claim(
        "softmax-sums-to-one",
        "Softmax outputs sum to 1 (within 1e-6).",
        AtMost("softmax_sum_error", 1e-6),
        expected="supported",
        source="definition",
        kind="identity",
        unit="",
    ),
    Claim(
        "softmax-shift-invariant",
        "Adding the same constant to every score leaves softmax unchanged (within 1e-6).",
        AtMost("softmax_shift_error", 1e-6),
        expected="supported",
        source="definition",
        kind="identity",
        unit="",
    ),
    Claim(
        "linear-collapse",
        "Without a nonlinearity a deep net is one linear map: a 4-layer linear net equals"
        " the product of its matrices (within 1e-5).",
        Exact("collapse_error", 0.0, tol=1e-5),
        expected="supported",
        source="Goodfellow et al. 2016 §6.1",
        kind="identity",
        unit="",
    ),
    # About the linear stack failing: the preconditions are on the ReLU stack of the
    # same shape and budget, the arm expected to succeed. (Not an identity: with the
    # noise around the corners the best single line can get a point or two above 75%.)
    Claim(
        "linear-cannot-xor",
        "A deep linear stack trained with Adam (quick: 500 steps; full: 2,000) cannot fit"
        " XOR: at most about the 75% that a single line gets (≤ 76%), while a ReLU stack of"
        " the same shape and budget fits it.",
        AtMost("acc_xor_linear", 0.76),
        expected="supported",
        source="Minsky & Papert 1969",
        kind="empirical",
        unit="%",
        preconditions=(
            Beats("acc_xor_relu", 0.5, margin=0.4, baseline_name="chance (two balanced classes)"),
            Converged("curve_train_acc_xor_relu", tol=0.01),
        ),
    ),
    Claim(
        "relu-fits-xor",
        "A ReLU stack of the same shape fits XOR (≥ 95% accuracy).",
        AtLeast("acc_xor_relu", 0.95),
        expected="supported",
        source="Goodfellow et al. 2016 §6.1",
        kind="empirical",
        unit="%",
    ),
    Claim(
        "sigmoid-vanishes",
        "At initialisation, in a 10-layer sigmoid net the first layer's gradient is at least"
        " 10× smaller, relative to the last layer's, than in a ReLU net.",
        Greater("log10_grad_ratio_relu", "log10_grad_ratio_sigmoid", margin=1.0),
        expected="supported",
        source="Hochreiter 1991; Glorot & Bengio 2010",
        kind="empirical",
        unit=LOG10,
    ),
    Claim(
        "relu-faster-than-tanh",
        "A ReLU net reaches the target training accuracy (80% in quick and full) in fewer"
        " steps than a tanh net: tanh needs at least 1.1× ReLU's steps."
        + CENSORED.format(slow="tanh"),
        AtLeast("steps_ratio_tanh_over_relu", 1.1),
        expected="supported",
        source="Krizhevsky, Sutskever & Hinton 2012, Fig. 1",
        kind="empirical",
        unit="",
        preconditions=(
            reached_on_every_seed("relu"),
            *learned("acc_val_relu", "curve_val_acc_relu"),
            *learned("acc_val_tanh", "curve_val_acc_tanh"),
        ),
    ),
    Claim(
        "relu-faster-than-sigmoid",
        "A ReLU net reaches the target training accuracy (80% in quick and full) in fewer"
        " steps than a sigmoid net: sigmoid needs at least 1.1× ReLU's steps."
        + CENSORED.format(slow="sigmoid"),
        AtLeast("steps_ratio_sigmoid_over_relu", 1.1),
        expected="supported",
        source="Glorot, Bordes & Bengio 2011",
        kind="empirical",
        unit="",
        preconditions=(
            reached_on_every_seed("relu"),
            *learned("acc_val_relu", "curve_val_acc_relu"),
            *learned("acc_val_sigmoid", "curve_val_acc_sigmoid"),
        ),
    ),
    # About ReLU units failing: the preconditions are on leaky ReLU at the same
    # learning rate, the arm expected to train.
    Claim(
        "large-lr-kills-relus",
        "After the dead-unit budget of plain SGD at a large learning rate (lr 0.7; quick: 1,000"
        " steps, full: 2,000), at least 5% of ReLU units are dead (no gradient on any"
        " training input), while leaky ReLU trains at that rate.",
        AtLeast("dead_relu_large_lr", 0.05),
        expected="supported",
        source="Lu et al. 2019, Dying ReLU",
        kind="empirical",
        unit="%",
        preconditions=learned("acc_val_leaky_relu_large_lr", "curve_val_acc_leaky_relu_large_lr"),
    ),
    Claim(
        "leaky-relu-no-dead",
        "At the same large learning rate leaky ReLU leaves (almost) no dead units (≤ 1%):"
        " its slope below zero is 0.01, never below the 1e-6 that counts as dead.",
        AtMost("dead_leaky_relu_large_lr", 0.01),
        expected="supported",
        source="Maas, Hannun & Ng 2013",
        kind="identity",
        unit="%",
    ),
    Claim(
        "elu-no-dead",
        "At the same large learning rate ELU leaves (almost) no dead units (≤ 1%).",
        AtMost("dead_elu_large_lr", 0.01),
        expected="supported",
        source="Clevert, Unterthiner & Hochreiter 2016",
        kind="empirical",
        unit="%",
    ),
)


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, band, bars, color

    x = result.series["x_axis"][0]
    fig, axes = new_figure("functions", ncols=2)
    for name in ("sigmoid", "tanh", "relu", "leaky-relu", "elu"):
        axes[0, 0].plot(x, result.series[f"f_{name}"][0], label=name, color=color(name))
        axes[0, 1].plot(x, result.series[f"df_{name}"][0], label=name, color=color(name))
    axes[0, 0].set_ylim(-2, 3)
    axes[0, 0].set_title("f(x)")
    axes[0, 1].set_title("f'(x)")
    axes[0, 1].axhline(0.25, color=REFERENCE, ls=":", lw=1)
    axes[0, 1].legend(fontsize=7)
    for ax in axes[0]:
        ax.set_xlabel("x")

    fig, ax = new_figure("gradient-per-layer")
    for name in ("sigmoid", "tanh", "relu"):
        norms = np.asarray(result.series[f"grad_norms_{name}"])
        band(
            ax,
            np.arange(1, norms.shape[1] + 1),
            norms,
            log=True,
            marker="o",
            label=name,
            color=color(name),
        )
    ax.set_yscale("log")
    ax.set_xlabel("layer (1 = nearest the input)")
    ax.set_ylabel("gradient norm at initialisation\n(geometric mean over seeds)")
    ax.legend(fontsize=8)

    fig, ax = new_figure("training-speed")
    every = result.config["eval_every"]
    for name in ("relu", "tanh", "sigmoid"):
        c = np.asarray(result.series[f"train_curve_{name}"])
        band(ax, np.arange(c.shape[1]) * every, c, label=name, color=color(name), bounds=(0, 1))
    ax.axhline(result.config["target_accuracy"], color=REFERENCE, ls=":", label="target")
    ax.set_xlabel("SGD step")
    ax.set_ylabel("training accuracy (mean over seeds)")
    ax.legend(fontsize=8)

    fig, ax = new_figure("dead-units")
    cfg = result.config
    cases = (("small", "dead"), ("large", "dead"), ("large", "negative"))
    case_names = [
        f"dead, lr {cfg['lr_small']:g}",
        f"dead, lr {cfg['lr_large']:g}",
        f"input always < 0,\nlr {cfg['lr_large']:g}",
    ]
    for i, (name, label) in enumerate(
        (("relu", "ReLU"), ("leaky_relu", "leaky ReLU"), ("elu", "ELU"))
    ):
        bars(
            ax,
            case_names,
            [result.metrics[f"{what}_{name}_{size}_lr"] for size, what in cases],
            label=label,
            color=color(label),
            group=i,
            groups=3,
            bounds=(0, 1),
        )
    ax.tick_params(axis="x", labelsize=8)
    ax.set_ylim(bottom=-0.01)  # a bar of height 0 stays visible
    ax.set_ylabel("fraction of hidden units")
    ax.legend(fontsize=8)


ANSWER = """
**Sigmoid** σ(x) = 1/(1+e^−x) squashes to (0, 1); its slope σ(1−σ) peaks at
{{ num(m.max_sigmoid_slope) }} at x = 0. **tanh** squashes to (−1, 1) and is a rescaled
sigmoid (tanh x = 2σ(2x) − 1) with slope up to 1; its slope stays above the sigmoid's
best ({{ num(a["sigmoid_max_slope"].value) }}) for |x| < {{ num(m.tanh_slope_bound, 6) }}
= atanh(√3/2). **ReLU** max(0, x) has slope 1 or 0; **leaky ReLU** keeps a slope of 1/100
below zero; **ELU** bends smoothly to −1.
**Softmax** turns scores into probabilities: outputs summed to 1 within
{{ num(m.softmax_sum_error) }}, and adding up to ±100 to every score changed them by at most
{{ num(m.softmax_shift_error) }} (in float64; in float32 the shifted scores themselves round,
and the difference grew to {{ num(m.softmax_shift_error_float32) }}). Shift-invariance is why
implementations subtract the largest score first. The textbook formula without that shift
returned NaN for {{ pct(m.naive_softmax_nan_at_1000) }} of rows at scores near 1000.

**Why a nonlinearity at all.** A stack of linear layers is one matrix: our 4-layer
linear net differed from the product of its weights by {{ num(m.collapse_error) }}.
So it can do no more than one line: {{ pct(m.acc_xor_linear) }} on XOR, where the
same shape with ReLUs reached {{ pct(m.acc_xor_relu) }}.

**Vanishing gradients.** In a 10-layer net at initialisation the first layer's
gradient norm was {{ num(10 ** m.log10_grad_ratio_sigmoid) }} times the last layer's with
sigmoids, {{ num(10 ** m.log10_grad_ratio_tanh) }} times with tanh and
{{ num(10 ** m.log10_grad_ratio_relu) }} times with ReLU (each net started with its own
variance-preserving gain). Each sigmoid layer multiplies the backward signal by its slope,
at most 1/4, so the first layers of a deep sigmoid net learn slowly.
{% if v["sigmoid-vanishes"] == "supported" %}Relative to the last layer, the sigmoid net's
first-layer gradient was more than 10× smaller than the ReLU net's.{% elif
v["sigmoid-vanishes"] == "refuted" %}Here, though, the sigmoid net's first-layer gradient was
not 10× smaller than the ReLU net's, relative to the last layer.{% else %}Whether it is 10×
smaller than in the ReLU net is **inconclusive** here: {{ c["sigmoid-vanishes"].reason }}.
{% endif %}

**Speed.** To {{ pct(cfg.target_accuracy) }} training accuracy on MNIST-1D (SGD with momentum,
lr {{ cfg.lr }}), ReLU took {{ num(m.steps_relu) }} steps, tanh {{ num(m.steps_tanh) }} and
sigmoid {{ num(m.steps_sigmoid) }} (mean over seeds; {{ num(cfg.max_steps + cfg.eval_every) }}
means "not reached within {{ num(cfg.max_steps) }} steps").
{% if v["relu-faster-than-tanh"] == "supported" %}ReLU was faster than tanh: tanh needed
{{ num(m.steps_ratio_tanh_over_relu) }}× ReLU's steps, against about
{{ num(a["krizhevsky_speedup"].value) }}× in Krizhevsky et al.'s convolutional net on
CIFAR-10.{% elif v["relu-faster-than-tanh"] == "refuted" %}ReLU was **not** faster than tanh
by the claim's margin (a tenth more steps) here: tanh needed
{{ num(m.steps_ratio_tanh_over_relu) }}× ReLU's steps. Krizhevsky et al.'s
{{ num(a["krizhevsky_speedup"].value) }}× was measured on a convolutional net on CIFAR-10,
where depth and saturation matter more; this is a 3-hidden-layer MLP with a
variance-preserving start.{% else %}Whether ReLU is faster than tanh is **inconclusive** at
this budget: {{ c["relu-faster-than-tanh"].reason }}. `deepfaq run activations --profile full`
decides it.{% endif %}
{% if v["relu-faster-than-sigmoid"] == "supported" %}ReLU was faster than the sigmoid: the
sigmoid needed {{ num(m.steps_ratio_sigmoid_over_relu) }}× ReLU's steps — its outputs are not
centred on zero and its slope is at most 1/4.{% elif v["relu-faster-than-sigmoid"] == "refuted"
%}ReLU was **not** faster than the sigmoid by the claim's margin (a tenth more steps) here
(the sigmoid needed {{ num(m.steps_ratio_sigmoid_over_relu) }}× ReLU's steps).{% else
%}Whether ReLU is faster than the sigmoid is **inconclusive** at this budget:
{{ c["relu-faster-than-sigmoid"].reason }}.{% endif %}

**Dead ReLUs.** After {{ cfg.dead_steps }} plain-SGD steps at lr {{ cfg.lr_large }},
{{ pct(m.dead_relu_large_lr) }} of ReLU units gave zero output and zero gradient on every
training example (at lr {{ cfg.lr_small }}: {{ pct(m.dead_relu_small_lr) }}). Such a unit can
never recover: nothing flows back into its weights. At the same rate the leaky-ReLU net reached
{{ pct(m.acc_val_leaky_relu_large_lr) }} validation accuracy, the ReLU net
{{ pct(m.acc_val_relu_large_lr) }}.
{% if v["large-lr-kills-relus"] == "supported" %}The claim that at least one unit in twenty
dies at this rate is supported over {{ n }} seeds.{% elif v["large-lr-kills-relus"] == "refuted"
%}The claim that at least one unit in twenty dies at this rate is **refuted** over {{ n }}
seeds.{% else %}Whether at least one unit in twenty dies at this rate is **inconclusive**:
{{ c["large-lr-kills-relus"].reason }}. `deepfaq run activations --profile full` decides it.
{% endif %}
Leaky ReLU and ELU left {{ pct(m.dead_leaky_relu_large_lr) }} and
{{ pct(m.dead_elu_large_lr) }} — by design, since their slope below zero is never 0. Note what
they do *not* prevent: the share of leaky units whose input was negative on every example was
{{ pct(m.negative_leaky_relu_large_lr) }}; those units are pushed off as well, but still receive
a small gradient and can come back.
"""

QUESTION = Question(
    id="activations",
    topic="Initialisation, activations and normalisation",
    paraphrases=(
        "Sigmoid, tanh, softmax, ReLU, leaky ReLU: which activation and why?",
        "why did relu replace sigmoid in deep networks",
        "what is the dying relu problem",
        "difference between tanh and sigmoid activation functions",
    ),
    title="Sigmoid, tanh, softmax, ReLU, leaky ReLU",
    asked="What are sigmoid, tanh, softmax, ReLU and leaky ReLU, and why use one over another?",
    config=Config,
    profiles=PROFILES,
    trial=None,
    batched_trial=batched_trial,
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    anchors=(
        Anchor(
            "steps to a target training error, tanh ÷ ReLU",
            "about 6× (4-layer CNN, CIFAR-10, 25% training error)",
            "Krizhevsky, Sutskever & Hinton 2012, Fig. 1",
            metric="steps_ratio_tanh_over_relu",
            key="krizhevsky_speedup",
            value=6.0,
            unit="",
            note="ours: 3-hidden-layer MLP on MNIST-1D, to 80% training accuracy",
        ),
        Anchor(
            "largest slope of the sigmoid",
            "1/4",
            "σ' = σ(1 − σ)",
            metric="max_sigmoid_slope",
            key="sigmoid_max_slope",
            value=0.25,
            unit="",
        ),
    ),
    references=(
        "Krizhevsky, Sutskever & Hinton (2012). ImageNet classification with deep"
        " convolutional neural networks. NeurIPS.",
        "Glorot, Bordes & Bengio (2011). Deep sparse rectifier neural networks. AISTATS.",
        "Maas, Hannun & Ng (2013). Rectifier nonlinearities improve neural network acoustic"
        " models. ICML workshop.",
        "Clevert, Unterthiner & Hochreiter (2016). Fast and accurate deep network learning by"
        " exponential linear units (ELUs). ICLR.",
        "Lu, Shin, Su & Karniadakis (2019). Dying ReLU and initialization: theory and"
        " numerical examples. arXiv:1903.06733.",
    ),
)
