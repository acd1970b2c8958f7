"""Why small random values around zero, scaled by 1/sqrt(fan-in)?

A linear layer y = Wx with d inputs adds up d products. If the weights have
variance σ² and the inputs variance v, each output has variance d·σ²·v. So the
signal is multiplied by d·σ² at every layer: a deep stack keeps it only when
σ² = 1/d (LeCun et al. 1998; Glorot & Bengio 2010). Any fixed σ — 1, or the
popular 0.1 — is right for exactly one width and wrong for all others, and the
error compounds with depth.

We push Gaussian inputs through deep stacks of random layers (no training) and
measure the variance at every layer, for linear and tanh units, at several
widths, and check a common misstatement about the normal distribution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch

from deepfaq.core.claims import AtLeast, AtMost, Claim, Exact
from deepfaq.core.config import Range
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.nn import init


@dataclass(frozen=True)
class Config:
    width: Annotated[int, Range(2, 4096)] = 256  # d: units per layer in the depth experiment
    depth: int = 50  # layers
    batch_size: int = 256  # Gaussian input vectors pushed through
    widths: Annotated[tuple[int, ...], Range(2, 4096)] = (32, 64, 128, 256, 512)  # linear stacks
    sweep_depth: int = 20  # layers in the width sweep
    n_draws: Annotated[int, Range(1_000, 10_000_000)] = 200_000  # to check the ±1/√d misstatement


PROFILES = {
    "smoke": Profile(
        Config(width=64, depth=10, widths=(32, 512), sweep_depth=5, n_draws=20_000), seeds=2
    ),
    "quick": Profile(Config(), seeds=5),
    "full": Profile(Config(width=1024, depth=100, batch_size=1024, n_draws=2_000_000), seeds=10),
}

# Weight schemes: name -> std as a function of the fan-in d.
SCHEMES = {
    "N(0,1)": lambda d: 1.0,
    "std 0.1": lambda d: 0.1,
    "N(0,1/d)": lambda d: 1.0 / math.sqrt(d),
    "too small: N(0,1/(4d))": lambda d: 0.5 / math.sqrt(d),
    "U[-1/√d,1/√d] (standard)": None,  # uniform, variance 1/(3d)
    "tanh gain: N(0,(5/3)²/d)": lambda d: (5 / 3) / math.sqrt(d),
}
KEYS = {
    "N(0,1)": "n01",
    "std 0.1": "std01",
    "N(0,1/d)": "lecun",
    "too small: N(0,1/(4d))": "small",
    "U[-1/√d,1/√d] (standard)": "standard",
    "tanh gain: N(0,(5/3)²/d)": "gain53",
}


def layer_variances(
    X: torch.Tensor, depth: int, scheme: str, activation: str, g: torch.Generator
) -> list[float]:
    """Variance of every layer's output, the input's first: [depth + 1]."""
    d = X.shape[1]
    W = torch.empty(d, d, dtype=X.dtype)
    h, variances = X, [X.var().item()]
    for _ in range(depth):
        if SCHEMES[scheme] is None:
            init.standard_uniform_(W, g)
        else:
            init.normal_(W, SCHEMES[scheme](d), g)
        h = h @ W.T  # [batch_size, d]
        if activation == "tanh":
            h = torch.tanh(h)
        variances.append(h.var().item())
    return variances


def log2_slope(variances: list[float]) -> float:
    """Least-squares slope of log2(variance) per layer."""
    v = np.log2(np.asarray(variances))
    return float(np.polyfit(np.arange(len(v)), v, 1)[0])


def trial(cfg: Config, seed: int, ctx) -> dict:
    g = torch.Generator().manual_seed(seed)
    # float64: N(0,1) stacks overflow float32 (256^50 ≈ 1e120).
    X = torch.randn(cfg.batch_size, cfg.width, generator=g, dtype=torch.float64)
    out: dict = {}
    for activation in ("linear", "tanh"):
        for scheme, key in KEYS.items():
            v = layer_variances(X, cfg.depth, scheme, activation, g)
            ratio = np.log2(np.asarray(v[1:]) / v[0])
            out[f"var_{key}_{activation}"] = v
            out[f"max_abs_log2_ratio_{key}_{activation}"] = float(np.abs(ratio).max())
            out[f"final_log2_ratio_{key}_{activation}"] = float(ratio[-1])
        # tanh with N(0,1) keeps its variance by saturating: units stuck at ±1.
        if activation == "tanh":
            W = torch.empty(cfg.width, cfg.width, dtype=torch.float64)
            h = X
            for _ in range(cfg.depth):
                h = torch.tanh(h @ init.normal_(W, 1.0, g).T)
            out["saturated_n01_tanh"] = (h.abs() > 0.99).double().mean().item()
    ctx.progress(0.5)

    out["factor_standard_linear"] = 2.0 ** log2_slope(out["var_standard_linear"])
    for key in ("std01", "lecun"):
        slopes = []
        for d in cfg.widths:
            Xd = torch.randn(cfg.batch_size, d, generator=g, dtype=torch.float64)
            slopes.append(
                log2_slope(layer_variances(Xd, cfg.sweep_depth, _scheme_of(key), "linear", g))
            )
        out[f"slopes_{key}"] = slopes
    out["slope_std01_narrowest"] = out["slopes_std01"][0]
    out["slope_std01_widest"] = out["slopes_std01"][-1]
    out["max_abs_slope_lecun"] = float(np.abs(out["slopes_lecun"]).max())
    ctx.progress(0.8)

    # "N(0, 1/d) stays within ±1/√d": count the draws that do not.
    d = cfg.width
    w = torch.empty(cfg.n_draws, 1, dtype=torch.float64)
    bound = 1.0 / math.sqrt(d)
    normal = init.normal_(w, bound, g).ravel()
    uniform = init.uniform_(w.clone(), bound, g).ravel()
    out["frac_outside_normal"] = (normal.abs() > bound).double().mean().item()
    out["frac_outside_uniform"] = (uniform.abs() > bound).double().mean().item()
    edges = np.linspace(-4 * bound, 4 * bound, 81)
    out["hist_edges"] = edges
    out["hist_normal"] = np.histogram(normal.numpy(), edges)[0]
    out["hist_uniform"] = np.histogram(uniform.numpy(), edges)[0]
    return out


def _scheme_of(key: str) -> str:
    return next(s for s, k in KEYS.items() if k == key)


GLOROT = "Glorot & Bengio 2010"
# Units: log2 of a variance ratio (1 = a factor 2), its change per layer, and
# fractions shown as %.
LOG2 = "log2"
LOG2_PER_LAYER = "log2 per layer"

# No network is trained here: every claim reads random stacks at initialisation.
# The linear-stack claims check the formula "variance × d·σ² per layer" (identities);
# the tanh claims are findings, since no formula says what tanh does to the variance.
CLAIMS = (
    Claim(
        "lecun-linear",
        "With weights N(0, 1/d), every layer of a deep linear stack keeps its output"
        " variance within a factor of 2 of the input's (|log2 ratio| ≤ 1).",
        AtMost("max_abs_log2_ratio_lecun_linear", 1.0),
        expected="supported",
        source="LeCun et al. 1998; " + GLOROT,
        kind="identity",
        unit=LOG2,
        replication="seeds",
    ),
    Claim(
        "lecun-tanh",
        "With weights N(0, 1/d), every layer of a deep tanh stack keeps its output"
        " variance within a factor of 2 of the input's (|log2 ratio| ≤ 1).",
        AtMost("max_abs_log2_ratio_lecun_tanh", 1.0),
        expected="supported",
        source=GLOROT,
        kind="empirical",
        unit=LOG2,
        replication="seeds",
    ),
    Claim(
        "lecun-width-free",
        "With N(0, 1/d) the per-layer change of variance does not depend on width:"
        " |log2 slope| < 0.1 per layer at every width tried.",
        AtMost("max_abs_slope_lecun", 0.1),
        expected="supported",
        source="LeCun et al. 1998",
        kind="identity",
        unit=LOG2_PER_LAYER,
        replication="seeds",
    ),
    Claim(
        "std01-narrow-shrinks",
        "A fixed std of 0.1 shrinks the signal in the narrowest stack: variance falls by"
        " more than √2 per layer (log2 slope < −0.5).",
        AtMost("slope_std01_narrowest", -0.5),
        expected="supported",
        source=GLOROT,
        kind="identity",
        unit=LOG2_PER_LAYER,
        replication="seeds",
    ),
    Claim(
        "std01-wide-grows",
        "The same std 0.1 blows the signal up in the widest stack: variance grows by more"
        " than √2 per layer (log2 slope > 0.5).",
        AtLeast("slope_std01_widest", 0.5),
        expected="supported",
        source=GLOROT,
        kind="identity",
        unit=LOG2_PER_LAYER,
        replication="seeds",
    ),
    Claim(
        "too-small-vanishes",
        "Weights a little too small, N(0, 1/(4d)), make the signal vanish: after the last"
        " layer the variance is below 2^-20 of the input's (linear stack; log2 ratio ≤ −20).",
        AtMost("final_log2_ratio_small_linear", -20.0),
        expected="supported",
        source=GLOROT,
        kind="identity",
        unit=LOG2,
        replication="seeds",
    ),
    Claim(
        "n01-tanh-saturates",
        "Weights N(0,1) saturate a tanh stack: at least half the units of the last layer sit"
        " beyond |h| > 0.99, where the slope of tanh is under 0.02.",
        AtLeast("saturated_n01_tanh", 0.5),
        expected="supported",
        source=GLOROT,
        kind="empirical",
        unit="%",
        replication="seeds",
    ),
    Claim(
        "normal-within-bound",
        "Weights drawn from N(0, 1/d) stay within [−1/√d, 1/√d] (at most 1% outside).",
        AtMost("frac_outside_normal", 0.01),
        expected="refuted",
        source="properties of the normal distribution",
        kind="identity",
        unit="%",
        replication="seeds",
    ),
    Claim(
        "uniform-within-bound",
        "Weights drawn from U[−1/√d, 1/√d] all stay inside that interval.",
        Exact("frac_outside_uniform", 0.0, tol=0.0),
        expected="supported",
        source="properties of the uniform distribution",
        kind="identity",
        unit="%",
        replication="seeds",
    ),
)


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, band, color

    fig, axes = new_figure("variance-per-layer", ncols=2, sharey=True)
    for ax, activation in zip(axes[0], ("linear", "tanh"), strict=True):
        for scheme, key in KEYS.items():
            v = np.asarray(result.series[f"var_{key}_{activation}"])  # [seed, layer]
            band(ax, np.arange(v.shape[1]), np.log2(v), label=scheme, color=color(scheme))
        ax.set_title(f"{activation} stack, width {result.config['width']}")
        ax.set_xlabel("layer")
    axes[0, 0].set_ylabel("log2 variance of the layer's output")
    axes[0, 0].set_ylim(-60, 60)
    axes[0, 1].legend(fontsize=7)

    fig, ax = new_figure("width-sweep")
    widths = result.config["widths"]
    for key, label in (("std01", "std 0.1"), ("lecun", "N(0,1/d)")):
        band(
            ax, widths, result.series[f"slopes_{key}"], label=label, color=color(label), marker="o"
        )
    ax.plot(
        widths,
        np.log2(np.asarray(widths) * 0.01),
        ":",
        color=REFERENCE,
        label="theory for 0.1: log2(0.01·d)",
    )
    ax.set_xscale("log", base=2)
    ax.set_xlabel("width d")
    ax.set_ylabel("change of log2 variance per layer")
    ax.legend(fontsize=8)

    fig, ax = new_figure("normal-vs-bound")
    edges = np.asarray(result.series["hist_edges"][0])
    centres = (edges[:-1] + edges[1:]) / 2
    bound = 1.0 / math.sqrt(result.config["width"])
    ax.plot(
        centres / bound, result.series["hist_normal"][0], label="N(0, 1/d)", color=color("N(0,1/d)")
    )
    ax.plot(
        centres / bound,
        result.series["hist_uniform"][0],
        label="U[−1/√d, 1/√d]",
        color=color("U[-1/√d,1/√d] (standard)"),
    )
    for b in (-1, 1):
        ax.axvline(b, color=REFERENCE, ls=":")
    ax.set_xlabel("weight × √d")
    ax.set_ylabel("count (seed 0)")
    ax.legend(fontsize=8)


ANSWER = """
Because each layer multiplies the variance of the signal by `d·σ²`, where `d` is the
fan-in and `σ²` the variance of the weights. Choosing `σ = 1/√d` makes that factor 1.

