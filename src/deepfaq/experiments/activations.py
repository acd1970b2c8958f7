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

from deepfaq.core.claims import AtLeast, AtMost, Beats, Claim, Exact, Greater, Ratio
from deepfaq.core.config import Range
from deepfaq.core.figures import PALETTE
from deepfaq.core.outputs import curve, metric, series
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import mnist1d, mnist1d_validation
from deepfaq.experiments import kit
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
    # SGD with momentum 0.9; each nonlinearity at the rate that reached the target fastest
    # on the tuning seeds (benchmarks/tuning/activations.md), as Krizhevsky et al. (2012)
    # chose "the learning rates for each network independently"
    lr_relu: float = 0.07
    lr_tanh: float = 0.1
    lr_sigmoid: float = 0.5
    batch_size: int = 100
    max_steps: int = 2500  # budget of the steps-to-target nets (each stops once all reached it)
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
    # Sequential design (pre-registered in the lock): seeds are added once, up to the
    # cap, only if a claim's interval straddles its boundary; intervals at 97.5% per look.
    "quick": Profile(Config(), seeds=5, seed_batch=5, looks=(5, 20)),
    # Sequential design as quick's: forty more seeds, once, only if a claim straddles.
    "full": Profile(
        Config(max_steps=4000, dead_steps=2000, xor_steps=1000),
        seeds=10,
        seed_batch=10,
        looks=(10, 50),
    ),
    # The full profile before 2026-12: one learning rate (0.05) for every nonlinearity.
    "paper": Profile(
        Config(
            lr_relu=0.05,
            lr_tanh=0.05,
            lr_sigmoid=0.05,
            max_steps=6000,
            dead_steps=2000,
            xor_steps=2000,
        ),
        seeds=10,
        seed_batch=10,
    ),
}


# %% 1. The networks and the training step
# Every network here is an MLP of our own activation layers, started from the
# variance-preserving gain of its nonlinearity; K seeds train side by side as one
# ensemble, each with its own data, initial weights and batch order.


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


