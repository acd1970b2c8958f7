"""Why not start every weight at zero?

A hidden layer is a set of units that all compute the same kind of thing from the
same inputs. If they start with the same weights they compute the same output,
receive the same gradient, take the same step — and are still equal afterwards.
Nothing in gradient descent can tell them apart, so a layer of H equal units is
a layer of one unit written H times. All-zero weights are the extreme case: with
tanh units and zero output weights no gradient reaches the hidden layer at all.

We train the same 64-H-10 tanh network on scikit-learn's 8×8 digits from four
starts: all zeros, every weight the same constant, small random values, and (for
comparison) a network with a single hidden unit. References: Goodfellow, Bengio &
Courville (2016), *Deep Learning*, §8.4; LeCun, Bottou, Orr & Müller (1998),
*Efficient BackProp*.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from deepfaq.core.claims import AtMost, Claim, Exact, Greater
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import sklearn_digits
from deepfaq.nn import init


@dataclass(frozen=True)
class Config:
    num_hiddens: int = 32  # width of the hidden layer
    steps: int = 300  # full-batch Adam steps
    lr: float = 0.01
    constant: float = 0.1  # the value every weight gets in the "constant" start
    small_std: float = 0.1  # std of the "small random values" start
    eval_every: int = 10  # steps between test-accuracy checkpoints
    tracked_units: int = 6  # hidden units whose weights are kept for the figure


PROFILES = {
    "smoke": Profile(Config(steps=30, eval_every=10), seeds=2),
    "quick": Profile(Config(), seeds=5),
    "full": Profile(Config(num_hiddens=128, steps=2000, eval_every=50), seeds=10),
}

STARTS = ("zero", "constant", "small_random", "one_unit")


def make_net(n_in: int, num_hiddens: int, n_out: int, start: str, cfg: Config,
             g: torch.Generator) -> nn.Sequential:
    net = nn.Sequential(nn.Linear(n_in, num_hiddens), nn.Tanh(), nn.Linear(num_hiddens, n_out))
    for layer in (net[0], net[2]):
        init.zeros_(layer.bias)
        if start == "zero":
            init.zeros_(layer.weight)
        elif start == "constant":
            init.constant_(layer.weight, cfg.constant)
        else:
            init.normal_(layer.weight, cfg.small_std, g)
    return net


def accuracy(net: nn.Module, X: torch.Tensor, y: torch.Tensor) -> float:
    with torch.no_grad():
        return (net(X).argmax(1) == y).float().mean().item()


def trial(cfg: Config, seed: int, ctx) -> dict:
    data = sklearn_digits(seed)
    X = torch.tensor(data.X_train, device=ctx.device)
    y = torch.tensor(data.y_train, device=ctx.device)
    X_test = torch.tensor(data.X_test, device=ctx.device)
    y_test = torch.tensor(data.y_test, device=ctx.device)
    g = torch.Generator().manual_seed(seed)
    tracked_inputs = [20, 28, 36, 44]  # central pixels of the 8×8 image
    out: dict = {}

    for s, start in enumerate(STARTS):
        width = 1 if start == "one_unit" else cfg.num_hiddens
        net = make_net(data.n_features, width, data.n_classes, start, cfg, g).to(ctx.device)
        opt = torch.optim.Adam(net.parameters(), lr=cfg.lr, foreach=True)
        spread, curve, weights = 0.0, [], []
        for step in range(cfg.steps + 1):
            W1 = net[0].weight.detach()  # [num_hiddens, n_in]
            # Largest difference between any unit's weights and unit 0's.
            spread = max(spread, (W1 - W1[:1]).abs().max().item())
            if step % cfg.eval_every == 0:
                curve.append(accuracy(net, X_test, y_test))
                weights.append(W1[: cfg.tracked_units, tracked_inputs].cpu().tolist())
            if step == cfg.steps:
                break
            opt.zero_grad()
            nn.functional.cross_entropy(net(X), y).backward()
            opt.step()
        out[f"acc_{start}"] = curve[-1]
        out[f"spread_{start}"] = spread
        out[f"curve_{start}"] = curve
        out[f"weights_{start}"] = weights
        if start == "zero":
            out["hidden_weight_norm_zero"] = net[0].weight.detach().abs().max().item()
        if start in ("constant", "small_random"):
            out[f"final_w1_{start}"] = net[0].weight.detach().cpu().tolist()
        ctx.progress((s + 1) / len(STARTS))

    out["acc_chance"] = float(np.bincount(data.y_test).max() / len(data.y_test))
    out["gain_constant_over_one_unit"] = out["acc_constant"] - out["acc_one_unit"]
    out["steps_axis"] = list(range(0, cfg.steps + 1, cfg.eval_every))
    return out


SOURCE = "Goodfellow, Bengio & Courville 2016, Deep Learning §8.4"

CLAIMS = (
    Claim(
        "copies",
        "Start every weight at the same value and the hidden units get identical gradients:"
        " they stay exact copies of each other all through training.",
        Exact("spread_constant", 0.0, tol=1e-6),
        expected="supported",
        source=SOURCE,
    ),
    Claim(
        "zero-frozen",
        "From all-zero weights the hidden layer gets no gradient at all and never moves.",
        Exact("hidden_weight_norm_zero", 0.0, tol=0.0),
        expected="supported",
        source=SOURCE,
    ),
    Claim(
        "one-unit",
        "A network started from equal weights learns no better than a network with one"
        " hidden unit (test accuracy at most 2 points higher).",
        AtMost("gain_constant_over_one_unit", 0.02),
        expected="supported",
        source=SOURCE,
    ),
    Claim(
        "random-breaks-symmetry",
        "Small random starting values break the symmetry: the same network then reaches"
        " a test accuracy at least 10 points higher than from equal weights.",
        Greater("acc_small_random", "acc_constant", margin=0.10),
        expected="supported",
        source="LeCun et al. 1998, Efficient BackProp §4.6",
    ),
)

LABELS = {"zero": "all zeros", "constant": "constant", "small_random": "small random",
          "one_unit": "one hidden unit"}


def figures(result, new_figure) -> None:
    steps = result.series["steps_axis"][0]

    fig, axes = new_figure("unit-weights", ncols=2, sharey=True)
    for ax, start in zip(axes[0], ("constant", "small_random"), strict=True):
        w = np.asarray(result.series[f"weights_{start}"][0])  # [checkpoint, unit, pixel]
        for j in range(w.shape[1]):
            ax.plot(steps, w[:, j, 0], lw=1.2, label=f"unit {j}")
        ax.set_title(f"{LABELS[start]} start (seed 0)")
        ax.set_xlabel("training step")
    axes[0, 0].set_ylabel("weight from one input pixel")
    axes[0, 1].legend(fontsize=7)

    fig, axes = new_figure("final-weights", ncols=2)
    for ax, start in zip(axes[0], ("constant", "small_random"), strict=True):
        W = np.asarray(result.series[f"final_w1_{start}"][0])
        ax.imshow(W, aspect="auto", cmap="RdBu_r")
        ax.set_title(f"{LABELS[start]}: hidden weights after training")
        ax.set_xlabel("input pixel")
        ax.set_ylabel("hidden unit")

    fig, ax = new_figure("learning-curves")
    for start in STARTS:
        curves = np.asarray(result.series[f"curve_{start}"])
        ax.plot(steps, curves.mean(0), label=LABELS[start])
    ax.axhline(np.mean(result.metrics["acc_chance"]), color="grey", ls=":", label="majority class")
    ax.set_xlabel("training step")
    ax.set_ylabel("test accuracy (mean over seeds)")
    ax.legend(fontsize=8)


ANSWER = """
Because a layer whose units start equal stays equal. Two hidden units with the same
incoming and outgoing weights compute the same value on every input, so
back-propagation hands them the same gradient and the optimiser moves them by the
same step. After training we measured the largest weight difference between any two
of the {{ cfg.num_hiddens }} units of the constant-started network at
**{{ num(m.spread_constant) }}** (over {{ n }} seeds): not small, but exactly zero. The
heat map of its hidden weights is {{ cfg.num_hiddens }} identical rows.

