"""Why not start every weight at zero?

A hidden layer is a set of units that all compute the same kind of thing from the
same inputs. If they start with the same weights they compute the same output,
receive the same gradient, take the same step — and are still equal afterwards.
Nothing in gradient descent can tell them apart, so a layer of H equal units is
a layer of one unit written H times. All-zero weights are the extreme case: with
tanh units and zero output weights no gradient reaches the hidden layer at all.

We train the same 64-H-10 tanh network on scikit-learn's 8×8 digits from four
starts: all zeros, every weight the same constant, small random values, and (for
comparison) a network with a single hidden unit. The exact test of "equal units are
one unit" collapses the trained constant-start network into one hidden unit (summed
outgoing weights) and compares the outputs. References: Goodfellow, Bengio &
Courville (2016), *Deep Learning*, §8.4; LeCun, Bottou, Orr & Müller (1998),
*Efficient BackProp*.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from deepfaq.core.claims import AtMost, Beats, Claim, Converged, Exact, Greater
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import sklearn_digits
from deepfaq.nn import init
from deepfaq.nn.ensemble import ensemble_of, unstack


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
    "smoke": Profile(Config(steps=30, eval_every=10), seeds=2, seed_batch=2),
    "quick": Profile(Config(), seeds=5, seed_batch=5),
    "full": Profile(Config(num_hiddens=128, steps=2000, eval_every=50), seeds=10, seed_batch=10),
}

STARTS = ("zero", "constant", "small_random", "one_unit")


def make_net(
    n_in: int, num_hiddens: int, n_out: int, start: str, cfg: Config, g: torch.Generator
) -> nn.Sequential:
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


def collapse_to_one_unit(net: nn.Sequential) -> nn.Sequential:
    """A network with one hidden unit: unit 0's incoming weights and bias, and as its
    outgoing weights the sum of every unit's. It computes exactly what ``net`` computes
    when every hidden unit is a copy of unit 0 (then W2·h = (Σ_j W2[:, j])·h_0)."""
    first, last = net[0], net[2]
    one = nn.Sequential(
        nn.Linear(first.in_features, 1), nn.Tanh(), nn.Linear(1, last.out_features)
    ).to(first.weight)
    with torch.no_grad():
        one[0].weight.copy_(first.weight[:1])
        one[0].bias.copy_(first.bias[:1])
        one[2].weight.copy_(last.weight.sum(1, keepdim=True))  # [n_out, 1]
        one[2].bias.copy_(last.bias)
    return one


def collapse_error(net: nn.Sequential, X: torch.Tensor) -> float:
    """Largest difference between the outputs of ``net`` and of its one-unit collapse
    on ``X``, as a fraction of the largest output. Both are evaluated in float64 from
    the float32 weights, so the summation order of float32 arithmetic cannot hide or
    fake a difference: 0 up to float64 rounding when the units are exact copies."""
    net64 = copy.deepcopy(net).double()
    with torch.no_grad():
        y = net64(X.double())
        y_one = collapse_to_one_unit(net64)(X.double())
    return ((y - y_one).abs().max() / y.abs().max()).item()


def accuracy(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> list[float]:
    """Each model's accuracy: ``X`` [K, n, n_in], ``y`` [K, n] → K fractions."""
    with torch.no_grad():
        return (model(X).argmax(-1) == y).float().mean(-1).tolist()


