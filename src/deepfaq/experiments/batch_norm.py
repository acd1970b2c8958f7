"""What does batch normalization do?

Batch normalization (Ioffe & Szegedy 2015) standardises each unit's input over the
mini-batch — subtract the batch mean, divide by the batch standard deviation —
then lets the network rescale it with a learned γ and shift it with a learned β.
Each layer then sees inputs on a fixed scale however the layers below it change,
which the authors argued reduces "internal covariate shift" and allows larger
learning rates.

We reproduce their MNIST experiment (Figure 1) on 5,000 real MNIST digits: three
hidden layers of 100 sigmoid units from a small Gaussian start, trained with plain
SGD, with and without our own BatchNorm1d before each sigmoid; then we train both at a
large learning rate, and sweep the learning rate and the initial weight scale to see
where the advantage holds.

Sections, each prose → code → claims → answer: 1. the networks and the training loop;
2. what BN computes (exact); 3. speed: steps to a target accuracy; 4. the drift of a
sigmoid's input; 5. a large learning rate; 6. the sweep.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch
from torch import nn

from deepfaq.core.claims import AtMost, Beats, Claim, Converged, Greater, Ratio
from deepfaq.core.config import Range
from deepfaq.core.errors import BadConfig
from deepfaq.core.figures import PALETTE
from deepfaq.core.outputs import curve, metric, series
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.core.sweep import Sweep
from deepfaq.data import mnist_digits
from deepfaq.experiments import kit
from deepfaq.nn import init
from deepfaq.nn.batchnorm import BatchNorm1d
from deepfaq.nn.ensemble import EnsembleBatchNorm, EnsembleLinear, unstack


@dataclass(frozen=True)
class Config:
    num_hiddens: int = 100  # units per hidden layer (3 hidden layers)
    init_std: float = 0.1  # "small random Gaussian values"
    lr: float = 0.5  # plain SGD
    lr_large: float = 32.0  # the large rate of the larger-learning-rate claim
    batch_size: int = 60  # as in the paper
    steps: int = 1500  # main nets and both nets at the large rate; the paper: 50,000
    eval_every: int = 50  # steps between test-accuracy and percentile checkpoints
    target_every: int = 10  # steps between checks of the target, until every net reached it
    target_accuracy: Annotated[float, Range(0, 1)] = 0.88  # for the "fewer steps" claim
    tracked_units: int = 4  # last-hidden-layer sigmoid inputs tracked for the drift
    sweep_lrs: tuple[float, ...] = (0.1, 0.5, 2.0, 8.0, 32.0)
    sweep_stds: tuple[float, ...] = (0.01, 0.1)
    sweep_steps: int = 500  # SGD steps per point of the sweep (the figure)

    def __post_init__(self):
        if self.init_std not in self.sweep_stds:  # the claims' nets are points of the sweep
            raise BadConfig(
                f"init_std ({self.init_std}) must be one of sweep_stds {self.sweep_stds}"
            )


PROFILES = {
    "smoke": Profile(
        Config(
            steps=100,
            eval_every=10,
            target_every=5,
            sweep_lrs=(0.5, 32.0),
            sweep_stds=(0.1,),
            sweep_steps=50,
        ),
        seeds=2,
        seed_batch=2,
    ),
    "quick": Profile(Config(sweep_stds=(0.1,)), seeds=5, seed_batch=5),
    "full": Profile(Config(steps=3000, sweep_steps=1000), seeds=10, seed_batch=10),
    # The full profile before 2026-12 (its steps to the target are now checked every
    # target_every steps, not only at the 500-step checkpoints).
    "paper": Profile(
        Config(steps=50_000, eval_every=500, sweep_steps=10_000), seeds=10, seed_batch=10
    ),
}

# %% 1. The networks and the training loop
# Within a seed, the nets with and without BN start from the same linear weights and
# see the same batches (and so does every point of the sweep at the same initial
# scale), so BN is the only difference.

ARMS = {"plain": "without BN", "bn": "with BN"}
QUANTILES = (0.15, 0.5, 0.85)


def make_net(
    n_in: int, cfg: Config, batch_norm: bool, init_std: float, g: torch.Generator
) -> nn.Sequential:
    layers, fan_in = [], n_in
    for _ in range(3):
        lin = nn.Linear(fan_in, cfg.num_hiddens)
        init.normal_(lin.weight, init_std, g)
        init.zeros_(lin.bias)
        layers += [lin, BatchNorm1d(cfg.num_hiddens)] if batch_norm else [lin]
        layers.append(nn.Sigmoid())
        fan_in = cfg.num_hiddens
    out = nn.Linear(fan_in, 10)
    init.normal_(out.weight, init_std, g)
    init.zeros_(out.bias)
    return nn.Sequential(*layers, out)


def stack(nets: list[nn.Sequential]) -> nn.Sequential:
    """K nets of one shape as one ensemble on ``[K, batch, ...]`` (deepfaq.nn.ensemble):
    linear layers and our BatchNorm1d layers stacked — each member normalises over its
    own batch, by the same step as BatchNorm1d, and keeps its own running statistics;
    the sigmoid is elementwise, so one copy serves every member."""

    def member_stack(i: int, layer: nn.Module) -> nn.Module:
        if isinstance(layer, nn.Linear):
            return EnsembleLinear.from_modules([net[i] for net in nets])
        if isinstance(layer, BatchNorm1d):
            return EnsembleBatchNorm.from_modules([net[i] for net in nets])
        return layer

    return nn.Sequential(*(member_stack(i, layer) for i, layer in enumerate(nets[0])))


def build(cfg: Config, seeds: list[int], bn: bool, stds, n_in: int = 784) -> nn.Module:
    """One net per (initial scale, seed), member i·K + k; a seed's nets at one scale
    start from the same weights whether or not they have BN."""
    nets = [
        make_net(n_in, cfg, bn, std, kit.generator(seed, f"init/{std}"))
        for std in stds
        for seed in seeds
    ]
    return stack(nets)


def sigmoid_inputs(net: nn.Sequential, X: torch.Tensor) -> list[torch.Tensor]:
    """The input of every sigmoid layer (after BN, when there is one)."""
    inputs, h = [], X
    for layer in net:
        if isinstance(layer, nn.Sigmoid):
            inputs.append(h)
        h = layer(h)
    return inputs


def train(model, data, owner, lrs, steps: int, seeds: list[int], cfg: Config, track=False):
    """Plain SGD on every member at once, each at its own learning rate ``lrs`` [M]
    (its gradient is multiplied by its rate before a unit step). Member m trains on the
    split of seed ``owner[m]`` in that seed's batch order, so all members of a seed see
    the same batches; the loss is the sum of the members' mean losses, so each gets its
    own gradient.

    With ``track``, returns every ``eval_every`` steps the test accuracy and the
    15/50/85th percentiles of the tracked last-layer sigmoid inputs on 500 test digits,
    and the first step (checked every ``target_every`` steps) at which each member's
    test accuracy reached the target (``inf`` if never)."""
    X, y, Xt, yt = data
    rows = owner[:, None]
    probe, Xt_m, yt_m = Xt[owner, :500], Xt[owner], yt[owner]
    order = torch.stack(  # every step's batch, drawn up front: [K, steps, batch_size]
        [
            torch.randint(0, X.shape[1], (max(steps, 1), cfg.batch_size), generator=g)
            for g in kit.generators(seeds, "batches")
        ]
    ).to(X.device)[owner]
    params = list(model.parameters())
    rate = [lrs.reshape(-1, *([1] * (p.dim() - 1))) for p in params]
    opt = torch.optim.SGD(params, lr=1.0, foreach=True)  # the rates are in the gradients
    q = torch.tensor(QUANTILES, device=X.device)
    reached = torch.full((len(owner),), math.inf)
    curve_, pcts = [], []
    for step in range(steps + 1):
        if track and step % cfg.eval_every == 0:
            curve_.append(kit.accuracy(model, Xt_m, yt_m))
            model.eval()
            with torch.no_grad():
                z = sigmoid_inputs(model, probe)[-1][..., : cfg.tracked_units]  # [M, 500, units]
                pcts.append(torch.quantile(z, q, dim=1).permute(1, 2, 0))  # [M, units, 3]
            model.train()
        if track and step % cfg.target_every == 0 and torch.isinf(reached).any():
            acc = curve_[-1] if step % cfg.eval_every == 0 else kit.accuracy(model, Xt_m, yt_m)
            reached = torch.where(
                (acc.cpu() >= cfg.target_accuracy) & reached.isinf(), step, reached
            )
        if step == steps:
            break
        idx = order[:, step]  # [M, batch_size]
        opt.zero_grad()
        logits = model(X[rows, idx])  # [M, batch_size, 10]
        nn.functional.cross_entropy(logits.transpose(1, 2), y[rows, idx], reduction="none").mean(
            1
        ).sum().backward()
        for p, r in zip(params, rate, strict=True):
            p.grad.mul_(r)
        opt.step()
    as_lists = lambda points: torch.stack(points, 1).tolist() if points else []  # noqa: E731
    return {"curve": as_lists(curve_), "percentiles": as_lists(pcts), "reached": reached}


def batched_trial(cfg: Config, seeds: list[int], ctx) -> list[dict]:
    """The seeds of a batch trained side by side as ensembles: each seed keeps its own
    split, initial weights and batch order, as if trained alone. Returns one trial
    output per seed."""
    K, dev = len(seeds), ctx.device
    splits = [mnist_digits(seed) for seed in seeds]
    names = ("X_train", "y_train", "X_test", "y_test")
    data = tuple(kit.stacked([getattr(d, n) for d in splits], dev) for n in names)
    owner = torch.arange(K, device=dev)
    outs = [{"acc_chance": kit.majority_share(d.y_test)} for d in splits]
    stages = kit.Stages(ctx, main=2, large=2, sweep=len(cfg.sweep_stds))
    for bn, tag in ((False, "plain"), (True, "bn")):
        model = build(cfg, seeds, bn, [cfg.init_std]).to(dev)
        lrs = torch.full((K,), cfg.lr, device=dev)
        res = train(model, data, owner, lrs, cfg.steps, seeds, cfg, track=True)
        speed_facts(tag, res, cfg, outs)
        drift_facts(tag, res, outs)
        if bn:
            normalisation_facts(model, seeds, data, cfg, outs)
        stages.done("main") if bn else stages.part("main", 0.5)
        model = build(cfg, seeds, bn, [cfg.init_std]).to(dev)
        lrs = torch.full((K,), cfg.lr_large, device=dev)
        res = train(model, data, owner, lrs, cfg.steps, seeds, cfg, track=True)
        large_rate_facts(tag, model, res, data, cfg, outs)
        stages.done("large") if bn else stages.part("large", 0.5)
    sweep_facts(cfg, seeds, data, outs, stages)
    for out in outs:
        out["steps_ratio_plain_over_bn"] = out["steps_plain"] / max(out["steps_bn"], 1.0)
    return outs


OUTPUTS_MAIN = (
    metric(
        "acc_chance",
        "the test accuracy of always answering the most common digit",
        "%",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
)

# %% 2. What BN computes
# On a training batch, in training mode, every BN layer's x̂ of the trained net: mean 0
# and variance 1 over the batch by construction (up to ε = 1e-5 under the square root).


def normalisation_facts(model, seeds: list[int], data, cfg: Config, outs: list[dict]) -> None:
    """The largest |mean| and |variance − 1| of x̂ over the units of every BN layer of
    each seed's trained net (our BatchNorm1d), on one training batch."""
    nets = [make_net(784, cfg, True, cfg.init_std, torch.Generator()) for _ in seeds]
    for k, out in enumerate(outs):
        net = unstack(model, k, nets)  # seed k's trained weights in our BatchNorm1d net
        with torch.no_grad():
            h, means, variances = data[0][k, : cfg.batch_size], [], []
            for layer in net:
                if isinstance(layer, BatchNorm1d):
                    x_hat = layer.normalise(h)
                    means.append(x_hat.mean(0).abs().max().item())
                    variances.append((x_hat.var(0, unbiased=False) - 1).abs().max().item())
                h = layer(h)
        out["bn_max_abs_mean"] = max(means)
        out["bn_max_abs_var_minus_1"] = max(variances)


