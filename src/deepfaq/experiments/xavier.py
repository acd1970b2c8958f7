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

import numpy as np
import torch
from torch import nn

from deepfaq.core.claims import Claim, Equivalent, Greater
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import mnist1d, mnist_digits
from deepfaq.nn import init


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
    shallow: int = 10  # runs at this depth or less enter the normal-vs-uniform test


PROFILES = {
    "smoke": Profile(Config(depths=(2, 6), steps=20, digit_depth=2, probe_depth=4,
                            probe_batch=100), seeds=2),
    "quick": Profile(Config(), seeds=4),
    "full": Profile(Config(width=256, depths=(5, 10, 20, 30), steps=3000), seeds=10),
}

INITS = {
    "xavier_normal": lambda w, g: init.xavier_normal_(w, 1.0, g),
    "xavier_uniform": lambda w, g: init.xavier_uniform_(w, 1.0, g),
    "standard": init.standard_uniform_,
    "he": init.he_normal_,
}
LABELS = {"xavier_normal": "Xavier normal", "xavier_uniform": "Xavier uniform",
          "standard": "standard U[−1/√n, 1/√n]", "he": "He normal"}


def mlp(n_in: int, width: int, depth: int, activation: str, scheme: str,
        g: torch.Generator) -> nn.Sequential:
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


def train_and_test(net, data, cfg: Config, g: torch.Generator, device: str) -> float:
    X, y = torch.tensor(data.X_train, device=device), torch.tensor(data.y_train, device=device)
    opt = torch.optim.SGD(net.parameters(), lr=cfg.lr, momentum=0.9, foreach=True)
    for _ in range(cfg.steps):
        idx = torch.randint(0, len(X), (cfg.batch_size,), generator=g).to(device)
        opt.zero_grad()
        nn.functional.cross_entropy(net(X[idx]), y[idx]).backward()
        opt.step()
    with torch.no_grad():
        Xt = torch.tensor(data.X_test, device=device)
        return (net(Xt).argmax(1).cpu() == torch.tensor(data.y_test)).float().mean().item()


def probe(cfg: Config, X: torch.Tensor, y: torch.Tensor, scheme: str,
          g: torch.Generator) -> dict:
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


def trial(cfg: Config, seed: int, ctx) -> dict:
    g = torch.Generator().manual_seed(seed)
    dev = ctx.device
    out: dict = {}
    data1d, digits = mnist1d(seed), mnist_digits(seed)

    X = torch.tensor(data1d.X_train[:cfg.probe_batch])
    y = torch.tensor(data1d.y_train[:cfg.probe_batch])
    probes = {s: probe(cfg, X, y, s, g) for s in INITS}
    grad_scale = 4 * probes["xavier_normal"]["grads"][-1].std().item()
    act_edges, grad_edges = np.linspace(-1, 1, 41), np.linspace(-grad_scale, grad_scale, 41)
    out["act_edges"], out["grad_edges"] = act_edges, grad_edges
    for s, p in probes.items():
        act_var = [a.var().item() for a in p["acts"]]
        grad_var = [gr.var().item() for gr in p["grads"]]
        out[f"act_var_{s}"], out[f"grad_var_{s}"] = act_var, grad_var
        # How much the variance changes from the first hidden layer to the last (log2).
        out[f"act_spread_{s}"] = abs(float(np.log2(act_var[-1] / act_var[0])))
        out[f"grad_spread_{s}"] = abs(float(np.log2(grad_var[0] / grad_var[-1])))
        out[f"act_hist_{s}"] = [np.histogram(a.numpy(), act_edges)[0] for a in p["acts"]]
        out[f"grad_hist_{s}"] = [np.histogram(gr.numpy(), grad_edges)[0] for gr in p["grads"]]
    ctx.progress(0.05)

    runs = [(act, d) for act in ("tanh", "relu") for d in cfg.depths]
    shallow_acc = {s: [] for s in INITS}
    for i, (act, depth) in enumerate(runs):
        for s in INITS:
            net = mlp(40, cfg.width, depth, act, s, g).to(dev)
            acc = train_and_test(net, data1d, cfg, g, dev)
            out.setdefault(f"depth_acc_{s}_{act}", []).append(acc)
            if depth <= cfg.shallow:
                shallow_acc[s].append(acc)
        ctx.progress(0.05 + 0.8 * (i + 1) / len(runs))
    for act in ("tanh", "relu"):
        for s in INITS:
            net = mlp(784, cfg.width, cfg.digit_depth, act, s, g).to(dev)
            acc = train_and_test(net, digits, cfg, g, dev)
            out[f"acc_digits_{s}_{act}"] = acc
            shallow_acc[s].append(acc)
    for s in INITS:
        out[f"acc_shallow_{s}"] = float(np.mean(shallow_acc[s]))
        out[f"acc_deepest_relu_{s}"] = out[f"depth_acc_{s}_relu"][-1]
        out[f"acc_deepest_tanh_{s}"] = out[f"depth_acc_{s}_tanh"][-1]
    ctx.progress(1.0)
    return out


