"""Xavier/Glorot initialisation: normal or uniform? And when is He better?

Glorot & Bengio (2010) asked that each layer keep the variance of the signal on
the way forward (needs Var[W] = 1/fan_in) and of the gradient on the way back
(needs Var[W] = 1/fan_out), and compromised on Var[W] = 2/(fan_in + fan_out).
Any distribution with that variance will do: N(0, 2/(fan_in+fan_out)) or
U[−a, a] with a = √(6/(fan_in+fan_out)). The older "standard" U[−1/√n, 1/√n]
has a third of the variance needed, so signals shrink layer after layer. The
compromise assumes units that are linear near zero (tanh); a ReLU zeroes half
its input, and He et al. (2015) doubled the variance to 2/fan_in to make up for it.

We probe deep tanh nets at initialisation (Glorot's Figures 6–7) and train tanh
and ReLU MLPs of several depths on MNIST-1D and the real MNIST digits from all
four starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch
from torch import nn

from deepfaq.core.claims import Beats, Claim, Converged, Equivalent, Greater
from deepfaq.core.config import Range
from deepfaq.core.context import sub_seed
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import mnist1d, mnist1d_validation, mnist_digits
from deepfaq.nn import init
from deepfaq.nn.ensemble import ensemble_of


@dataclass(frozen=True)
class Config:
    width: int = 64  # hidden units per layer
    depths: tuple[int, ...] = (5, 10, 30)  # hidden layers in the depth sweep (MNIST-1D)
    steps: int = 300  # SGD steps per training run
    lr: float = 0.01  # SGD with momentum 0.9, as in He et al. 2015
    batch_size: int = 100
    digit_depth: int = 5  # hidden layers of the nets trained on the 28×28 digits
    probe_depth: int = 10  # tanh layers in the initialisation probe
    probe_batch: int = 500
    # runs at this depth or less enter the normal-vs-uniform test (so one depth must be)
    shallow: Annotated[int, Range("depths", 1000)] = 10


PROFILES = {
    "smoke": Profile(
        Config(depths=(2, 6), steps=20, digit_depth=2, probe_depth=4, probe_batch=100),
        seeds=2,
        seed_batch=2,
    ),
    "quick": Profile(Config(), seeds=5, seed_batch=5),
    "full": Profile(Config(width=256, depths=(5, 10, 20, 30), steps=3000), seeds=10, seed_batch=10),
}

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
N_MONITOR = 1000  # examples behind each curve


def chance_accuracy(data) -> float:
    """Test accuracy of always answering the training set's most frequent class."""
    return float((data.y_test == np.bincount(data.y_train).argmax()).mean())


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