CLAIMS_NORMALISED = (
    Claim(
        "normalised-mean",
        "After BN each unit's pre-activation has mean 0 over the batch (|mean| ≤ 1e-5).",
        AtMost("bn_max_abs_mean", 1e-5),
        expected="supported",
        source="Ioffe & Szegedy 2015, Alg. 1",
        kind="identity",
        unit="",
    ),
    Claim(
        "normalised-variance",
        "…and variance 1 over the batch (|variance − 1| ≤ 0.01).",
        AtMost("bn_max_abs_var_minus_1", 0.01),
        expected="supported",
        source="Ioffe & Szegedy 2015, Alg. 1",
        kind="identity",
        unit="",
    ),
)

OUTPUTS_NORMALISED = (
    metric(
        "bn_max_abs_mean",
        "the largest |mean over the batch| of a unit's normalised input, over BN layers",
        better="lower",
        bounds=(0, math.inf),
    ),
    metric(
        "bn_max_abs_var_minus_1",
        "the largest |variance over the batch − 1| of a unit's normalised input",
        better="lower",
        bounds=(0, math.inf),
    ),
)

ANSWER_NORMALISED = """
**It standardises each unit's input over the batch**, then rescales it. Inside our
BatchNorm1d the normalised pre-activations of a training batch had |mean| at most
{{ num(m.bn_max_abs_mean) }} and variance within {{ num(m.bn_max_abs_var_minus_1) }} of 1
(the ε = 10⁻⁵ under the square root is what keeps it from being exactly 1). The learned
γ and β then give the unit back any mean and scale it needs — including undoing the
normalisation — so nothing is lost in what the layer can represent.
"""

