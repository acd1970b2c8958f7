"""What does batch normalization do?

Batch normalization (Ioffe & Szegedy 2015) standardises each unit's input over the
mini-batch — subtract the batch mean, divide by the batch standard deviation —
then lets the network rescale it with a learned γ and shift it with a learned β.
Each layer then sees inputs on a fixed scale however the layers below it change,
which the authors argued reduces "internal covariate shift" and allows larger
learning rates.

We reproduce their MNIST experiment (Figure 1) on 5,000 real MNIST digits: three
hidden layers of 100 sigmoid units from a small Gaussian start, trained with plain
SGD, with and without our own BatchNorm1d before each sigmoid; then we sweep the
learning rate and the initial weight scale to see where the advantage holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch
from torch import nn

from deepfaq.core.claims import AtLeast, AtMost, Beats, Claim, Converged, Greater
from deepfaq.core.config import Range
from deepfaq.core.context import sub_seed
from deepfaq.core.errors import BadConfig
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.core.sweep import Sweep
from deepfaq.data import mnist_digits
from deepfaq.nn import init
from deepfaq.nn.batchnorm import BatchNorm1d
from deepfaq.nn.ensemble import EnsembleBatchNorm, EnsembleLinear, unstack


@dataclass(frozen=True)
class Config:
    num_hiddens: int = 100  # units per hidden layer (3 hidden layers)
    init_std: float = 0.1  # "small random Gaussian values"
    lr: float = 0.5  # plain SGD
    batch_size: int = 60  # as in the paper
    steps: int = 3000  # main nets (and both nets at the largest rate); the paper: 50,000
    eval_every: int = 50
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
        Config(steps=100, eval_every=25, sweep_lrs=(0.5, 32.0), sweep_stds=(0.1,), sweep_steps=50),
        seeds=2,
        seed_batch=2,
    ),
    "quick": Profile(Config(), seeds=5, seed_batch=5),
    "full": Profile(
        Config(steps=50_000, eval_every=500, sweep_steps=10_000), seeds=10, seed_batch=10
    ),
}


CURVE_POINTS = 30  # checkpoints per sweep curve; convergence checks read the last fifth
N_MONITOR = 1000  # training examples behind the convergence curves


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
    own batch and keeps its own running statistics; the sigmoid is elementwise, so one
    copy serves every member."""

    def member_stack(i: int, layer: nn.Module) -> nn.Module:
        if isinstance(layer, nn.Linear):
            return EnsembleLinear.from_modules([net[i] for net in nets])
        if isinstance(layer, BatchNorm1d):
            return EnsembleBatchNorm.from_modules([net[i] for net in nets])
        return layer

    return nn.Sequential(*(member_stack(i, layer) for i, layer in enumerate(nets[0])))


def sigmoid_inputs(net: nn.Sequential, X: torch.Tensor) -> list[torch.Tensor]:
    """The input of every sigmoid layer (after BN, when there is one)."""
    inputs, h = [], X
    for layer in net:
        if isinstance(layer, nn.Sigmoid):
            inputs.append(h)
        h = layer(h)
    return inputs


def accuracy(model, X, y) -> torch.Tensor:
    """Each member's accuracy in evaluation mode: ``X`` [M, n, 784], ``y`` [M, n] → [M]."""
    model.eval()
    with torch.no_grad():
        acc = (model(X).argmax(-1) == y).float().mean(1)
    model.train()
    return acc


QUANTILES = (0.15, 0.5, 0.85)


