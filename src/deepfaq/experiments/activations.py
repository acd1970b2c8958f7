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

import numpy as np
import torch
from scipy.optimize import brentq
from torch import nn

from deepfaq.core.claims import AtLeast, AtMost, Claim, Exact, Greater
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import mnist1d
from deepfaq.nn import init
from deepfaq.nn.activations import ACTIVATIONS, naive_softmax, softmax

# Gains that keep the forward variance steady for each nonlinearity (the values of
# torch.nn.init.calculate_gain); each network starts from N(0, gain²/fan_in).
GAINS = {"identity": 1.0, "sigmoid": 1.0, "tanh": 5 / 3, "relu": math.sqrt(2),
         "leaky-relu": math.sqrt(2), "elu": math.sqrt(2)}


@dataclass(frozen=True)
class Config:
    grad_depth: int = 10  # layers of the net whose per-layer gradients we compare
    grad_width: int = 64
    train_width: int = 100  # hidden width of the nets trained to a target accuracy
    train_depth: int = 3
    lr: float = 0.05  # SGD, momentum 0.9
    batch_size: int = 100
    max_steps: int = 1500
    target_accuracy: float = 0.8  # training accuracy to reach
    eval_every: int = 25
    dead_width: int = 256  # hidden width of the dead-unit nets (2 hidden layers)
    dead_steps: int = 300  # plain SGD steps
    lr_small: float = 0.05
    lr_large: float = 0.7
    xor_steps: int = 500


PROFILES = {
    "smoke": Profile(Config(max_steps=100, eval_every=20, dead_steps=30, xor_steps=100,
                            train_width=32, dead_width=64), seeds=2),
    "quick": Profile(Config(), seeds=3),
    "full": Profile(Config(max_steps=6000, dead_steps=2000, xor_steps=2000), seeds=10),
}


def mlp(n_in: int, width: int, depth: int, n_out: int, activation: str,
        g: torch.Generator) -> nn.Sequential:
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


def batches(n: int, batch_size: int, g: torch.Generator):
    while True:
        yield from torch.randperm(n, generator=g).split(batch_size)


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
        lambda v: tanh_grad(torch.tensor(v, dtype=torch.float64)).item() - 0.25, 0.0, 5.0,
        xtol=1e-14)

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


