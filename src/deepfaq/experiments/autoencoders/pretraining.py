"""§6. Pre-training for few labels: greedily stacked autoencoders (Bengio et al. 2007)
learn codes from all 4,000 unlabelled training digits; a logistic regression then
learns from a few labelled ones, on the codes, on PCA-64 or on raw pixels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch

from deepfaq.core.claims import Beats, Claim, Converged, Greater
from deepfaq.core.config import Range
from deepfaq.experiments.autoencoders.models import (
    Digits,
    dense_ae,
    fit,
    principal_components,
    sse_loss,
)


@dataclass(frozen=True)
class Config:
    hidden: int = 256  # greedy stack 784→256→64
    code: Annotated[int, Range(1, 784)] = 64
    steps: int = 400  # Adam steps for each of the two stacked autoencoders
    batch_size: int = 128
    lr: float = 2e-3


LABELS_PER_CLASS = (10, 50)  # labelled training digits per class, for the classifiers


def stacked_codes(cfg: Config, data: Digits, g: torch.Generator) -> dict:
    """The stack, one autoencoder at a time: the second learns to reconstruct the
    first one's sigmoid codes, which lie in (0, 1) like pixels."""
    out: dict = {}
    curve: list = []
    ae1 = fit(
        dense_ae([784, cfg.hidden], g, sigmoid_code=True).to(data.X.device),
        sse_loss,
        data.X,
        cfg.steps,
        cfg.lr,
        g,
        batch_size=cfg.batch_size,
        curve=curve,
    )
    out["curve_loss_stack1"] = curve  # squared error per training image
    with torch.no_grad():
        H, Ht = ae1[0](data.X), ae1[0](data.Xt)
    curve = []
    ae2 = fit(
        dense_ae([cfg.hidden, cfg.code], g, sigmoid_code=True).to(data.X.device),
        sse_loss,
        H,
        cfg.steps,
        cfg.lr,
        g,
        batch_size=cfg.batch_size,
        curve=curve,
    )
    out["curve_loss_stack2"] = curve  # squared error per first-layer code
    with torch.no_grad():
        out["codes"] = (ae2[0](H), ae2[0](Ht))
    return out


def classifier_facts(cfg: Config, features: dict, data: Digits, rng: np.random.Generator) -> dict:
    """Test accuracy of a logistic regression trained on ``n`` labelled digits per class,
    for each kind of feature; the same labelled digits for every kind."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    out = {}
    for n in LABELS_PER_CLASS:
        pick = np.concatenate(
            [rng.choice(np.flatnonzero(data.y == c), n, replace=False) for c in range(10)]
        )
        for name, (F_tr, F_te) in features.items():
            F_tr, F_te = F_tr.cpu().numpy(), F_te.cpu().numpy()
            sc = StandardScaler().fit(F_tr)
            clf = LogisticRegression(max_iter=2000, C=0.1)
            clf.fit(sc.transform(F_tr[pick]), data.y[pick])
            out[f"acc_{name}_{n}"] = clf.score(sc.transform(F_te), data.yt)
    return out


def run(cfg: Config, data: Digits, seed: int, ctx) -> dict:
    g, rng = torch.Generator().manual_seed(seed), np.random.default_rng(seed)
    out = stacked_codes(cfg, data, g)
    ctx.progress(0.8)
    mean = data.X.mean(0)
    Vt = principal_components(data.X - mean)
    P = Vt[: cfg.code].T  # [784, code]
    features = {
        "stacked": out.pop("codes"),
        "pca": ((data.X - mean) @ P, (data.Xt - mean) @ P),
        "raw": (data.X, data.Xt),
    }
    out |= classifier_facts(cfg, features, data, rng)
    ctx.progress(1.0)
    return out


# Converged: about 2% of each curve's level on the tuning seed (squared error per image,
# per first-layer code). Both classifiers must beat chance (10%) by 20 points.
def _trained(n: int) -> tuple:
    return (
        Converged("curve_loss_stack1", tol=0.2, higher_is_better=False),
        Converged("curve_loss_stack2", tol=0.1, higher_is_better=False),
        *(
            Beats(f"acc_{name}_{n}", 0.1, margin=0.2, baseline_name="chance (10 classes)")
            for name in ("stacked", "raw")
        ),
    )


CLAIMS = (
    Claim(
        "stacked-beats-pixels-10",
        "With 10 labels per class, a classifier on greedily stacked AE codes beats one on raw"
        " pixels by more than 2 accuracy points.",
        Greater("acc_stacked_10", "acc_raw_10", margin=0.02),
        expected="supported",
        source="Bengio et al. 2007; Erhan et al. 2010",
        kind="empirical",
        unit="points",
        replication="seeds",
        preconditions=_trained(10),
    ),
    Claim(
        "stacked-beats-pixels-50",
        "…and with 50 labels per class.",
        Greater("acc_stacked_50", "acc_raw_50", margin=0.02),
        expected="supported",
        source="Bengio et al. 2007; Erhan et al. 2010",
        kind="empirical",
        unit="points",
        replication="seeds",
        preconditions=_trained(50),
    ),
)


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import bars

    M = result.metrics
    fig, ax = new_figure("few-labels")
    for k, name in enumerate(("raw", "pca", "stacked")):
        bars(
            ax,
            [f"{n} labels per class" for n in LABELS_PER_CLASS],
            [M[f"acc_{name}_{n}"] for n in LABELS_PER_CLASS],
            group=k,
            groups=3,
            label={"raw": "raw pixels", "pca": "PCA-64", "stacked": "stacked AE-64"}[name],
            bounds=(0, 1),
        )
    ax.set_ylabel("test accuracy (logistic regression)")
    ax.set_ylim(0, 1)
    ax.legend(
        fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False
    )  # above the axes: bars and error bars reach the top


ANSWER = """
**6. Pre-training for few labels.** Greedily stacked autoencoders
(784→{{ cfg.pretraining.hidden }}, then {{ cfg.pretraining.hidden }}→{{ cfg.pretraining.code }},
{{ cfg.pretraining.steps }} Adam steps each, trained on all 4,000 unlabelled digits) give codes
for a logistic regression trained on a few labelled ones. With 10 labels per class:
{{ pct(m.acc_stacked_10) }} on stacked codes, {{ pct(m.acc_raw_10) }} on raw pixels,
{{ pct(m.acc_pca_10) }} on PCA-{{ cfg.pretraining.code }}. With 50: {{ pct(m.acc_stacked_50) }},
{{ pct(m.acc_raw_50) }} and {{ pct(m.acc_pca_50) }}.
With 10 labels per class {% if v["stacked-beats-pixels-10"] == "supported" %}the stacked codes
beat raw pixels by more than 2 points{% elif v["stacked-beats-pixels-10"] == "refuted" %}the
stacked codes do not beat raw pixels by 2 points{% else %}it is undecided
({{ c["stacked-beats-pixels-10"].reason }}){% endif %}; with 50
{% if v["stacked-beats-pixels-50"] == "supported" %}they beat them by more than 2
points{% elif v["stacked-beats-pixels-50"] == "refuted" %}they do not beat them by 2
points{% else %}it is undecided ({{ c["stacked-beats-pixels-50"].reason }}){% endif %}.
{% if v["stacked-beats-pixels-10"] == "refuted" or v["stacked-beats-pixels-50"] == "refuted"
%}Our codes are not fine-tuned; the gains reported by Erhan et al. (2010) come from
pre-training a deep network and then fine-tuning it.{% endif %}
"""