# %% 3. Speed: steps to a target test accuracy
# The step at which each net first reaches the target is checked every target_every
# steps, far finer than BN's own count, so the ratio is resolved. Once a net has reached
# the target, further training cannot change its count: no convergence is required. A
# plain net that never reaches it counts as the budget plus one check, which can only
# make the ratio smaller than the truth (a conservative "supported"); the preconditions
# ask that both nets reached it on every seed and learned.


def speed_facts(tag: str, res: dict, cfg: Config, outs: list[dict]) -> None:
    for k, out in enumerate(outs):
        hit = float(res["reached"][k])
        out[f"steps_{tag}"] = hit if math.isfinite(hit) else float(cfg.steps + cfg.target_every)
        out[f"reached_target_{tag}"] = float(math.isfinite(hit))
        out[f"acc_{tag}"] = float(res["curve"][k][-1])
        out[f"curve_{tag}"] = res["curve"][k]


def reached_on_every_seed(tag: str) -> Beats:
    """The arm reached the target on every seed: its step count is measured."""
    return kit.on_every_seed(f"reached_target_{tag}", "the target reached")


def learned(tag: str) -> Beats:
    """The arm's final test accuracy beats chance (the majority class) by 20 points."""
    return Beats(f"acc_{tag}", "acc_chance", margin=0.2, baseline_name="chance (majority class)")