def batched_trial(cfg: Config, seeds: list[int], ctx) -> list[dict]:
    """The seeds of a batch trained side by side as one ensemble (deepfaq.nn.ensemble):
    each seed keeps its own split, its own random starts and its own gradients, as if
    trained alone. Returns one trial output per seed."""
    dev = ctx.device
    splits = [sklearn_digits(seed) for seed in seeds]
    data = splits[0]  # every split has the same shape

    def stacked(name: str) -> torch.Tensor:  # [K, n, ...]: one slice per seed
        return torch.stack([torch.as_tensor(getattr(d, name)) for d in splits]).to(dev)

    X, y, X_test, y_test = (stacked(n) for n in ("X_train", "y_train", "X_test", "y_test"))
    gens = [torch.Generator().manual_seed(seed) for seed in seeds]
    tracked_inputs = [20, 28, 36, 44]  # central pixels of the 8×8 image
    outs: list[dict] = [{} for _ in seeds]

    for s, start in enumerate(STARTS):
        width = 1 if start == "one_unit" else cfg.num_hiddens
        nets = [make_net(data.n_features, width, data.n_classes, start, cfg, g) for g in gens]
        model = ensemble_of(nets).to(dev)
        opt = torch.optim.Adam(model.parameters(), lr=cfg.lr, foreach=True)
        spread = torch.zeros(len(seeds), device=dev)
        curve, train_curve, weights = [], [], []  # one entry per checkpoint, K values each
        for step in range(cfg.steps + 1):
            W1 = model[0].weight.detach()  # [K, num_hiddens, n_in]
            # Largest difference between any unit's weights and unit 0's, per model.
            spread = torch.maximum(spread, (W1 - W1[:, :1]).abs().amax((1, 2)))
            if step % cfg.eval_every == 0:
                curve.append(accuracy(model, X_test, y_test))
                train_curve.append(accuracy(model, X, y))  # for the convergence checks
                weights.append(W1[:, : cfg.tracked_units, tracked_inputs].cpu())
            if step == cfg.steps:
                break
            opt.zero_grad()
            logits = model(X)  # [K, n_train, n_classes]
            # The sum of the K models' mean losses: each model gets its own gradient.
            nn.functional.cross_entropy(logits.transpose(1, 2), y, reduction="none").mean(
                1
            ).sum().backward()
            opt.step()
        W1 = model[0].weight.detach()
        for k, out in enumerate(outs):
            out[f"acc_{start}"] = curve[-1][k]
            out[f"spread_{start}"] = spread[k].item()
            out[f"curve_{start}"] = [c[k] for c in curve]
            out[f"curve_train_{start}"] = [c[k] for c in train_curve]
            out[f"weights_{start}"] = [w[k].tolist() for w in weights]
            if start == "zero":
                out["hidden_weight_norm_zero"] = W1[k].abs().max().item()
            if start in ("constant", "small_random"):
                out[f"final_w1_{start}"] = W1[k].cpu().tolist()
                # The exact test of "behaves as one unit" (and, on the random start, a
                # control showing the collapse is not exact for any network).
                net = unstack(model, k, nets)  # model k's trained weights, as a plain net
                out[f"collapse_error_{start}"] = collapse_error(net, X_test[k].cpu())
        ctx.progress((s + 1) / len(STARTS))

    for d, out in zip(splits, outs, strict=True):
        out["acc_chance"] = float(np.bincount(d.y_test).max() / len(d.y_test))
        out["gain_constant_over_one_unit"] = out["acc_constant"] - out["acc_one_unit"]
        out["steps_axis"] = list(range(0, cfg.steps + 1, cfg.eval_every))
    return outs


SOURCE = "Goodfellow, Bengio & Courville 2016, Deep Learning §8.4"

