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
from deepfaq.core.figures import PALETTE
from deepfaq.core.outputs import metric, series
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.experiments import kit
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
    # Nothing is trained, so the full answer is the quick one at 10 seeds and more draws.
    # (At depth 100 a width-256 linear stack's largest excursion reaches a factor 2 on
    # about one seed in thirty: lecun-linear's factor-2 check is sized for depth 50.)
    "full": Profile(Config(n_draws=1_000_000), seeds=10),
    # The full profile before 2026-12.
    "paper": Profile(Config(width=1024, depth=100, batch_size=1024, n_draws=2_000_000), seeds=10),
}

# %% 1. Variance layer by layer
# Weight schemes: name -> std as a function of the fan-in d (None: the uniform
# U[−1/√d, 1/√d], variance 1/(3d)). KEYS names each scheme's outputs.
SCHEMES = {
    "N(0,1)": lambda d: 1.0,
    "std 0.1": lambda d: 0.1,
    "N(0,1/d)": lambda d: 1.0 / math.sqrt(d),
    "too small: N(0,1/(4d))": lambda d: 0.5 / math.sqrt(d),
    "U[-1/√d,1/√d] (standard)": None,
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
ACTIVATIONS = ("linear", "tanh")


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


def depth_facts(cfg: Config, seed: int) -> dict:
    """Every scheme's variance per layer through a ``depth``-layer stack of width
    ``width``, linear and tanh; how many tanh units N(0,1) saturates."""
    g = kit.generator(seed, "depth")
    # float64: N(0,1) stacks overflow float32 (256^50 ≈ 1e120).
    X = torch.randn(cfg.batch_size, cfg.width, generator=g, dtype=torch.float64)
    out: dict = {}
    for activation in ACTIVATIONS:
        for scheme, key in KEYS.items():
            v = layer_variances(X, cfg.depth, scheme, activation, g)
            ratio = np.log2(np.asarray(v[1:]) / v[0])
            out[f"var_{key}_{activation}"] = v
            out[f"max_abs_log2_ratio_{key}_{activation}"] = float(np.abs(ratio).max())
            out[f"final_log2_ratio_{key}_{activation}"] = float(ratio[-1])
    # tanh with N(0,1) keeps its variance by saturating: units stuck at ±1.
    W = torch.empty(cfg.width, cfg.width, dtype=torch.float64)
    h = X
    for _ in range(cfg.depth):
        h = torch.tanh(h @ init.normal_(W, 1.0, g).T)
    out["saturated_n01_tanh"] = (h.abs() > 0.99).double().mean().item()
    out["factor_standard_linear"] = 2.0 ** log2_slope(out["var_standard_linear"])
    return out


OUTPUTS_DEPTH = (
    *(
        series(f"var_{key}_{act}", f"the output variance of each layer, {act} stack, {scheme}")
        for scheme, key in KEYS.items()
        for act in ACTIVATIONS
    ),
    *(
        metric(
            f"max_abs_log2_ratio_{key}_{act}",
            f"the largest change of variance from the input to any layer of the {act} stack"
            f" with {scheme} weights (|log2| of the ratio)",
            "log2",
            better="lower",
            bounds=(0, math.inf),
        )
        for scheme, key in KEYS.items()
        for act in ACTIVATIONS
    ),
    *(
        metric(
            f"final_log2_ratio_{key}_{act}",
            f"the change of variance from the input to the last layer of the {act} stack"
            f" with {scheme} weights (log2 of the ratio)",
            "log2",
        )
        for scheme, key in KEYS.items()
        for act in ACTIVATIONS
    ),
    metric(
        "saturated_n01_tanh",
        "the share of the last tanh layer's units beyond |h| > 0.99 with N(0,1) weights",
        "%",
        bounds=(0, 1),
    ),
    metric(
        "factor_standard_linear",
        "the measured per-layer variance factor of U[−1/√d, 1/√d] in a linear stack",
        bounds=(0, math.inf),
    ),
)

# %% 2. Width: a fixed std is right for one width only


def width_facts(cfg: Config, seed: int) -> dict:
    """The per-layer log2 slope of the variance of linear stacks of each width in
    ``widths``, for std 0.1 and for N(0, 1/d)."""
    g = kit.generator(seed, "width")
    out: dict = {}
    for scheme, key in (("std 0.1", "std01"), ("N(0,1/d)", "lecun")):
        slopes = []
        for d in cfg.widths:
            Xd = torch.randn(cfg.batch_size, d, generator=g, dtype=torch.float64)
            slopes.append(log2_slope(layer_variances(Xd, cfg.sweep_depth, scheme, "linear", g)))
        out[f"slopes_{key}"] = slopes
    out["slope_std01_narrowest"] = out["slopes_std01"][0]
    out["slope_std01_widest"] = out["slopes_std01"][-1]
    out["max_abs_slope_lecun"] = float(np.abs(out["slopes_lecun"]).max())
    return out


OUTPUTS_WIDTH = (
    series("slopes_std01", "the per-layer log2 slope of the variance at each width, std 0.1"),
    series("slopes_lecun", "the per-layer log2 slope of the variance at each width, N(0, 1/d)"),
    metric(
        "slope_std01_narrowest",
        "the per-layer log2 slope of the variance in the narrowest stack with std 0.1",
        "log2 per layer",
    ),
    metric(
        "slope_std01_widest",
        "the per-layer log2 slope of the variance in the widest stack with std 0.1",
        "log2 per layer",
    ),
    metric(
        "max_abs_slope_lecun",
        "the largest |per-layer log2 slope| of the variance over the widths, N(0, 1/d)",
        "log2 per layer",
        better="lower",
        bounds=(0, math.inf),
    ),
)

# %% 3. "Normal with std 1/√d stays within ±1/√d"


def bound_facts(cfg: Config, seed: int) -> dict:
    """The share of N(0, 1/d) and U[−1/√d, 1/√d] draws outside ±1/√d, and their histograms."""
    g = kit.generator(seed, "draws")
    d = cfg.width
    w = torch.empty(cfg.n_draws, 1, dtype=torch.float64)
    bound = 1.0 / math.sqrt(d)
    normal = init.normal_(w, bound, g).ravel()
    uniform = init.uniform_(w.clone(), bound, g).ravel()
    edges = np.linspace(-4 * bound, 4 * bound, 81)
    return {
        "frac_outside_normal": (normal.abs() > bound).double().mean().item(),
        "frac_outside_uniform": (uniform.abs() > bound).double().mean().item(),
        "hist_edges": edges,
        "hist_normal": np.histogram(normal.numpy(), edges)[0],
        "hist_uniform": np.histogram(uniform.numpy(), edges)[0],
    }


OUTPUTS_BOUND = (
    metric(
        "frac_outside_normal",
        "the share of N(0, 1/d) draws outside ±1/√d",
        "%",
        bounds=(0, 1),
    ),
    metric(
        "frac_outside_uniform",
        "the share of U[−1/√d, 1/√d] draws outside ±1/√d",
        "%",
        bounds=(0, 1),
    ),
    series("hist_edges", "the histogram bins of the weight draws"),
    series("hist_normal", "the histogram of N(0, 1/d) draws"),
    series("hist_uniform", "the histogram of U[−1/√d, 1/√d] draws"),
)


def trial(cfg: Config, seed: int, ctx) -> dict:
    """Random stacks at initialisation, no training; each part from its own stream."""
    out = depth_facts(cfg, seed)
    ctx.progress(0.6)
    out.update(width_facts(cfg, seed))
    ctx.progress(0.9)
    out.update(bound_facts(cfg, seed))
    return out


GLOROT = "Glorot & Bengio 2010"
# Units: log2 of a variance ratio (1 = a factor 2), its change per layer, and
# fractions shown as %.
LOG2 = "log2"
LOG2_PER_LAYER = "log2 per layer"

# %% Claims
# No network is trained here: every claim reads random stacks at initialisation.
# Identities are checks of the variance formula "× d·σ² per layer", each with a
# tolerance many times the finite-width spread (a linear width-256 stack's largest
# excursion over 50 layers is about 0.3 ± 0.1 log2; the std-0.1 slopes sit 1.1–1.8
# log2 per layer beyond their bounds; the too-small stack 80 log2 beyond), so that only
# a bug fails them; they are judged on every seed. Findings are what no formula fixes
# exactly: what tanh does, and how close a finite width comes to the infinite-width
# slope of 0.
CLAIMS_DEPTH = (
    Claim(
        "lecun-linear",
        "With weights N(0, 1/d), every layer of a deep linear stack ({cfg.depth} layers of"
        " width {cfg.width}) keeps its output variance within a factor of 2 of the input's"
        " (|log2 ratio| ≤ 1).",
        AtMost("max_abs_log2_ratio_lecun_linear", 1.0),
        expected="supported",
        source="LeCun et al. 1998; " + GLOROT,
        kind="identity",
        unit=LOG2,
        replication="seeds",
    ),
    Claim(
        "lecun-tanh",
        "With weights N(0, 1/d), every layer of a deep tanh stack ({cfg.depth} layers)"
        " keeps its output variance within a factor of 2 of the input's (|log2 ratio| ≤ 1).",
        AtMost("max_abs_log2_ratio_lecun_tanh", 1.0),
        expected="supported",
        source=GLOROT,
        kind="empirical",
        unit=LOG2,
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
)

# The infinite-width slope is 0 at every width; at width d a layer's variance factor is
# a mean of d² products and its log is biased down by about 1/d (Jensen), plus noise, so
# "width-free" is a finding about finite widths, not a theorem. Its bound, 0.1 log2 per
# layer, is a factor 2 over ten layers: a tenth of the smallest std-0.1 slope at the
# widths tried.
CLAIMS_WIDTH = (
    Claim(
        "lecun-width-free",
        "With N(0, 1/d) the per-layer change of variance does not depend on width:"
        " |log2 slope| < 0.1 per layer at every width tried ({cfg.widths}).",
        AtMost("max_abs_slope_lecun", 0.1),
        expected="supported",
        source="LeCun et al. 1998",
        kind="empirical",
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
)

# A demonstration: the statement is a common misreading, expected to come out refuted.
CLAIMS_BOUND = (
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

CLAIMS = CLAIMS_DEPTH + CLAIMS_WIDTH + CLAIMS_BOUND
OUTPUTS = OUTPUTS_DEPTH + OUTPUTS_WIDTH + OUTPUTS_BOUND

# %% Figures


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
d = 100. {% if v["lecun-width-free"] == "supported" %}With N(0,1/d) the slope stayed within the
claim's bound at every width, as the formula says it should.{% elif v["lecun-width-free"] ==
"refuted" %}Even N(0,1/d) drifted beyond the claim's bound at some width: at small
widths the variance factor of one layer is itself random, and its logarithm is biased
downwards.{% else %}Whether N(0,1/d) stays within the claim's bound at every width is not
decided by these seeds: {{ c["lecun-width-free"].reason }}.{% endif %}

**Tanh is not linear.** {% if v["lecun-tanh"] == "supported" %}N(0,1/d) kept the tanh stack's
variance within a factor 2 of the input's here too (at most a factor
{{ num(2 ** m.max_abs_log2_ratio_lecun_tanh) }}).{% elif v["lecun-tanh"] == "refuted" %}The claim
that N(0,1/d) keeps a *tanh* stack's variance within a factor 2 of the input's is **refuted**:
the variance changed by up to a factor {{ num(2 ** m.max_abs_log2_ratio_lecun_tanh) }}. The 1/d
argument holds only where tanh(x) ≈ x; elsewhere |tanh(x)| < |x|, so each layer shrinks the
signal a little and the losses add up — slowly: expanding tanh to third order gives
E[tanh²(z)] ≈ q − 2q² for z ~ N(0, q), so the variance falls roughly as 1/(2·layer), not
exponentially as with a too-small scale (the tanh curve of the first figure).{% else
%}Whether N(0,1/d) keeps a *tanh* stack's variance within a
factor 2 of the input's is **inconclusive** here ({{ c["lecun-tanh"].reason }}); the largest
change measured was a factor {{ num(2 ** m.max_abs_log2_ratio_lecun_tanh) }}. The 1/d argument
holds only where tanh(x) ≈ x; elsewhere |tanh(x)| < |x|, so each layer shrinks the signal a
little.{% endif %} A gain fixes this: with N(0, (5/3)²/d), which `torch.nn.init` recommends for
tanh, the last layer ended within a factor {{ num(2 ** -m.final_log2_ratio_gain53_tanh) }} of the
input's variance.
At the other extreme, N(0,1) keeps tanh's variance high by saturating it:
{{ pct(m.saturated_n01_tanh) }} of the last layer's units sat within a hundredth of ±1,
where almost no gradient passes.

**A demonstration: "normal with std 1/√d stays within ±1/√d" is false.** This check is a
common misreading set up to fail, and it
{% if v["normal-within-bound"] == "refuted" %}did, as it must{% else %}came out
**{{ v["normal-within-bound"] }}**, which points at a bug in the sampler{% endif %}: one
standard deviation holds only {{ pct(1 - a["outside_one_sigma"].value) }} of a normal
distribution, and we measured {{ pct(m.frac_outside_normal) }} of the draws outside (theory
{{ pct(a["outside_one_sigma"].value) }}). What stays inside is the *uniform*
U[−1/√d, 1/√d] ({{ pct(m.frac_outside_uniform) }} outside) — which has a smaller variance,
1/(3d).
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
    outputs=OUTPUTS,
    figures=figures,
    answer=ANSWER,
    colors={
        "N(0,1)": PALETTE[3],
        "std 0.1": PALETTE[1],
        "N(0,1/d)": PALETTE[0],
        "too small: N(0,1/(4d))": PALETTE[5],
        "U[-1/√d,1/√d] (standard)": PALETTE[6],
        "tanh gain: N(0,(5/3)²/d)": PALETTE[4],
    },
    key_claims=(
        "lecun-linear",
        "too-small-vanishes",
        "std01-narrow-shrinks",
        "std01-wide-grows",
        "lecun-tanh",
    ),
    one_line=(
        '{{ by_verdict(v["lecun-linear"], "Because every layer multiplies the signal\'s'
        " variance by fan-in × weight variance, so only a variance of 1/fan-in keeps a deep"
        " stack's signal from vanishing or exploding (a fixed std such as 0.1 is right for"
        ' one width only).", "Every layer multiplies the variance by fan-in × weight variance,'
        " but here even 1/fan-in failed to keep a linear stack's variance steady, which points"
        ' at a bug.", "Every layer multiplies the signal\'s variance by fan-in × weight'
        ' variance, so 1/fan-in is the scale that keeps it steady.") }}'
    ),
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