def accuracy(model, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Each member's accuracy: ``X`` [M, n, features], ``y`` [M, n] → [M]."""
    with torch.no_grad():
        return (model(X).argmax(-1) == y).float().mean(1)


def train_and_test(
    model, X, y, owner, gens, monitor, test, cfg: Config
) -> tuple[list[float], list[list[float]]]:
    """SGD with momentum on every member of ``model`` at once. Member m trains on
    the data of seed ``owner[m]`` (``X`` [K, n, features]) in the batch order of
    that seed's generator: the four starts of one seed see the same batches, so
    they differ only in their initial weights. The loss is the sum of the members'
    mean losses, so each member gets its own gradient. Returns each member's test
    accuracy and its accuracy on ``monitor`` (validation examples, or training
    examples where none are spare) at ``CURVE_POINTS`` + 1 checkpoints; ``monitor``
    and ``test`` hold one set per member."""
    rows = owner[:, None]
    every = max(1, cfg.steps // CURVE_POINTS)
    opt = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=0.9, foreach=True)
    points = []
    for step in range(cfg.steps):
        if step % every == 0:
            points.append(accuracy(model, *monitor))
        idx = torch.stack(
            [torch.randint(0, X.shape[1], (cfg.batch_size,), generator=g) for g in gens]
        ).to(X.device)[owner]  # [M, batch_size]
        opt.zero_grad()
        logits = model(X[rows, idx])  # [M, batch_size, 10]
        nn.functional.cross_entropy(logits.transpose(1, 2), y[rows, idx], reduction="none").mean(
            1
        ).sum().backward()
        opt.step()
    points.append(accuracy(model, *monitor))
    return accuracy(model, *test).tolist(), torch.stack(points, 1).tolist()


def train_starts(
    cfg: Config,
    seeds: list[int],
    part: str,
    n_in: int,
    depth: int,
    activation: str,
    data,
    monitor,
    device: str,
) -> dict:
    """One MLP per seed and start, stacked into one ensemble (member k·4 + i: seed
    k, start i), each initialised from its own sub-seed; trained by
    :func:`train_and_test`. ``data`` = (X, y, X_test, y_test), ``monitor`` = (X, y),
    one slice per seed. Returns {start: (test accuracies, curves)}, one per seed."""
    nets = [
        mlp(
            n_in,
            cfg.width,
            depth,
            activation,
            s,
            torch.Generator().manual_seed(sub_seed(seed, f"{part}/{s}")),
        )
        for seed in seeds
        for s in INITS
    ]
    owner = torch.arange(len(seeds), device=device).repeat_interleave(len(INITS))
    gens = [torch.Generator().manual_seed(sub_seed(seed, f"{part}/batches")) for seed in seeds]
    X, y, X_test, y_test = data
    acc, curves = train_and_test(
        ensemble_of(nets).to(device),
        X,
        y,
        owner,
        gens,
        (monitor[0][owner], monitor[1][owner]),
        (X_test[owner], y_test[owner]),
        cfg,
    )
    return {s: (acc[i :: len(INITS)], curves[i :: len(INITS)]) for i, s in enumerate(INITS)}


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
    g = torch.Generator().manual_seed(sub_seed(seed, "probe"))
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


def stacked(arrays, device: str) -> torch.Tensor:
    """One array per seed → a tensor [K, ...]."""
    return torch.stack([torch.as_tensor(a) for a in arrays]).to(device)


def batched_trial(cfg: Config, seeds: list[int], ctx) -> list[dict]:
    """The seeds of a batch trained side by side (deepfaq.nn.ensemble), the four
    starts of each seed too: one ensemble per depth and activation. Each seed keeps
    its own data, its own initial weights and its own batch order, as if trained
    alone. Returns one trial output per seed."""
    dev = ctx.device
    data1d = [mnist1d(seed) for seed in seeds]
    digits = [mnist_digits(seed) for seed in seeds]
    outs = [probe_facts(cfg, d, seed) for d, seed in zip(data1d, seeds, strict=True)]
    for out, d, dg in zip(outs, data1d, digits, strict=True):
        out["acc_chance_mnist1d"] = chance_accuracy(d)
        out["acc_chance_digits"] = chance_accuracy(dg)
    ctx.progress(0.05)

    def tensors(splits):
        return tuple(
            stacked([getattr(d, n) for d in splits], dev)
            for n in ("X_train", "y_train", "X_test", "y_test")
        )

    # Curves for the convergence checks: fresh MNIST-1D examples; the 5,000 digits
    # have none to spare, so their curves read a fixed part of the training split.
    val = [mnist1d_validation(seed) for seed in seeds]
    val1d = (stacked([v[0] for v in val], dev), stacked([v[1] for v in val], dev))
    shallow_acc = [{s: [] for s in INITS} for _ in seeds]
    shallow_curves = [{s: [] for s in INITS} for _ in seeds]  # MNIST-1D validation curves
    digit_curves = [{s: [] for s in INITS} for _ in seeds]  # training-split curves, digits
    n_runs, done = 2 * len(cfg.depths) + 2, 0
    data = tensors(data1d)
    for act in ("tanh", "relu"):
        for depth in cfg.depths:
            res = train_starts(
                cfg, seeds, f"mnist1d/{act}/{depth}", 40, depth, act, data, val1d, dev
            )
            for k, out in enumerate(outs):
                for s, (acc, curves) in res.items():
                    out.setdefault(f"depth_acc_{s}_{act}", []).append(acc[k])
                    out[f"curve_val_acc_{s}_{act}_{depth}"] = curves[k]
                    if depth <= cfg.shallow:
                        shallow_acc[k][s].append(acc[k])
                        shallow_curves[k][s].append(curves[k])
            done += 1
            ctx.progress(0.05 + 0.95 * done / n_runs)
    data = tensors(digits)
    monitor = (data[0][:, :N_MONITOR], data[1][:, :N_MONITOR])
    for act in ("tanh", "relu"):
        res = train_starts(
            cfg, seeds, f"digits/{act}", 784, cfg.digit_depth, act, data, monitor, dev
        )
        for k, out in enumerate(outs):
            for s, (acc, curves) in res.items():
                out[f"acc_digits_{s}_{act}"] = acc[k]
                shallow_acc[k][s].append(acc[k])
                digit_curves[k][s].append(curves[k])
        done += 1
        ctx.progress(0.05 + 0.95 * done / n_runs)

    # Chance for the shallow average: the same mix of MNIST-1D and digit runs.
    n1d = 2 * sum(d <= cfg.shallow for d in cfg.depths)
    for k, out in enumerate(outs):
        out["acc_chance_shallow"] = (
            n1d * out["acc_chance_mnist1d"] + 2 * out["acc_chance_digits"]
        ) / (n1d + 2)
        for s in INITS:
            out[f"acc_shallow_{s}"] = float(np.mean(shallow_acc[k][s]))
            out[f"curve_val_acc_shallow_mnist1d_{s}"] = np.mean(shallow_curves[k][s], 0).tolist()
            out[f"curve_train_acc_digits_{s}"] = np.mean(digit_curves[k][s], 0).tolist()
            out[f"curve_val_acc_deepest_relu_{s}"] = out[f"curve_val_acc_{s}_relu_{cfg.depths[-1]}"]
            out[f"acc_deepest_relu_{s}"] = out[f"depth_acc_{s}_relu"][-1]
            out[f"acc_deepest_tanh_{s}"] = out[f"depth_acc_{s}_tanh"][-1]
    return outs


GLOROT = "Glorot & Bengio 2010"
HE = "He, Zhang, Ren & Sun 2015"
LOG2 = "log2"  # spreads: |log2| of the variance change from first to last layer


def learned(acc: str, chance: str, *curves: str) -> tuple:
    """Preconditions of an arm expected to learn: its accuracy beats chance (the
    majority class) by 20 points, and each of its accuracy curves gained at most
    one point over the last fifth of training."""
    return (
        Beats(acc, chance, margin=0.2, baseline_name="chance (majority class)"),
        *(Converged(c, tol=0.01) for c in curves),
    )


CLAIMS = (
    Claim(
        "normal-equals-uniform",
        "Xavier normal and Xavier uniform give the same accuracy (within 1 point, averaged"
        " over the tanh and ReLU runs up to 10 layers on both datasets).",
        Equivalent("acc_shallow_xavier_normal", "acc_shallow_xavier_uniform", margin=0.01),
        expected="supported",
        source=GLOROT,
        kind="empirical",
        unit="points",
        replication="seeds",
        preconditions=(
            *learned(
                "acc_shallow_xavier_normal",
                "acc_chance_shallow",
                "curve_val_acc_shallow_mnist1d_xavier_normal",
                "curve_train_acc_digits_xavier_normal",
            ),
            *learned(
                "acc_shallow_xavier_uniform",
                "acc_chance_shallow",
                "curve_val_acc_shallow_mnist1d_xavier_uniform",
                "curve_train_acc_digits_xavier_uniform",
            ),
        ),
    ),
    # At initialisation, nothing trained: a gap counts when it exceeds a factor 2 in
    # variance (1 in log2) over the net.
    Claim(
        "xavier-normal-flatter-activations",
        "At initialisation, Xavier normal keeps the activation variance of a deep tanh net"
        " flatter than the standard init: its first-to-last-layer change is smaller by more"
        " than a factor 2.",
        Greater("act_spread_standard", "act_spread_xavier_normal", margin=1.0),
        expected="supported",
        source=GLOROT + ", Fig. 6",
        kind="empirical",
        unit=LOG2,
        replication="seeds",
    ),
    Claim(
        "xavier-uniform-flatter-activations",
        "So does Xavier uniform (by more than a factor 2).",
        Greater("act_spread_standard", "act_spread_xavier_uniform", margin=1.0),
        expected="supported",
        source=GLOROT + ", Fig. 6",
        kind="empirical",
        unit=LOG2,
        replication="seeds",
    ),
    Claim(
        "xavier-normal-flatter-gradients",
        "At initialisation, Xavier normal keeps the back-propagated gradient variance flatter"
        " across layers than the standard init, by more than a factor 2.",
        Greater("grad_spread_standard", "grad_spread_xavier_normal", margin=1.0),
        expected="supported",
        source=GLOROT + ", Fig. 7",
        kind="empirical",
        unit=LOG2,
        replication="seeds",
    ),
    Claim(
        "xavier-uniform-flatter-gradients",
        "So does Xavier uniform (by more than a factor 2).",
        Greater("grad_spread_standard", "grad_spread_xavier_uniform", margin=1.0),
        expected="supported",
        source=GLOROT + ", Fig. 7",
        kind="empirical",
        unit=LOG2,
        replication="seeds",
    ),
    # About Xavier failing: the preconditions are on He, the arm expected to train.
    Claim(
        "he-trains-deep-relu",
        "In the deepest ReLU MLP of the sweep (30 hidden layers in quick and full), within"
        " the same SGD budget (quick: 300 steps; full: 3,000), He init trains where Xavier"
        " normal stalls: test accuracy more than 5 points higher.",
        Greater("acc_deepest_relu_he", "acc_deepest_relu_xavier_normal", margin=0.05),
        expected="supported",
        source=HE + ", Fig. 3",
        kind="empirical",
        unit="points",
        replication="seeds",
        preconditions=learned(
            "acc_deepest_relu_he", "acc_chance_mnist1d", "curve_val_acc_deepest_relu_he"
        ),
    ),
)


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
    depths = result.config["depths"]
    for ax, act in zip(axes[0], ("tanh", "relu"), strict=True):
        for s in schemes:
            band(
                ax,
                depths,
                result.series[f"depth_acc_{s}_{act}"],
                marker="o",
                label=LABELS[s],
                color=color(LABELS[s]),
                bounds=(0, 1),
            )
        ax.set_title(f"{act} MLPs on MNIST-1D")
        ax.set_xlabel("hidden layers")
    axes[0, 0].set_ylabel(f"test accuracy after {result.config['steps']} SGD steps")
    axes[0, 1].legend(fontsize=7)


ANSWER = """
**Either: only the variance matters.** Xavier normal draws from N(0, 2/(fan_in+fan_out));
Xavier uniform from U[−a, a] with a = √(6/(fan_in+fan_out)), whose variance a²/3 is the
same number. Averaged over the tanh and ReLU networks up to {{ cfg.shallow }} layers on
MNIST-1D and the digits, they reached {{ pct(m.acc_shallow_xavier_normal) }} and
{{ pct(m.acc_shallow_xavier_uniform) }} test accuracy after {{ num(cfg.steps) }} SGD steps.
{% if v["normal-equals-uniform"] == "supported" %}The two are the same within the ±1-point
margin ({{ n }} seeds).{% elif v["normal-equals-uniform"] == "refuted" %}Here they differed by
more than the ±1-point margin (difference {{ with_unit(c["normal-equals-uniform"].estimate,
"points") }}), against Glorot & Bengio's expectation.{% else %}Whether they are the same within
±1 point is **inconclusive** at this budget: {{ c["normal-equals-uniform"].reason }}.
`deepfaq run xavier --profile full` decides it.{% endif %}

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

**Deep ReLU nets need He.** A ReLU passes only half its input's energy, so with Xavier's
variance the signal halves at every layer: after {{ cfg.depths[-1] }} ReLU layers it is
2^−{{ cfg.depths[-1] }} of what it was, and SGD has almost nothing to work with. He's
2/fan_in restores the factor 1. In our {{ cfg.depths[-1] }}-layer ReLU net He reached
{{ pct(m.acc_deepest_relu_he) }} after {{ num(cfg.steps) }} SGD steps, Xavier normal
{{ pct(m.acc_deepest_relu_xavier_normal) }} and the standard init
{{ pct(m.acc_deepest_relu_standard) }}.
{% if v["he-trains-deep-relu"] == "supported" %}He's lead is more than 5 points, as in He et
al.'s Figure 3.{% elif v["he-trains-deep-relu"] == "refuted" %}He's lead was not more than
5 points here (difference {{ with_unit(c["he-trains-deep-relu"].estimate, "points") }}),
unlike He et al.'s Figure 3.{% else %}Whether He leads by more than 5 points is
**inconclusive** at this budget: {{ c["he-trains-deep-relu"].reason }}.
`deepfaq run xavier --profile full` decides it.{% endif %}
"""

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
    figures=figures,
    answer=ANSWER,
    anchors=(
        Anchor(
            "standard init U[−1/√n, 1/√n]: n·Var[W]",
            "1/3 — the signal shrinks each layer",
            GLOROT + ", §4.2.1",
            key="standard_n_var",
            value=1 / 3,
            unit="",
            note="a property of the distribution, not measured here (init-scale measures"
            " the per-layer factor)",
        ),
        Anchor(
            "normalised init keeps activation and gradient histograms alike across layers",
            "Figures 6–7 (tanh, 5 hidden layers)",
            GLOROT,
            key="glorot_figures",
            note="a figure, not a number: our act_spread_* and grad_spread_* measure the"
            " same flatness as the |log2| variance change over 10 tanh layers",
        ),
        Anchor(
            "30-layer plain ReLU network",
            "Xavier init stalls; He init converges",
            HE + ", Fig. 3",
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