CLAIMS = (
    Claim(
        "copies",
        "Start every weight at the same value and the hidden units get identical gradients:"
        " they stay exact copies of each other all through training.",
        Exact("spread_constant", 0.0, tol=1e-6),
        expected="supported",
        source=SOURCE,
        kind="identity",
        unit="",
    ),
    Claim(
        "zero-frozen",
        "From all-zero weights the hidden layer gets no gradient at all and never moves.",
        Exact("hidden_weight_norm_zero", 0.0, tol=0.0),
        expected="supported",
        source=SOURCE,
        kind="identity",
        unit="",
    ),
    Claim(
        "collapses-to-one-unit",
        "After training from equal weights, the network is exactly a one-hidden-unit network:"
        " one unit with the shared incoming weights and the summed outgoing weights gives the"
        " same test-set outputs, to float precision (largest difference at most 1e-6 of the"
        " largest output).",
        Exact("collapse_error_constant", 0.0, tol=1e-6),
        expected="supported",
        source=SOURCE + "; the collapse follows: equal units give W2·h = (Σ_j W2[:, j])·h_0",
        kind="identity",
        unit="",
    ),
    Claim(
        "one-unit",
        "A network started from equal weights learns no better than a network with one"
        " hidden unit (test accuracy at most 2 points higher), both trained to a plateau.",
        AtMost("gain_constant_over_one_unit", 0.02),
        expected="supported",
        source=SOURCE,
        kind="empirical",
        unit="points",
        # The one-unit reference must have learned what one unit can, and both curves
        # must have levelled off: otherwise this compares two snapshots of moving curves.
        preconditions=(
            Beats("acc_one_unit", "acc_chance", margin=0.1, baseline_name="the majority class"),
            Converged("curve_train_one_unit", tol=0.01),
            Converged("curve_train_constant", tol=0.01),
        ),
    ),
    Claim(
        "random-breaks-symmetry",
        "Small random starting values break the symmetry: after the same number of training"
        " steps the same network reaches a test accuracy at least 10 points higher than from"
        " equal weights.",
        Greater("acc_small_random", "acc_constant", margin=0.10),
        expected="supported",
        source="LeCun et al. 1998, Efficient BackProp §4.6",
        kind="empirical",
        unit="points",
        # About the equal-weight start failing: the random start, expected to learn, must have.
        preconditions=(
            Beats("acc_small_random", "acc_chance", margin=0.2, baseline_name="the majority class"),
            Converged("curve_train_small_random", tol=0.05),
        ),
    ),
)

LABELS = {
    "zero": "all zeros",
    "constant": "constant",
    "small_random": "small random",
    "one_unit": "one hidden unit",
}


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, band, color, heatmap, level

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
        top = float(np.abs(W).max()) or 1.0
        heatmap(ax, W, label="weight", cmap="RdBu_r", aspect="auto", vmin=-top, vmax=top)
        ax.set_title(f"{LABELS[start]} start: hidden weights\nafter training (seed 0)", fontsize=9)
        ax.set_xlabel("input pixel")
        ax.set_ylabel("hidden unit")

    fig, ax = new_figure("learning-curves")
    for start in STARTS:
        band(
            ax,
            steps,
            result.series[f"curve_{start}"],
            label=LABELS[start],
            color=color(LABELS[start]),
            bounds=(0, 1),
        )
    level(
        ax,
        result.metrics["acc_chance"],
        color=REFERENCE,
        ls=":",
        label="majority class",
        bounds=(0, 1),
    )
    ax.set_xlabel("training step")
    ax.set_ylabel("test accuracy (mean over seeds)")
    ax.legend(fontsize=8)


