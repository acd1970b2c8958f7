"""§8. Colourising: grey silhouettes in, colour out. A convolutional autoencoder learns
to paint circles red and squares blue from clear shapes only; then it is shown rounded
squares in between, to see what it does when the shape does not decide the colour."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch
from torch.nn import functional as F

from deepfaq.core.claims import AtLeast, Beats, Claim, Converged
from deepfaq.core.config import Range
from deepfaq.core.errors import BadConfig
from deepfaq.core.figures import tile
from deepfaq.core.outputs import curve, metric, series
from deepfaq.data import rounded_squares
from deepfaq.experiments.autoencoders.models import ConvAE, Digits, fit
from deepfaq.experiments.kit import generator
from deepfaq.experiments.kit import rng as kit_rng


@dataclass(frozen=True)
class Config:
    size: int = 32  # side of the synthetic shapes images
    n_train: int = 2000  # clear circles and squares to train on
    steps: int = 500  # Adam steps
    batch_size: int = 32
    lr: float = 5e-3  # tuned on seeds 100–101 (benchmarks/tuning/autoencoders.md)
    n_test: int = 100  # shapes per roundness level tested
    n_curve: Annotated[int, Range(1, 1000)] = 10  # shapes per level for the curves

    def __post_init__(self):
        if self.size % 16:  # the conv AE halves the side four times
            raise BadConfig(f"colourise.size must be a multiple of 16, got {self.size}")


ROUNDNESS = np.linspace(0, 1, 11)  # 0: square (trained blue) … 1: circle (trained red)


def colour_targets(masks: np.ndarray, roundness: np.ndarray) -> np.ndarray:
    """Circles red, squares blue: [n, 3, H, W]."""
    red = masks * (roundness[:, None, None] > 0.5)
    blue = masks * (roundness[:, None, None] <= 0.5)
    return np.stack([red, np.zeros_like(masks), blue], 1).astype(np.float32)


def test_shapes(n: int, size: int, rng: np.random.Generator, device) -> list[torch.Tensor]:
    """``n`` fresh shapes at each level of ROUNDNESS: one [n, 1, size, size] tensor each."""
    return [
        torch.tensor(rounded_squares(n, size, np.full(n, r), rng)[:, None], device=device)
        for r in ROUNDNESS
    ]


def colour_facts(model, shapes: list[torch.Tensor]) -> dict:
    """Per roundness level: the share of shape pixels whose dominant colour is the one a
    clear shape of that side gets, the purple index (1 when red equals blue, 0 when one
    channel has it all), and one colouring. Then the accuracy on clear shapes and the
    purple index at the most ambiguous level."""
    purple, correct, examples = [], [], []
    out = model(torch.cat(shapes)).cpu().numpy()  # one pass over every level: [n, 3, H, W]
    starts = np.cumsum([0] + [len(m) for m in shapes])
    for k, (r, masks) in enumerate(zip(ROUNDNESS, shapes, strict=True)):
        rgb = out[starts[k] : starts[k + 1]]
        R, B, inside = rgb[:, 0], rgb[:, 2], masks[:, 0].cpu().numpy() > 0
        purple.append(float(np.mean(1 - np.abs(R - B)[inside] / (R + B + 1e-6)[inside])))
        correct.append(float(np.mean(((R > B) == (r > 0.5))[inside])))
        examples.append(np.round(rgb[0].transpose(1, 2, 0), 2))
    return {
        "acc_clear": (correct[0] + correct[-1]) / 2,
        "purple_clear": (purple[0] + purple[-1]) / 2,
        "purple_ambiguous": max(purple[1:-1]),
        "purple": purple,
        "correct": correct,
        "examples": examples,
    }


def train_colouriser(cfg: Config, g, rng, shapes: list[torch.Tensor], device: str):
    """The colouriser, trained on clear shapes; the curves are measured on ``shapes``."""
    r = rng.choice([0.0, 1.0], cfg.n_train)
    masks = rounded_squares(cfg.n_train, cfg.size, r, rng)
    pairs = torch.cat([torch.tensor(masks[:, None]), torch.tensor(colour_targets(masks, r))], 1).to(
        device
    )  # fit() draws rows; the loss splits them again

    def loss(m, b):  # Bernoulli negative log-likelihood of the colours, nats per image
        return F.binary_cross_entropy(m(b[:, :1]), b[:, 1:], reduction="sum") / len(b)

    def evaluate(m):
        facts = colour_facts(m, shapes)
        return {"acc_clear": facts["acc_clear"], "purple_ambiguous": facts["purple_ambiguous"]}

    return fit(
        ConvAE(g, 1, 3, bottleneck=True).to(device),
        loss,
        pairs,
        cfg.steps,
        cfg.lr,
        g,
        batch_size=cfg.batch_size,
        evaluate=evaluate,
    )


def run(cfg: Config, data: Digits, seed: int, ctx) -> dict:
    g, rng = generator(seed), kit_rng(seed)
    dev = data.X.device
    curve_shapes = test_shapes(cfg.n_curve, cfg.size, kit_rng(seed, "curve shapes"), dev)
    model, curves = train_colouriser(cfg, g, rng, curve_shapes, dev)
    ctx.progress(0.9)
    with torch.no_grad():
        facts = colour_facts(model, test_shapes(cfg.n_test, cfg.size, rng, dev))
    ctx.progress(1.0)
    return {
        "curve_acc_colour_clear": curves["acc_clear"],
        "curve_purple_colour_ambiguous": curves["purple_ambiguous"],
        "acc_colour_clear": facts["acc_clear"],
        "purple_colour_clear": facts["purple_clear"],
        "purple_colour_ambiguous": facts["purple_ambiguous"],
        "purple_colour_by_roundness": np.array(facts["purple"]),
        "red_share_colour_by_roundness": np.array(
            [c if r > 0.5 else 1 - c for c, r in zip(facts["correct"], ROUNDNESS, strict=True)]
        ),
        "images_colour": np.stack(facts["examples"]),
    }


PURPLE = "purple index"

OUTPUTS = (
    curve(
        "curve_acc_colour_clear",
        "the colouriser's accuracy on fresh clear shapes during training",
        "%",
        x="Adam step",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    curve(
        "curve_purple_colour_ambiguous",
        "the colouriser's purple index at the most ambiguous roundness during training",
        PURPLE,
        x="Adam step",
        bounds=(0, 1),
        data="held-out",
    ),
    metric(
        "acc_colour_clear",
        "the share of clear shapes' pixels the colouriser gives the right dominant colour",
        "%",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    metric(
        "purple_colour_clear",
        "the colouriser's purple index on clear shapes",
        PURPLE,
        bounds=(0, 1),
        data="held-out",
    ),
    metric(
        "purple_colour_ambiguous",
        "the colouriser's purple index at the most ambiguous roundness",
        PURPLE,
        bounds=(0, 1),
        data="held-out",
    ),
    series("purple_colour_by_roundness", "the purple index at each roundness", PURPLE),
    series(
        "red_share_colour_by_roundness",
        "the share of shape pixels painted more red than blue, at each roundness",
    ),
    series("images_colour", "one colouring at each roundness"),
)

# Convergence on fresh shapes, on the quantities the claims read:
# * accuracy on clear shapes may move by at most 2.5 points over the last fifth: half
#   the room between the claim's bound, 95%, and 100%. A still-rising accuracy can only
#   strengthen "at least 95%" (favours="supported");
# * the purple index at the most ambiguous roundness by at most 0.05: a tenth of the
#   claim's bound, 0.5. A purple index still falling as the network learns to commit can
#   only strengthen "refuted" (favours="refuted"), and one still rising only "supported".
# The purple claim also needs a colouriser that has learned the clear shapes: 40 points
# above chance (50%) at their dominant colour.
CLEAR_LEARNED = Converged("curve_acc_colour_clear", tol=0.025, favours="supported")
PURPLE_SETTLED = Converged(
    "curve_purple_colour_ambiguous", tol=0.05, higher_is_better=False, favours="refuted"
)

CLAIMS = (
    Claim(
        "colour-clear",
        "The colouriser, trained for {cfg.colourise.steps} Adam steps, paints clear circles"
        " red and clear squares blue: at least 95% of shape pixels get the right dominant"
        " colour.",
        AtLeast("acc_colour_clear", 0.95),
        expected="supported",
        source="the classic colourisation exercise",
        kind="empirical",
        unit="%",
        replication="seeds",
        preconditions=(CLEAR_LEARNED,),
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
            PURPLE_SETTLED,
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
