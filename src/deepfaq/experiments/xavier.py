"""Xavier/Glorot initialisation: normal or uniform? And when is He better?

Glorot & Bengio (2010) asked that each layer keep the variance of the signal on
the way forward (needs Var[W] = 1/fan_in) and of the gradient on the way back
(needs Var[W] = 1/fan_out), and compromised on Var[W] = 2/(fan_in + fan_out).
Any distribution with that variance will do: N(0, 2/(fan_in+fan_out)) or
U[−a, a] with a = √(6/(fan_in+fan_out)). The older "standard" U[−1/√n, 1/√n]
has a third of the variance needed, so signals shrink layer after layer. The
compromise assumes units that are linear near zero (tanh); a ReLU zeroes half
its input, and He et al. (2015) doubled the variance to 2/fan_in to make up for it.

Sections, each prose → code → claims → answer: 1. the four starts and the training
loop; 2. deep tanh nets at initialisation (Glorot's Figures 6–7); 3. normal or uniform,
trained (tanh and ReLU MLPs on MNIST-1D and the real MNIST digits); 4. a deep ReLU net:
He or Xavier.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch
from torch import nn

from deepfaq.core.claims import Beats, Claim, Converged, Equivalent, Greater
from deepfaq.core.config import Range
from deepfaq.core.errors import BadConfig
from deepfaq.core.figures import PALETTE
from deepfaq.core.outputs import curve, metric, series
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import mnist1d, mnist1d_validation, mnist_digits
from deepfaq.experiments import kit
from deepfaq.nn import init
from deepfaq.nn.ensemble import ensemble_of


@dataclass(frozen=True)
class Config:
    width: int = 64  # hidden units per layer
    depths: tuple[int, ...] = (5, 10)  # hidden layers of the MNIST-1D sweep (tanh and ReLU)
    deep_depth: int = 30  # hidden layers of the deepest MNIST-1D nets (ReLU)
    # runs at this depth or less enter the normal-vs-uniform test (so one depth must be)
    shallow: Annotated[int, Range("depths", 1000)] = 10
    steps: int = 500  # SGD steps of the MNIST-1D sweep's nets and the digits' nets
    deep_steps: int = 300  # SGD steps of the deepest (ReLU) nets
    # SGD with momentum 0.9, as in He et al. 2015: one rate for every start at a depth
    lr: float = 0.05  # the MNIST-1D sweep's nets and the digits' nets (peak rate)
    deep_lr: float = 0.01  # the deepest nets (a rate the shallow nets like diverges there)
    # "cosine": the sweep's and the digits' rate decays to 0 over `steps` (Loshchilov &
    # Hutter 2017), so their final accuracy is the budget's settled value; convergence is
    # then judged by doubling the budget on the tuning seeds (benchmarks/tuning/xavier.md).
    schedule: str = "cosine"
    batch_size: int = 100
    digit_depth: int = 5  # hidden layers of the nets trained on the 28×28 digits
    probe_depth: int = 10  # tanh layers in the initialisation probe
    probe_batch: int = 500

    def __post_init__(self):
        if self.schedule not in ("constant", "cosine"):
            raise BadConfig(f"schedule must be 'constant' or 'cosine', got {self.schedule!r}")


PROFILES = {
    "smoke": Profile(
        Config(
            depths=(2,),
            deep_depth=6,
            shallow=2,
            steps=25,
            deep_steps=25,
            digit_depth=2,
            probe_depth=4,
            probe_batch=100,
        ),
        seeds=2,
        seed_batch=2,
    ),
    # Sequential design (pre-registered in the lock): seeds are added once, up to the
    # cap, only if a claim's interval straddles its boundary; intervals at 97.5% per look.
    "quick": Profile(Config(), seeds=5, seed_batch=5, looks=(5, 30)),
    "full": Profile(Config(steps=1000), seeds=10, seed_batch=10, looks=(10, 20)),
    # The full profile before 2026-12.
    "paper": Profile(
        Config(
            width=256,
            depths=(5, 10, 20),
            deep_depth=30,
            steps=3000,
            deep_steps=3000,
            lr=0.01,
            deep_lr=0.01,
            schedule="constant",
        ),
        seeds=10,
        seed_batch=10,
    ),
}

# %% 1. The four starts and the training loop

INITS = {
    "xavier_normal": lambda w, g: init.xavier_normal_(w, 1.0, g),
    "xavier_uniform": lambda w, g: init.xavier_uniform_(w, 1.0, g),
    "standard": init.standard_uniform_,
    "he": init.he_normal_,
}
LABELS = {
    "xavier_normal": "Xavier normal",
    "xavier_uniform": "Xavier uniform",
    "standard": "standard U[−1/√n, 1/√n]",
    "he": "He normal",
}
CURVE_POINTS = 30  # checkpoints per training curve; the convergence checks read its last fifth


def mlp(
    n_in: int, width: int, depth: int, activation: str, scheme: str, g: torch.Generator
) -> nn.Sequential:
    layers, fan_in = [], n_in
    for _ in range(depth):
        lin = nn.Linear(fan_in, width)
        INITS[scheme](lin.weight, g)
        init.zeros_(lin.bias)
        layers += [lin, nn.Tanh() if activation == "tanh" else nn.ReLU()]
        fan_in = width
    out = nn.Linear(fan_in, 10)
    INITS[scheme](out.weight, g)
    init.zeros_(out.bias)
    return nn.Sequential(*layers, out)


def train_and_test(model, data, monitor, owner, seeds, part: str, cfg: Config, lr, steps):
    """SGD with momentum on every member of ``model`` at once. Member m trains on the
    data of seed ``owner[m]`` (``data`` = X, y, X_test, y_test, ``[K, n, ...]``) in the
    batch order of that seed: the four starts of one seed see the same batches, so they
    differ only in their initial weights. The loss is the sum of the members' mean
    losses, so each member gets its own gradient. Returns each member's test accuracy
    and its accuracy on ``monitor`` (held-out examples, one set per seed) at
    ``CURVE_POINTS`` + 1 checkpoints."""
    X, y, X_test, y_test = data
    rows = owner[:, None]
    every = max(1, steps // CURVE_POINTS)
    order = torch.stack(  # every step's batch, drawn up front: [K, steps, batch_size]
        [
            torch.randint(0, X.shape[1], (steps, cfg.batch_size), generator=g)
            for g in kit.generators(seeds, f"{part}/batches")
        ]
    ).to(X.device)[owner]
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, foreach=True)
    decay = cfg.schedule == "cosine" and steps == cfg.steps  # the deepest nets keep their rate
    mon = (monitor[0][owner], monitor[1][owner])
    points = []
    for step in range(steps):
        if step % every == 0:
            points.append(kit.accuracy(model, *mon))
        idx = order[:, step]  # [M, batch_size]
        if decay:
            for group in opt.param_groups:
                group["lr"] = lr * 0.5 * (1 + math.cos(math.pi * step / steps))
        opt.zero_grad()
        logits = model(X[rows, idx])  # [M, batch_size, 10]
        nn.functional.cross_entropy(logits.transpose(1, 2), y[rows, idx], reduction="none").mean(
            1
        ).sum().backward()
        opt.step()
    points.append(kit.accuracy(model, *mon))
    acc = kit.accuracy(model, X_test[owner], y_test[owner])
    return acc.tolist(), torch.stack(points, 1).tolist()


def train_starts(cfg: Config, seeds: list[int], part: str, depth: int, act: str, data, monitor):
    """One MLP per seed and start, stacked into one ensemble (member k·4 + i: seed k,
    start i), each initialised from its own sub-seed. Returns {start: (test accuracies,
    held-out curves)}, one per seed."""
    n_in = data[0].shape[-1]
    nets = [
        mlp(n_in, cfg.width, depth, act, s, kit.generator(seed, f"{part}/{s}"))
        for seed in seeds
        for s in INITS
    ]
    owner = torch.arange(len(seeds), device=data[0].device).repeat_interleave(len(INITS))
    model = ensemble_of(nets).to(data[0].device)
    deep = depth == cfg.deep_depth
    lr, steps = (cfg.deep_lr, cfg.deep_steps) if deep else (cfg.lr, cfg.steps)
    acc, curves = train_and_test(model, data, monitor, owner, seeds, part, cfg, lr, steps)
    return {s: (acc[i :: len(INITS)], curves[i :: len(INITS)]) for i, s in enumerate(INITS)}


def batched_trial(cfg: Config, seeds: list[int], ctx) -> list[dict]:
    """The seeds of a batch trained side by side (deepfaq.nn.ensemble), the four
    starts of each seed too: one ensemble per depth, activation and data set. Each seed
    keeps its own data, its own initial weights and its own batch order, as if trained
    alone. Returns one trial output per seed."""
    dev = ctx.device
    data1d = [mnist1d(seed) for seed in seeds]
    digits = [mnist_digits(seed) for seed in seeds]
    outs = [probe_facts(cfg, d, seed) for d, seed in zip(data1d, seeds, strict=True)]
    stages = kit.Stages(ctx, probe=1, mnist1d=8, digits=4)
    stages.done("probe")
    names = ("X_train", "y_train", "X_test", "y_test")
    runs: dict = {}  # (data set, activation, depth) -> {start: (accuracies, curves)}
    # MNIST-1D: held-out curves on fresh examples of the same generator.
    val = [mnist1d_validation(seed) for seed in seeds]
    data = tuple(kit.stacked([getattr(d, n) for d in data1d], dev) for n in names)
    monitor = (kit.stacked([v[0] for v in val], dev), kit.stacked([v[1] for v in val], dev))
    # The sweep's depths with tanh and ReLU; the deepest net with ReLU only (the claim's).
    plan = [(a, d) for a in ("tanh", "relu") for d in cfg.depths] + [("relu", cfg.deep_depth)]
    for i, (act, depth) in enumerate(plan):
        part = f"mnist1d/{act}/{depth}"
        runs["mnist1d", act, depth] = train_starts(cfg, seeds, part, depth, act, data, monitor)
        stages.part("mnist1d", (i + 1) / len(plan))
    # The 5,000 digits have no examples to spare: their held-out curves read the test
    # split, used for nothing else but the final accuracy.
    data = tuple(kit.stacked([getattr(d, n) for d in digits], dev) for n in names)
    for act in ("tanh", "relu"):
        part = f"digits/{act}"
        runs["digits", act, cfg.digit_depth] = train_starts(
            cfg, seeds, part, cfg.digit_depth, act, data, data[2:]
        )
        stages.part("digits", 0.5 if act == "tanh" else 1.0)
    for k, (out, d1, dg) in enumerate(zip(outs, data1d, digits, strict=True)):
        trained_facts(
            cfg, runs, k, out, kit.majority_share(d1.y_test), kit.majority_share(dg.y_test)
        )
    return outs


# %% 2. Deep tanh nets at initialisation (Glorot's Figures 6–7)
# Nothing is trained: the variances of activations and back-propagated gradients, layer
# by layer, of a probe_depth-layer tanh net at each start, on probe_batch examples.


def probe(cfg: Config, X: torch.Tensor, y: torch.Tensor, scheme: str, g: torch.Generator) -> dict:
    """Activations and back-propagated gradients, layer by layer, at initialisation."""
    net = mlp(X.shape[1], cfg.width, cfg.probe_depth, "tanh", scheme, g)
    acts, pre = [], []
    h = X
    for layer in net:
        h = layer(h)
        if isinstance(layer, nn.Linear):
            h.retain_grad()
            pre.append(h)
        elif isinstance(layer, nn.Tanh):
            acts.append(h)
    nn.functional.cross_entropy(h, y).backward()
    return {
        "acts": [a.detach() for a in acts],
        "grads": [p.grad.detach() for p in pre[:-1]],  # ∂loss/∂pre-activation, hidden layers
    }


def probe_facts(cfg: Config, data1d, seed: int) -> dict:
    """Glorot's Figures 6–7 for one seed: per-layer variances, their spread and
    histograms of a deep tanh net's activations and gradients at initialisation."""
    g = kit.generator(seed, "probe")
    X = torch.tensor(data1d.X_train[: cfg.probe_batch])
    y = torch.tensor(data1d.y_train[: cfg.probe_batch])
    probes = {s: probe(cfg, X, y, s, g) for s in INITS}
    grad_scale = 4 * probes["xavier_normal"]["grads"][-1].std().item()
    act_edges, grad_edges = np.linspace(-1, 1, 41), np.linspace(-grad_scale, grad_scale, 41)
    out: dict = {"act_edges": act_edges, "grad_edges": grad_edges}
    for s, p in probes.items():
        act_var = [a.var().item() for a in p["acts"]]
        grad_var = [gr.var().item() for gr in p["grads"]]
        out[f"act_var_{s}"], out[f"grad_var_{s}"] = act_var, grad_var
        # How much the variance changes from the first hidden layer to the last (log2).
        out[f"act_spread_{s}"] = abs(float(np.log2(act_var[-1] / act_var[0])))
        out[f"grad_spread_{s}"] = abs(float(np.log2(grad_var[0] / grad_var[-1])))
        out[f"act_hist_{s}"] = [np.histogram(a.numpy(), act_edges)[0] for a in p["acts"]]
        out[f"grad_hist_{s}"] = [np.histogram(gr.numpy(), grad_edges)[0] for gr in p["grads"]]
    return out


