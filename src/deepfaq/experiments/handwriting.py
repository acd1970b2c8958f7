"""How does a handwriting recogniser work? CNN + LSTM + CTC.

A line of handwriting is read column by column. A convolutional network turns
the image into a sequence of column features (3×3 kernels, ReLU, pooling that
shrinks the height faster than the width); a bidirectional LSTM lets each column
see the whole line, left and right; a linear layer scores every character plus a
*blank* for every column; and the CTC loss (Graves et al. 2006) sums over all the
ways of aligning those columns to the transcription, so the training data need
only the text — never where each character is. This is the CRNN of Shi, Bai &
Yao (2015).

We train it on synthetic lines built from real MNIST digits (train and test lines
use disjoint sets of digit images, so the test measures unseen handwriting), and
ablate the LSTM: the same CNN with a per-column classifier and CTC. Two kinds of
line: separated digits (each a whole isolated shape, a few pixels apart), and
touching digits (neighbours overlap and widths vary, so where one digit ends is a
question of context).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch
from torch import nn

from deepfaq.core.claims import AtMost, Beats, Claim, Converged, Greater
from deepfaq.core.config import Range
from deepfaq.core.context import derive_seed, sub_seed
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import mnist_digits
from deepfaq.data.handwriting import make_lines
from deepfaq.nn.ctc import character_error_rate, greedy_decode, prefix_beam_search

BLANK = 0  # class 0 is CTC's blank; digit d is class d + 1


@dataclass(frozen=True)
class Config:
    n_train_lines: int = 3000
    n_test_lines: int = 300
    width: Annotated[int, Range(32, 1024)] = 64  # line width in pixels (height 16: 14×14 digits)
    steps: int = 1600  # Adam steps per model
    batch_size: int = 16
    lr: float = 3e-3
    hidden_size: int = 48  # per LSTM direction
    beam_width: int = 8
    eval_every: int = 100  # steps between greedy CER checks on validation lines
    gap: tuple[int, int] = (-1, 3)  # pixels between neighbouring digits, separated lines
    # Touching lines: neighbours overlap by up to 4 pixels (about a third of a 14-pixel
    # digit) and each digit's width is scaled by a factor drawn from touching_stretch.
    touching_gap: tuple[int, int] = (-4, 0)
    touching_stretch: tuple[float, float] = (0.7, 1.4)


PROFILES = {
    "smoke": Profile(
        Config(n_train_lines=200, n_test_lines=40, steps=15, eval_every=5, hidden_size=16), seeds=2
    ),
    "quick": Profile(Config(), seeds=5),
    "full": Profile(
        Config(
            n_train_lines=30_000,
            n_test_lines=2000,
            steps=20_000,
            lr=1e-3,
            hidden_size=128,
            eval_every=1000,
        ),
        seeds=10,
    ),
}


class CRNN(nn.Module):
    """CNN → (BiLSTM) → per-column class scores. ``recurrent=False`` swaps the
    BiLSTM for a per-column MLP of similar size: same features, no context."""

    def __init__(self, hidden_size: int, n_classes: int = 11, recurrent: bool = True):
        super().__init__()
        self.cnn = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # [16, 8, W/2]
            nn.Conv2d(16, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d((2, 1)),  # [32, 4, W/2]
            nn.Conv2d(32, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d((2, 1)),  # [32, 2, W/2]
        )
        features = 32 * 2
        self.recurrent = recurrent
        if recurrent:
            self.rnn = nn.LSTM(features, hidden_size, batch_first=True, bidirectional=True)
            self.head = nn.Linear(2 * hidden_size, n_classes)
        else:
            self.head = nn.Sequential(
                nn.Linear(features, 2 * hidden_size),
                nn.ReLU(),
                nn.Linear(2 * hidden_size, n_classes),
            )

    def forward(self, x):
        f = self.cnn(x)  # [batch, 32, 2, columns]
        f = f.flatten(1, 2).transpose(1, 2)  # [batch, columns, 64]: one vector per column
        if self.recurrent:
            f, _ = self.rnn(f)  # [batch, columns, 2·hidden]
        return self.head(f).log_softmax(-1)  # [batch, columns, classes]


def ctc_loss(log_probs, targets: list[tuple[int, ...]]):
    """``log_probs`` [batch, columns, classes]; targets are digit tuples."""
    dev = log_probs.device
    flat = torch.tensor([d + 1 for t in targets for d in t], dtype=torch.long, device=dev)
    lengths = torch.tensor([len(t) for t in targets], dtype=torch.long, device=dev)
    columns = torch.full((len(targets),), log_probs.shape[1], dtype=torch.long, device=dev)
    return nn.functional.ctc_loss(
        log_probs.transpose(0, 1), flat, columns, lengths, blank=BLANK, zero_infinity=True
    )


def decode(model, X, beam_width: int | None = None) -> list[tuple[int, ...]]:
    model.eval()
    with torch.no_grad():
        lp = model(X).cpu().numpy()
    model.train()
    if beam_width is None:
        paths = [greedy_decode(p, BLANK) for p in lp]
    else:
        paths = [prefix_beam_search(p, beam_width, BLANK) for p in lp]
    return [tuple(k - 1 for k in path) for path in paths]


def train_reader(cfg: Config, recurrent: bool, X, y, Xv, yv, g: torch.Generator):
    """Adam with CTC on the lines ``X``/``y``; returns the model and its greedy CER on
    the validation lines every ``eval_every`` steps."""
    model = CRNN(cfg.hidden_size, recurrent=recurrent).to(X.device)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr, foreach=True)
    curve = []
    for step in range(cfg.steps + 1):
        if step % cfg.eval_every == 0:
            curve.append(character_error_rate(decode(model, Xv), yv))
        if step == cfg.steps:
            break
        idx = torch.randint(0, len(y), (cfg.batch_size,), generator=g)
        opt.zero_grad()
        ctc_loss(model(X[idx.to(X.device)]), [y[i] for i in idx.tolist()]).backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
    return model, curve


def chance_cer(y, yt, rng: np.random.Generator) -> float:
    """A random digit string of a random training line's length, for every test line."""
    lengths = [len(t) for t in y]
    guesses = [tuple(rng.integers(0, 10, size=lengths[rng.integers(len(lengths))])) for _ in yt]
    return character_error_rate(guesses, yt)