CLAIMS_SPEED = (
    Claim(
        "fewer-steps",
        "With BN the network reaches the target test accuracy ({cfg.target_accuracy}) in"
        " fewer SGD steps: the plain net needs at least 1.1× BN's steps (geometric mean"
        " over seeds).",
        Ratio("steps_plain", "steps_bn", 1.1, at_most=False),
        expected="supported",
        source="Ioffe & Szegedy 2015, Fig. 1a",
        kind="empirical",
        unit="×",
        preconditions=(
            reached_on_every_seed("bn"),
            reached_on_every_seed("plain"),
            learned("bn"),
            learned("plain"),
        ),
    ),
)

OUTPUTS_SPEED = (
    metric(
        "steps_ratio_plain_over_bn",
        "the steps the net without BN took to reach the target, over the steps with BN",
        "×",
        bounds=(0, math.inf),
        data="held-out",
    ),
    *(
        metric(
            f"steps_{tag}",
            f"the SGD steps the net {ARMS[tag]} took to reach the target test accuracy",
            "steps",
            better="lower",
            bounds=(0, math.inf),
            data="held-out",
        )
        for tag in ARMS
    ),
    *(
        metric(
            f"reached_target_{tag}",
            f"whether the net {ARMS[tag]} reached the target test accuracy (1 or 0)",
            better="higher",
            bounds=(0, 1),
        )
        for tag in ARMS
    ),
    *(
        metric(
            f"acc_{tag}",
            f"the final test accuracy of the net {ARMS[tag]}",
            "%",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        )
        for tag in ARMS
    ),
    *(
        curve(
            f"curve_{tag}",
            f"the test accuracy during training of the net {ARMS[tag]}",
            "%",
            x="SGD step",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        )
        for tag in ARMS
    ),
)