GLOROT = "Glorot & Bengio 2010"
HE = "He, Zhang, Ren & Sun 2015"

CLAIMS = (
    Claim("normal-equals-uniform",
          "Xavier normal and Xavier uniform give the same accuracy (within 1 point, averaged"
          " over the tanh and ReLU runs up to 10 layers on both datasets).",
          Equivalent("acc_shallow_xavier_normal", "acc_shallow_xavier_uniform", margin=0.01),
          expected="supported", source=GLOROT),
    Claim("xavier-normal-flatter-activations",
          "Xavier normal keeps the activation variance flatter across a deep tanh net than the"
          " standard init.",
          Greater("act_spread_standard", "act_spread_xavier_normal"), expected="supported",
          source=GLOROT + ", Fig. 6"),
    Claim("xavier-uniform-flatter-activations",
          "So does Xavier uniform.",
          Greater("act_spread_standard", "act_spread_xavier_uniform"), expected="supported",
          source=GLOROT + ", Fig. 6"),
    Claim("xavier-normal-flatter-gradients",
          "Xavier normal keeps the back-propagated gradient variance flatter across layers than"
          " the standard init.",
          Greater("grad_spread_standard", "grad_spread_xavier_normal"), expected="supported",
          source=GLOROT + ", Fig. 7"),
    Claim("xavier-uniform-flatter-gradients",
          "So does Xavier uniform.",
          Greater("grad_spread_standard", "grad_spread_xavier_uniform"), expected="supported",
          source=GLOROT + ", Fig. 7"),
    Claim("he-trains-deep-relu",
          "In the deepest ReLU net He init trains where Xavier stalls: test accuracy more than"
          " 5 points higher.",
          Greater("acc_deepest_relu_he", "acc_deepest_relu_xavier_normal", margin=0.05),
          expected="supported", source=HE + ", Fig. 3"),
)


