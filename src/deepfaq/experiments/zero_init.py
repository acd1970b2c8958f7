"""Why not start every weight at zero?

A hidden layer is a set of units that all compute the same kind of thing from the
same inputs. If they start with the same weights they compute the same output,
receive the same gradient, take the same step — and are still equal afterwards.
Nothing in gradient descent can tell them apart, so a layer of H equal units is
a layer of one unit written H times. All-zero weights are the extreme case: with
tanh units and zero output weights no gradient reaches the hidden layer at all.

We train the same 64-H-10 tanh network on scikit-learn's 8×8 digits from three
starts — all zeros, every weight the same constant, small random values — and, for
comparison, networks with a single hidden unit. The exact test of "equal units are one
unit" collapses the trained constant-start network into one hidden unit (summed
outgoing weights) and compares the outputs. References: Goodfellow, Bengio &
Courville (2016), *Deep Learning*, §8.4; LeCun, Bottou, Orr & Müller (1998),
*Efficient BackProp*.

Sections, each prose → code → claims → answer: 1. the starts and the training loop;
2. equal units stay copies (exact); 3. a network of copies is a one-unit network
(exact, and in what it learns); 4. random values break the symmetry.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch
from torch import nn

from deepfaq.core.claims import AtMost, Beats, Claim, Converged, Exact, Greater
from deepfaq.core.config import Range
from deepfaq.core.figures import PALETTE
from deepfaq.core.outputs import curve, metric, series
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import sklearn_digits
from deepfaq.experiments import kit
from deepfaq.nn import init
from deepfaq.nn.ensemble import ensemble_of, unstack


@dataclass(frozen=True)
class Config:
    num_hiddens: int = 32  # width of the hidden layer
    steps: int = 800  # Adam steps
    lr: float = 0.03
    # examples per step; 0 = the whole training split (full batch)
    batch_size: Annotated[int, Range(1, 12_800, also=(0,))] = 128
    constant: float = 0.1  # the value every weight gets in the "constant" start
    small_std: float = 0.1  # std of the "small random values" start
    one_unit_restarts: int = 4  # one-hidden-unit nets per seed; the lowest training loss counts
    eval_every: int = 20  # steps between test-accuracy checkpoints
    tracked_units: int = 6  # hidden units whose weights are kept for the figure


PROFILES = {
    "smoke": Profile(Config(steps=40, eval_every=5, one_unit_restarts=2), seeds=2, seed_batch=2),
    # Sequential design (pre-registered in the lock): seeds are added once, up to the
    # cap, only if a claim's interval straddles its boundary; intervals at 97.5% per look.
    "quick": Profile(Config(), seeds=5, seed_batch=5, looks=(5, 40)),
    "full": Profile(Config(), seeds=10, seed_batch=10, looks=(10, 30)),
    # The full profile before 2026-12: 128 units, 2,000 full-batch Adam steps at lr 0.01,
    # one one-unit net per seed.
    "paper": Profile(
        Config(
            num_hiddens=128,
            steps=2000,
            lr=0.01,
            batch_size=0,
            one_unit_restarts=1,
            eval_every=50,
        ),
        seeds=10,
        seed_batch=10,
    ),
}

# %% 1. The starts and the training loop
# Every start trains the same architecture on the same batches of the same split (per
# seed); only the initial weights differ. Biases start at zero in every case: the
# question is about the weights.

STARTS = ("zero", "constant", "small_random", "one_unit")
LABELS = {
    "zero": "all zeros",
    "constant": "constant",
    "small_random": "small random",
    "one_unit": "one hidden unit",
}
TRACKED_INPUTS = [20, 28, 36, 44]  # central pixels of the 8×8 image, for the figure


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


def train(model, data, owner, seeds: list[int], cfg: Config) -> dict:
    """Adam on every member of ``model`` at once; member m trains on the split of seed
    ``owner[m]`` in that seed's batch order, so all starts of a seed see the same
    batches. The loss is the sum of the members' mean losses: each member gets its own
    gradient, as if trained alone. Returns per member: the test-accuracy curve, the
    largest spread between hidden units' incoming weights over training, the tracked
    weights at each checkpoint and the final training loss."""
    X, y, X_test, y_test = (t[owner] for t in data)  # [M, n, ...], one split per member
    rows = owner[:, None]
    n = data[0].shape[1]
    if cfg.batch_size:  # every step's batch, drawn up front: [K, steps, batch_size]
        order = [
            torch.randint(0, n, (cfg.steps, cfg.batch_size), generator=g)
            for g in kit.generators(seeds, "batches")
        ]
        order = torch.stack(order).to(X.device)[owner]  # [M, steps, batch_size]
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr, foreach=True)
    spread = torch.zeros(len(owner), device=X.device)
    curve_, weights = [], []  # one entry per checkpoint, M values each
    for step in range(cfg.steps + 1):
        W1 = model[0].weight.detach()  # [M, num_hiddens, n_in]
        # Largest difference between any unit's incoming weights and unit 0's, per model.
        spread = torch.maximum(spread, (W1 - W1[:, :1]).abs().amax((1, 2)))
        if step % cfg.eval_every == 0:
            curve_.append(kit.accuracy(model, X_test, y_test))
            weights.append(W1[:, : cfg.tracked_units, TRACKED_INPUTS].cpu())
        if step == cfg.steps:
            break
        Xb, yb = (X[rows, order[:, step]], y[rows, order[:, step]]) if cfg.batch_size else (X, y)
        opt.zero_grad()
        cross_entropy(model(Xb), yb).sum().backward()
        opt.step()
    with torch.no_grad():
        final_loss = cross_entropy(model(X), y)
    return {
        "curve": torch.stack(curve_, 1),
        "spread": spread,
        "weights": weights,
        "loss": final_loss,
    }


def cross_entropy(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Each member's mean loss: ``logits`` [M, n, classes], ``y`` [M, n] → [M]."""
    return nn.functional.cross_entropy(logits.transpose(1, 2), y, reduction="none").mean(1)