ANSWER_SPEED = """
**Faster training.** Three hidden layers of {{ cfg.num_hiddens }} sigmoids, weights
N(0, {{ cfg.init_std }}²), SGD at lr {{ cfg.lr }}, batches of {{ cfg.batch_size }}: with BN the
net reached {{ pct(cfg.target_accuracy) }} test accuracy after {{ num(m.steps_bn) }} steps,
without it after {{ num(m.steps_plain) }} (mean over {{ n }} seeds, checked every
{{ cfg.target_every }} steps). After {{ num(cfg.steps) }} steps: {{ pct(m.acc_bn) }} with BN,
{{ pct(m.acc_plain) }} without.
{% if v["fewer-steps"] == "supported" %}The plain net needed at least a tenth more steps
({{ with_unit(c["fewer-steps"].estimate, "×") }} BN's, geometric mean, against
{{ num(a["ioffe_speedup"].value) }}× for Inception on ImageNet in Ioffe & Szegedy's
abstract).{% elif v["fewer-steps"] == "refuted" %}BN did **not** save a tenth of the steps
here (the plain net needed {{ with_unit(c["fewer-steps"].estimate, "×") }} BN's
steps).{% else %}Whether BN saves at least a tenth of the steps is not decided at this
budget: {{ c["fewer-steps"].reason }}.{% endif %}
"""

# %% 4. The drift of a sigmoid's input
# Ioffe & Szegedy's Figure 1(b, c) follows the 15th, 50th and 85th percentiles of one
# sigmoid's input over training: without BN they move (mean and spread), with BN they
# stay put. Our drift score measures exactly that: how far each of the three percentiles
# moves over training (its range over the checkpoints), in units of the unit's final
# 15–85 width, averaged over percentiles and tracked units. It starts at the first
# checkpoint after step 0 for both nets, because an evaluation-mode BN net at step 0
# still has its untrained running statistics. The margin, a tenth of that width, is a
# move of about a fifth of a standard deviation of a normal input.


def drift(percentiles) -> float:
    """How far a unit's input distribution moves during training, in final widths."""
    p = np.asarray(percentiles)[1:]  # [checkpoint, unit, 3], from the first checkpoint on
    width = p[-1, :, 2] - p[-1, :, 0]  # [unit]
    return float(np.mean(np.ptp(p, axis=0) / width[:, None]))


def drift_facts(tag: str, res: dict, outs: list[dict]) -> None:
    for k, out in enumerate(outs):
        out[f"percentiles_{tag}"] = res["percentiles"][k]
        out[f"drift_{tag}"] = drift(res["percentiles"][k])


# Both nets must have learned; BN's drift could still grow with more training (it could
# reverse the verdict), the plain net's could only grow (it can only strengthen a
# supported verdict). Tolerances relative to each curve's own rise: the drift is in widths,
# the curves in accuracy.
CLAIMS_DRIFT = (
    Claim(
        "less-drift",
        "With BN the input of a last-layer sigmoid drifts less during training (how far its"
        " 15th, 50th and 85th percentiles move, relative to its final 15–85th percentile"
        " width), by more than a tenth of that width.",
        Greater("drift_plain", "drift_bn", margin=0.1),
        expected="supported",
        source="Ioffe & Szegedy 2015, Fig. 1b–c",
        kind="empirical",
        unit="widths",
        preconditions=(
            learned("bn"),
            learned("plain"),
            Converged("curve_bn", tol=0.02, relative=True),
            Converged("curve_plain", tol=0.02, relative=True, favours="supported"),
        ),
    ),
)

OUTPUTS_DRIFT = (
    *(
        series(
            f"percentiles_{tag}",
            f"15th/50th/85th percentiles of tracked last-layer sigmoid inputs, {ARMS[tag]}"
            " [checkpoint, unit, percentile]",
        )
        for tag in ARMS
    ),
    *(
        metric(
            f"drift_{tag}",
            f"how far a last-layer sigmoid's input distribution moved during training"
            f" {ARMS[tag]}, in final 15–85 widths",
            "widths",
            better="lower",
            bounds=(0, math.inf),
        )
        for tag in ARMS
    ),
)