def trial(cfg: Config, seed: int, ctx) -> dict:
    g = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng(seed)
    dev = ctx.device
    digits = mnist_digits(seed)  # train and test digit images are disjoint
    sep = {"scale": 2, "width": cfg.width, "gap": cfg.gap, "jitter": 2}
    X, y = make_lines(digits.X_train, digits.y_train, cfg.n_train_lines, rng, **sep)
    Xt, yt = make_lines(digits.X_test, digits.y_test, cfg.n_test_lines, rng, **sep)
    # Validation lines for the training curves: new lines of *training* digit images,
    # drawn from their own generator so that no other draw changes.
    rng_val = np.random.default_rng(derive_seed("handwriting/validation", seed))
    Xv, yv = make_lines(digits.X_train, digits.y_train, cfg.n_test_lines, rng_val, **sep)
    X, Xt, Xv = (torch.tensor(a, device=dev) for a in (X, Xt, Xv))
    out: dict = {"cer_chance": chance_cer(y, yt, rng)}

    # Separated digits.
    for s, (name, recurrent) in enumerate((("crnn", True), ("cnn_only", False))):
        model, out[f"cer_curve_{name}"] = train_reader(cfg, recurrent, X, y, Xv, yv, g)
        greedy = decode(model, Xt)
        out[f"cer_{name}_greedy"] = character_error_rate(greedy, yt)
        out[f"line_accuracy_{name}"] = float(
            np.mean([p == t for p, t in zip(greedy, yt, strict=True)])
        )
        if recurrent:
            out["cer_crnn_beam"] = character_error_rate(decode(model, Xt, cfg.beam_width), yt)
            model.eval()
            with torch.no_grad():
                out["example_image"] = np.round(Xt[0, 0].cpu().numpy(), 2)
                out["example_probs"] = np.round(model(Xt[:1])[0].exp().cpu().numpy(), 3)
            out["example_prediction"] = list(greedy[0])
            out["example_target"] = list(yt[0])
        ctx.progress(0.25 * (s + 1))
    out["cer_ratio_to_chance"] = out["cer_crnn_greedy"] / out["cer_chance"]
    out["cer_beam_minus_greedy"] = out["cer_crnn_beam"] - out["cer_crnn_greedy"]
    out["n_columns"] = float(out["example_probs"].shape[0])

    # Touching digits of varying width: the same digit images, new lines, models and
    # batches, each from its own sub-seed (the separated part's draws are unchanged).
    touch = {**sep, "gap": cfg.touching_gap, "stretch": cfg.touching_stretch}
    rng_t = np.random.default_rng(sub_seed(seed, "touching/lines"))
    X, y = make_lines(digits.X_train, digits.y_train, cfg.n_train_lines, rng_t, **touch)
    Xt, yt = make_lines(digits.X_test, digits.y_test, cfg.n_test_lines, rng_t, **touch)
    rng_val = np.random.default_rng(sub_seed(seed, "touching/validation"))
    Xv, yv = make_lines(digits.X_train, digits.y_train, cfg.n_test_lines, rng_val, **touch)
    X, Xt, Xv = (torch.tensor(a, device=dev) for a in (X, Xt, Xv))
    out["cer_chance_touching"] = chance_cer(y, yt, rng_t)
    g = torch.Generator().manual_seed(sub_seed(seed, "touching/batches"))
    torch.manual_seed(sub_seed(seed, "touching/models"))
    for s, (name, recurrent) in enumerate((("crnn", True), ("cnn_only", False))):
        model, out[f"cer_curve_{name}_touching"] = train_reader(cfg, recurrent, X, y, Xv, yv, g)
        greedy = decode(model, Xt)
        out[f"cer_{name}_touching_greedy"] = character_error_rate(greedy, yt)
        out[f"line_accuracy_{name}_touching"] = float(
            np.mean([p == t for p, t in zip(greedy, yt, strict=True)])
        )
        if recurrent:
            out["example_image_touching"] = np.round(Xt[0, 0].cpu().numpy(), 2)
        ctx.progress(0.5 + 0.25 * (s + 1))
    return out