def run_starts(starts, width: int, restarts: int, cfg: Config, seeds: list[int], data) -> dict:
    """Train ``starts`` of one width for every seed as one ensemble, ``restarts`` nets per
    start and seed (member (i·K + k)·R + r: start i, seed k, restart r), each from its own
    random stream. Returns, per start, each member's results as rows of ``[K·R, ...]``,
    the ensemble and the plain nets it was built from."""
    n_in, n_out = data[0].shape[-1], int(data[1].max()) + 1
    nets = [
        make_net(n_in, width, n_out, start, cfg, kit.generator(seed, f"init/{start}/{r}"))
        for start in starts
        for seed in seeds
        for r in range(restarts)
    ]
    model = ensemble_of(nets).to(data[0].device)
    K, M = len(seeds), len(nets)
    owner = torch.arange(K, device=data[0].device).repeat_interleave(restarts).repeat(len(starts))
    res = train(model, data, owner, seeds, cfg)
    size = K * restarts
    out = {}
    for i, start in enumerate(starts):
        part = slice(i * size, (i + 1) * size)
        out[start] = {
            "curve": res["curve"][part],
            "spread": res["spread"][part],
            "weights": [w[part] for w in res["weights"]],
            "loss": res["loss"][part],
            "members": range(i * size, (i + 1) * size),
        }
    assert len(starts) * size == M
    return {"model": model, "nets": nets, **out}


def batched_trial(cfg: Config, seeds: list[int], ctx) -> list[dict]:
    """The seeds of a batch trained side by side as ensembles (deepfaq.nn.ensemble): each
    seed keeps its own split, its own random starts and its own gradients, as if trained
    alone. The three starts of the full width train as one ensemble, the one-unit nets as
    another. Returns one trial output per seed."""
    splits = [sklearn_digits(seed) for seed in seeds]
    names = ("X_train", "y_train", "X_test", "y_test")
    data = tuple(kit.stacked([getattr(d, n) for d in splits], ctx.device) for n in names)
    outs: list[dict] = [
        {
            "acc_chance": kit.majority_share(d.y_test),
            "steps_axis": list(range(0, cfg.steps + 1, cfg.eval_every)),
        }
        for d in splits
    ]
    stages = kit.Stages(ctx, wide=3, one_unit=1)
    wide = run_starts(("zero", "constant", "small_random"), cfg.num_hiddens, 1, cfg, seeds, data)
    for start in ("zero", "constant", "small_random"):
        run = wide[start]
        for k, out in enumerate(outs):
            out[f"acc_{start}"] = float(run["curve"][k, -1])
            out[f"curve_{start}"] = kit.per_seed(run["curve"][k])
            out[f"weights_{start}"] = [w[k].tolist() for w in run["weights"]]
    for k, out in enumerate(outs):
        out["spread_constant"] = float(wide["constant"]["spread"][k])
        zero = wide["zero"]["members"][k]
        out["hidden_weight_norm_zero"] = wide["model"][0].weight[zero].abs().max().item()
    for start in ("constant", "small_random"):
        collapse_facts(start, wide, data, outs)
    stages.done("wide")
    one_unit_facts(run_starts(("one_unit",), 1, cfg.one_unit_restarts, cfg, seeds, data), outs)
    stages.done("one_unit")
    for out in outs:
        out["gain_constant_over_one_unit"] = out["acc_constant"] - out["acc_one_unit"]
    return outs