ANSWER_DRIFT = """
**Stable inputs.** The figure redraws Ioffe & Szegedy's Figure 1(b, c): the 15th, 50th and
85th percentiles of one last-layer sigmoid's input over training. Our drift score (how far
those percentiles move, in units of the distribution's final width) was
{{ num(m.drift_plain) }} without BN and {{ num(m.drift_bn) }} with it.
{% if v["less-drift"] == "supported" %}With BN the input drifted less, by more than a tenth of
its width.{% elif v["less-drift"] == "refuted" %}With BN the input did **not** drift less by a
tenth of its width here.{% else %}Whether BN's input drifts less by more than a tenth of its
width is not decided at this budget: {{ c["less-drift"].reason }}.{% endif %} Whether BN helps
*by* reducing this shift is disputed: Santurkar et al. (2018) found it helps even when shift
is injected on purpose, and credit a smoother loss landscape instead.
"""

# %% 5. A large learning rate
# Both nets trained as long as the main nets at lr_large. Measured beside the accuracy:
# the share of hidden sigmoid outputs within 0.01 of 0 or 1 on 500 test digits, to see
# whether a failed net has saturated its units.


def large_rate_facts(tag: str, model, res: dict, data, cfg: Config, outs: list[dict]) -> None:
    model.eval()
    with torch.no_grad():
        z = torch.cat(sigmoid_inputs(model, data[2][:, :500]), -1)  # [K, 500, 3·num_hiddens]
        s = torch.sigmoid(z)
        saturated = (torch.minimum(s, 1 - s) < 0.01).float().mean((1, 2))
    model.train()
    for k, out in enumerate(outs):
        out[f"acc_{tag}_lr_large"] = float(res["curve"][k][-1])
        out[f"curve_{tag}_lr_large"] = res["curve"][k]
        out[f"saturated_{tag}_lr_large"] = float(saturated[k])


# About the plain net failing: BN, expected to train, must have learned (its further
# progress can only widen the gap); the plain net must have levelled off (further
# training could close it). Tolerance: half the 10-point margin for the plain net; 1 point
# for BN.
CLAIMS_LARGE = (
    Claim(
        "larger-learning-rate",
        "At a large learning rate ({cfg.lr_large}), trained as long as the main nets"
        " ({cfg.steps} SGD steps), BN's test accuracy beats the plain net's by more than 10"
        " points.",
        Greater("acc_bn_lr_large", "acc_plain_lr_large", margin=0.10),
        expected="supported",
        source="Ioffe & Szegedy 2015, §3.3",
        kind="empirical",
        unit="points",
        preconditions=(
            Beats(
                "acc_bn_lr_large", "acc_chance", margin=0.2, baseline_name="chance (majority class)"
            ),
            Converged("curve_bn_lr_large", tol=0.01, favours="supported"),
            Converged("curve_plain_lr_large", tol=0.05),
        ),
    ),
)

OUTPUTS_LARGE = (
    *(
        metric(
            f"acc_{tag}_lr_large",
            f"the final test accuracy of the net {ARMS[tag]} at the large learning rate",
            "%",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        )
        for tag in ARMS
    ),
    *(
        curve(
            f"curve_{tag}_lr_large",
            f"the test accuracy during training of the net {ARMS[tag]} at the large learning rate",
            "%",
            x="SGD step",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        )
        for tag in ARMS
    ),
    *(
        metric(
            f"saturated_{tag}_lr_large",
            f"the share of hidden sigmoid outputs within 0.01 of 0 or 1 after training"
            f" {ARMS[tag]} at the large learning rate",
            "%",
            bounds=(0, 1),
        )
        for tag in ARMS
    ),
)

ANSWER_LARGE = """
**Larger learning rates.** At lr {{ cfg.lr_large }} the BN net reached
{{ pct(m.acc_bn_lr_large) }} after {{ num(cfg.steps) }} steps and the plain net
{{ pct(m.acc_plain_lr_large) }}. Because BN divides by the batch's standard deviation,
scaling a layer's weights up does not change its output, so a large step cannot blow the
next layer's inputs up (Ioffe & Szegedy 2015, on learning rates). What happened to the
plain net's units:
{{ pct(m.saturated_plain_lr_large) }} of its hidden sigmoid outputs ended within a hundredth
of 0 or 1 (with BN: {{ pct(m.saturated_bn_lr_large) }}); a saturated sigmoid passes almost no
gradient. {% if v["larger-learning-rate"] == "supported" %}BN's lead at this rate is more than
10 points.{% elif v["larger-learning-rate"] == "refuted" %}Yet BN's lead at this rate was
**not** more than 10 points here: the output layer has no BN after it, so a large rate can
still throw the BN net off.{% else %}Whether BN leads by more than 10 points at this rate is
not decided at this budget: {{ c["larger-learning-rate"].reason }}.{% endif %}
"""

