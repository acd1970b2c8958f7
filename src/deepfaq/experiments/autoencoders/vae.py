"""§7. Generating: the variational autoencoder (Kingma & Welling 2014).

The KL term pulls each digit's posterior N(μ, σ²) toward the prior N(0, 1). What it
implies for all digits together is exact: rescaling the code, z → c·z, while the
decoder's first layer divides by c, leaves the reconstruction term unchanged and
changes the KL term by c ∂KL/∂c = Σⱼ (μⱼ² + σⱼ² − 1) per digit; shifting the code
(absorbed by the decoder's bias) changes it by Σⱼ μⱼ. So wherever the ELBO over the
training digits is stationary, each latent dimension has mean 0 and second moment 1
over them: the aggregate posterior has the prior's variance, Var(μ) + E[σ²] = 1. How
close training gets is the claim; the shape of the aggregate posterior may still differ
from a Gaussian (Hoffman & Johnson 2016).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch

from deepfaq.core.claims import Claim, Converged, Within
from deepfaq.core.config import Range
from deepfaq.core.figures import tile
from deepfaq.core.outputs import curve, metric, series
from deepfaq.experiments.autoencoders.models import VAE, Digits, fit
from deepfaq.experiments.kit import generator


@dataclass(frozen=True)
class Config:
    latent: Annotated[int, Range(2, 64)] = 2
    steps: int = 1200  # Adam steps
    batch_size: int = 128
    lr: float = 2e-3
    n_curve: Annotated[int, Range(1, 4000)] = 1000  # training digits the curve is measured on


def aggregate_variance(vae: VAE, X: torch.Tensor) -> float:
    """Var(μ) + E[σ²] over the digits X, averaged over latent dimensions: the variance
    of the aggregate posterior, the mixture of every digit's N(μ, σ²)."""
    mu, logvar = vae.encode(X)
    return (mu.var(0) + logvar.exp().mean(0)).mean().item()


def rescaling_slack(vae: VAE, X: torch.Tensor) -> float:
    """Nats per digit by which rescaling each latent dimension alone (the decoder
    undoing it) would lower the −ELBO on X: Σⱼ ½(sⱼ − 1 − log sⱼ), where sⱼ is the
    mean of μⱼ² + σⱼ²; 0 exactly where the second moments are the prior's 1."""
    mu, logvar = vae.encode(X)
    s = (mu.pow(2) + logvar.exp()).mean(0)
    return (0.5 * (s - 1 - s.log())).sum().item()


def run(cfg: Config, data: Digits, seed: int, ctx) -> dict:
    g = generator(seed)
    dev = data.X.device

    def loss(m, x):  # −ELBO, nats per image, with the reparameterisation noise from g
        noise = torch.randn(len(x), cfg.latent, generator=g).to(dev)
        return sum(t.mean() for t in m.neg_elbo(x, noise))

    X_c = data.X[: cfg.n_curve]
    vae, curves = fit(
        VAE(cfg.latent, g).to(dev),
        loss,
        data.X,
        cfg.steps,
        cfg.lr,
        g,
        batch_size=cfg.batch_size,
        evaluate=lambda m: {"var": aggregate_variance(m, X_c)},
    )
    ctx.progress(0.9)
    with torch.no_grad():
        rec, kl = vae.neg_elbo(data.Xt, torch.randn(len(data.Xt), cfg.latent, generator=g).to(dev))
        grid = torch.linspace(-2, 2, 8)
        zz = torch.stack(torch.meshgrid(grid, grid, indexing="xy"), -1).view(-1, 2)
        zz = torch.cat([zz, torch.zeros(len(zz), cfg.latent - 2)], 1).to(dev)
        z = torch.randn(16, cfg.latent, generator=g).to(dev)
        out = {
            "curve_var_aggregate_vae_train": curves["var"],
            "elbo_vae_test": -(rec + kl).mean().item(),
            "kl_vae_test": kl.mean().item(),
            "var_aggregate_vae_train": aggregate_variance(vae, data.X),
            "var_aggregate_vae_test": aggregate_variance(vae, data.Xt),
            "slack_rescale_vae_train": rescaling_slack(vae, data.X),
            "images_vae_grid": np.round(
                torch.sigmoid(vae.decoder(zz)).view(8, 8, 28, 28).cpu().numpy(), 2
            ),
            "images_vae_prior": np.round(
                torch.sigmoid(vae.decoder(z)).view(16, 28, 28).cpu().numpy(), 2
            ),
        }
    ctx.progress(1.0)
    return out