def trained(name: str, chance: str = "cer_chance") -> tuple:
    """The arm reads: CER 50 points below chance (off CTC's all-blank plateau, most
    characters right), and its validation CER has levelled off."""
    return (
        Beats(
            f"cer_{name}_greedy",
            chance,
            margin=0.5,
            higher_is_better=False,
            baseline_name="chance (random digit strings)",
        ),
        Converged(f"cer_curve_{name}", tol=0.005, higher_is_better=False),
    )


CLAIMS = (
    Claim(
        "learns-from-transcriptions",
        "Trained only on transcriptions (no character positions), the CNN+BiLSTM+CTC model"
        " reads unseen handwriting with a CER at most a quarter of chance.",
        AtMost("cer_ratio_to_chance", 0.25),
        expected="supported",
        source="Graves et al. 2006; Shi, Bai & Yao 2015",
        kind="empirical",
        unit="",
    ),
    Claim(
        "bilstm-lowers-cer",
        "On lines of separated digits, the BiLSTM lowers the character error rate by more"
        " than 1 point compared with the same CNN and a per-column classifier."
        " Decided by the full profile only: the quick budget stops the models before their"
        " validation CER levels off.",
        Greater("cer_cnn_only_greedy", "cer_crnn_greedy", margin=0.01),
        expected="supported",
        source="Shi, Bai & Yao 2015",
        kind="empirical",
        unit="points",
        preconditions=trained("crnn") + trained("cnn_only"),
    ),
    Claim(
        "bilstm-lowers-cer-touching",
        "On lines of touching and overlapping digits of varying width, the BiLSTM lowers the"
        " character error rate by more than 1 point compared with the same CNN and a"
        " per-column classifier."
        " Decided by the full profile only: the quick budget stops the models before their"
        " validation CER levels off.",
        Greater("cer_cnn_only_touching_greedy", "cer_crnn_touching_greedy", margin=0.01),
        expected="supported",
        source="Shi, Bai & Yao 2015",
        kind="empirical",
        unit="points",
        preconditions=(
            trained("crnn_touching", "cer_chance_touching")
            + trained("cnn_only_touching", "cer_chance_touching")
        ),
    ),
    Claim(
        "beam-no-worse",
        "Prefix beam search gives a CER no higher than greedy (best-path) decoding (at most"
        " half a point higher)."
        " Decided by the full profile only: the quick budget stops the models before their"
        " validation CER levels off.",
        AtMost("cer_beam_minus_greedy", 0.005),
        expected="supported",
        source="Graves et al. 2006 §3.2",
        kind="empirical",
        unit="points",
        preconditions=trained("crnn"),
    ),
)


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import band, color, heatmap

    fig, axes = new_figure("per-column-predictions", nrows=2, figsize=(7.5, 4.8), sharex=True)
    img = np.asarray(result.series["example_image"][0])
    probs = np.asarray(result.series["example_probs"][0])  # [columns, classes]
    axes[0, 0].imshow(
        img, cmap="gray_r", aspect="auto", extent=(0, probs.shape[0], img.shape[0], 0)
    )
    pred = "".join(map(str, result.series["example_prediction"][0]))
    truth = "".join(map(str, result.series["example_target"][0]))
    axes[0, 0].set_title(f"test line '{truth}' read as '{pred}' (seed 0)")
    heatmap(
        axes[1, 0],
        probs.T,
        label="P(class) per column",
        cmap="Blues",
        location="bottom",
        aspect="auto",
        origin="lower",
        vmin=0,
        vmax=1,
        extent=(0, probs.shape[0], -0.5, probs.shape[1] - 0.5),
    )
    axes[1, 0].set_yticks(range(11), ["blank"] + [str(d) for d in range(10)], fontsize=7)
    axes[1, 0].set_xlabel("column (2 image pixels each)")
    axes[1, 0].set_ylabel("class")

    fig, axes = new_figure("cer-during-training", ncols=2, sharey=True)
    every = result.config["eval_every"]
    for ax, (tag, title) in zip(
        axes[0], (("", "separated digits"), ("_touching", "touching digits")), strict=True
    ):
        for name, label in (("crnn", "CNN + BiLSTM + CTC"), ("cnn_only", "CNN only + CTC")):
            c = np.asarray(result.series[f"cer_curve_{name}{tag}"])
            band(
                ax,
                np.arange(c.shape[1]) * every,
                c,
                label=label,
                color=color(label),
                bounds=(0, np.inf),
            )
        ax.set_yscale("log")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("training step")
        ax.legend(fontsize=8)
    axes[0, 0].set_ylabel("character error rate\n(validation lines, greedy)")

    fig, axes = new_figure("line-kinds", nrows=2, figsize=(6, 2.6))
    for ax, key, title in (
        (axes[0, 0], "example_image", "separated digits"),
        (axes[1, 0], "example_image_touching", "touching digits"),
    ):
        ax.imshow(np.asarray(result.series[key][0]), cmap="gray_r", aspect="auto")
        ax.set_title(f"a test line, {title}", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])