ANSWER = """
Because a layer whose units start equal stays equal. Two hidden units with the same
incoming and outgoing weights compute the same value on every input, so
back-propagation hands them the same gradient and the optimiser moves them by the
same step. After training we measured the largest weight difference between any two
of the {{ cfg.num_hiddens }} units of the constant-started network at
**{{ num(m.spread_constant) }}** (over {{ n }} seeds){% if v["copies"] == "supported" %}: not
small, but exactly zero. The heat map of its hidden weights is {{ cfg.num_hiddens }}
identical rows.{% else %}. That should be exactly zero by construction; the check
**{{ v["copies"] }}** points at a bug (or a non-deterministic kernel) to find before reading
further.{% endif %}

All zeros is worse still. With tanh units and zero output weights the hidden layer
outputs 0 and receives gradient `W2ᵀδ = 0`, so it never moves (largest hidden weight
after training: {{ num(m.hidden_weight_norm_zero) }}{% if v["zero-frozen"] != "supported" %}
— not zero, so the check came out **{{ v["zero-frozen"] }}**: a bug to find{% endif %}).
Only the output biases learn, and the network predicts class frequencies: test accuracy
{{ pct(m.acc_zero) }} against {{ pct(m.acc_chance) }} for always answering the most common
class.

A network of copies is a one-unit network in disguise, and that can be tested exactly.
Collapse the trained constant-start network into one hidden unit — the shared incoming
weights, and the {{ cfg.num_hiddens }} outgoing weights of each class summed — and compare
outputs on the test set: the largest difference was {{ num(m.collapse_error_constant) }} of
the largest output{% if v["collapses-to-one-unit"] == "supported" %}, zero up to rounding. The
trained network *is* a one-unit network, whatever its accuracy. (The same collapse of the
randomly started network misses by {{ num(m.collapse_error_small_random) }} of its largest
output: the check can fail.){% else %}. Equal units make this exact by construction, so the
check coming out **{{ v["collapses-to-one-unit"] }}** points at a bug to find before reading
further.{% endif %}

How it trains is another matter, and there we can only illustrate. The constant start reached
{{ pct(m.acc_constant) }} test accuracy, a genuine single-hidden-unit network started from
small random values {{ pct(m.acc_one_unit) }}; the same {{ cfg.num_hiddens }}-unit network
from small random values (std {{ cfg.small_std }}) reached {{ pct(m.acc_small_random) }}.
{% if v["one-unit"] == "supported" %}With both trained to a plateau, the copied network did no
better than the one-unit network (within 2 points), as the collapse suggests.
{% elif v["one-unit"] == "refuted" %}
Trained to a plateau, the copied network nevertheless beat the one-unit network by more than
2 points. It can represent no more than one unit can (the collapse shows it is one), but it
does not train like one — one possible reason, which we did not measure: its
{{ cfg.num_hiddens }} copies move that unit's output weights {{ cfg.num_hiddens }} times as
fast under Adam, which can land it at a better point of the same limited family.
{% else %}
Whether the copied network also trains no better than a one-unit network the quick budget
could not decide: the comparison needs the one-unit network to have learned and both
training curves to have levelled off, and the claims table names the condition (or
interval) that left it open. `deepfaq run zero-init --profile full` decides it.
{% endif %}
{% if v["random-breaks-symmetry"] == "supported" %}Random starting values broke the symmetry:
at the same number of steps the random start was more than 10 points ahead of the equal
start.{% elif v["random-breaks-symmetry"] == "refuted" %}Surprisingly, the random start was not
10 points ahead of the equal start at the same number of steps, although it had learned and
levelled off.{% else %}How far the random start ends ahead of the equal start was not decided
at this budget (claims table).{% endif %}

**The precise version.** Symmetry is broken by *any* difference between units, so
random values are needed only for the weights; biases can start at zero. The values
must be small enough not to saturate the units and large enough to carry signal —
which is the next question, *init-scale*.
"""

QUESTION = Question(
    id="zero-init",
    topic="Initialisation, activations and normalisation",
    paraphrases=(
        "Why not start every weight at zero?",
        "what happens if I initialise all the weights to 0",
        "why is zero initialization bad for neural networks",
        "symmetry breaking in weight initialisation",
    ),
    title="Why not start every weight at zero?",
    asked="Why can't we initialise all the weights of a network to zero (or to one constant)?",
    config=Config,
    profiles=PROFILES,
    trial=None,
    batched_trial=batched_trial,
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    anchors=(
        Anchor(
            "weight spread between hidden units after training from equal weights",
            "0 in exact arithmetic: equal units receive equal updates",
            SOURCE,
            metric="spread_constant",
            key="exact-spread",
            value=0.0,
            unit="",
        ),
    ),
    references=(
        "Goodfellow, Bengio & Courville (2016). Deep Learning, §8.4. MIT Press.",
        "LeCun, Bottou, Orr & Müller (1998). Efficient BackProp.",
    ),
)