All zeros is worse still. With tanh units and zero output weights the hidden layer
outputs 0 and receives gradient `W2ᵀδ = 0`, so it never moves (largest hidden weight
after training: {{ num(m.hidden_weight_norm_zero) }}). Only the output biases learn, and the
network predicts class frequencies: test accuracy {{ pct(m.acc_zero) }} against
{{ pct(m.acc_chance) }} for always answering the most common class.

A network of copies is a one-unit network in disguise. The constant start reached
{{ pct(m.acc_constant) }} test accuracy, a genuine single-hidden-unit network
{{ pct(m.acc_one_unit) }}; the same {{ cfg.num_hiddens }}-unit network from small random
values (std {{ cfg.small_std }}) reached {{ pct(m.acc_small_random) }}.
{% if v["one-unit"] != "supported" %}
The "no better than one unit" claim did not come out supported here: the copied
network is limited to what one unit can represent, but it does not train like one —
its {{ cfg.num_hiddens }} copies multiply the effective step size of that unit, so after
the same number of steps it can sit at a different point on the same limited curve.
{% endif %}

**The precise version.** Symmetry is broken by *any* difference between units, so
random values are needed only for the weights; biases can start at zero. The values
must be small enough not to saturate the units and large enough to carry signal —
which is the next question, *init-scale*.
"""

QUESTION = Question(
    id="zero-init",
    title="Why not start every weight at zero?",
    asked="Why can't we initialise all the weights of a network to zero (or to one constant)?",
    config=Config,
    profiles=PROFILES,
    trial=trial,
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    anchors=(
        Anchor(
            "weight spread between hidden units after training from equal weights",
            "0 in exact arithmetic: equal units receive equal updates",
            SOURCE,
            metric="spread_constant",
        ),
    ),
    references=(
        "Goodfellow, Bengio & Courville (2016). Deep Learning, §8.4. MIT Press.",
        "LeCun, Bottou, Orr & Müller (1998). Efficient BackProp.",
    ),
)
