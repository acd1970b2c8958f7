"""§4. Denoising: a convolutional autoencoder trained to map corrupted digits back to
clean ones (Vincent et al. 2008), under Gaussian noise and under masking noise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch
from torch.nn import functional as F

from deepfaq.core.claims import Claim, Converged, Greater
from deepfaq.core.config import Range
from deepfaq.core.figures import tile
from deepfaq.core.outputs import curve, metric, series
from deepfaq.core.question import Anchor
from deepfaq.experiments.autoencoders.models import ConvAE, Digits, fit
from deepfaq.experiments.kit import generator
from deepfaq.nn.autoencoder import psnr


@dataclass(frozen=True)
class Config:
    steps: int = 200  # Adam steps for each denoising autoencoder
    batch_size: int = 32
    lr: float = 2e-3
    noise_std: Annotated[float, Range(0, 10)] = 0.4  # Gaussian corruption
    mask_frac: Annotated[float, Range(0, 1)] = 0.5  # share of pixels zeroed by masking noise
    n_curve: Annotated[int, Range(1, 1000)] = 200  # held-out digits the curves are measured on


def corrupt(kind: str, cfg: Config, x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    """Gaussian noise (clipped to [0, 1]) or masking noise, drawn from ``g``."""
    if kind == "gauss":
        return (x + cfg.noise_std * torch.randn(x.shape, generator=g).to(x.device)).clamp(0, 1)
    return x * (torch.rand(x.shape, generator=g).to(x.device) >= cfg.mask_frac)


def denoise_facts(kind: str, cfg: Config, data: Digits, g: torch.Generator) -> dict:
    """Train a denoiser for one kind of noise; PSNR of the held-out digits before and after,
    and the held-out PSNR during training (on the first ``n_curve`` held-out digits, their
    corruption drawn once, before training)."""
    img, imgt = data.X.view(-1, 1, 28, 28), data.Xt.view(-1, 1, 28, 28)
    noisy = corrupt(kind, cfg, imgt, g)
    clean_c, noisy_c = imgt[: cfg.n_curve], noisy[: cfg.n_curve]

    def loss(m, x):  # Bernoulli negative log-likelihood of the clean digit, nats per image
        return F.binary_cross_entropy(m(corrupt(kind, cfg, x, g)), x, reduction="sum") / len(x)

    dae, curves = fit(
        ConvAE(g).to(img.device),
        loss,
        img,
        cfg.steps,
        cfg.lr,
        g,
        batch_size=cfg.batch_size,
        evaluate=lambda m: {"psnr": psnr(clean_c, m(noisy_c)).mean().item()},
    )
    with torch.no_grad():
        den = dae(noisy)
    return {
        "psnr_noisy": psnr(imgt, noisy).mean().item(),
        "psnr_denoised": psnr(imgt, den).mean().item(),
        "curve": curves["psnr"],
        "images": np.round(  # [clean/noisy/denoised, 4, 28, 28]
            torch.stack([imgt[:4, 0], noisy[:4, 0], den[:4, 0]]).cpu().numpy(), 2
        ),
    }


def run(cfg: Config, data: Digits, seed: int, ctx) -> dict:
    g = generator(seed)
    gauss = denoise_facts("gauss", cfg, data, g)
    ctx.progress(0.5)
    mask = denoise_facts("mask", cfg, data, g)
    ctx.progress(1.0)
    return {
        "psnr_noisy_gauss": gauss["psnr_noisy"],
        "psnr_denoised_gauss": gauss["psnr_denoised"],
        "curve_psnr_denoised_gauss": gauss["curve"],
        "images_denoising_gauss": gauss["images"],
        "psnr_noisy_mask": mask["psnr_noisy"],
        "psnr_denoised_mask": mask["psnr_denoised"],
        "curve_psnr_denoised_mask": mask["curve"],
        "images_denoising_mask": mask["images"],
    }


NOISES = {"gauss": "Gaussian noise", "mask": "masking noise"}

OUTPUTS = (
    metric(
        "psnr_noisy_gauss",
        "the PSNR of held-out digits under Gaussian noise",
        "dB",
        better="higher",
        data="held-out",
    ),
    metric(
        "psnr_denoised_gauss",
        "the PSNR of held-out digits under Gaussian noise, denoised",
        "dB",
        better="higher",
        data="held-out",
    ),
    curve(
        "curve_psnr_denoised_gauss",
        "the Gaussian-noise denoiser's held-out PSNR during training",
        "dB",
        x="Adam step",
        better="higher",
        data="held-out",
    ),
    series("images_denoising_gauss", "clean, noisy and denoised digits (Gaussian noise)"),
    metric(
        "psnr_noisy_mask",
        "the PSNR of held-out digits under masking noise",
        "dB",
        better="higher",
        data="held-out",
    ),
    metric(
        "psnr_denoised_mask",
        "the PSNR of held-out digits under masking noise, denoised",
        "dB",
        better="higher",
        data="held-out",
    ),
    curve(
        "curve_psnr_denoised_mask",
        "the masking-noise denoiser's held-out PSNR during training",
        "dB",
        x="Adam step",
        better="higher",
        data="held-out",
    ),
    series("images_denoising_mask", "clean, noisy and denoised digits (masking noise)"),
)

# The denoiser's held-out PSNR may move by at most half the claim's 1 dB margin over the
# last fifth of training, on the quantity the claim compares. Further improvement can only
# widen its lead over the noisy input, which is not trained (favours="supported").
CLAIMS = (
    Claim(
        "denoising-gauss",
        "A convolutional denoising AE, trained for {cfg.denoising.steps} Adam steps, raises"
        " the PSNR of held-out digits corrupted by Gaussian noise (σ ="
        " {cfg.denoising.noise_std}) by more than 1 dB.",
        Greater("psnr_denoised_gauss", "psnr_noisy_gauss", margin=1.0),
        expected="supported",
        source="Vincent et al. 2008",
        kind="empirical",
        unit="dB",
        replication="seeds",
        preconditions=(Converged("curve_psnr_denoised_gauss", tol=0.5, favours="supported"),),
    ),
    Claim(
        "denoising-mask",
        "A convolutional denoising AE, trained for {cfg.denoising.steps} Adam steps, raises"
        " the PSNR of held-out digits with a share of {cfg.denoising.mask_frac} of their"
        " pixels zeroed (masking noise) by more than 1 dB.",
        Greater("psnr_denoised_mask", "psnr_noisy_mask", margin=1.0),
        expected="supported",
        source="Vincent et al. 2008",
        kind="empirical",
        unit="dB",
        replication="seeds",
        preconditions=(Converged("curve_psnr_denoised_mask", tol=0.5, favours="supported"),),
    ),
)


ANCHORS = (
    Anchor(
        "features of denoising vs ordinary autoencoders, stacked and fine-tuned",
        "lower classification error on every MNIST variant of their benchmark (SdA vs SAA)",
        "Vincent et al. 2008",
        key="vincent_sda",
        note="not comparable: we measure how well the denoiser restores digits (PSNR),"
        " not the classification error of networks pre-trained with it",
    ),
)


def figures(result, new_figure) -> None:
    fig, axes = new_figure("denoising", ncols=2, figsize=(9, 3))
    panels = (
        ("images_denoising_gauss", NOISES["gauss"]),
        ("images_denoising_mask", NOISES["mask"]),
    )
    for ax, (key, title) in zip(axes[0], panels, strict=True):
        ex = np.asarray(result.series[key][0])
        ax.imshow(tile(ex.reshape(-1, 28, 28), 3, 4), cmap="gray_r")
        ax.set_title(f"{title}: clean / noisy / denoised (seed 0)", fontsize=9)
        ax.set_axis_off()


ANSWER = """
**4. Denoising.** A convolutional autoencoder trained for {{ cfg.denoising.steps }} Adam steps
to map corrupted digits to clean ones took the PSNR of held-out digits from
{{ num(m.psnr_noisy_gauss) }} to {{ num(m.psnr_denoised_gauss) }} dB under Gaussian noise
(σ = {{ cfg.denoising.noise_std }}) and from {{ num(m.psnr_noisy_mask) }} to
{{ num(m.psnr_denoised_mask) }} dB with {{ pct(cfg.denoising.mask_frac) }} of pixels zeroed.
{% if v["denoising-gauss"] == "supported" %}Under Gaussian noise the gain is more than the
claim's 1 dB.{% elif v["denoising-gauss"] == "refuted" %}Under Gaussian noise the gain is not
more than 1 dB.{% else %}Under Gaussian noise the gain is undecided:
{{ c["denoising-gauss"].reason }}.{% endif %}
{% if v["denoising-mask"] == "supported" %}Under masking noise it is more than 1 dB
too.{% elif v["denoising-mask"] == "refuted" %}Under masking noise the gain is not more than
1 dB.{% else %}Under masking noise the gain is undecided:
{{ c["denoising-mask"].reason }}.{% endif %}
"""