ANSWER = """
**What each part does.** The *CNN* (three 3×3 convolution layers with ReLU, max-pooling
that halves the height three times but the width only once) turns a 16×{{ cfg.width }}
line into {{ num(m.n_columns) }} column vectors, each describing a 2-pixel-wide strip with
the context of its neighbours. The *bidirectional LSTM* reads those columns left to right
and right to left, so each column's decision can use the whole line — where a digit
starts, whether a stroke belongs to this digit or the next. The *linear layer* gives every
column a score for each of the 10 digits and a blank. The *CTC loss* adds up the
probability of every alignment of columns to the transcription (blanks between
characters, repeats merged), so the network is trained from the text alone.

**Kernel, activation, loss, ground truth.** 3×3 kernels, ReLU activations, CTC loss;
the ground truth is only the transcription of each line — in our generator no position is
ever recorded.

**Measured.** On test lines made from digit images the model never saw, the CNN+BiLSTM
reached a character error rate of {{ pct(m.cer_crnn_greedy) }} (chance: {{ pct(m.cer_chance) }});
{{ pct(m.line_accuracy_crnn) }} of lines were read exactly. Without the LSTM — the same CNN
with a per-column classifier — the CER was {{ pct(m.cer_cnn_only_greedy) }}. These lines
hold *separated* digits, a few pixels apart (third figure, top).
{% if v["bilstm-lowers-cer"] == "supported" %}On them the BiLSTM lowered the CER by more than
a point: a column that sees only its own strip (and the CNN's few pixels of context) cannot
always tell a digit's left half from a whole "1"; the LSTM's view of the whole line can.
{% elif v["bilstm-lowers-cer"] == "refuted" %}On them, with both models trained to a level
curve, the BiLSTM did **not** lower the CER by a practical amount (1 point): every
character is a whole isolated shape, and the CNN's receptive field (12 pixels wide, more
than a whole shrunken digit) may already hold what a column needs — a reading we did not
test.
{% else %}Whether the BiLSTM lowers the CER on them by a practical amount (1 point) is
decided by the `full` profile only: at the quick budget the models are still improving
(the second figure shows the validation curves), and the claims table gives the reason
with its number.{% endif %}

**Where context should matter: touching digits.** On lines whose neighbours overlap and
whose digits vary in width (third figure, bottom), where one digit ends is a question of
its neighbours, the CNN+BiLSTM reached {{ pct(m.cer_crnn_touching_greedy) }} and the CNN
alone {{ pct(m.cer_cnn_only_touching_greedy) }} (chance: {{ pct(m.cer_chance_touching) }}).
{% if v["bilstm-lowers-cer-touching"] == "supported" %}Here the BiLSTM lowered the CER by
more than a point: the context it adds pays where the characters run together.
{% elif v["bilstm-lowers-cer-touching"] == "refuted" %}Even here, with both models trained to
a level curve, the BiLSTM did not lower the CER by a practical amount (1 point): the
convolutions' context was enough for these lines.
{% else %}Whether the BiLSTM lowers the CER on them by a practical amount is decided by the
`full` profile only: on these harder lines both models are further from levelling off
(second figure), and the claims table gives the reason with its number.{% endif %}

Prefix beam search (width {{ cfg.beam_width }}) gave {{ pct(m.cer_crnn_beam) }}, against
{{ pct(m.cer_crnn_greedy) }} for greedy decoding.
{% if v["beam-no-worse"] == "supported" %}The beam was no worse (within half a point): a
well-trained CTC model puts most of its mass on one path, so the beam rarely changes the
answer — it earns its keep with a language model, which we do not use.
{% elif v["beam-no-worse"] == "refuted" %}Here the beam was worse than greedy by more than
half a point — unexpected, since it searches for a more probable labelling; a surprise to
check in the decoder before believing.
{% else %}Whether the beam is no worse than greedy (within half a point) is decided by the
`full` profile only, once the CNN+BiLSTM has levelled off (claims table).{% endif %}

The first figure shows what the network does with a line (seed 0). A trained CTC model's
column probabilities are blank almost everywhere, with a sharp spike of the right digit
somewhere inside each digit — CTC's characteristic "peaky" alignment.
"""