OUTPUTS_PROBE = (
    series("act_edges", "the histogram bins of the activations"),
    series("grad_edges", "the histogram bins of the back-propagated gradients"),
    *(
        o
        for s in INITS
        for o in (
            series(f"act_var_{s}", f"the activation variance of each tanh layer, {LABELS[s]}"),
            series(f"grad_var_{s}", f"the gradient variance at each tanh layer, {LABELS[s]}"),
            series(f"act_hist_{s}", f"histograms of each layer's activations, {LABELS[s]}"),
            series(f"grad_hist_{s}", f"histograms of each layer's gradients, {LABELS[s]}"),
            metric(
                f"act_spread_{s}",
                f"how much the activation variance changes from the first to the last tanh"
                f" layer at initialisation, {LABELS[s]} (|log2| of the ratio)",
                "log2",
                better="lower",
                bounds=(0, float("inf")),
            ),
            metric(
                f"grad_spread_{s}",
                f"how much the gradient variance changes from the last to the first tanh"
                f" layer at initialisation, {LABELS[s]} (|log2| of the ratio)",
                "log2",
                better="lower",
                bounds=(0, float("inf")),
            ),
        )
    ),
)

# A gap counts when it exceeds a factor 2 in variance (1 in log2) over the net. Nothing is
# trained, so no arm needs to have learned.
NO_TRAINING = {"trained-arms": "measured at initialisation: no network is trained"}


