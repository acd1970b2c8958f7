"""§5. Sparse codes, and whether an overcomplete autoencoder just copies its input.

A hidden layer wider than the input could learn the identity (Goodfellow, Bengio &
Courville 2016, §14.1). Ng's sparse autoencoder keeps such a layer mostly silent with
a KL penalty toward a small mean activation ρ. Both networks here have 1,000 sigmoid
hidden units for 784 pixels; "copying" is tested on held-out digits (in distribution)
and on uniform noise (which only an identity map reproduces).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch

from deepfaq.core.claims import AtLeast, Beats, Claim, Converged, Greater, Within
from deepfaq.core.config import Range
from deepfaq.core.figures import tile
from deepfaq.core.outputs import curve, metric, series
from deepfaq.experiments.autoencoders.models import Digits, dense_ae, fit
from deepfaq.experiments.kit import generator
from deepfaq.nn.autoencoder import psnr, sparsity_kl


@dataclass(frozen=True)
class Config:
    hidden: int = 1000  # overcomplete: more hidden units than pixels
    plain_steps: int = 1200  # Adam steps for the unpenalised network
    sparse_steps: int = 500  # Adam steps for the sparse network
    batch_size: int = 32
    lr: float = 1e-2  # tuned on seeds 100–101 (benchmarks/tuning/autoencoders.md)
    rho: Annotated[float, Range(0, 0.99, open_lo=True)] = 0.01  # target mean activation (Ng)
    beta: Annotated[float, Range(0, 100)] = 3.0  # weight of the sparsity penalty
    weight_decay: Annotated[float, Range(0, 1)] = 1e-4  # of the sparse network only
    n_noise: int = 500  # uniform-noise images for the copying test
    n_curve: Annotated[int, Range(1, 500)] = 200  # digits and noise images the curves use


def r2(x: torch.Tensor, x_hat: torch.Tensor) -> float:
    """1 − squared error / squared deviation from the set's mean image: 1 for a perfect
    copy, 0 for predicting the mean image."""
    return 1 - ((x_hat - x).pow(2).sum() / (x - x.mean(0)).pow(2).sum()).item()


def overcomplete_facts(
    sparse: bool, cfg: Config, data: Digits, noise: torch.Tensor, g: torch.Generator
) -> dict:
    """Train the overcomplete network, with the sparsity penalty or without; what it
    does to held-out digits and to noise, and — on the first ``n_curve`` of each — how
    that moved during training."""
    beta, wd, steps = (
        (cfg.beta, cfg.weight_decay, cfg.sparse_steps) if sparse else (0.0, 0.0, cfg.plain_steps)
    )

    def loss(m, x):  # ½ squared error per image (+ β · KL), as in Ng's notes
        h = m[0](x)
        rec = 0.5 * (m[1](h) - x).pow(2).sum(1).mean()
        return rec + beta * sparsity_kl(cfg.rho, h.mean(0)) if beta else rec

    digits_c, noise_c = data.Xt[: cfg.n_curve], noise[: cfg.n_curve]
    model, curves = fit(
        dense_ae([784, cfg.hidden], g, sigmoid_code=True).to(data.X.device),
        loss,
        data.X,
        steps,
        cfg.lr,
        g,
        batch_size=cfg.batch_size,
        weight_decay=wd,
        evaluate=lambda m: {  # what the claims on this network read
            "r2_noise": r2(noise_c, m(noise_c)),
            **(
                {"activation": m[0](digits_c).mean().item()}
                if sparse
                else {"r2_digits": r2(digits_c, m(digits_c))}
            ),
        },
    )
    with torch.no_grad():
        recon = model(data.Xt)
        return {
            "activation": model[0](data.Xt).mean().item(),
            "psnr_digits": psnr(data.Xt, recon).mean().item(),
            "r2_digits": r2(data.Xt, recon),
            "r2_noise": r2(noise, model(noise)),
            "curves": curves,
            "features": np.round(model[0][0].weight[:36].view(-1, 28, 28).cpu().numpy(), 3),
        }


def run(cfg: Config, data: Digits, seed: int, ctx) -> dict:
    g = generator(seed)
    noise = torch.rand(cfg.n_noise, 784, generator=g).to(data.X.device)
    plain = overcomplete_facts(False, cfg, data, noise, g)
    ctx.progress(0.6)
    sparse = overcomplete_facts(True, cfg, data, noise, g)
    ctx.progress(1.0)
    return {
        "activation_plain": plain["activation"],
        "psnr_plain_digits": plain["psnr_digits"],
        "r2_plain_digits": plain["r2_digits"],
        "r2_plain_noise": plain["r2_noise"],
        "curve_r2_plain_digits": plain["curves"]["r2_digits"],
        "curve_r2_plain_noise": plain["curves"]["r2_noise"],
        "features_plain": plain["features"],
        "activation_sparse": sparse["activation"],
        "psnr_sparse_digits": sparse["psnr_digits"],
        "r2_sparse_digits": sparse["r2_digits"],
        "r2_sparse_noise": sparse["r2_noise"],
        "curve_activation_sparse": sparse["curves"]["activation"],
        "curve_r2_sparse_noise": sparse["curves"]["r2_noise"],
        "features_sparse": sparse["features"],
    }


GBC = "Goodfellow, Bengio & Courville 2016"
R2 = (-np.inf, 1.0)  # R² is at most 1 (a perfect copy) and unbounded below

OUTPUTS = (
    metric(
        "activation_plain",
        "the unpenalised network's mean hidden activation on held-out digits",
        bounds=(0, 1),
        data="held-out",
    ),
    metric(
        "psnr_plain_digits",
        "the unpenalised network's PSNR on held-out digits",
        "dB",
        better="higher",
        data="held-out",
    ),
    metric(
        "r2_plain_digits",
        "how much of the held-out digits' variance the unpenalised network reproduces (R²)",
        better="higher",
        bounds=R2,
        data="held-out",
    ),
    metric(
        "r2_plain_noise",
        "how much of uniform noise's variance the unpenalised network reproduces (R²)",
        bounds=R2,
        data="held-out",
    ),
    curve(
        "curve_r2_plain_digits",
        "the unpenalised network's R² on held-out digits during training",
        x="Adam step",
        better="higher",
        bounds=R2,
        data="held-out",
    ),
    curve(
        "curve_r2_plain_noise",
        "the unpenalised network's R² on uniform noise during training",
        x="Adam step",
        bounds=R2,
        data="held-out",
    ),
    series("features_plain", "the unpenalised network's first 36 hidden units' weights"),
    metric(
        "activation_sparse",
        "the sparse network's mean hidden activation on held-out digits",
        bounds=(0, 1),
        data="held-out",
    ),
    metric(
        "psnr_sparse_digits",
        "the sparse network's PSNR on held-out digits",
        "dB",
        better="higher",
        data="held-out",
    ),
    metric(
        "r2_sparse_digits",
        "how much of the held-out digits' variance the sparse network reproduces (R²)",
        better="higher",
        bounds=R2,
        data="held-out",
    ),
    metric(
        "r2_sparse_noise",
        "how much of uniform noise's variance the sparse network reproduces (R²)",
        bounds=R2,
        data="held-out",
    ),
    curve(
        "curve_activation_sparse",
        "the sparse network's mean hidden activation on held-out digits during training",
        x="Adam step",
        bounds=(0, 1),
        data="held-out",
    ),
    curve(
        "curve_r2_sparse_noise",
        "the sparse network's R² on uniform noise during training",
        x="Adam step",
        bounds=R2,
        data="held-out",
    ),
    series("features_sparse", "the sparse network's first 36 hidden units' weights"),
)

# Convergence is judged on the quantities the claims read, on held-out digits and noise:
# * R² on digits may move by at most 0.005 over the last fifth: half the room between the
#   claim's bound, 0.99, and a perfect copy;
# * R² on noise by at most 0.05: half the 0.1 margin of the copying comparison (and a
#   tenth of the copying bound, 0.5). Copying noise is neither good nor bad in itself
#   (no direction is declared); for the sparse network a still-falling R² on noise can
#   only widen the gap the comparison claims (favours="supported");
# * the mean activation by at most 0.0025: half the distance from ρ = 0.01 to the near
#   edge of the claim's band, 0.005.
PLAIN_COPIES_DIGITS = Converged("curve_r2_plain_digits", tol=0.005)
PLAIN_COPIES_NOISE = Converged("curve_r2_plain_noise", tol=0.05)
SPARSE_NOISE = Converged(
    "curve_r2_sparse_noise", tol=0.05, higher_is_better=False, favours="supported"
)
SPARSE_ACTIVATION = Converged("curve_activation_sparse", tol=0.0025, higher_is_better=False)

CLAIMS = (
    Claim(
        "sparse-near-rho",
        "With the KL penalty (ρ = {cfg.sparse.rho}, β = {cfg.sparse.beta}) the mean hidden"
        " activation on held-out digits, once it has levelled off, lands within a factor of"
        " 2 of ρ (0.005–0.02).",
        Within("activation_sparse", 0.005, 0.02),
        expected="supported",
        source="Ng, CS294A sparse autoencoder notes",
        kind="empirical",
        unit="",
        replication="seeds",
        preconditions=(SPARSE_ACTIVATION,),
    ),
    Claim(
        "overcomplete-copies-digits",
        "Without the penalty, the overcomplete AE ({cfg.sparse.hidden} hidden units for 784"
        " pixels), once its held-out reconstruction has levelled off, copies held-out digits"
        " almost perfectly: R² ≥ 0.99.",
        AtLeast("r2_plain_digits", 0.99),
        expected="supported",
        source=GBC + ", §14.1",
        kind="empirical",
        unit="",
        replication="seeds",
        preconditions=(PLAIN_COPIES_DIGITS,),
    ),
    Claim(
        "overcomplete-copies",
        "Without the penalty, the overcomplete AE ({cfg.sparse.hidden} hidden units for 784"
        " pixels), once its reconstruction of noise has levelled off, has learned a"
        " near-identity map: it reproduces even uniform noise it never saw (R² ≥ 0.5).",
        AtLeast("r2_plain_noise", 0.5),
        expected="supported",
        source=GBC + ", §14.1",
        kind="empirical",
        unit="",
        replication="seeds",
        preconditions=(PLAIN_COPIES_NOISE,),
    ),
    Claim(
        "sparsity-stops-copying",
        "Where the unpenalised overcomplete AE copies noise (R² ≥ 0.5), the sparsity penalty"
        " makes the AE copy it less well, by more than 0.1 in R².",
        Greater("r2_plain_noise", "r2_sparse_noise", margin=0.1),
        expected="supported",
        source=GBC + ", §14.2",
        kind="empirical",
        unit="",
        replication="seeds",
        preconditions=(
            PLAIN_COPIES_NOISE,
            SPARSE_NOISE,
            Beats("r2_plain_noise", 0.0, margin=0.5, baseline_name="R² 0 (predicting the mean)"),
        ),
    ),
)


def figures(result, new_figure) -> None:
    import matplotlib

    from deepfaq.core.figures import heatmap

    fig, axes = new_figure("sparse-features", ncols=2, figsize=(9.5, 4.8))
    cmap = matplotlib.colormaps["RdBu_r"].with_extremes(bad="white")
    panels = (("features_sparse", "sparse"), ("features_plain", "plain"))
    for k, (ax, (key, name)) in enumerate(zip(axes[0], panels, strict=True)):
        w = np.asarray(result.series[key][0], dtype=float)  # [unit, 28, 28]
        # each unit on its own scale: the weights are ~0.05 and tile's white gaps are 1,
        # which drew every unit near-black on one shared grey scale
        w = w / np.maximum(np.abs(w).max(axis=(1, 2), keepdims=True), 1e-12)
        canvas = tile(w, 6, 6)
        canvas[tile(np.zeros_like(w), 6, 6) == 1] = np.nan  # the gaps: white
        heatmap(
            ax,
            canvas,
            cmap=cmap,
            vmin=-1,
            vmax=1,
            beside=list(axes[0]),
            label="weight ÷ the unit's largest |weight|" if k == 1 else None,
        )
        ax.set_title(f"{name}: first 36 hidden units' weights\n(seed 0)", fontsize=9)
        ax.set_axis_off()


ANSWER = """
**5. Sparse codes.** With {{ cfg.sparse.hidden }} sigmoid hidden units — more than the 784
pixels — and the KL penalty toward ρ = {{ cfg.sparse.rho }} (β = {{ cfg.sparse.beta }}, weight
decay {{ cfg.sparse.weight_decay }}), the mean hidden activation on held-out digits was
{{ num(m.activation_sparse) }}; without the penalty it was {{ num(m.activation_plain) }}.
{% if v["sparse-near-rho"] == "supported" %}The penalty holds the activation within a factor
of two of ρ.{% elif v["sparse-near-rho"] == "refuted" %}The penalty does not hold the
activation within a factor of two of ρ.{% else %}Whether the activation lands near ρ is
undecided: {{ c["sparse-near-rho"].reason }}.{% endif %}
The unpenalised network reconstructs held-out digits at {{ num(m.psnr_plain_digits) }} dB
(R² = {{ num(m.r2_plain_digits) }}), the sparse one at {{ num(m.psnr_sparse_digits) }} dB
(R² = {{ num(m.r2_sparse_digits) }}). The textbook warning is that an overcomplete autoencoder
can simply learn the identity. The unpenalised network was trained for
{{ cfg.sparse.plain_steps }} Adam steps (the sparse one for {{ cfg.sparse.sparse_steps }}), and
the claims are judged only once what they measure — its reconstruction of held-out digits, or
of noise — has levelled off.
{% if v["overcomplete-copies-digits"] == "supported" %}On digits like those it was trained on,
it does copy: held-out digits come back almost perfectly.{% elif
v["overcomplete-copies-digits"] == "refuted" %}Even on digits like those it was trained on it
does not copy: held-out digits come back with more than a hundredth of their variance
lost.{% else %}Whether it copies held-out digits is undecided:
{{ c["overcomplete-copies-digits"].reason }}.{% endif %}
Digits alone cannot tell an identity map from a network that has learned what digits look
like, so we also feed uniform noise it never saw: an identity map would copy it (R² = 1). The
unpenalised network scored R² = {{ num(m.r2_plain_noise) }} and the sparse one
{{ num(m.r2_sparse_noise) }}.
{% if v["overcomplete-copies"] == "supported" %}So the unpenalised network did learn a
near-identity map: it copies even noise.{% elif v["overcomplete-copies"] == "refuted" %}So
"it learns the identity" is refuted here: trained on digits alone until its reconstruction of
noise levelled off, the unpenalised network does not copy noise. A near-identity is a map
it could represent, not what this training finds.{% else %}Whether it learns the identity
is undecided:
{{ c["overcomplete-copies"].reason }}.{% endif %}
{% if v["sparsity-stops-copying"] == "supported" %}The penalty cuts the copying by more than
the claim's margin.{% elif v["sparsity-stops-copying"] == "refuted" %}The unpenalised network
copies noise, and the penalty does not cut that by the claim's margin.{% else %}Whether the
penalty stops the copying is undecided: {{ c["sparsity-stops-copying"].reason }} (the claim
needs an unpenalised network that copies in the first place).{% endif %}
The features figure shows the hidden units' weights as images.
"""