# %% 6. When does it hold? The sweep
# Final accuracy over learning rates and initial scales after the sweep's budget: one
# ensemble per initial scale and arm, member j·K + k at rate j for seed k.


def sweep_facts(cfg: Config, seeds: list[int], data, outs: list[dict], stages) -> None:
    K, dev = len(seeds), data[0].device
    owner = torch.arange(K, device=dev).repeat(len(cfg.sweep_lrs))
    lrs = torch.tensor(cfg.sweep_lrs, device=dev).repeat_interleave(K)
    for out in outs:
        out["sweep_plain"], out["sweep_bn"] = [], []
    for i, std in enumerate(cfg.sweep_stds):
        for bn, tag in ((False, "plain"), (True, "bn")):
            nets = [
                make_net(784, cfg, bn, std, kit.generator(seed, f"init/{std}"))
                for _ in cfg.sweep_lrs
                for seed in seeds
            ]
            model = stack(nets).to(dev)
            train(model, data, owner, lrs, cfg.sweep_steps, seeds, cfg)
            acc = kit.accuracy(model, data[2][owner], data[3][owner]).tolist()
            for k, out in enumerate(outs):
                out[f"sweep_{tag}"].append(acc[k::K])  # one per rate
        stages.part("sweep", (i + 1) / len(cfg.sweep_stds))


OUTPUTS_SWEEP = tuple(
    series(
        f"sweep_{tag}",
        f"the test accuracy {ARMS[tag]} after the sweep's budget [initial std, learning rate]",
    )
    for tag in ARMS
)

ANSWER_SWEEP = """
**When it holds.** The sweep (last figure) maps the final accuracy with and without BN over
learning rates{% if cfg.sweep_stds | length > 1 %} and starting scales down to std
{{ cfg.sweep_stds[0] }}{% endif %}. The usual reading (Ioffe & Szegedy 2015) is that BN
widens the range of settings that work more than it raises the best result; the figure shows
how far that holds here.
"""

CLAIMS = CLAIMS_NORMALISED + CLAIMS_SPEED + CLAIMS_DRIFT + CLAIMS_LARGE
OUTPUTS = (
    OUTPUTS_MAIN
    + OUTPUTS_NORMALISED
    + OUTPUTS_SPEED
    + OUTPUTS_DRIFT
    + OUTPUTS_LARGE
    + OUTPUTS_SWEEP
)
ANSWER = ANSWER_NORMALISED + ANSWER_SPEED + ANSWER_DRIFT + ANSWER_LARGE + ANSWER_SWEEP

# %% Figures


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, band, color

    every = result.config["eval_every"]
    fig, ax = new_figure("test-accuracy")
    for tag, label in ARMS.items():
        c = 100 * np.asarray(result.series[f"curve_{tag}"], dtype=float)
        band(ax, np.arange(c.shape[1]) * every, c, label=label, color=color(label), bounds=(0, 100))
    ax.axhline(100 * result.config["target_accuracy"], color=REFERENCE, ls=":", label="target")
    ax.set_xlabel("SGD step")
    ax.set_ylabel("test accuracy, % (mean over seeds)")
    ax.legend(fontsize=8)

    fig, axes = new_figure("sigmoid-input-percentiles", ncols=2, sharey=True)
    for ax, (tag, label) in zip(axes[0], ARMS.items(), strict=True):
        p = np.asarray(result.series[f"percentiles_{tag}"][0])  # [checkpoint, unit, 3]
        steps = np.arange(p.shape[0]) * every
        for q, style in zip(range(3), (":", "-", ":"), strict=True):
            ax.plot(
                steps,
                p[:, 0, q],
                style,
                color=color(label),
                label=("15th / 85th" if q == 0 else "50th" if q == 1 else None),
            )
        ax.set_title(f"{label} (seed 0, one unit)")
        ax.set_xlabel("SGD step")
    axes[0, 0].set_ylabel("input to a last-hidden-layer sigmoid")
    axes[0, 0].legend(fontsize=8)

    stds = result.config["sweep_stds"]
    fig, axes = new_figure("learning-rate-sweep", ncols=len(stds), sharey=True)
    axes = np.atleast_1d(axes).ravel()
    for i, (ax, std) in enumerate(zip(axes, stds, strict=True)):
        for tag, label in ARMS.items():
            sweep = np.asarray(result.series[f"sweep_{tag}"], dtype=float)  # [seed, std, rate]
            band(
                ax,
                result.config["sweep_lrs"],
                100 * sweep[:, i],
                marker="o",
                label=label,
                color=color(label),
                bounds=(0, 100),
            )
        ax.set_xscale("log")
        ax.set_title(f"initial weight std {std}")
        ax.set_xlabel("learning rate")
    axes[0].set_ylabel(f"test accuracy, % after {result.config['sweep_steps']} steps")
    axes[0].legend(fontsize=8)