def flatter(kind: str, s: str, what: str, figure: str, statement: str) -> Claim:
    return Claim(
        f"{s.replace('_', '-')}-flatter-{what}",
        statement,
        Greater(f"{kind}_spread_standard", f"{kind}_spread_{s}", margin=1.0),
        expected="supported",
        source=f"Glorot & Bengio 2010, Fig. {figure}",
        kind="empirical",
        unit="log2",
        replication="seeds",
        exempt=NO_TRAINING,
    )


CLAIMS_PROBE = (
    flatter(
        "act",
        "xavier_normal",
        "activations",
        "6",
        "At initialisation, Xavier normal keeps the activation variance of a deep tanh net"
        " ({cfg.probe_depth} layers) flatter than the standard init: its first-to-last-layer"
        " change is smaller by more than a factor 2.",
    ),
    flatter(
        "act",
        "xavier_uniform",
        "activations",
        "6",
        "So does Xavier uniform (by more than a factor 2).",
    ),
    flatter(
        "grad",
        "xavier_normal",
        "gradients",
        "7",
        "At initialisation, Xavier normal keeps the back-propagated gradient variance flatter"
        " across layers than the standard init, by more than a factor 2.",
    ),
    flatter(
        "grad",
        "xavier_uniform",
        "gradients",
        "7",
        "So does Xavier uniform (by more than a factor 2).",
    ),
)