OUTPUTS_TRAINING = (
    metric(
        "acc_chance",
        "the test accuracy of always answering the most common digit",
        "%",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    series("steps_axis", "the training steps at which the curves were measured"),
    *(
        metric(
            f"acc_{s}",
            f"the test accuracy of the network started from {LABELS[s]}",
            "%",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        )
        for s in ("zero", "constant", "small_random")
    ),
    *(
        curve(
            f"curve_{s}",
            f"the test accuracy during training of the network started from {LABELS[s]}",
            "%",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        )
        for s in ("zero", "constant", "small_random")
    ),
    *(
        series(
            f"weights_{s}",
            f"tracked hidden-unit weights during training, {LABELS[s]} start"
            " [checkpoint, unit, pixel]",
        )
        for s in ("zero", "constant", "small_random")
    ),
)

# %% 2. Equal units stay copies
# The spread is measured at every step, not only at the end: a symmetry broken and then
# restored by chance would not pass.

CLAIMS_COPIES = (
    Claim(
        "copies",
        "Start every weight at the same value and the hidden units get identical gradients:"
        " they stay exact copies of each other all through training.",
        Exact("spread_constant", 0.0, tol=1e-6),
        expected="supported",
        source="Goodfellow, Bengio & Courville 2016, Deep Learning §8.4",
        kind="identity",
        unit="",
    ),
    Claim(
        "zero-frozen",
        "From all-zero weights the hidden layer gets no gradient at all and never moves.",
        Exact("hidden_weight_norm_zero", 0.0, tol=0.0),
        expected="supported",
        source="Goodfellow, Bengio & Courville 2016, Deep Learning §8.4",
        kind="identity",
        unit="",
    ),
)

OUTPUTS_COPIES = (
    metric(
        "spread_constant",
        "the largest difference between two hidden units' incoming weights at any step of"
        " training from equal weights",
        bounds=(0, float("inf")),
    ),
    metric(
        "hidden_weight_norm_zero",
        "the largest hidden-layer weight after training from all zeros",
        bounds=(0, float("inf")),
    ),
)

ANSWER_COPIES = """
Because a layer whose units start equal stays equal. Two hidden units with the same
incoming and outgoing weights compute the same value on every input, so
back-propagation hands them the same gradient and the optimiser moves them by the
same step. Over training we measured the largest weight difference between any two
of the {{ cfg.num_hiddens }} units of the constant-started network at
**{{ num(m.spread_constant) }}** (largest over {{ n }} seeds){% if v["copies"] == "supported"
%}: not small, but exactly zero. The heat map of its hidden weights is {{ cfg.num_hiddens }}
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
"""

# %% 3. A network of copies is a one-unit network


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


def collapse_facts(start: str, wide: dict, data, outs: list[dict]) -> None:
    """The exact test of "behaves as one unit" on each seed's trained network (on the
    random start, a control showing the collapse is not exact for any network)."""
    X_test = data[2]
    for k, out in enumerate(outs):
        m = wide[start]["members"][k]
        net = unstack(wide["model"], m, wide["nets"])  # member m's trained weights, as a plain net
        out[f"collapse_error_{start}"] = collapse_error(net, X_test[k].cpu())
        out[f"final_w1_{start}"] = net[0].weight.detach().cpu().tolist()


def one_unit_facts(runs: dict, outs: list[dict]) -> None:
    """What one hidden unit learns: of each seed's ``one_unit_restarts`` one-unit nets,
    the one with the lowest final training loss (chosen without looking at the test
    set). A single random start of a one-unit net often stalls in a poor local optimum,
    so one draw would understate what the one-unit family can learn."""
    run = runs["one_unit"]
    best = run["loss"].reshape(len(outs), -1).argmin(1)  # [K]: restarts of seed k in a row
    R = run["loss"].numel() // len(outs)
    for k, out in enumerate(outs):
        m = k * R + int(best[k])
        out["acc_one_unit"] = float(run["curve"][m, -1])
        out["curve_one_unit"] = kit.per_seed(run["curve"][m])


# The one-unit comparison can only be judged once both networks have stopped learning:
# a copied network still rising would raise the gain (it can only make a refutation
# more certain), a one-unit network still rising would lower it (it can only make
# support more certain). Tolerance: half the claim's 2-point bound, on the same
# held-out accuracy.
CLAIMS_ONE_UNIT = (
    Claim(
        "collapses-to-one-unit",
        "After training from equal weights, the network is exactly a one-hidden-unit network:"
        " one unit with the shared incoming weights and the summed outgoing weights gives the"
        " same test-set outputs, to float precision (largest difference at most 1e-6 of the"
        " largest output).",
        Exact("collapse_error_constant", 0.0, tol=1e-6),
        expected="supported",
        source="Goodfellow, Bengio & Courville 2016, Deep Learning §8.4; the collapse follows:"
        " equal units give W2·h = (Σ_j W2[:, j])·h_0",
        kind="identity",
        unit="",
    ),
    Claim(
        "one-unit",
        "A network started from equal weights learns no better than a network with one"
        " hidden unit (test accuracy at most 2 points higher than the best of"
        " {cfg.one_unit_restarts} one-unit networks by training loss), both trained until"
        " their test accuracy levels off.",
        AtMost("gain_constant_over_one_unit", 0.02),
        expected="supported",
        source="Goodfellow, Bengio & Courville 2016, Deep Learning §8.4",
        kind="empirical",
        unit="points",
        preconditions=(
            Beats("acc_one_unit", "acc_chance", margin=0.1, baseline_name="the majority class"),
            Converged("curve_constant", tol=0.01, favours="refuted"),
            Converged("curve_one_unit", tol=0.01, favours="supported"),
        ),
    ),
)

OUTPUTS_ONE_UNIT = (
    *(
        metric(
            f"collapse_error_{s}",
            f"the largest output difference between the trained {LABELS[s]}-start network"
            " and its one-unit collapse, as a fraction of its largest output",
            better=None,
            bounds=(0, float("inf")),
        )
        for s in ("constant", "small_random")
    ),
    *(
        series(
            f"final_w1_{s}",
            f"the hidden weights after training, {LABELS[s]} start [unit, pixel]",
        )
        for s in ("constant", "small_random")
    ),
    metric(
        "acc_one_unit",
        "the test accuracy of the one-hidden-unit network (best of its restarts by training loss)",
        "%",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    curve(
        "curve_one_unit",
        "the test accuracy during training of the one-hidden-unit network",
        "%",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    metric(
        "gain_constant_over_one_unit",
        "how much higher the constant-start network's test accuracy is than the one-unit network's",
        "points",
        better=None,
        bounds=(-1, 1),
        data="held-out",
    ),
)

ANSWER_ONE_UNIT = """
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

What it learns follows. The constant start reached {{ pct(m.acc_constant) }} test accuracy;
genuine single-hidden-unit networks (the best of {{ cfg.one_unit_restarts }} random starts
per seed, chosen by training loss) reached {{ pct(m.acc_one_unit) }}; the same
{{ cfg.num_hiddens }}-unit network from small random values (std {{ cfg.small_std }})
reached {{ pct(m.acc_small_random) }}, all after {{ num(cfg.steps) }} Adam steps.
{% if v["one-unit"] == "supported" %}With both trained until their test accuracy levelled off,
the copied network did no better than the one-unit network (not more than 2 points above
it), as the collapse says it must.
{% elif v["one-unit"] == "refuted" %}With both trained until their test accuracy levelled off,
the copied network nevertheless beat the one-unit network by more than 2 points. It can
represent no more than one unit can (the collapse shows it is one), but it does not train
like one: under Adam its {{ cfg.num_hiddens }} copies move that unit's outgoing weights
{{ cfg.num_hiddens }} times as fast, which can land it at a better point of the same limited
family (a possible reason; we did not measure it).
{% else %}Whether the copied network also learns no better than a one-unit network is not
decided at this budget: {{ c["one-unit"].reason }}.
{% endif %}"""

# %% 4. Small random values break the symmetry
# About the equal start failing: the random start, expected to learn, must have learned
# (its further progress could only widen the gap), and the equal start must have
# levelled off (its further progress could close it). Tolerance: half the 10-point margin.

CLAIMS_RANDOM = (
    Claim(
        "random-breaks-symmetry",
        "Small random starting values break the symmetry: after the same {cfg.steps} training"
        " steps the same network reaches a test accuracy at least 10 points higher than from"
        " equal weights.",
        Greater("acc_small_random", "acc_constant", margin=0.10),
        expected="supported",
        source="LeCun et al. 1998, Efficient BackProp §4.6",
        kind="empirical",
        unit="points",
        preconditions=(
            Beats("acc_small_random", "acc_chance", margin=0.2, baseline_name="the majority class"),
            Converged("curve_small_random", tol=0.05, favours="supported"),
            Converged("curve_constant", tol=0.05),
        ),
    ),
)

ANSWER_RANDOM = """
{% if v["random-breaks-symmetry"] == "supported" %}Random starting values broke the symmetry:
after the same number of steps the random start was more than 10 points ahead of the equal
start.{% elif v["random-breaks-symmetry"] == "refuted" %}Surprisingly, the random start was not
10 points ahead of the equal start after the same number of steps, although it had learned and
levelled off.{% else %}How far the random start ends ahead of the equal start is not decided
at this budget: {{ c["random-breaks-symmetry"].reason }}.{% endif %}

**The precise version.** Symmetry is broken by *any* difference between units, so
random values are needed only for the weights; biases can start at zero. The values
must be small enough not to saturate the units and large enough to carry signal —
which is the next question, *init-scale*.
"""

CLAIMS = CLAIMS_COPIES + CLAIMS_ONE_UNIT + CLAIMS_RANDOM
OUTPUTS = OUTPUTS_TRAINING + OUTPUTS_COPIES + OUTPUTS_ONE_UNIT
ANSWER = ANSWER_COPIES + ANSWER_ONE_UNIT + ANSWER_RANDOM

# %% Figures


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, band, color, heatmap, level

    steps = result.series["steps_axis"][0]

    fig, axes = new_figure("unit-weights", ncols=2, sharey=True)
    for ax, start in zip(axes[0], ("constant", "small_random"), strict=True):
        w = np.asarray(result.series[f"weights_{start}"][0])  # [checkpoint, unit, pixel]
        for j in range(w.shape[1]):
            ax.plot(steps[: w.shape[0]], w[:, j, 0], lw=1.2, label=f"unit {j}")
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
        c = 100 * np.asarray(result.series[f"curve_{start}"], dtype=float)
        band(ax, steps, c, label=LABELS[start], color=color(LABELS[start]), bounds=(0, 100))
    level(
        ax,
        [100 * v for v in result.metrics["acc_chance"]],
        color=REFERENCE,
        ls=":",
        label="majority class",
        bounds=(0, 100),
    )
    ax.set_xlabel("training step")
    ax.set_ylabel("test accuracy, % (mean over seeds)")
    ax.legend(fontsize=8)


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
    outputs=OUTPUTS,
    figures=figures,
    answer=ANSWER,
    colors={
        "all zeros": PALETTE[6],
        "constant": PALETTE[3],
        "small random": PALETTE[2],
        "one hidden unit": PALETTE[4],
    },
    key_claims=("copies", "collapses-to-one-unit", "one-unit", "random-breaks-symmetry"),
    one_line=(
        '{{ by_verdict(v["copies"], "Because units that start equal get equal gradients and'
        " stay exact copies, so the network is a one-unit network in disguise (all zeros is"
        ' worse: the hidden layer never moves); small random values break the symmetry.",'
        ' "Equal starting weights should keep the hidden units exact copies, but here they'
        ' drifted apart, which points at a bug, not at the theory.", "Equal starting weights'
        " keep the hidden units copies of each other, which makes the network a one-unit"
        ' network in disguise.") }}'
    ),
    anchors=(
        Anchor(
            "weight spread between hidden units after training from equal weights",
            "0 in exact arithmetic: equal units receive equal updates",
            "Goodfellow, Bengio & Courville 2016, Deep Learning §8.4",
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