**Measured** (width {{ cfg.width }}, {{ cfg.depth }} layers, {{ n }} seeds, no training): with
N(0, 1/d) a linear stack never strayed further than a factor of
{{ num(2 ** m.max_abs_log2_ratio_lecun_linear) }} from the input's variance. With N(0,1) the
variance grew by 2^{{ num(m.final_log2_ratio_n01_linear) }}; with a quarter of the right
variance it fell by 2^{{ num(-m.final_log2_ratio_small_linear) }}. The old
U[−1/√d, 1/√d] has variance 1/(3d), so it should multiply the variance by
{{ num(a["standard_factor"].value) }} per layer (Glorot & Bengio 2010); we measured a factor
{{ num(m.factor_standard_linear) }} per layer.

**A fixed std is a width, not a rule.** A std of one tenth multiplies the variance by `d/100`
per layer: measured log2 slopes of {{ num(m.slope_std01_narrowest) }} per layer at width
{{ cfg.widths[0] }} and {{ num(m.slope_std01_widest) }} at width {{ cfg.widths[-1] }}, against
at most {{ num(m.max_abs_slope_lecun) }} for N(0,1/d) at any width. It is right only near
d = 100.

**Tanh is not linear.** {% if v["lecun-tanh"] == "supported" %}N(0,1/d) kept the tanh stack's
variance within a factor 2 of the input's here too (at most a factor
{{ num(2 ** m.max_abs_log2_ratio_lecun_tanh) }}).{% elif v["lecun-tanh"] == "refuted" %}The claim
that N(0,1/d) keeps a *tanh* stack's variance within a factor 2 of the input's is **refuted**:
the variance changed by up to a factor {{ num(2 ** m.max_abs_log2_ratio_lecun_tanh) }}. The 1/d
argument holds only where tanh(x) ≈ x; elsewhere |tanh(x)| < |x|, so each layer shrinks the
signal a little and the losses add up (slowly — roughly as 1/(2·layer), not exponentially
as with a too-small scale).{% else %}Whether N(0,1/d) keeps a *tanh* stack's variance within a
factor 2 of the input's is **inconclusive** here ({{ c["lecun-tanh"].reason }}); the largest
change measured was a factor {{ num(2 ** m.max_abs_log2_ratio_lecun_tanh) }}. The 1/d argument
holds only where tanh(x) ≈ x; elsewhere |tanh(x)| < |x|, so each layer shrinks the signal a
little.{% endif %} A gain fixes this: with N(0, (5/3)²/d), which `torch.nn.init` recommends for
tanh, the last layer ended within a factor {{ num(2 ** -m.final_log2_ratio_gain53_tanh) }} of the
input's variance.
At the other extreme, N(0,1) keeps tanh's variance high by saturating it:
{{ pct(m.saturated_n01_tanh) }} of the last layer's units sat within a hundredth of ±1,
where almost no gradient passes.