IAM = "line-level CER, CNN/BLSTM/CTC on IAM (no language model)"
IAM_NOTE = (
    "not comparable with our CER: IAM is real English handwriting with about 80"
    " characters; ours are synthetic lines of MNIST digits (10 characters), far less"
    " data"
)

QUESTION = Question(
    id="handwriting",
    topic="Architectures for sequences and images",
    paraphrases=(
        "How does handwriting recognition with CNN, LSTM and CTC work?",
        "reading handwritten text lines with connectionist temporal classification",
        "what is CTC loss used for in OCR",
        "how do you train a text recogniser without character positions",
    ),
    title="Handwriting recognition with CNN + LSTM + CTC",
    asked="In a CNN + LSTM + CTC handwriting recogniser, what does each part do, and what"
    " is the ground truth?",
    config=Config,
    profiles=PROFILES,
    trial=trial,
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    anchors=(
        Anchor(
            IAM,
            "3.5%",
            "Voigtlaender et al. 2016",
            key="iam-voigtlaender",
            value=0.035,
            unit="%",
            note=IAM_NOTE,
        ),
        Anchor(
            IAM,
            "3.2%",
            "Bluche & Messina 2017",
            key="iam-bluche",
            value=0.032,
            unit="%",
            note=IAM_NOTE,
        ),
        Anchor(
            IAM, "10.8%", "Pham et al. 2014", key="iam-pham", value=0.108, unit="%", note=IAM_NOTE
        ),
        Anchor(
            "CRNN: CNN features → BiLSTM → CTC, trained end to end from transcriptions",
            "the architecture",
            "Shi, Bai & Yao 2015",
        ),
    ),
    references=(
        "Graves, Fernández, Gomez & Schmidhuber (2006). Connectionist temporal"
        " classification. ICML.",
        "Shi, Bai & Yao (2015). An end-to-end trainable neural network for image-based"
        " sequence recognition and its application to scene text recognition. TPAMI 2017"
        " (arXiv:1507.05717).",
        "Hannun et al. (2014). Deep Speech / first-pass large vocabulary continuous speech"
        " recognition using bi-directional recurrent DNNs (prefix beam search).",
    ),
)
