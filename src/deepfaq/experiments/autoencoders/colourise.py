"""§8. Colourising: grey silhouettes in, colour out. A convolutional autoencoder learns
to paint circles red and squares blue from clear shapes only; then it is shown rounded
squares in between, to see what it does when the shape does not decide the colour."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional as F

from deepfaq.core.claims import AtLeast, Beats, Claim, Converged
from deepfaq.core.errors import BadConfig
from deepfaq.core.figures import tile
from deepfaq.data import rounded_squares
from deepfaq.experiments.autoencoders.models import ConvAE, Digits, fit


@dataclass(frozen=True)
class Config:
    size: int = 32  # side of the synthetic shapes images
    n_train: int = 2000  # clear circles and squares to train on
    steps: int = 300  # Adam steps
    batch_size: int = 32
    lr: float = 2e-3
    n_test: int = 100  # shapes per roundness level tested

    def __post_init__(self):
        if self.size % 16:  # the conv AE halves the side four times
            raise BadConfig(f"colourise.size must be a multiple of 16, got {self.size}")


ROUNDNESS = np.linspace(0, 1, 11)  # 0: square (trained blue) … 1: circle (trained red)


def colour_targets(masks: np.ndarray, roundness: np.ndarray) -> np.ndarray:
    """Circles red, squares blue: [n, 3, H, W]."""
    red = masks * (roundness[:, None, None] > 0.5)
    blue = masks * (roundness[:, None, None] <= 0.5)
    return np.stack([red, np.zeros_like(masks), blue], 1).astype(np.float32)


def train_colouriser(cfg: Config, g: torch.Generator, rng: np.random.Generator, device: str):
    r = rng.choice([0.0, 1.0], cfg.n_train)
    masks = rounded_squares(cfg.n_train, cfg.size, r, rng)
    pairs = torch.cat([torch.tensor(masks[:, None]), torch.tensor(colour_targets(masks, r))], 1).to(
        device
    )  # fit() draws rows; the loss splits them again

    def loss(m, b):  # Bernoulli negative log-likelihood of the colours, nats per image
        return F.binary_cross_entropy(m(b[:, :1]), b[:, 1:], reduction="sum") / len(b)

    curve: list = []
    model = fit(
        ConvAE(g, 1, 3, bottleneck=True).to(device),
        loss,
        pairs,
        cfg.steps,
        cfg.lr,
        g,
        batch_size=cfg.batch_size,
        curve=curve,
    )
    return model, curve


def run(cfg: Config, data: Digits, seed: int, ctx) -> dict:
    g, rng = torch.Generator().manual_seed(seed), np.random.default_rng(seed)
    dev = data.X.device
    model, curve = train_colouriser(cfg, g, rng, dev)
    ctx.progress(0.9)
    purple, correct, examples = [], [], []
    for r in ROUNDNESS:
        masks = rounded_squares(cfg.n_test, cfg.size, np.full(cfg.n_test, r), rng)
        with torch.no_grad():
            rgb = model(torch.tensor(masks[:, None], device=dev)).cpu().numpy()
        R, B, inside = rgb[:, 0], rgb[:, 2], masks > 0
        # per-pixel purple index: 1 when red = blue, 0 when one channel has it all
        purple.append(float(np.mean(1 - np.abs(R - B)[inside] / (R + B + 1e-6)[inside])))
        correct.append(float(np.mean(((R > B) == (r > 0.5))[inside])))
        examples.append(np.round(rgb[0].transpose(1, 2, 0), 2))
    ctx.progress(1.0)
    return {
        "curve_loss_colour": curve,  # nats per training image
        "acc_colour_clear": (correct[0] + correct[-1]) / 2,
        "purple_colour_clear": (purple[0] + purple[-1]) / 2,
        "purple_colour_ambiguous": max(purple[1:-1]),
        "purple_colour_by_roundness": np.array(purple),
        "red_share_colour_by_roundness": np.array(
            [c if r > 0.5 else 1 - c for c, r in zip(correct, ROUNDNESS, strict=True)]
        ),
        "images_colour": np.stack(examples),
    }


# Converged: the colour curve's block-to-block noise on the tuning seed (nats per image),
# which is above 2% of its level. The purple claim needs a colouriser that has learned the
# clear shapes: 40 points above chance (50%) at their dominant colour.
COLOUR_TRAINED = Converged("curve_loss_colour", tol=6.0, higher_is_better=False)

CLAIMS = (
    Claim(
        "colour-clear",
        "The colouriser paints clear circles red and clear squares blue: at least 95% of"
        " shape pixels get the right dominant colour.",
        AtLeast("acc_colour_clear", 0.95),
        expected="supported",
        source="the classic colourisation exercise",
        kind="empirical",
        unit="%",
        replication="seeds",
        preconditions=(COLOUR_TRAINED,),
    ),
    Claim(
        "colour-purple",
        "On ambiguous shapes (rounded squares) it hesitates: at the most ambiguous"
        " roundness, the purple index of shape pixels (1 − |R − B| / (R + B); 1 when red"
        " equals blue) is at least 0.5 on average.",
        AtLeast("purple_colour_ambiguous", 0.5),
        expected="supported",
        source="the classic colourisation exercise",
        kind="empirical",
        unit="",
        replication="seeds",
        preconditions=(
            COLOUR_TRAINED,
            Beats(
                "acc_colour_clear",
                0.5,
                margin=0.4,
                baseline_name="chance (two colours) on clear shapes",
            ),
        ),
    ),
)


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import PALETTE, band

    S = result.series
    fig, axes = new_figure(
        "colouriser", nrows=2, figsize=(9, 5.4), gridspec_kw={"height_ratios": [2, 1]}
    )
    band(
        axes[0, 0],
        ROUNDNESS,
        S["red_share_colour_by_roundness"],
        marker="o",
        label="share of shape pixels painted more red than blue",
        color=PALETTE[3],
        bounds=(0, 1),
    )
    band(
        axes[0, 0],
        ROUNDNESS,
        S["purple_colour_by_roundness"],
        marker="s",
        label="purple per pixel (1 = red equals blue)",
        color=PALETTE[4],
        bounds=(0, 1),
    )
    axes[0, 0].set_ylabel("mean over seeds")
    axes[0, 0].set_xlabel("roundness (0 = square, trained blue; 1 = circle, trained red)")
    axes[0, 0].set_ylim(-0.02, 1.02)
    axes[0, 0].legend(fontsize=8)
    axes[1, 0].imshow(tile(np.asarray(S["images_colour"][0]), 1, len(ROUNDNESS)))
    axes[1, 0].set_title("its colourings, square to circle (seed 0)", fontsize=8)
    axes[1, 0].set_axis_off()


ANSWER = """
**8. Colourising.** Fed grey silhouettes and asked for colour (circles red, squares blue),
a convolutional autoencoder trained for {{ cfg.colourise.steps }} Adam steps on clear shapes
only got {{ pct(m.acc_colour_clear) }} of shape pixels' dominant colour right on clear shapes.
{% if v["colour-clear"] == "supported" %}That clears the claim's bar for learning the two
colours.{% elif v["colour-clear"] == "refuted" %}That falls short of the claim's bar for
learning the two colours.{% else %}Whether it learned them is undecided:
{{ c["colour-clear"].reason }}.{% endif %} Between the two, on rounded squares, the average
shape pixel's purple index (1 when red equals blue, 0 when one colour has it all) was
{{ num(m.purple_colour_ambiguous) }} at the most ambiguous roundness.
{% if v["colour-purple"] == "supported" %}It hesitates as expected: on ambiguous shapes it
blends the two colours.{% elif v["colour-purple"] == "refuted" %}The expected purple is
refuted: the network does not blend the two colours in each pixel so much as commit to one;
the figure shows how the share of shape pixels painted red changes with roundness.{% else %}Whether
it paints ambiguous shapes purple is undecided: {{ c["colour-purple"].reason }}.{% endif %}
"""