QUESTION = Question(
    id="batch-norm",
    topic="Initialisation, activations and normalisation",
    paraphrases=(
        "What does batch normalization do?",
        "why does batchnorm speed up training",
        "internal covariate shift explained",
        "can I use a higher learning rate with batch normalisation",
    ),
    title="What does batch normalization do?",
    asked="What is batch normalization, and why does it help training?",
    config=Config,
    profiles=PROFILES,
    trial=None,
    batched_trial=batched_trial,
    # BN's advantage against the plain SGD learning rate of the claims' nets (the
    # in-trial learning-rate figure cut to two points to keep the sweep short).
    sweep=Sweep(
        {"lr": (0.1, 0.5, 2.0, 8.0)},
        profile="quick",
        seeds=3,
        fixed={"sweep_lrs": (0.5, 32.0), "sweep_stds": (0.1,), "sweep_steps": 300},
        note="fewer-steps and less-drift against the learning rate",
        full=Sweep(
            {"lr": (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)},
            profile="full",
            fixed={"sweep_lrs": (0.5, 32.0), "sweep_stds": (0.1,)},
            note="fewer-steps and less-drift against the learning rate, at the full budget",
        ),
    ),
    claims=CLAIMS,
    outputs=OUTPUTS,
    figures=figures,
    answer=ANSWER,
    colors={"with BN": PALETTE[0], "without BN": PALETTE[1]},
    key_claims=("normalised-mean", "fewer-steps", "larger-learning-rate", "less-drift"),
    one_line=(
        '{{ by_verdict(v["fewer-steps"], "It standardises each unit\'s input over the'
        " mini-batch and then rescales it with learned parameters, which here let a sigmoid"
        ' network reach its target accuracy in fewer steps"'
        ' ~ by_verdict(v["larger-learning-rate"], " and train at a learning rate that stalls'
        ' it without BN.", ".", "."),'
        " \"It standardises each unit's input over the mini-batch and then rescales it with"
        " learned parameters; here that did not make a sigmoid network reach its target in"
        ' fewer steps.",'
        " \"It standardises each unit's input over the mini-batch and then rescales it with"
        ' learned parameters; whether that made training faster here is not decided.") }}'
    ),
    anchors=(
        Anchor(
            "training steps to the same accuracy, without BN ÷ with BN",
            "14× (Inception on ImageNet)",
            "Ioffe & Szegedy 2015, abstract",
            metric="steps_ratio_plain_over_bn",
            key="ioffe_speedup",
            note="ours: 3×100 sigmoid MLP on 5,000 MNIST digits, to 88% test accuracy",
            value=14.0,
            unit="×",
        ),
        Anchor(
            "MNIST sigmoid net with BN vs without (Fig. 1a)",
            "BN net reaches higher test accuracy sooner; inputs' percentiles stay steady",
            "Ioffe & Szegedy 2015, Fig. 1",
            key="ioffe_figure1",
            note="a figure, not a number: our fewer-steps and less-drift claims measure it",
        ),
    ),
    references=(
        "Ioffe & Szegedy (2015). Batch normalization: accelerating deep network training by"
        " reducing internal covariate shift. ICML.",
        "Santurkar, Tsipras, Ilyas & Madry (2018). How does batch normalization help"
        " optimization? NeurIPS.",
    ),
)