def xor_facts(cfg: Config, seed: int, g: torch.Generator) -> dict:
    """A deep linear stack is one matrix; it cannot fit XOR, a ReLU stack can."""
    centres = torch.tensor([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
    labels = torch.tensor([0, 0, 1, 1])
    k = torch.randint(0, 4, (800,), generator=g)
    X = centres[k] + 0.25 * torch.randn(800, 2, generator=g)
    y = labels[k]
    out = {}
    for name in ("identity", "relu"):
        net = mlp(2, 16, 4, 2, name, g)
        opt = torch.optim.Adam(net.parameters(), lr=0.01, foreach=True)
        for _ in range(cfg.xor_steps):
            opt.zero_grad()
            nn.functional.cross_entropy(net(X), y).backward()
            opt.step()
        with torch.no_grad():
            out[f"acc_xor_{name}"] = (net(X).argmax(1) == y).float().mean().item()
        if name == "identity":
            # Multiply the layers out: W = W_L…W_1, b accumulated along the way.
            W, b = torch.eye(2), torch.zeros(2)
            for layer in net:
                if isinstance(layer, nn.Linear):
                    W, b = layer.weight @ W, layer.weight @ b + layer.bias
            with torch.no_grad():
                out["collapse_error"] = (net(X) - (X @ W.T + b)).abs().max().item()
    out["acc_xor_linear"] = out.pop("acc_xor_identity")
    return out


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


def steps_to_target(cfg: Config, data, name: str, g: torch.Generator, device: str) -> dict:
    X, y = torch.tensor(data.X_train, device=device), torch.tensor(data.y_train, device=device)
    net = mlp(X.shape[1], cfg.train_width, cfg.train_depth, 10, name, g).to(device)
    opt = torch.optim.SGD(net.parameters(), lr=cfg.lr, momentum=0.9, foreach=True)
    curve, reached = [], cfg.max_steps + cfg.eval_every  # censored if never reached
    for step, idx in enumerate(batches(len(X), cfg.batch_size, g)):
        if step % cfg.eval_every == 0:
            with torch.no_grad():
                curve.append((net(X).argmax(1) == y).float().mean().item())
            if curve[-1] >= cfg.target_accuracy:
                reached = min(reached, step)
        if step >= cfg.max_steps:
            break
        idx = idx.to(device)
        opt.zero_grad()
        nn.functional.cross_entropy(net(X[idx]), y[idx]).backward()
        opt.step()
    return {f"steps_{name}": float(reached), f"train_curve_{name}": curve}


def dead_units(cfg: Config, data, name: str, lr: float, g: torch.Generator, device: str) -> dict:
    """Train with plain SGD at ``lr``, then count hidden units that pass no
    gradient on any training input (slope below 1e-6 everywhere) and units
    whose input is negative on every training input."""
    X, y = torch.tensor(data.X_train, device=device), torch.tensor(data.y_train, device=device)
    net = mlp(X.shape[1], cfg.dead_width, 2, 10, name, g).to(device)
    opt = torch.optim.SGD(net.parameters(), lr=lr, foreach=True)
    for step, idx in enumerate(batches(len(X), cfg.batch_size, g)):
        if step >= cfg.dead_steps:
            break
        idx = idx.to(device)
        opt.zero_grad()
        nn.functional.cross_entropy(net(X[idx]), y[idx]).backward()
        opt.step()
    dead, negative, h = [], [], X
    with torch.no_grad():
        for layer in net[:-1]:
            if isinstance(layer, nn.Linear):
                pre = layer(h)  # [n_train, dead_width]
                slope = ACTIVATIONS[name].grad(pre)
                dead.append((slope < 1e-6).all(0))
                negative.append((pre < 0).all(0))
            h = layer(h)
    frac = lambda masks: torch.cat(masks).float().mean().item()  # noqa: E731
    if any(p.isnan().any() for p in net.parameters()):
        return {"dead": math.nan, "negative": math.nan}
    return {"dead": frac(dead), "negative": frac(negative)}


def trial(cfg: Config, seed: int, ctx) -> dict:
    g = torch.Generator().manual_seed(seed)
    out = function_facts(seed)
    out.update(xor_facts(cfg, seed, g))
    ctx.progress(0.1)
    data = mnist1d(seed)
    X = torch.tensor(data.X_train[:1000], device=ctx.device)
    y = torch.tensor(data.y_train[:1000], device=ctx.device)
    out.update(gradient_facts(cfg, X, y, g))
    ctx.progress(0.2)
    for i, name in enumerate(("relu", "tanh", "sigmoid")):
        out.update(steps_to_target(cfg, data, name, g, ctx.device))
        ctx.progress(0.2 + 0.2 * (i + 1))
    out["steps_ratio_tanh_over_relu"] = out["steps_tanh"] / max(out["steps_relu"], 1.0)
    for name in ("relu", "leaky-relu", "elu"):
        key = name.replace("-", "_")
        for size, lr in (("small", cfg.lr_small), ("large", cfg.lr_large)):
            d = dead_units(cfg, data, name, lr, g, ctx.device)
            out[f"dead_{key}_{size}_lr"] = d["dead"]
            out[f"negative_{key}_{size}_lr"] = d["negative"]
    ctx.progress(1.0)
    return out


CLAIMS = (
    Claim("sigmoid-slope", "The sigmoid's slope never exceeds 0.25.",
          AtMost("max_sigmoid_slope", 0.25), expected="supported",
          source="σ'(x) = σ(x)(1 − σ(x)) ≤ 1/4"),
    Claim("tanh-slope-bound",
          "tanh's slope exceeds 0.25 exactly for |x| < atanh(√3/2) ≈ 1.3170.",
          Exact("tanh_slope_bound", math.atanh(math.sqrt(3) / 2), tol=1e-9),
          expected="supported", source="1 − tanh²(x) = 1/4 ⇔ tanh(x) = √3/2"),
    Claim("softmax-sums-to-one", "Softmax outputs sum to 1 (within 1e-6).",
          AtMost("softmax_sum_error", 1e-6), expected="supported", source="definition"),
    Claim("softmax-shift-invariant",
          "Adding the same constant to every score leaves softmax unchanged (within 1e-6).",
          AtMost("softmax_shift_error", 1e-6), expected="supported", source="definition"),
    Claim("linear-collapse",
          "Without a nonlinearity a deep net is one linear map: a 4-layer linear net equals"
          " the product of its matrices (within 1e-5).",
          Exact("collapse_error", 0.0, tol=1e-5), expected="supported",
          source="Goodfellow et al. 2016 §6.1"),
    Claim("linear-cannot-xor",
          "A deep linear stack cannot fit XOR: at most the 75% that any single line gets.",
          AtMost("acc_xor_linear", 0.76), expected="supported", source="Minsky & Papert 1969"),
    Claim("relu-fits-xor", "A ReLU stack of the same shape fits XOR (≥ 95% accuracy).",
          AtLeast("acc_xor_relu", 0.95), expected="supported",
          source="Goodfellow et al. 2016 §6.1"),
    Claim("sigmoid-vanishes",
          "In a 10-layer sigmoid net the first layer's gradient is at least 10× smaller,"
          " relative to the last layer's, than in a ReLU net.",
          Greater("log10_grad_ratio_relu", "log10_grad_ratio_sigmoid", margin=1.0),
          expected="supported", source="Hochreiter 1991; Glorot & Bengio 2010"),
    Claim("relu-faster-than-tanh",
          "A ReLU net reaches the target training accuracy in fewer steps than a tanh net.",
          Greater("steps_tanh", "steps_relu"), expected="supported",
          source="Krizhevsky, Sutskever & Hinton 2012, Fig. 1"),
    Claim("relu-faster-than-sigmoid",
          "A ReLU net reaches the target training accuracy in fewer steps than a sigmoid net.",
          Greater("steps_sigmoid", "steps_relu"), expected="supported",
          source="Glorot, Bordes & Bengio 2011"),
    Claim("large-lr-kills-relus",
          "A large learning rate leaves at least 5% of ReLU units dead (no gradient on any"
          " training input).",
          AtLeast("dead_relu_large_lr", 0.05), expected="supported",
          source="Lu et al. 2019, Dying ReLU"),
    Claim("leaky-relu-no-dead",
          "At the same large learning rate leaky ReLU leaves (almost) no dead units (≤ 1%).",
          AtMost("dead_leaky_relu_large_lr", 0.01), expected="supported",
          source="Maas, Hannun & Ng 2013"),
    Claim("elu-no-dead",
          "At the same large learning rate ELU leaves (almost) no dead units (≤ 1%).",
          AtMost("dead_elu_large_lr", 0.01), expected="supported",
          source="Clevert, Unterthiner & Hochreiter 2016"),
)


def figures(result, new_figure) -> None:
    x = result.series["x_axis"][0]
    fig, axes = new_figure("functions", ncols=2)
    for name in ("sigmoid", "tanh", "relu", "leaky-relu", "elu"):
        axes[0, 0].plot(x, result.series[f"f_{name}"][0], label=name)
        axes[0, 1].plot(x, result.series[f"df_{name}"][0], label=name)
    axes[0, 0].set_ylim(-2, 3)
    axes[0, 0].set_title("f(x)")
    axes[0, 1].set_title("f'(x)")
    axes[0, 1].axhline(0.25, color="grey", ls=":", lw=1)
    axes[0, 1].legend(fontsize=7)
    for ax in axes[0]:
        ax.set_xlabel("x")

    fig, ax = new_figure("gradient-per-layer")
    for name in ("sigmoid", "tanh", "relu"):
        norms = np.asarray(result.series[f"grad_norms_{name}"])
        ax.plot(np.arange(1, norms.shape[1] + 1), np.exp(np.log(norms).mean(0)), "o-", label=name)
    ax.set_yscale("log")
    ax.set_xlabel("layer (1 = nearest the input)")
    ax.set_ylabel("gradient norm at initialisation")
    ax.legend(fontsize=8)

    fig, ax = new_figure("training-speed")
    every = result.config["eval_every"]
    for name in ("relu", "tanh", "sigmoid"):
        c = np.asarray(result.series[f"train_curve_{name}"])
        ax.plot(np.arange(c.shape[1]) * every, c.mean(0), label=name)
    ax.axhline(result.config["target_accuracy"], color="grey", ls=":", label="target")
    ax.set_xlabel("SGD step")
    ax.set_ylabel("training accuracy (mean over seeds)")
    ax.legend(fontsize=8)

    fig, ax = new_figure("dead-units")
    names = ["relu", "leaky_relu", "elu"]
    pos = np.arange(len(names))
    for i, (size, what) in enumerate((("small", "dead"), ("large", "dead"),
                                      ("large", "negative"))):
        vals = [np.nanmean(result.metrics[f"{what}_{n}_{size}_lr"]) for n in names]
        ax.bar(pos + (i - 1) * 0.27, vals, 0.27, label=f"{what}, {size} lr")
    ax.set_xticks(pos, ["ReLU", "leaky ReLU", "ELU"])
    ax.set_ylabel("fraction of hidden units")
    ax.legend(fontsize=8)


ANSWER = """
**Sigmoid** σ(x) = 1/(1+e^−x) squashes to (0, 1); its slope σ(1−σ) peaks at
{{ num(m.max_sigmoid_slope) }} at x = 0. **tanh** squashes to (−1, 1) and is a rescaled
sigmoid (tanh x = 2σ(2x) − 1) with slope up to 1; its slope stays above the sigmoid's
best (0.25) for |x| < {{ num(m.tanh_slope_bound, 6) }} = atanh(√3/2). **ReLU** max(0, x) has
slope 1 or 0; **leaky ReLU** keeps a slope of 0.01 below zero; **ELU** bends smoothly to −1.
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
at most 1/4, so the first layers of a deep sigmoid net barely learn.

**Speed.** To {{ pct(cfg.target_accuracy) }} training accuracy on MNIST-1D (SGD with momentum,
lr {{ cfg.lr }}), ReLU took {{ num(m.steps_relu) }} steps, tanh {{ num(m.steps_tanh) }} and
sigmoid {{ num(m.steps_sigmoid) }} (mean over seeds; {{ cfg.max_steps + cfg.eval_every }}
means "not reached"). {% if v["relu-faster-than-tanh"] != "supported" %}ReLU was
**not** faster than tanh here ({{ v["relu-faster-than-tanh"] }}). Krizhevsky et al.'s 6× was
measured on a convolutional net on CIFAR-10, where depth and saturation matter more; on a
3-hidden-layer MLP with a variance-preserving start, tanh stays in its near-linear range and
trains as fast. The well-supported part is the gap to the sigmoid, whose outputs are not
centred on zero and whose slope is at most 1/4.{% endif %}

**Dead ReLUs.** After {{ cfg.dead_steps }} plain-SGD steps at lr {{ cfg.lr_large }},
{{ pct(m.dead_relu_large_lr) }} of ReLU units gave zero output and zero gradient on every
training example (at lr {{ cfg.lr_small }}: {{ pct(m.dead_relu_small_lr) }}). Such a unit can
never recover: nothing flows back into its weights.
{% if v["large-lr-kills-relus"] != "supported" %}The claim that at least 5% die came out
**{{ v["large-lr-kills-relus"] }}** over {{ n }} seeds: units die in bursts, when one
oversized step pushes a unit's weights and bias to where no input reaches it, so the share
swings from seed to seed (see the interval); more seeds (`--seeds 10`) narrow it.
{% endif %}Leaky ReLU and ELU left
{{ pct(m.dead_leaky_relu_large_lr) }} and {{ pct(m.dead_elu_large_lr) }} — by design, since their
slope below zero is never 0. Note what they do *not* prevent: the share of leaky units whose
input was negative on every example was {{ pct(m.negative_leaky_relu_large_lr) }}; those units
are pushed off as well, but still receive a small gradient and can come back.
"""

QUESTION = Question(
    id="activations",
    title="Sigmoid, tanh, softmax, ReLU, leaky ReLU",
    asked="What are sigmoid, tanh, softmax, ReLU and leaky ReLU, and why use one over another?",
    config=Config,
    profiles=PROFILES,
    trial=trial,
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    anchors=(
        Anchor("steps to a target training error, tanh ÷ ReLU",
               "about 6× (4-layer CNN, CIFAR-10, 25% training error)",
               "Krizhevsky, Sutskever & Hinton 2012, Fig. 1",
               metric="steps_ratio_tanh_over_relu",
               note="ours: 3-hidden-layer MLP on MNIST-1D"),
        Anchor("largest slope of the sigmoid", "1/4", "σ' = σ(1 − σ)",
               metric="max_sigmoid_slope"),
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