def figures(result, new_figure) -> None:
    schemes = ["standard", "xavier_normal", "xavier_uniform", "he"]
    for kind, label in (("act", "activation value"), ("grad", "back-propagated gradient")):
        edges = np.asarray(result.series[f"{kind}_edges"][0])
        centres = (edges[:-1] + edges[1:]) / 2
        fig, axes = new_figure(f"{kind}-histograms", ncols=len(schemes), sharey=True,
                               figsize=(3.2 * len(schemes), 3.0))
        for ax, s in zip(axes[0], schemes, strict=True):
            hists = np.asarray(result.series[f"{kind}_hist_{s}"][0])  # [layer, bin]
            for layer in range(0, len(hists), max(1, len(hists) // 5)):
                ax.plot(centres, hists[layer], label=f"layer {layer + 1}")
            ax.set_title(LABELS[s], fontsize=9)
            ax.set_xlabel(label)
        axes[0, 0].set_ylabel("count (seed 0, tanh net at init)")
        axes[0, -1].legend(fontsize=7)

    fig, axes = new_figure("variance-per-layer", ncols=2)
    for ax, kind in zip(axes[0], ("act", "grad"), strict=True):
        for s in schemes:
            v = np.asarray(result.series[f"{kind}_var_{s}"])
            ax.plot(np.arange(1, v.shape[1] + 1), np.exp(np.log(v).mean(0)), "o-",
                    label=LABELS[s])
        ax.set_yscale("log")
        ax.set_xlabel("hidden layer")
        ax.set_title("activations" if kind == "act" else "gradients w.r.t. pre-activations")
    axes[0, 0].set_ylabel("variance at initialisation")
    axes[0, 1].legend(fontsize=7)

    fig, axes = new_figure("accuracy-vs-depth", ncols=2, sharey=True)
    depths = result.config["depths"]
    for ax, act in zip(axes[0], ("tanh", "relu"), strict=True):
        for s in schemes:
            c = np.asarray(result.series[f"depth_acc_{s}_{act}"])
            ax.plot(depths, c.mean(0), "o-", label=LABELS[s])
        ax.set_title(f"{act} MLPs on MNIST-1D")
        ax.set_xlabel("hidden layers")
    axes[0, 0].set_ylabel(f"test accuracy after {result.config['steps']} SGD steps")
    axes[0, 1].legend(fontsize=7)


ANSWER = """
**Either: only the variance matters.** Xavier normal draws from N(0, 2/(fan_in+fan_out));
Xavier uniform from U[−a, a] with a = √(6/(fan_in+fan_out)), whose variance a²/3 is the
same number. Averaged over the tanh and ReLU networks up to {{ cfg.shallow }} layers on
MNIST-1D and the digits, they reached {{ pct(m.acc_shallow_xavier_normal) }} and
{{ pct(m.acc_shallow_xavier_uniform) }} test accuracy.
{% if v["normal-equals-uniform"] == "inconclusive" %}With {{ n }} seeds the interval of the
difference is still wider than the ±1-point margin (**inconclusive**), even though the two
means are close: run-to-run noise of a few hundred SGD steps is larger than any effect of the
distribution's shape. More seeds (`--seeds 10`) or longer training narrow it.{% endif %}

**Both keep signals flatter than the old standard init.** In a {{ cfg.probe_depth }}-layer
tanh net at initialisation, the activation variance changed by a factor
2^{{ num(m.act_spread_standard) }} from the first to the last hidden layer with
U[−1/√n, 1/√n] — it has a third of the needed variance, so each layer shrinks the signal —
against 2^{{ num(m.act_spread_xavier_normal) }} (normal) and
2^{{ num(m.act_spread_xavier_uniform) }} (uniform) with Xavier. The back-propagated gradients
changed by 2^{{ num(m.grad_spread_standard) }} with the standard init and
2^{{ num(m.grad_spread_xavier_normal) }} / 2^{{ num(m.grad_spread_xavier_uniform) }} with Xavier.
The histograms redraw Glorot & Bengio's Figures 6 and 7: with the standard init the
activations of higher layers pile up at 0.

**Deep ReLU nets need He.** A ReLU passes only half its input's energy, so with Xavier's
variance the signal halves at every layer: after {{ cfg.depths[-1] }} ReLU layers it is
2^−{{ cfg.depths[-1] }} of what it was, and SGD has almost nothing to work with. He's
2/fan_in restores the factor 1. In our {{ cfg.depths[-1] }}-layer ReLU net He reached
{{ pct(m.acc_deepest_relu_he) }} after {{ num(cfg.steps) }} SGD steps, Xavier normal
{{ pct(m.acc_deepest_relu_xavier_normal) }} and the standard init
{{ pct(m.acc_deepest_relu_standard) }}.
"""

QUESTION = Question(
    id="xavier",
    title="Xavier/Glorot: normal or uniform?",
    asked="Should Xavier initialisation use a normal or a uniform distribution, and how does"
          " it compare with He initialisation?",
    config=Config,
    profiles=PROFILES,
    trial=trial,
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    anchors=(
        Anchor("standard init U[−1/√n, 1/√n]: n·Var[W]", "1/3 — the signal shrinks each layer",
               GLOROT + ", §4.2.1"),
        Anchor("normalised init keeps activation and gradient histograms alike across layers",
               "Figures 6–7 (tanh, 5 hidden layers)", GLOROT,
               metric="act_spread_xavier_normal", note="ours: |log2 variance change|, 10 layers"),
        Anchor("30-layer plain ReLU network",
               "Xavier init stalls; He init converges", HE + ", Fig. 3",
               metric="acc_deepest_relu_he", note="ours: He's test accuracy, deepest net"),
    ),
    references=(
        "Glorot & Bengio (2010). Understanding the difficulty of training deep feedforward"
        " neural networks. AISTATS.",
        "He, Zhang, Ren & Sun (2015). Delving deep into rectifiers: surpassing human-level"
        " performance on ImageNet classification. ICCV.",
    ),
)