ANSWER_PROBE = """
**Flatter signals than the old standard init.** In a {{ cfg.probe_depth }}-layer tanh net at
initialisation, the activation variance changed by a factor 2^{{ num(m.act_spread_standard) }}
from the first to the last hidden layer with U[−1/√n, 1/√n] — which has a third of the needed
variance, so each layer shrinks the signal — against 2^{{ num(m.act_spread_xavier_normal) }}
(normal) and 2^{{ num(m.act_spread_xavier_uniform) }} (uniform) with Xavier. The
back-propagated gradients changed by 2^{{ num(m.grad_spread_standard) }} with the standard init
and 2^{{ num(m.grad_spread_xavier_normal) }} / 2^{{ num(m.grad_spread_xavier_uniform) }} with
Xavier.
{% set flat = [v["xavier-normal-flatter-activations"], v["xavier-uniform-flatter-activations"],
               v["xavier-normal-flatter-gradients"], v["xavier-uniform-flatter-gradients"]] -%}
{% if flat | select("equalto", "supported") | list | length == 4 %}Both Xavier variants kept
activations and gradients flatter than the standard init by more than a factor 2, as Glorot &
Bengio's Figures 6 and 7 show.{% else %}Not all four comparisons (a gap of more than a factor 2
each) came out as Glorot & Bengio's Figures 6 and 7 show: activations
{{ v["xavier-normal-flatter-activations"] }} / {{ v["xavier-uniform-flatter-activations"] }},
gradients {{ v["xavier-normal-flatter-gradients"] }} /
{{ v["xavier-uniform-flatter-gradients"] }} (normal / uniform).{% endif %} The histograms redraw
those figures.
"""