OUTPUTS = (
    curve(
        "curve_var_aggregate_vae_train",
        "the variance of the VAE's aggregate posterior on training digits during training",
        x="Adam step",
        bounds=(0, np.inf),
        data="train",
    ),
    metric(
        "elbo_vae_test",
        "the VAE's evidence lower bound on held-out digits",
        "nats per image",
        better="higher",
        data="held-out",
    ),
    metric(
        "kl_vae_test",
        "the KL term of the VAE's bound on held-out digits",
        "nats per image",
        bounds=(0, np.inf),
        data="held-out",
    ),
    metric(
        "var_aggregate_vae_train",
        "the variance of the VAE's aggregate posterior on its training digits (prior: 1)",
        bounds=(0, np.inf),
        data="train",
    ),
    metric(
        "var_aggregate_vae_test",
        "the variance of the VAE's aggregate posterior on held-out digits (prior: 1)",
        bounds=(0, np.inf),
        data="held-out",
    ),
    metric(
        "slack_rescale_vae_train",
        "the nats per training digit that rescaling the codes to the prior's variance would save",
        "nats per image",
        better="lower",
        bounds=(0, np.inf),
        data="train",
    ),
    series("images_vae_grid", "digits decoded from a grid over the latent space"),
    series("images_vae_prior", "digits decoded from samples of the prior"),
)

# Convergence is judged on the quantity the claim reads: over the last fifth of training
# the aggregate variance may move by at most 0.05, half the claim's ±0.1 band. (The −ELBO
# is the wrong yardstick: the whole effect the claim tests is worth a few tenths of a
# nat per digit, the rescaling slack above, while the −ELBO still moves by nats.)
CLAIMS = (
    Claim(
        "vae-matches-prior",
        "Trained for {cfg.vae.steps} Adam steps, until its aggregate posterior's variance"
        " levels off, the VAE's aggregate posterior over its training digits has the prior's"
        " variance: Var(μ) + E[σ²] per latent dimension lies within ±0.1 of the prior's 1,"
        " as it must wherever the ELBO is stationary.",
        Within("var_aggregate_vae_train", 0.9, 1.1),
        expected="supported",
        source="Kingma & Welling 2014 (objective); Hoffman & Johnson 2016",
        kind="empirical",
        unit="",
        replication="seeds",
        preconditions=(
            Converged("curve_var_aggregate_vae_train", tol=0.05, higher_is_better=False),
        ),
    ),
)


def figures(result, new_figure) -> None:
    S = result.series
    fig, axes = new_figure("vae", ncols=2, figsize=(9, 5.2))
    axes[0, 0].imshow(
        tile(np.asarray(S["images_vae_grid"][0]).reshape(-1, 28, 28), 8, 8), cmap="gray_r"
    )
    axes[0, 0].set_title(
        "decoded grid over the first two latent\ndimensions, −2…2 (seed 0)", fontsize=9
    )
    axes[0, 1].imshow(tile(np.asarray(S["images_vae_prior"][0]), 4, 4), cmap="gray_r")
    axes[0, 1].set_title("samples from the prior\n(seed 0)", fontsize=9)
    for ax in axes[0]:
        ax.set_axis_off()


ANSWER = """
**7. Generating.** The VAE with a {{ cfg.vae.latent }}-D latent space, trained for
{{ cfg.vae.steps }} Adam steps, reached a test ELBO of {{ num(m.elbo_vae_test) }} nats per
digit, of which the KL term is {{ num(m.kl_vae_test) }}. The KL is computed in closed form by
our own `gaussian_kl` and tested against `torch.distributions.kl_divergence`. Wherever the
ELBO is stationary, the codes of the training digits must have the prior's mean 0 and
variance 1 in each latent dimension (rescaling the code while the decoder undoes it changes
only the KL term). Ours: Var(μ) + E[σ²] = {{ num(m.var_aggregate_vae_train) }} on the
training digits, {{ num(m.var_aggregate_vae_test) }} on held-out ones (prior: 1).
{% if v["vae-matches-prior"] == "supported" %}That is within the claim's band around the
prior's variance: training got close to a stationary point.{% elif v["vae-matches-prior"] ==
"refuted" %}That is outside the claim's band although it had stopped moving: Adam's steps
settle short of a stationary point in this direction, where the ELBO is nearly
flat.{% else %}Whether it matches the prior is undecided:
{{ c["vae-matches-prior"].reason }}.{% endif %} The pull toward the prior's
variance is weak: rescaling the codes to second moment 1, with the decoder undoing it, would
lower the loss by only {{ num(m.slack_rescale_vae_train) }} nats per training digit.
The figure decodes a grid over the latent space: neighbouring codes give neighbouring digits.
"""