def train(
    model,
    X,
    y,
    owner,
    lrs,
    steps: int,
    gens: list[torch.Generator],
    cfg: Config,
    track: tuple | None = None,
    monitor: tuple | None = None,
) -> dict:
    """Plain SGD on every member at once, each at its own learning rate ``lrs`` [M]
    (its gradient is multiplied by its rate before a unit step). Member m trains on
    the data of seed ``owner[m]`` (``X`` [K, n, 784]) in the batch order of that
    seed's generator, so all members of a seed see the same batches; the loss is the
    sum of the members' mean losses, so each gets its own gradient.

    If ``track`` = (X_test, y_test, X_probe), one set per member, is given, returns
    the test-accuracy curves and the 15/50/85th percentiles of tracked last-layer
    sigmoid inputs on X_probe, every ``eval_every`` steps. If ``monitor`` = (X, y),
    part of the training split per member, is given, returns its accuracy curves for
    the convergence checks (every ``eval_every`` steps when tracking, else at
    CURVE_POINTS + 1 checkpoints). Curves are [M, checkpoints]."""
    rows = owner[:, None]
    Xt, yt, Xprobe = track if track is not None else (None, None, None)
    every = cfg.eval_every if track is not None else max(1, steps // CURVE_POINTS)
    params = list(model.parameters())
    rate = [lrs.reshape(-1, *([1] * (p.dim() - 1))) for p in params]
    opt = torch.optim.SGD(params, lr=1.0, foreach=True)  # the rates are in the gradients
    q = torch.tensor(QUANTILES, device=X.device)
    curve, pcts, train_curve = [], [], []
    for step in range(steps + 1):
        if monitor is not None and (step % every == 0 or step == steps):
            train_curve.append(accuracy(model, *monitor))
        if track is not None and step % cfg.eval_every == 0:
            curve.append(accuracy(model, Xt, yt))
            model.eval()
            with torch.no_grad():
                z = sigmoid_inputs(model, Xprobe)[-1][..., : cfg.tracked_units]  # [M, probe, units]
                pcts.append(torch.quantile(z, q, dim=1).permute(1, 2, 0))  # [M, units, 3]
            model.train()
        if step == steps:
            break
        idx = torch.stack(
            [torch.randint(0, X.shape[1], (cfg.batch_size,), generator=g) for g in gens]
        ).to(X.device)[owner]  # [M, batch_size]
        opt.zero_grad()
        logits = model(X[rows, idx])  # [M, batch_size, 10]
        nn.functional.cross_entropy(logits.transpose(1, 2), y[rows, idx], reduction="none").mean(
            1
        ).sum().backward()
        for p, r in zip(params, rate, strict=True):
            p.grad.mul_(r)
        opt.step()
    as_lists = lambda points: torch.stack(points, 1).tolist() if points else []  # noqa: E731
    return {
        "curve": as_lists(curve),
        "percentiles": as_lists(pcts),
        "train_curve": as_lists(train_curve),
    }


def drift(percentiles) -> float:
    """How far the median of a unit's input moves during training, relative to the
    width of its distribution: std over checkpoints of the 50th percentile divided by
    the mean 15–85 spread, averaged over units."""
    p = np.asarray(percentiles)  # [checkpoint, unit, 3]
    return float(np.mean(p[:, :, 1].std(0) / (p[:, :, 2] - p[:, :, 0]).mean(0)))


def generator(seed: int, part: str) -> torch.Generator:
    """The random stream of one part of a seed's trial."""
    return torch.Generator().manual_seed(sub_seed(seed, part))


def stacked(arrays, device: str) -> torch.Tensor:
    """One array per seed → a tensor [K, ...]."""
    return torch.stack([torch.as_tensor(a) for a in arrays]).to(device)


def batched_trial(cfg: Config, seeds: list[int], ctx) -> list[dict]:
    """The seeds of a batch trained side by side as ensembles: each seed keeps its own
    split, initial weights and batch order, as if trained alone. Within a seed, the
    nets with and without BN start from the same linear weights and see the same
    batches (and so does every point of the sweep at the same initial scale), so BN
    is the only difference. Returns one trial output per seed."""
    dev = ctx.device
    K = len(seeds)
    splits = [mnist_digits(seed) for seed in seeds]
    X, y, Xt, yt = (
        stacked([getattr(d, n) for d in splits], dev)
        for n in ("X_train", "y_train", "X_test", "y_test")
    )
    owner = torch.arange(K, device=dev)
    probe = Xt[:, :500]
    # No digits to spare for validation: the convergence curves read part of the training split.
    monitor = (X[:, :N_MONITOR], y[:, :N_MONITOR])
    outs = [
        {"acc_chance": float((d.y_test == np.bincount(d.y_train).argmax()).mean())} for d in splits
    ]

    def batch_orders():  # a fresh copy of every seed's batch order for each run
        return [generator(seed, "batches") for seed in seeds]

    # The main nets: member k at the main rate, member K + k at the sweep's largest
    # rate (read by larger-learning-rate), both for the main budget.
    lr_max = cfg.sweep_lrs[-1]
    pair = owner.repeat(2)
    for bn, tag in ((False, "plain"), (True, "bn")):
        nets = [
            make_net(X.shape[-1], cfg, bn, cfg.init_std, generator(seed, f"init/{cfg.init_std}"))
            for _ in range(2)
            for seed in seeds
        ]
        model = stack(nets).to(dev)
        res = train(
            model,
            X,
            y,
            pair,
            torch.tensor([cfg.lr, lr_max], device=dev).repeat_interleave(K),
            cfg.steps,
            batch_orders(),
            cfg,
            track=(Xt[pair], yt[pair], probe[pair]),
            monitor=(monitor[0][pair], monitor[1][pair]),
        )
        for k, out in enumerate(outs):
            curve = np.asarray(res["curve"][k])
            hit = np.flatnonzero(curve >= cfg.target_accuracy)
            out[f"steps_{tag}"] = float(
                hit[0] * cfg.eval_every if hit.size else cfg.steps + cfg.eval_every
            )  # censored
            out[f"reached_target_{tag}"] = float(hit.size > 0)
            out[f"acc_{tag}"] = float(curve[-1])
            out[f"curve_{tag}"] = res["curve"][k]
            out[f"curve_train_acc_{tag}"] = res["train_curve"][k]
            out[f"percentiles_{tag}"] = res["percentiles"][k]
            out[f"drift_{tag}"] = drift(res["percentiles"][k])
            out[f"acc_{tag}_lr_max"] = res["curve"][K + k][-1]
            out[f"curve_train_acc_{tag}_lr_max"] = res["train_curve"][K + k]
        if bn:
            for k, out in enumerate(outs):
                # Seed k's trained weights in our BatchNorm1d net; on a training batch,
                # in training mode: x̂ of every BN layer.
                net = unstack(model, k, nets)
                with torch.no_grad():
                    h, means, variances = X[k, : cfg.batch_size], [], []
                    for layer in net:
                        if isinstance(layer, BatchNorm1d):
                            x_hat = layer.normalise(h)
                            means.append(x_hat.mean(0).abs().max().item())
                            variances.append((x_hat.var(0, unbiased=False) - 1).abs().max().item())
                        h = layer(h)
                out["bn_max_abs_mean"] = max(means)
                out["bn_max_abs_var_minus_1"] = max(variances)
        ctx.progress(0.25 if not bn else 0.5)
    for out in outs:
        out["steps_ratio_plain_over_bn"] = out["steps_plain"] / max(out["steps_bn"], 1.0)

    # When does it hold? Final accuracy over learning rates and initial scales after the
    # sweep's budget: one ensemble per initial scale, member j·K + k at rate j for seed k.
    sweep_owner = owner.repeat(len(cfg.sweep_lrs))
    lrs = torch.tensor(cfg.sweep_lrs, device=dev).repeat_interleave(K)
    for i, std in enumerate(cfg.sweep_stds):
        for j, (bn, tag) in enumerate(((False, "plain"), (True, "bn"))):
            nets = [
                make_net(X.shape[-1], cfg, bn, std, generator(seed, f"init/{std}"))
                for _ in cfg.sweep_lrs
                for seed in seeds
            ]
            model = stack(nets).to(dev)
            train(model, X, y, sweep_owner, lrs, cfg.sweep_steps, batch_orders(), cfg)
            acc = accuracy(model, Xt[sweep_owner], yt[sweep_owner]).tolist()
            for k, out in enumerate(outs):
                out[f"sweep_{tag}_std{std}"] = acc[k::K]  # one per rate
            ctx.progress(0.5 + 0.5 * (2 * i + j + 1) / (2 * len(cfg.sweep_stds)))
    return outs


IOFFE = "Ioffe & Szegedy 2015"


def learned(acc: str, curve: str) -> tuple:
    """Preconditions of an arm expected to learn: its test accuracy beats chance (the
    majority class) by 20 points, and its accuracy curve on part of the training
    split (the 5,000 digits have none to spare for validation) gained at most one
    point over the last fifth of training."""
    return (
        Beats(acc, "acc_chance", margin=0.2, baseline_name="chance (majority class)"),
        Converged(curve, tol=0.01),
    )


def reached_on_every_seed(tag: str) -> Beats:
    """The faster arm reached the target on every seed (``reached_target_*`` is 1 or
    0 per seed, so its mean is 1 only then): its step count is measured, not censored."""
    return Beats(
        f"reached_target_{tag}",
        0.0,
        margin=1.0,
        baseline_name="0 (1 = the target reached on every seed)",
    )


CLAIMS = (
    Claim(
        "normalised-mean",
        "After BN each unit's pre-activation has mean 0 over the batch (|mean| ≤ 1e-5).",
        AtMost("bn_max_abs_mean", 1e-5),
        expected="supported",
        source=IOFFE + ", Alg. 1",
        kind="identity",
        unit="",
    ),
    Claim(
        "normalised-variance",
        "…and variance 1 over the batch (|variance − 1| ≤ 0.01).",
        AtMost("bn_max_abs_var_minus_1", 0.01),
        expected="supported",
        source=IOFFE + ", Alg. 1",
        kind="identity",
        unit="",
    ),
    Claim(
        "fewer-steps",
        "With BN the network reaches the target test accuracy (88% in quick and full) in"
        " fewer steps: the plain net needs at least 1.1× BN's steps. A run that never"
        " reaches the target counts as the budget plus one evaluation interval, so a"
        " stalled plain run makes the ratio a lower bound.",
        AtLeast("steps_ratio_plain_over_bn", 1.1),
        expected="supported",
        source=IOFFE + ", Fig. 1a",
        kind="empirical",
        unit="",
        preconditions=(
            reached_on_every_seed("bn"),
            *learned("acc_bn", "curve_train_acc_bn"),
            *learned("acc_plain", "curve_train_acc_plain"),
        ),
    ),
    Claim(
        "less-drift",
        "With BN the input of a last-layer sigmoid drifts less during training"
        " (median movement relative to the 15–85th percentile width), by more than a"
        " tenth of that width.",
        Greater("drift_plain", "drift_bn", margin=0.1),
        expected="supported",
        source=IOFFE + ", Fig. 1b–c",
        kind="empirical",
        unit="",
        preconditions=(
            *learned("acc_bn", "curve_train_acc_bn"),
            *learned("acc_plain", "curve_train_acc_plain"),
        ),
    ),
    # About the plain net failing: the preconditions are on BN, the arm expected to train.
    Claim(
        "larger-learning-rate",
        "At the largest learning rate of the sweep (32), trained as long as the main nets"
        " (quick: 3,000 SGD steps; full: 50,000), BN's test accuracy beats the plain net's"
        " by more than 10 points.",
        Greater("acc_bn_lr_max", "acc_plain_lr_max", margin=0.10),
        expected="supported",
        source=IOFFE + ", §3.3",
        kind="empirical",
        unit="points",
        preconditions=learned("acc_bn_lr_max", "curve_train_acc_bn_lr_max"),
    ),
)


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, band, color

    every = result.config["eval_every"]
    fig, ax = new_figure("test-accuracy")
    for tag, label in (("plain", "without BN"), ("bn", "with BN")):
        c = np.asarray(result.series[f"curve_{tag}"])
        band(ax, np.arange(c.shape[1]) * every, c, label=label, color=color(label), bounds=(0, 1))
    ax.axhline(result.config["target_accuracy"], color=REFERENCE, ls=":", label="target")
    ax.set_xlabel("SGD step")
    ax.set_ylabel("test accuracy (mean over seeds)")
    ax.legend(fontsize=8)

    fig, axes = new_figure("sigmoid-input-percentiles", ncols=2, sharey=True)
    for ax, (tag, label) in zip(axes[0], (("plain", "without BN"), ("bn", "with BN")), strict=True):
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

    fig, axes = new_figure(
        "learning-rate-sweep", ncols=len(result.config["sweep_stds"]), sharey=True
    )
    axes = np.atleast_1d(axes).ravel()
    for ax, std in zip(axes, result.config["sweep_stds"], strict=True):
        for tag, label in (("plain", "without BN"), ("bn", "with BN")):
            band(
                ax,
                result.config["sweep_lrs"],
                result.series[f"sweep_{tag}_std{std}"],
                marker="o",
                label=label,
                color=color(label),
                bounds=(0, 1),
            )
        ax.set_xscale("log")
        ax.set_title(f"initial weight std {std}")
        ax.set_xlabel("learning rate")
    axes[0].set_ylabel(f"test accuracy after {result.config['sweep_steps']} steps")
    axes[0].legend(fontsize=8)


ANSWER = """
**It standardises each unit's input over the batch**, then rescales it. Inside our
BatchNorm1d the normalised pre-activations of a training batch had |mean| at most
{{ num(m.bn_max_abs_mean) }} and variance within {{ num(m.bn_max_abs_var_minus_1) }} of 1
(the ε = 10⁻⁵ under the square root is what keeps it from being exactly 1). The learned
γ and β then give the unit back any mean and scale it needs — including undoing the
normalisation — so nothing is lost in what the layer can represent.

**Faster training.** Three hidden layers of {{ cfg.num_hiddens }} sigmoids, weights
N(0, {{ cfg.init_std }}²), SGD at lr {{ cfg.lr }}, batches of {{ cfg.batch_size }}: with BN the
net reached {{ pct(cfg.target_accuracy) }} test accuracy after {{ num(m.steps_bn) }} steps,
without it after {{ num(m.steps_plain) }} (mean over {{ n }} seeds;
{{ num(cfg.steps + cfg.eval_every) }} means "not within the budget"). After
{{ num(cfg.steps) }} steps: {{ pct(m.acc_bn) }} with BN, {{ pct(m.acc_plain) }} without.
{% if v["fewer-steps"] == "supported" %}The plain net needed at least a tenth more steps
({{ num(m.steps_ratio_plain_over_bn) }}× BN's, against {{ num(a["ioffe_speedup"].value) }}× for
Inception on ImageNet in Ioffe & Szegedy's abstract).{% elif v["fewer-steps"] == "refuted"
%}BN did **not** save a tenth of the steps here (the plain net needed
{{ num(m.steps_ratio_plain_over_bn) }}× BN's steps).{% else %}Whether BN saves at least a tenth
of the steps is **inconclusive** at this budget: {{ c["fewer-steps"].reason }}.
`deepfaq run batch-norm --profile full` decides it.{% endif %}

**Stable inputs.** The figure redraws Ioffe & Szegedy's Figure 1(b, c): the 15th, 50th and
85th percentiles of one last-layer sigmoid's input over training. Our drift score (how far
the median moves, in units of the distribution's width) was {{ num(m.drift_plain) }} without
BN and {{ num(m.drift_bn) }} with it.
{% if v["less-drift"] == "supported" %}With BN the input drifted less, by more than a tenth of
its width.{% elif v["less-drift"] == "refuted" %}With BN the input did **not** drift less by a
tenth of its width here.{% else %}Whether BN's input drifts less by more than a tenth of its
width is **inconclusive** at this budget: {{ c["less-drift"].reason }}.{% endif %}

**Larger learning rates.** At lr {{ cfg.sweep_lrs[-1] }} the BN net reached
{{ pct(m.acc_bn_lr_max) }} after {{ num(cfg.steps) }} steps and the plain net
{{ pct(m.acc_plain_lr_max) }}. Because BN divides by the batch's standard deviation, scaling
a layer's weights up does not change its output, so a large step cannot blow the
activations up; sigmoids saturate instead of diverging, which is how a plain sigmoid net
stalls. {% if v["larger-learning-rate"] == "supported" %}BN's lead at this rate is more than
10 points.{% elif v["larger-learning-rate"] == "refuted" %}Yet BN's lead at this rate was
**not** more than 10 points here: the output layer has no BN after it, so a large rate can
still throw the BN net off.{% else %}Whether BN leads by more than 10 points at this rate is
**inconclusive** at this budget: {{ c["larger-learning-rate"].reason }}.{% endif %}

**When it holds.** The sweep (last figure) maps the final accuracy with and without BN over
learning rates and two starting scales, down to std {{ cfg.sweep_stds[0] }}. The usual reading
(Ioffe & Szegedy 2015) is that BN widens the range of settings that work more than it raises
the best result; the figure shows how far that holds here. Whether it does so *by* reducing
covariate shift is disputed: Santurkar et al. (2018) found it helps even when shift is
injected on purpose, and credit a smoother loss landscape instead.
"""

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
    figures=figures,
    answer=ANSWER,
    anchors=(
        Anchor(
            "training steps to the same accuracy, without BN ÷ with BN",
            "14× (Inception on ImageNet)",
            IOFFE + ", abstract",
            metric="steps_ratio_plain_over_bn",
            key="ioffe_speedup",
            value=14.0,
            unit="",
            note="ours: 3×100 sigmoid MLP on 5,000 MNIST digits, to 88% test accuracy",
        ),
        Anchor(
            "MNIST sigmoid net with BN vs without (Fig. 1a)",
            "BN net reaches higher test accuracy sooner; inputs' percentiles stay steady",
            IOFFE + ", Fig. 1",
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