# %% 3. Normal or uniform, trained
# Averaged over the tanh and ReLU runs up to `shallow` layers on MNIST-1D and the digits.
# The equivalence margin is 1 point of accuracy; each arm's held-out curve (the mean over
# those runs) must have levelled off to within half of it, either way: a curve still
# moving by more could carry the difference across the margin. With the cosine schedule
# the rate reaches 0 at the end, so a flat tail alone shows little: convergence was also
# judged by doubling the budget on the tuning seeds (benchmarks/tuning/xavier.md: 500 →
# 1,000 steps raised both arms by about 4.5 points but moved their difference by 0.01
# points, against the 0.5-point tolerance).


def trained_facts(cfg: Config, runs: dict, k: int, out: dict, chance1d: float, chance_dg: float):
    """Seed k's accuracies and curves from every run: per-depth accuracies for the
    figure, the shallow average and its held-out curve, the deepest ReLU net."""
    shallow = [key for key in runs if key[2] <= cfg.shallow]
    n1d = sum(key[0] == "mnist1d" for key in shallow)
    out["acc_chance_mnist1d"] = chance1d
    # Chance for the shallow average: the same mix of MNIST-1D and digit runs.
    out["acc_chance_shallow"] = (n1d * chance1d + (len(shallow) - n1d) * chance_dg) / len(shallow)
    for s in INITS:
        out[f"depth_acc_{s}_tanh"] = [runs["mnist1d", "tanh", d][s][0][k] for d in cfg.depths]
        out[f"depth_acc_{s}_relu"] = [
            runs["mnist1d", "relu", d][s][0][k] for d in (*cfg.depths, cfg.deep_depth)
        ]
        out[f"acc_shallow_{s}"] = float(np.mean([runs[key][s][0][k] for key in shallow]))
        out[f"curve_val_acc_shallow_{s}"] = np.mean(
            [runs[key][s][1][k] for key in shallow], 0
        ).tolist()
        out[f"acc_deepest_relu_{s}"] = runs["mnist1d", "relu", cfg.deep_depth][s][0][k]
        out[f"curve_val_acc_deepest_relu_{s}"] = runs["mnist1d", "relu", cfg.deep_depth][s][1][k]