def batches(n: int, batch_size: int, g: torch.Generator):
    """Epochs of full batches in the order drawn by ``g`` (a last, partial batch is dropped)."""
    while True:
        yield from torch.randperm(n, generator=g)[: n // batch_size * batch_size].split(batch_size)


CURVE_POINTS = 30  # checkpoints per XOR and dead-unit curve; convergence reads the last fifth


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


def batched_trial(cfg: Config, seeds: list[int], ctx) -> list[dict]:
    """The seeds of a batch trained side by side as ensembles: each seed keeps its own
    data, initial weights and batch order, as if trained alone. Returns one trial
    output per seed."""
    dev = ctx.device
    stages = kit.Stages(ctx, xor=1, speed=4, dead=5)
    outs = [function_facts(seed) for seed in seeds]
    for out, more in zip(outs, xor_facts(cfg, seeds, dev), strict=True):
        out.update(more)
    stages.done("xor")
    splits = [mnist1d(seed) for seed in seeds]
    data = tuple(kit.stacked([getattr(d, n) for d in splits], dev) for n in ("X_train", "y_train"))
    val = [mnist1d_validation(seed) for seed in seeds]  # fresh examples, for the curves
    val = (kit.stacked([v[0] for v in val], dev), kit.stacked([v[1] for v in val], dev))
    for k, (seed, d, out) in enumerate(zip(seeds, splits, outs, strict=True)):
        out["acc_chance"] = kit.majority_share(d.y_test)
        X, y = data[0][k, :1000], data[1][k, :1000]
        out.update(gradient_facts(cfg, X, y, kit.generator(seed, "gradients")))
    for i, name in enumerate(("relu", "tanh", "sigmoid")):
        for out, more in zip(outs, steps_to_target(cfg, seeds, data, val, name), strict=True):
            out.update(more)
        stages.part("speed", (i + 1) / 3)
    for out in outs:
        # Censored runs (target never reached) make a ratio a lower bound.
        out["steps_ratio_tanh_over_relu"] = out["steps_tanh"] / max(out["steps_relu"], 1.0)
        out["steps_ratio_sigmoid_over_relu"] = out["steps_sigmoid"] / max(out["steps_relu"], 1.0)
    for i, (name, key) in enumerate(DEAD_ARMS.items()):
        for size, lr in (("small", cfg.lr_small), ("large", cfg.lr_large)):
            for out, d in zip(outs, dead_units(cfg, seeds, data, val, name, lr), strict=True):
                out[f"dead_{key}_{size}_lr"] = d["dead"]
                out[f"negative_{key}_{size}_lr"] = d["negative"]
                out[f"acc_val_{key}_{size}_lr"] = d["acc"]
                out[f"curve_val_acc_{key}_{size}_lr"] = d["curve"]
        stages.part("dead", (i + 1) / len(DEAD_ARMS))
    return outs


# %% 2. The functions and their slopes; softmax
# Closed forms from deepfaq.nn.activations (each derivative tested against autograd),
# evaluated in float64. Every claim here is an identity, judged on every seed.


def function_facts(seed: int) -> dict:
    """Curves, slopes and softmax identities, from our implementations."""
    out: dict = {}
    x = torch.linspace(-6, 6, 241, dtype=torch.float64)
    for name, key in PLOTTED.items():
        a = ACTIVATIONS[name]
        out[f"f_{key}"] = a.fn(x).tolist()
        out[f"df_{key}"] = a.grad(x).tolist()
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

    g = kit.generator(seed, "softmax")
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


PLOTTED = {
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "relu",
    "leaky-relu": "leaky_relu",
    "elu": "elu",
}

CLAIMS_FUNCTIONS = (
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
)

OUTPUTS_FUNCTIONS = (
    series("x_axis", "the inputs at which the functions are drawn"),
    *(series(f"f_{k}", f"the {n} function on the drawn inputs") for n, k in PLOTTED.items()),
    *(series(f"df_{k}", f"the slope of {n} on the drawn inputs") for n, k in PLOTTED.items()),
    metric("max_sigmoid_slope", "the largest slope of the sigmoid on a dense grid"),
    metric("tanh_slope_bound", "the input where tanh's slope falls to a quarter"),
    metric(
        "softmax_sum_error",
        "the largest distance from 1 of a softmax output's sum",
        better="lower",
        bounds=(0, math.inf),
    ),
    metric(
        "softmax_shift_error",
        "the largest change of softmax outputs when a constant is added to every score",
        better="lower",
        bounds=(0, math.inf),
    ),
    metric(
        "softmax_shift_error_float32",
        "the same change of softmax outputs in float32",
        better="lower",
        bounds=(0, math.inf),
    ),
    metric(
        "naive_softmax_nan_at_1000",
        "the share of rows the unshifted softmax formula turns into NaN at scores near 1000",
        "%",
        bounds=(0, 1),
    ),
)

ANSWER_FUNCTIONS = """
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
"""

# %% 3. Why a nonlinearity at all: XOR
# A deep linear stack is one matrix, so on the four XOR points it can get at most three
# right, whatever it learned: XOR's two classes cannot be split by one line (a theorem:
# f(1,−1) + f(−1,1) = 2b = f(1,1) + f(−1,−1) for any affine f, so both "positive" points
# cannot score above both "negative" ones). Judged on every seed. On the 800 noisy points
# the network is trained on, the best line gets about 75%.

XOR_CORNERS = torch.tensor([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
XOR_LABELS = torch.tensor([0, 0, 1, 1])


def xor_facts(cfg: Config, seeds: list[int], device: str) -> list[dict]:
    """A deep linear stack is one matrix; it cannot fit XOR, a ReLU stack can. Each
    seed draws its own 800 noisy points and its own nets."""
    gens = [kit.generator(seed, "xor") for seed in seeds]
    points = []
    for g in gens:
        k = torch.randint(0, 4, (800,), generator=g)
        points.append((XOR_CORNERS[k] + 0.25 * torch.randn(800, 2, generator=g), XOR_LABELS[k]))
    X = torch.stack([p[0] for p in points]).to(device)  # [K, 800, 2]
    y = torch.stack([p[1] for p in points]).to(device)
    corners = XOR_CORNERS.to(device).expand(len(seeds), -1, -1)  # [K, 4, 2]
    corner_labels = XOR_LABELS.to(device).expand(len(seeds), -1)
    outs: list[dict] = [{} for _ in seeds]
    every = max(1, cfg.xor_steps // CURVE_POINTS)
    full = torch.arange(800, device=device).expand(len(seeds), -1)  # full-batch training
    for name, key in (("identity", "linear"), ("relu", "relu")):
        model = stack([mlp(2, 16, 4, 2, name, g) for g in gens]).to(device)
        opt = torch.optim.Adam(model.parameters(), lr=0.01, foreach=True)
        curve_ = []  # training accuracy: fitting XOR is the question
        for step in range(cfg.xor_steps):
            if step % every == 0:
                curve_.append(kit.accuracy(model, X, y))
            train_step(model, opt, X, y, full)
        curve_.append(kit.accuracy(model, X, y))
        on_corners = kit.accuracy(model, corners, corner_labels)
        for k, out in enumerate(outs):
            out[f"acc_xor_{key}"] = curve_[-1][k].item()
            out[f"curve_train_acc_xor_{key}"] = [c[k].item() for c in curve_]
            out[f"acc_xor_corners_{key}"] = on_corners[k].item()
        if name == "identity":
            collapse_facts(model, X, outs)
    return outs


def collapse_facts(model, X, outs: list[dict]) -> None:
    """How far each trained linear stack is from the product of its matrices."""
    with torch.no_grad():
        y_hat = model(X)
        for k, out in enumerate(outs):
            # Multiply member k's layers out: W = W_L…W_1, b accumulated on the way.
            W, b = torch.eye(2, device=X.device), torch.zeros(2, device=X.device)
            for layer in model:
                if isinstance(layer, EnsembleLinear):
                    W, b = layer.weight[k] @ W, layer.weight[k] @ b + layer.bias[k]
            out["collapse_error"] = (y_hat[k] - (X[k] @ W.T + b)).abs().max().item()


CLAIMS_XOR = (
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
    Claim(
        "linear-cannot-xor",
        "A deep linear stack cannot fit XOR: after {cfg.xor_steps} Adam steps it gets at most"
        " 3 of the 4 XOR points right, on every seed (any affine map splits them so).",
        AtMost("acc_xor_corners_linear", 0.75),
        expected="supported",
        source="Minsky & Papert 1969",
        kind="identity",
        unit="%",
    ),
    Claim(
        "relu-fits-xor",
        "A ReLU stack of the same shape and budget fits noisy XOR (≥ 95% training accuracy).",
        AtLeast("acc_xor_relu", 0.95),
        expected="supported",
        source="Goodfellow et al. 2016 §6.1",
        kind="empirical",
        unit="%",
    ),
)

OUTPUTS_XOR = (
    *(
        o
        for key, what in (("linear", "linear"), ("relu", "ReLU"))
        for o in (
            metric(
                f"acc_xor_{key}",
                f"the {what} stack's accuracy on its 800 noisy XOR training points",
                "%",
                better="higher",
                bounds=(0, 1),
                data="train",
            ),
            metric(
                f"acc_xor_corners_{key}",
                f"the {what} stack's accuracy on the four XOR points",
                "%",
                better="higher",
                bounds=(0, 1),
            ),
            curve(
                f"curve_train_acc_xor_{key}",
                f"the {what} stack's training accuracy on XOR during training",
                "%",
                x="Adam step",
                better="higher",
                bounds=(0, 1),
                data="train",
            ),
        )
    ),
    metric(
        "collapse_error",
        "the largest difference between the linear stack's outputs and its matrices' product",
        better="lower",
        bounds=(0, math.inf),
    ),
)

ANSWER_XOR = """
**Why a nonlinearity at all.** A stack of linear layers is one matrix: our 4-layer
linear net differed from the product of its weights by {{ num(m.collapse_error) }}.
So it can do no more than one line: on the four XOR points it got
{{ pct(m.acc_xor_corners_linear) }} right on average{% if v["linear-cannot-xor"] == "supported"
%}, never more than three of four on any seed{% else %} — a linear map cannot get all four, so
the check coming out **{{ v["linear-cannot-xor"] }}** points at a bug{% endif %}, and
{{ pct(m.acc_xor_linear) }} of the noisy training points (a line can get about three
quarters), where the same shape with ReLUs reached {{ pct(m.acc_xor_relu) }}.
"""

# %% 4. Vanishing gradients at initialisation
# Nothing is trained: the gradient norm at every layer of a grad_depth-layer net, each
# nonlinearity from its own variance-preserving gain, on 1,000 MNIST-1D examples.


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


LOG10 = "log10"  # of a ratio of gradient norms: 1 = a factor 10

CLAIMS_GRADIENTS = (
    Claim(
        "sigmoid-vanishes",
        "At initialisation, in a {cfg.grad_depth}-layer sigmoid net the first layer's gradient"
        " is at least 10× smaller, relative to the last layer's, than in a ReLU net.",
        Greater("log10_grad_ratio_relu", "log10_grad_ratio_sigmoid", margin=1.0),
        expected="supported",
        source="Hochreiter 1991; Glorot & Bengio 2010",
        kind="empirical",
        unit=LOG10,
        exempt={"trained-arms": "measured at initialisation: no network is trained"},
    ),
)

OUTPUTS_GRADIENTS = (
    *(
        series(f"grad_norms_{n}", f"the gradient norm at each layer of the {n} net at init")
        for n in ("sigmoid", "tanh", "relu")
    ),
    *(
        metric(
            f"log10_grad_ratio_{n}",
            f"the {n} net's first-layer gradient norm over its last layer's, at init (log10)",
            LOG10,
        )
        for n in ("sigmoid", "tanh", "relu")
    ),
)

ANSWER_GRADIENTS = """
**Vanishing gradients.** In a {{ cfg.grad_depth }}-layer net at initialisation the first
layer's gradient norm was {{ num(10 ** m.log10_grad_ratio_sigmoid) }} times the last layer's
with sigmoids, {{ num(10 ** m.log10_grad_ratio_tanh) }} times with tanh and
{{ num(10 ** m.log10_grad_ratio_relu) }} times with ReLU (each net started with its own
variance-preserving gain). Each sigmoid layer multiplies the backward signal by its slope,
at most 1/4, so the first layers of a deep sigmoid net learn slowly.
{% if v["sigmoid-vanishes"] == "supported" %}Relative to the last layer, the sigmoid net's
first-layer gradient was more than 10× smaller than the ReLU net's.{% elif
v["sigmoid-vanishes"] == "refuted" %}Here, though, the sigmoid net's first-layer gradient was
not 10× smaller than the ReLU net's, relative to the last layer.{% else %}Whether it is 10×
smaller than in the ReLU net is not decided here: {{ c["sigmoid-vanishes"].reason }}.
{% endif %}
"""

# %% 5. Speed: steps to a target training accuracy
# A fair race (Krizhevsky et al. 2012, Fig. 1): each nonlinearity at its own fastest
# learning rate, chosen on the tuning seeds; the same architecture, initial gain rule,
# data and batch order. Each net stops once every seed has reached the target (its count
# cannot change after that), so no convergence is required; a net that never reaches it
# counts as the budget plus one evaluation, which makes a ratio a lower bound (only a
# conservative "supported"). Ratios are judged as geometric means.


def steps_to_target(cfg: Config, seeds: list[int], data, val, name: str) -> list[dict]:
    """Steps until each seed's training accuracy first reaches the target (checked
    every ``eval_every`` steps; ``max_steps + eval_every`` if never: censored), with
    the training and validation curves. One net per seed, trained side by side."""
    X, y = data  # [K, n_train, 40], [K, n_train]
    part = f"speed/{name}"
    nets = [
        mlp(X.shape[-1], cfg.train_width, cfg.train_depth, 10, name, kit.generator(seed, part))
        for seed in seeds
    ]
    model = stack(nets).to(X.device)
    orders = [
        batches(X.shape[1], cfg.batch_size, kit.generator(seed, f"{part}/batches"))
        for seed in seeds
    ]
    lr = getattr(cfg, f"lr_{name}")
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, foreach=True)
    curve_, val_curve = [], []
    reached = [cfg.max_steps + cfg.eval_every] * len(seeds)  # censored if never
    for step in range(cfg.max_steps + 1):
        if step % cfg.eval_every == 0:
            curve_.append(kit.accuracy(model, X, y).tolist())
            val_curve.append(kit.accuracy(model, *val).tolist())
            reached = [
                min(r, step) if a >= cfg.target_accuracy else r
                for r, a in zip(reached, curve_[-1], strict=True)
            ]
        if step == cfg.max_steps or max(reached) <= step:  # every net reached the target
            break
        train_step(model, opt, X, y, torch.stack([next(o) for o in orders]).to(X.device))
    return [
        {
            f"steps_{name}": float(reached[k]),
            f"train_curve_{name}": [c[k] for c in curve_],
            f"reached_target_{name}": float(reached[k] <= cfg.max_steps),
            f"curve_val_acc_{name}": [c[k] for c in val_curve],
            f"acc_val_{name}": val_curve[-1][k],
        }
        for k in range(len(seeds))
    ]


def reached_on_every_seed(name: str) -> Beats:
    """The faster arm reached the target on every seed: its step count is measured."""
    return kit.on_every_seed(f"reached_target_{name}", "the target reached")


def learned(name: str) -> Beats:
    """The arm's validation accuracy when it stopped beats chance by 20 points: it
    learned the task, not only the training set."""
    return Beats(
        f"acc_val_{name}", "acc_chance", margin=0.2, baseline_name="chance (majority class)"
    )


CENSORED = (
    " A run that never reaches the target within {cfg.max_steps} steps counts as the budget"
    " plus one evaluation interval, so a stalled {slow} run makes the ratio a lower bound."
)

CLAIMS_SPEED = tuple(
    Claim(
        f"relu-faster-than-{slow}",
        f"A ReLU net reaches the target training accuracy ({{cfg.target_accuracy}}) in fewer"
        f" SGD steps than a {slow} net, each at its own fastest learning rate: {slow} needs at"
        f" least 1.1× ReLU's steps (geometric mean over seeds)." + CENSORED.replace("{slow}", slow),
        Ratio(f"steps_{slow}", "steps_relu", 1.1, at_most=False),
        expected="supported",
        source=source,
        kind="empirical",
        unit="×",
        preconditions=(reached_on_every_seed("relu"), learned("relu"), learned(slow)),
    )
    for slow, source in (
        ("tanh", "Krizhevsky, Sutskever & Hinton 2012, Fig. 1"),
        ("sigmoid", "Glorot, Bordes & Bengio 2011"),
    )
)

OUTPUTS_SPEED = (
    metric(
        "acc_chance",
        "the MNIST-1D test accuracy of always answering the most common class",
        "%",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    *(
        o
        for n in ("relu", "tanh", "sigmoid")
        for o in (
            metric(
                f"steps_{n}",
                f"the SGD steps the {n} net took to reach the target training accuracy",
                "steps",
                better="lower",
                bounds=(0, math.inf),
                data="train",
            ),
            metric(
                f"reached_target_{n}",
                f"whether the {n} net reached the target training accuracy (1 or 0)",
                better="higher",
                bounds=(0, 1),
            ),
            metric(
                f"acc_val_{n}",
                f"the {n} net's validation accuracy when it stopped",
                "%",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
            curve(
                f"train_curve_{n}",
                f"the {n} net's training accuracy during training",
                "%",
                x="SGD step",
                better="higher",
                bounds=(0, 1),
                data="train",
            ),
            curve(
                f"curve_val_acc_{n}",
                f"the {n} net's validation accuracy during training",
                "%",
                x="SGD step",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
        )
    ),
    *(
        metric(
            f"steps_ratio_{n}_over_relu",
            f"the steps the {n} net took to the target over the ReLU net's",
            "×",
            bounds=(0, math.inf),
            data="train",
        )
        for n in ("tanh", "sigmoid")
    ),
)

ANSWER_SPEED = """
**Speed.** To {{ pct(cfg.target_accuracy) }} training accuracy on MNIST-1D (SGD with momentum,
each at its own fastest rate on the tuning seeds: ReLU {{ cfg.lr_relu }}, tanh
{{ cfg.lr_tanh }}, sigmoid {{ cfg.lr_sigmoid }}), ReLU took {{ num(m.steps_relu) }} steps, tanh
{{ num(m.steps_tanh) }} and sigmoid {{ num(m.steps_sigmoid) }} (mean over seeds;
{{ num(cfg.max_steps + cfg.eval_every) }} means "not reached within {{ num(cfg.max_steps) }}
steps").
{% if v["relu-faster-than-tanh"] == "supported" %}ReLU was faster than tanh: tanh needed
{{ with_unit(c["relu-faster-than-tanh"].estimate, "×") }} ReLU's steps, against about
{{ num(a["krizhevsky_speedup"].value) }}× in Krizhevsky et al.'s convolutional net on
CIFAR-10.{% elif v["relu-faster-than-tanh"] == "refuted" %}ReLU was **not** faster than tanh
by the claim's margin (a tenth more steps) here: tanh needed
{{ with_unit(c["relu-faster-than-tanh"].estimate, "×") }} ReLU's steps. Krizhevsky et al.'s
{{ num(a["krizhevsky_speedup"].value) }}× was measured on a deeper convolutional net on
CIFAR-10; this is a {{ cfg.train_depth }}-hidden-layer MLP with a variance-preserving start,
where tanh's saturation costs little (a possible reason, not measured here).{% else %}Whether
ReLU is faster than tanh is not decided at this budget:
{{ c["relu-faster-than-tanh"].reason }}.{% endif %}
{% if v["relu-faster-than-sigmoid"] == "supported" %}ReLU was faster than the sigmoid: the
sigmoid needed {{ with_unit(c["relu-faster-than-sigmoid"].estimate, "×") }} ReLU's steps, as
Glorot, Bordes & Bengio (2011) found; they point to the sigmoid's outputs not being centred on
zero and its slope of at most 1/4.{% elif v["relu-faster-than-sigmoid"] == "refuted"
%}ReLU was **not** faster than the sigmoid by the claim's margin (a tenth more steps) here
(the sigmoid needed {{ with_unit(c["relu-faster-than-sigmoid"].estimate, "×") }} ReLU's
steps).{% else %}Whether ReLU is faster than the sigmoid is not decided at this budget:
{{ c["relu-faster-than-sigmoid"].reason }}.{% endif %}
"""

# %% 6. Dead ReLUs at a large learning rate
# Plain SGD at a small and a large rate, 2 hidden layers of dead_width units. A unit is
# dead when its slope is below 1e-6 on every training input: it passes no gradient, and
# nothing flows back into its weights.

DEAD_ARMS = {"relu": "relu", "leaky-relu": "leaky_relu", "elu": "elu"}
DEAD_LABELS = {"relu": "ReLU", "leaky_relu": "leaky ReLU", "elu": "ELU"}


def dead_units(cfg: Config, seeds: list[int], data, val, name: str, lr: float) -> list[dict]:
    """Train one net per seed with plain SGD at ``lr``, then count hidden units that
    pass no gradient on any training input (slope below 1e-6 everywhere) and units
    whose input is negative on every training input; with the validation curve."""
    X, y = data
    part = f"dead/{name}/{lr}"
    nets = [
        mlp(X.shape[-1], cfg.dead_width, 2, 10, name, kit.generator(seed, part)) for seed in seeds
    ]
    model = stack(nets).to(X.device)
    orders = [
        batches(X.shape[1], cfg.batch_size, kit.generator(seed, f"{part}/batches"))
        for seed in seeds
    ]
    opt = torch.optim.SGD(model.parameters(), lr=lr, foreach=True)
    every, curve_ = max(1, cfg.dead_steps // CURVE_POINTS), []
    for step in range(cfg.dead_steps + 1):
        if step % every == 0 or step == cfg.dead_steps:
            curve_.append(kit.accuracy(model, *val).tolist())
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
        c = [point[k] for point in curve_]
        if any(p[k].isnan().any() for p in model.parameters()):  # this member diverged
            outs.append({"dead": math.nan, "negative": math.nan, "acc": math.nan, "curve": c})
        else:
            outs.append(
                {"dead": dead_frac[k], "negative": negative_frac[k], "acc": c[-1], "curve": c}
            )
    return outs


# About ReLU units failing: the precondition is on leaky ReLU at the same learning rate,
# the arm expected to train there (a rate at which nothing trains would kill units
# trivially).
CLAIMS_DEAD = (
    Claim(
        "large-lr-kills-relus",
        "After {cfg.dead_steps} steps of plain SGD at a large learning rate ({cfg.lr_large}),"
        " at least 5% of ReLU units are dead (no gradient on any training input), while leaky"
        " ReLU trains at that rate.",
        AtLeast("dead_relu_large_lr", 0.05),
        expected="supported",
        source="Lu et al. 2019, Dying ReLU",
        kind="empirical",
        unit="%",
        preconditions=kit.trained(
            "acc_val_leaky_relu_large_lr",
            "acc_chance",
            0.2,
            "curve_val_acc_leaky_relu_large_lr",
            0.01,
            baseline_name="chance (majority class)",
        ),
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

OUTPUTS_DEAD = tuple(
    o
    for key, label in DEAD_LABELS.items()
    for size in ("small", "large")
    for o in (
        metric(
            f"dead_{key}_{size}_lr",
            f"the share of {label} units with no gradient on any training input after"
            f" training at the {size} learning rate",
            "%",
            bounds=(0, 1),
            data="train",
        ),
        metric(
            f"negative_{key}_{size}_lr",
            f"the share of {label} units whose input is negative on every training input"
            f" after training at the {size} learning rate",
            "%",
            bounds=(0, 1),
            data="train",
        ),
        metric(
            f"acc_val_{key}_{size}_lr",
            f"the validation accuracy of the {label} net trained at the {size} learning rate",
            "%",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        ),
        curve(
            f"curve_val_acc_{key}_{size}_lr",
            f"the validation accuracy during training of the {label} net at the {size}"
            " learning rate",
            "%",
            x="SGD step",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        ),
    )
)

ANSWER_DEAD = """
**Dead ReLUs.** After {{ num(cfg.dead_steps) }} plain-SGD steps at lr {{ cfg.lr_large }},
{{ pct(m.dead_relu_large_lr) }} of ReLU units gave zero output and zero gradient on every
training example (at lr {{ cfg.lr_small }}: {{ pct(m.dead_relu_small_lr) }}). Such a unit can
never recover by itself: nothing flows back into its weights. At the same rate the leaky-ReLU
net reached {{ pct(m.acc_val_leaky_relu_large_lr) }} validation accuracy, the ReLU net
{{ pct(m.acc_val_relu_large_lr) }}.
{% if v["large-lr-kills-relus"] == "supported" %}The claim that at least one unit in twenty
dies at this rate is supported over {{ n }} seeds.{% elif v["large-lr-kills-relus"] == "refuted"
%}The claim that at least one unit in twenty dies at this rate is **refuted** over {{ n }}
seeds.{% else %}Whether at least one unit in twenty dies at this rate is not decided:
{{ c["large-lr-kills-relus"].reason }}.{% endif %}
Leaky ReLU and ELU left {{ pct(m.dead_leaky_relu_large_lr) }} and
{{ pct(m.dead_elu_large_lr) }} — by design, since their slope below zero is never 0. Note what
they do *not* prevent: the share of leaky units whose input was negative on every example was
{{ pct(m.negative_leaky_relu_large_lr) }}; those units are pushed off as well, but still receive
a small gradient and can come back.
"""

CLAIMS = CLAIMS_FUNCTIONS + CLAIMS_XOR + CLAIMS_GRADIENTS + CLAIMS_SPEED + CLAIMS_DEAD
OUTPUTS = OUTPUTS_FUNCTIONS + OUTPUTS_XOR + OUTPUTS_GRADIENTS + OUTPUTS_SPEED + OUTPUTS_DEAD
ANSWER = ANSWER_FUNCTIONS + ANSWER_XOR + ANSWER_GRADIENTS + ANSWER_SPEED + ANSWER_DEAD

# %% Figures


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, band, bars, color

    x = result.series["x_axis"][0]
    fig, axes = new_figure("functions", ncols=2)
    for name, key in PLOTTED.items():
        axes[0, 0].plot(x, result.series[f"f_{key}"][0], label=name, color=color(name))
        axes[0, 1].plot(x, result.series[f"df_{key}"][0], label=name, color=color(name))
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
        # Seeds trained side by side stop together, so batches of seeds stop at different
        # steps: a stopped net keeps the accuracy it stopped at.
        curves = result.series[f"train_curve_{name}"]
        longest = max(map(len, curves))
        c = 100 * np.asarray([[*x, *[x[-1]] * (longest - len(x))] for x in curves], dtype=float)
        band(ax, np.arange(c.shape[1]) * every, c, label=name, color=color(name), bounds=(0, 100))
    ax.axhline(100 * result.config["target_accuracy"], color=REFERENCE, ls=":", label="target")
    ax.set_xlabel("SGD step (each net stops at the target)")
    ax.set_ylabel("training accuracy, % (mean over seeds)")
    ax.legend(fontsize=8)

    fig, ax = new_figure("dead-units")
    cfg = result.config
    cases = (("small", "dead"), ("large", "dead"), ("large", "negative"))
    case_names = [
        f"dead, lr {cfg['lr_small']:g}",
        f"dead, lr {cfg['lr_large']:g}",
        f"input always < 0,\nlr {cfg['lr_large']:g}",
    ]
    for i, (key, label) in enumerate(DEAD_LABELS.items()):
        bars(
            ax,
            case_names,
            [[100 * v for v in result.metrics[f"{what}_{key}_{size}_lr"]] for size, what in cases],
            label=label,
            color=color(label),
            group=i,
            groups=3,
            bounds=(0, 100),
        )
    ax.tick_params(axis="x", labelsize=8)
    ax.set_ylim(bottom=-1)  # a bar of height 0 stays visible
    ax.set_ylabel("hidden units, %")
    ax.legend(fontsize=8)


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
    outputs=OUTPUTS,
    figures=figures,
    answer=ANSWER,
    colors={
        "sigmoid": PALETTE[0],
        "tanh": PALETTE[1],
        "relu": PALETTE[2],
        "leaky relu": PALETTE[3],
        "softmax": PALETTE[4],
        "elu": PALETTE[5],
    },
    key_claims=(
        "linear-cannot-xor",
        "sigmoid-vanishes",
        "relu-faster-than-sigmoid",
        "relu-faster-than-tanh",
        "large-lr-kills-relus",
        "leaky-relu-no-dead",
    ),
    one_line=(
        "They are what lets a deep net compute more than one linear map (a linear stack"
        ' cannot even fit XOR); {{ by_verdict(v["sigmoid-vanishes"], "sigmoids shrink'
        ' gradients layer after layer, so ", "", "") }}ReLU{{'
        ' by_verdict(v["relu-faster-than-sigmoid"], " (which trained faster than the sigmoid'
        ' here)", "", "") }} is the usual choice for hidden layers, leaky ReLU{{'
        ' by_verdict(v["large-lr-kills-relus"], " keeps units from dying at large learning'
        ' rates", " has a slope that never dies", " has a slope that never dies") }}, and'
        " softmax turns the last layer's scores into probabilities."
    ),
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