**"Normal with std 1/√d stays within ±1/√d" is false.** One standard deviation holds
{{ pct(1 - a["outside_one_sigma"].value) }} of a normal distribution: we measured
{{ pct(m.frac_outside_normal) }} of the draws outside (theory
{{ pct(a["outside_one_sigma"].value) }}). What stays inside is the *uniform* U[−1/√d, 1/√d]
({{ pct(m.frac_outside_uniform) }} outside) — which has a smaller variance, 1/(3d).
"""

QUESTION = Question(
    id="init-scale",
    topic="Initialisation, activations and normalisation",
    paraphrases=(
        "Why initialise weights with small random values scaled by fan-in?",
        "why do we divide the initial weights by the square root of the number of inputs",
        "what goes wrong if initial weights are too large or too small",
        "how should the variance of initial weights depend on layer width",
    ),
    title="Why small random values around zero, scaled by 1/sqrt(fan-in)?",
    asked="Why should weights be small random numbers around 0, with variance 1/d?",
    config=Config,
    profiles=PROFILES,
    trial=trial,
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    anchors=(
        Anchor(
            "per-layer variance factor of U[−1/√n, 1/√n] in a linear stack",
            "n·Var[W] = 1/3",
            GLOROT + ", §4.2.1",
            metric="factor_standard_linear",
            key="standard_factor",
            value=1 / 3,
            unit="",
        ),
        Anchor(
            "share of N(0, σ²) draws outside ±σ",
            "2·(1 − Φ(1)) = 31.73%",
            "normal distribution",
            metric="frac_outside_normal",
            key="outside_one_sigma",
            value=math.erfc(1 / math.sqrt(2)),
            unit="%",
        ),
    ),
    references=(
        "Glorot & Bengio (2010). Understanding the difficulty of training deep feedforward"
        " neural networks. AISTATS.",
        "LeCun, Bottou, Orr & Müller (1998). Efficient BackProp.",
    ),
)