CLAIMS_SHALLOW = (
    Claim(
        "normal-equals-uniform",
        "Xavier normal and Xavier uniform give the same accuracy (within 1 point, averaged"
        " over the tanh and ReLU runs up to {cfg.shallow} layers on both datasets, after"
        " {cfg.steps} SGD steps with a {cfg.schedule} learning-rate schedule).",
        Equivalent("acc_shallow_xavier_normal", "acc_shallow_xavier_uniform", margin=0.01),
        expected="supported",
        source="Glorot & Bengio 2010",
        kind="empirical",
        unit="points",
        replication="seeds",
        preconditions=tuple(
            p
            for s in ("xavier_normal", "xavier_uniform")
            for p in kit.trained(
                f"acc_shallow_{s}",
                "acc_chance_shallow",
                0.2,
                f"curve_val_acc_shallow_{s}",
                0.005,
                baseline_name="chance (majority class)",
            )
        ),
    ),
)

OUTPUTS_SHALLOW = (
    metric(
        "acc_chance_mnist1d",
        "the MNIST-1D test accuracy of always answering the most common class",
        "%",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    metric(
        "acc_chance_shallow",
        "the chance accuracy of the runs up to the shallow depth, averaged like them",
        "%",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    *(
        o
        for s in INITS
        for o in (
            series(f"depth_acc_{s}_tanh", f"MNIST-1D test accuracy per depth, tanh, {LABELS[s]}"),
            series(
                f"depth_acc_{s}_relu",
                f"MNIST-1D test accuracy per depth, ReLU, {LABELS[s]} (the deepest net last)",
            ),
            metric(
                f"acc_shallow_{s}",
                f"the test accuracy of the {LABELS[s]} start, averaged over the shallow runs",
                "%",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
            curve(
                f"curve_val_acc_shallow_{s}",
                f"the held-out accuracy during training of the {LABELS[s]} start, averaged"
                " over the shallow runs",
                "%",
                x="SGD step",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
        )
    ),
)

ANSWER_SHALLOW = """
**Either: only the variance matters.** Xavier normal draws from N(0, 2/(fan_in+fan_out));
Xavier uniform from U[−a, a] with a = √(6/(fan_in+fan_out)), whose variance a²/3 is the
same number. Averaged over the tanh and ReLU networks up to {{ cfg.shallow }} layers on
MNIST-1D and the digits, they reached {{ pct(m.acc_shallow_xavier_normal) }} and
{{ pct(m.acc_shallow_xavier_uniform) }} test accuracy after {{ num(cfg.steps) }} SGD steps
({{ cfg.schedule }} learning-rate schedule; doubling the budget on separate tuning seeds moved
both arms alike, not their difference).
{% if v["normal-equals-uniform"] == "supported" %}The two are the same within the ±1-point
margin ({{ n }} seeds).{% elif v["normal-equals-uniform"] == "refuted" %}Here they differed by
more than the ±1-point margin (difference {{ with_unit(c["normal-equals-uniform"].estimate,
"points") }}), against Glorot & Bengio's expectation.{% else %}Whether they are the same within
±1 point is not decided at this budget: {{ c["normal-equals-uniform"].reason }}.{% endif %}
"""

# %% 4. A deep ReLU net: He or Xavier
# About Xavier failing: He, expected to train, must have learned (its further progress
# can only widen the gap); Xavier must have levelled off (its further progress could
# close it), to within half the 5-point margin.

CLAIMS_DEEP = (
    Claim(
        "he-trains-deep-relu",
        "In a {cfg.deep_depth}-layer ReLU MLP on MNIST-1D, within the same SGD budget"
        " ({cfg.deep_steps} steps), He init trains where Xavier normal stalls: test accuracy more"
        " than 5 points higher.",
        Greater("acc_deepest_relu_he", "acc_deepest_relu_xavier_normal", margin=0.05),
        expected="supported",
        source="He, Zhang, Ren & Sun 2015, Fig. 3",
        kind="empirical",
        unit="points",
        replication="seeds",
        preconditions=(
            Beats(
                "acc_deepest_relu_he",
                "acc_chance_mnist1d",
                0.2,
                baseline_name="chance (majority class)",
            ),
            Converged("curve_val_acc_deepest_relu_he", tol=0.01, favours="supported"),
            Converged("curve_val_acc_deepest_relu_xavier_normal", tol=0.025),
        ),
    ),
)

OUTPUTS_DEEP = tuple(
    o
    for s in INITS
    for o in (
        metric(
            f"acc_deepest_relu_{s}",
            f"the MNIST-1D test accuracy of the deepest ReLU net, {LABELS[s]}",
            "%",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        ),
        curve(
            f"curve_val_acc_deepest_relu_{s}",
            f"the held-out accuracy during training of the deepest ReLU net, {LABELS[s]}",
            "%",
            x="SGD step",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        ),
    )
)

ANSWER_DEEP = """
**Deep ReLU nets need He.** A ReLU passes only half its input's energy, so with Xavier's
variance the signal halves at every layer: after {{ cfg.deep_depth }} ReLU layers it is
2^−{{ cfg.deep_depth }} of what it was, and SGD has almost nothing to work with (He et al.
2015). He's 2/fan_in restores the factor 1. In our {{ cfg.deep_depth }}-layer ReLU net He
reached {{ pct(m.acc_deepest_relu_he) }} after {{ num(cfg.deep_steps) }} SGD steps, Xavier normal
{{ pct(m.acc_deepest_relu_xavier_normal) }} and the standard init
{{ pct(m.acc_deepest_relu_standard) }}.
{% if v["he-trains-deep-relu"] == "supported" %}He's lead is more than 5 points, as in He et
al.'s Figure 3.{% elif v["he-trains-deep-relu"] == "refuted" %}He's lead was not more than
5 points here (difference {{ with_unit(c["he-trains-deep-relu"].estimate, "points") }}),
unlike He et al.'s Figure 3.{% else %}Whether He leads by more than 5 points is not decided
at this budget: {{ c["he-trains-deep-relu"].reason }}.{% endif %}
"""

CLAIMS = CLAIMS_SHALLOW + CLAIMS_PROBE + CLAIMS_DEEP
OUTPUTS = OUTPUTS_PROBE + OUTPUTS_SHALLOW + OUTPUTS_DEEP
ANSWER = ANSWER_SHALLOW + ANSWER_PROBE + ANSWER_DEEP

# %% Figures


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import band, color

    schemes = ["standard", "xavier_normal", "xavier_uniform", "he"]
    for kind, label in (("act", "activation value"), ("grad", "back-propagated gradient")):
        edges = np.asarray(result.series[f"{kind}_edges"][0])
        centres = (edges[:-1] + edges[1:]) / 2
        fig, axes = new_figure(
            f"{kind}-histograms", ncols=len(schemes), sharey=True, figsize=(3.2 * len(schemes), 3.0)
        )
        for ax, s in zip(axes[0], schemes, strict=True):
            hists = np.asarray(result.series[f"{kind}_hist_{s}"][0])  # [layer, bin]
            for layer in range(0, len(hists), max(1, len(hists) // 5)):
                ax.plot(centres, hists[layer], label=f"layer {layer + 1}")
            ax.set_title(LABELS[s], fontsize=9)
            ax.set_xlabel(label)
            ax.locator_params(axis="x", nbins=4)  # small panels: fewer, non-overlapping ticks
        axes[0, 0].set_ylabel("count (seed 0, tanh net at init)")
        axes[0, -1].legend(fontsize=7)

    fig, axes = new_figure("variance-per-layer", ncols=2)
    for ax, kind in zip(axes[0], ("act", "grad"), strict=True):
        for s in schemes:
            v = np.asarray(result.series[f"{kind}_var_{s}"])
            band(
                ax,
                np.arange(1, v.shape[1] + 1),
                v,
                log=True,
                marker="o",
                label=LABELS[s],
                color=color(LABELS[s]),
            )
        ax.set_yscale("log")
        ax.set_xlabel("hidden layer")
        ax.set_title("activations" if kind == "act" else "gradients w.r.t. pre-activations")
    axes[0, 0].set_ylabel("variance at initialisation\n(geometric mean over seeds)")
    axes[0, 1].legend(fontsize=7)

    fig, axes = new_figure("accuracy-vs-depth", ncols=2, sharey=True)
    for ax, act in zip(axes[0], ("tanh", "relu"), strict=True):
        depths = list(result.config["depths"])
        if act == "relu":
            depths.append(result.config["deep_depth"])
        for s in schemes:
            band(
                ax,
                depths,
                100 * np.asarray(result.series[f"depth_acc_{s}_{act}"], dtype=float),
                marker="o",
                label=LABELS[s],
                color=color(LABELS[s]),
                bounds=(0, 100),
            )
        ax.set_title(f"{act} MLPs on MNIST-1D")
        ax.set_xlabel("hidden layers")
    axes[0, 0].set_ylabel(
        f"test accuracy, % after {result.config['steps']} SGD steps\n"
        f"({result.config['deep_steps']} at depth {result.config['deep_depth']})"
    )
    axes[0, 1].legend(fontsize=7)


QUESTION = Question(
    id="xavier",
    topic="Initialisation, activations and normalisation",
    paraphrases=(
        "Xavier or Glorot initialisation: normal or uniform?",
        "does it matter if glorot init draws from a gaussian or a uniform distribution",
        "what is xavier initialization and when do I use He instead",
        "glorot uniform versus glorot normal",
    ),
    title="Xavier/Glorot: normal or uniform?",
    asked="Should Xavier initialisation use a normal or a uniform distribution, and how does"
    " it compare with He initialisation?",
    config=Config,
    profiles=PROFILES,
    trial=None,
    batched_trial=batched_trial,
    claims=CLAIMS,
    outputs=OUTPUTS,
    figures=figures,
    answer=ANSWER,
    colors={
        "Xavier normal": PALETTE[0],
        "Xavier uniform": PALETTE[1],
        "He normal": PALETTE[2],
        "standard U[−1/√n, 1/√n]": PALETTE[6],
    },
    key_claims=(
        "normal-equals-uniform",
        "xavier-normal-flatter-activations",
        "xavier-normal-flatter-gradients",
        "he-trains-deep-relu",
    ),
    one_line=(
        '{{ by_verdict(v["normal-equals-uniform"], "Either: only the variance'
        " 2/(fan_in + fan_out) matters, and normal and uniform Xavier trained to the same"
        ' accuracy here",'
        ' "The variance is what Glorot and Bengio prescribe, but here normal and uniform'
        ' Xavier differed by more than a point",'
        ' "Glorot and Bengio prescribe a variance, 2/(fan_in + fan_out), not a distribution;'
        ' whether normal and uniform train to the same accuracy was not decided here")'
        ' ~ by_verdict(v["he-trains-deep-relu"], "; for deep ReLU nets use He\'s 2/fan_in'
        ' instead.", "; He\'s 2/fan_in did not beat Xavier on a deep ReLU net here.", ".") }}'
    ),
    anchors=(
        Anchor(
            "standard init U[−1/√n, 1/√n]: n·Var[W]",
            "1/3 — the signal shrinks each layer",
            "Glorot & Bengio 2010, §4.2.1",
            key="standard_n_var",
            value=1 / 3,
            unit="",
            note="a property of the distribution, not measured here (init-scale measures"
            " the per-layer factor)",
        ),
        Anchor(
            "normalised init keeps activation and gradient histograms alike across layers",
            "Figures 6–7 (tanh, 5 hidden layers)",
            "Glorot & Bengio 2010",
            key="glorot_figures",
            note="a figure, not a number: our act_spread_* and grad_spread_* measure the"
            " same flatness as the |log2| variance change over 10 tanh layers",
        ),
        Anchor(
            "30-layer plain ReLU network",
            "Xavier init stalls; He init converges",
            "He, Zhang, Ren & Sun 2015, Fig. 3",
            key="he_30_layers",
            note="qualitative, on ImageNet; our he-trains-deep-relu claim tests the same"
            " contrast on MNIST-1D",
        ),
    ),
    references=(
        "Glorot & Bengio (2010). Understanding the difficulty of training deep feedforward"
        " neural networks. AISTATS.",
        "He, Zhang, Ren & Sun (2015). Delving deep into rectifiers: surpassing human-level"
        " performance on ImageNet classification. ICCV.",
    ),
)
