"""How does a handwriting recogniser work? CNN + LSTM + CTC.

A line of handwriting is read column by column. A convolutional network turns
the image into a sequence of column features (3×3 kernels, ReLU, pooling that
shrinks the height faster than the width); a bidirectional LSTM lets each column
see the whole line, left and right; a linear layer scores every character plus a
*blank* for every column; and the CTC loss (Graves et al. 2006) sums over all the
ways of aligning those columns to the transcription, so the training data need
only the text — never where each character is. This is the CRNN of Shi, Bai &
Yao (2015), batch normalisation in its convolutions included.

We train it on synthetic lines built from real MNIST digits (train and test lines
use disjoint sets of digit images, so the test measures unseen handwriting). Two
kinds of line: separated digits (each a whole isolated shape, a few pixels apart),
on which the CRNN shows that transcriptions are enough; and touching digits
(neighbours overlap and widths vary, so where one digit ends is a question of
context), on which we ablate the LSTM: the same CNN with a per-column classifier.

Sections, each prose → code → claims → answer: 1. the model and its training;
2. separated digits: learning from transcriptions, greedy and beam decoding;
3. touching digits: what the LSTM adds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch
from torch import nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from deepfaq.core.claims import AtMost, Claim, Greater
from deepfaq.core.config import Range
from deepfaq.core.context import sub_seed
from deepfaq.core.figures import PALETTE
from deepfaq.core.outputs import curve, metric, series
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import mnist_digits
from deepfaq.data.handwriting import make_lines
from deepfaq.experiments import kit
from deepfaq.nn.ctc import character_error_rate, greedy_decode, prefix_beam_search

BLANK = 0  # class 0 is CTC's blank; digit d is class d + 1


@dataclass(frozen=True)
class Config:
    n_train_lines: int = 3000
    n_val_lines: int = 200  # validation lines of training digit images, for the curves
    n_test_lines: int = 1000  # test lines of unseen digit images, for the claims
    width: Annotated[int, Range(32, 1024)] = 64  # line width in pixels (height 16: 14×14 digits)
    steps: int = 1600  # Adam steps per model on the touching lines
    separated_steps: int = 1000  # … and on the separated lines, which are learnt sooner
    batch_size: int = 16
    lr: float = 3e-3
    batch_norm: bool = True  # after every convolution, as in Shi et al. (2015)
    # The network evaluated is an exponential moving average of the trained weights (and
    # batch-norm statistics) with this decay, about the last 1/(1 − ema) steps (Polyak &
    # Juditsky 1992): it takes out the step-to-step noise of a constant learning rate, so
    # a flat curve still means the model stopped improving. 0: the last weights.
    ema: Annotated[float, Range(0, 0.9999)] = 0.99
    hidden_size: int = 48  # per LSTM direction
    beam_width: int = 8
    beam_prune: float = 1e-3  # labels below this probability at a column are not tried
    curve_points: int = 20  # greedy CER checks per run (and one at the start): 5 in the last fifth
    gap: tuple[int, int] = (-1, 3)  # pixels between neighbouring digits, separated lines
    # Touching lines: neighbours overlap by up to 4 pixels (about a third of a 14-pixel
    # digit) and each digit's width is scaled by a factor drawn from touching_stretch.
    touching_gap: tuple[int, int] = (-4, 0)
    touching_stretch: tuple[float, float] = (0.7, 1.4)


PROFILES = {
    "smoke": Profile(
        Config(
            n_train_lines=200,
            n_val_lines=40,
            n_test_lines=40,
            steps=20,
            separated_steps=20,
            hidden_size=16,
        ),
        seeds=2,
    ),
    "quick": Profile(Config(), seeds=5),
    "full": Profile(Config(steps=3200, separated_steps=2000, n_train_lines=6000), seeds=10),
    # The full profile before 2026-12 (sized for a GPU): no batch normalisation, 20,000 steps.
    "paper": Profile(
        Config(
            n_train_lines=30_000,
            n_val_lines=2000,
            n_test_lines=2000,
            steps=20_000,
            separated_steps=20_000,
            lr=1e-3,
            batch_norm=False,
            ema=0.0,
            hidden_size=128,
        ),
        seeds=10,
    ),
}

SHI = "Shi, Bai & Yao 2015"

# %% 1. The model and its training


class CRNN(nn.Module):
    """CNN → (BiLSTM) → per-column class scores. ``recurrent=False`` swaps the
    BiLSTM for a per-column MLP of similar size: same features, no context."""

    def __init__(
        self, hidden_size: int, n_classes: int = 11, recurrent: bool = True, batch_norm=True
    ):
        super().__init__()

        def block(c_in: int, c_out: int, pool) -> list[nn.Module]:
            norm = [nn.BatchNorm2d(c_out)] if batch_norm else []
            return [nn.Conv2d(c_in, c_out, 3, padding=1), *norm, nn.ReLU(), nn.MaxPool2d(pool)]

        self.cnn = nn.Sequential(
            *block(1, 16, 2),  # [16, 8, W/2]
            *block(16, 32, (2, 1)),  # [32, 4, W/2]
            *block(32, 32, (2, 1)),  # [32, 2, W/2]
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


def decode(model, X, beam_width: int | None = None, prune=None) -> list[tuple[int, ...]]:
    """Greedy (best-path) decoding, or prefix beam search with ``beam_width``."""
    model.eval()
    with torch.no_grad():
        lp = model(X).cpu().numpy()
    model.train()
    if beam_width is None:
        paths = [greedy_decode(p, BLANK) for p in lp]
    else:
        paths = [prefix_beam_search(p, beam_width, BLANK, prune) for p in lp]
    return [tuple(k - 1 for k in path) for path in paths]


def eval_steps(steps: int, points: int) -> list[int]:
    """The steps at which :func:`train_reader` measures the validation CER."""
    every = max(1, steps // points)
    return sorted(set(range(0, steps + 1, every)) | {steps})


def train_reader(cfg: Config, recurrent: bool, lines, g: torch.Generator, steps: int):
    """Adam with CTC on the training lines; returns the averaged model (see
    ``Config.ema``) and its greedy CER on the validation lines at :func:`eval_steps`."""
    (X, y), (Xv, yv) = lines["train"], lines["val"]
    model = CRNN(cfg.hidden_size, recurrent=recurrent, batch_norm=cfg.batch_norm).to(X.device)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr, foreach=True)
    averaged = None
    if cfg.ema:
        ema = get_ema_multi_avg_fn(cfg.ema)
        averaged = AveragedModel(model, multi_avg_fn=ema, use_buffers=True)
    at, cer_curve = set(eval_steps(steps, cfg.curve_points)), []
    for step in range(steps + 1):
        if step in at:
            net = model if averaged is None else averaged.module
            cer_curve.append(character_error_rate(decode(net, Xv), yv))
        if step == steps:
            break
        idx = torch.randint(0, len(y), (cfg.batch_size,), generator=g)
        opt.zero_grad()
        ctc_loss(model(X[idx.to(X.device)]), [y[i] for i in idx.tolist()]).backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        if averaged is not None:
            averaged.update_parameters(model)
    return (model if averaged is None else averaged.module), cer_curve


def line_set(cfg: Config, seed: int, kind: str, device) -> dict:
    """Training, validation and test lines of one kind, each from its own stream: test
    lines from the test digit images, the others from the training images."""
    digits = mnist_digits(seed)  # train and test digit images are disjoint
    style = {"scale": 2, "width": cfg.width, "gap": cfg.gap, "jitter": 2}
    if kind == "touching":
        style = {**style, "gap": cfg.touching_gap, "stretch": cfg.touching_stretch}
    out = {}
    for part, images, labels, n in (
        ("train", digits.X_train, digits.y_train, cfg.n_train_lines),
        ("val", digits.X_train, digits.y_train, cfg.n_val_lines),
        ("test", digits.X_test, digits.y_test, cfg.n_test_lines),
    ):
        X, y = make_lines(images, labels, n, kit.rng(seed, f"{kind}/{part}-lines"), **style)
        out[part] = (torch.tensor(X, device=device), y)
    return out


def chance_cer(y, yt, rng: np.random.Generator) -> float:
    """A random digit string of a random training line's length, for every test line."""
    lengths = [len(t) for t in y]
    guesses = [tuple(rng.integers(0, 10, size=lengths[rng.integers(len(lengths))])) for _ in yt]
    return character_error_rate(guesses, yt)


def line_accuracy(predictions, targets) -> float:
    return float(np.mean([p == t for p, t in zip(predictions, targets, strict=True)]))


ANSWER_MODEL = """
**What each part does.** The *CNN* (three 3×3 convolution layers with batch normalisation
and ReLU, max-pooling that halves the height three times but the width only once) turns a
16×{{ cfg.width }} line into {{ num(m.n_columns) }} column vectors, each describing a
2-pixel-wide strip with the context of its neighbours. The *bidirectional LSTM* reads those
columns left to right and right to left, so each column's decision can use the whole line —
where a digit starts, whether a stroke belongs to this digit or the next. The *linear
layer* gives every column a score for each of the 10 digits and a blank. The *CTC loss*
adds up the probability of every alignment of columns to the transcription (blanks between
characters, repeats merged), so the network is trained from the text alone.

**Kernel, activation, loss, ground truth.** 3×3 kernels, ReLU activations, CTC loss;
the ground truth is only the transcription of each line — in our generator no position is
ever recorded.
"""

# %% 2. Separated digits: learning from transcriptions, greedy and beam decoding


def separated_facts(cfg: Config, seed: int, device) -> dict:
    lines = line_set(cfg, seed, "separated", device)
    torch.manual_seed(sub_seed(seed, "separated/crnn"))  # the initial weights' own stream
    model, cer_curve = train_reader(
        cfg, True, lines, kit.generator(seed, "separated/batches"), cfg.separated_steps
    )
    (_, y), (Xt, yt) = lines["train"], lines["test"]
    greedy = decode(model, Xt)
    out = {
        "cer_chance": chance_cer(y, yt, kit.rng(seed, "separated/chance")),
        "cer_curve_crnn": cer_curve,
        "cer_crnn_greedy": character_error_rate(greedy, yt),
        "line_accuracy_crnn": line_accuracy(greedy, yt),
        "cer_crnn_beam": character_error_rate(
            decode(model, Xt, cfg.beam_width, cfg.beam_prune), yt
        ),
        "example_prediction": list(greedy[0]),
        "example_target": list(yt[0]),
    }
    model.eval()
    with torch.no_grad():
        out["example_image"] = np.round(Xt[0, 0].cpu().numpy(), 2)
        out["example_probs"] = np.round(model(Xt[:1])[0].exp().cpu().numpy(), 3)
    out["n_columns"] = float(out["example_probs"].shape[0])
    out["cer_ratio_to_chance"] = out["cer_crnn_greedy"] / out["cer_chance"]
    out["cer_beam_minus_greedy"] = out["cer_crnn_beam"] - out["cer_crnn_greedy"]
    return out


def trained(name: str, chance: str, favours: str | None = None) -> tuple:
    """The arm reads: CER 50 points below chance (off CTC's all-blank plateau, most
    characters right), and its validation CER has levelled off to half a point either way
    (half the BiLSTM claim's 1-point margin, on the same CER)."""
    return kit.trained(
        f"cer_{name}_greedy",
        chance,
        0.5,
        f"cer_curve_{name}",
        0.005,
        higher_is_better=False,
        baseline_name="chance (random digit strings)",
        favours=favours,
    )


CLAIMS_SEPARATED = (
    Claim(
        "learns-from-transcriptions",
        "Trained only on transcriptions (no character positions), the CNN+BiLSTM+CTC model"
        " reads unseen handwriting with a CER at most a quarter of chance.",
        AtMost("cer_ratio_to_chance", 0.25),
        expected="supported",
        source="Graves et al. 2006; " + SHI,
        kind="empirical",
        unit="",
    ),
    Claim(
        "beam-no-worse",
        "Prefix beam search (width {cfg.beam_width}) gives a CER no higher than greedy"
        " (best-path) decoding (at most half a point higher).",
        AtMost("cer_beam_minus_greedy", 0.005),
        expected="supported",
        source="Graves et al. 2006 §3.2",
        kind="empirical",
        unit="points",
        preconditions=trained("crnn", "cer_chance"),
    ),
)

OUTPUTS_SEPARATED = (
    metric(
        "cer_chance",
        "the character error rate of random digit strings on the separated test lines",
        "%",
        better="lower",
        bounds=(0, np.inf),
        data="held-out",
    ),
    curve(
        "cer_curve_crnn",
        "the CNN+BiLSTM's greedy character error rate on separated validation lines",
        "%",
        better="lower",
        bounds=(0, np.inf),
        data="held-out",
    ),
    metric(
        "cer_crnn_greedy",
        "the CNN+BiLSTM's character error rate on separated test lines, greedy decoding",
        "%",
        better="lower",
        bounds=(0, np.inf),
        data="held-out",
    ),
    metric(
        "line_accuracy_crnn",
        "the share of separated test lines the CNN+BiLSTM reads exactly",
        "%",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    metric(
        "cer_crnn_beam",
        "the CNN+BiLSTM's character error rate on separated test lines, beam search",
        "%",
        better="lower",
        bounds=(0, np.inf),
        data="held-out",
    ),
    metric(
        "cer_ratio_to_chance",
        "the CNN+BiLSTM's character error rate over chance's, separated lines",
        better="lower",
        bounds=(0, np.inf),
        data="held-out",
    ),
    metric(
        "cer_beam_minus_greedy",
        "how much higher beam search's character error rate is than greedy decoding's",
        "points",
        better="lower",
        bounds=(-np.inf, np.inf),
        data="held-out",
    ),
    metric("n_columns", "the columns the CNN makes of a line"),
    series("example_image", "a separated test line"),
    series("example_probs", "the CNN+BiLSTM's class probabilities per column of that line"),
    series("example_prediction", "the CNN+BiLSTM's greedy reading of that line"),
    series("example_target", "that line's transcription"),
)

ANSWER_SEPARATED = """
**Measured.** On test lines of separated digits made from digit images the model never saw,
the CNN+BiLSTM reached a character error rate of {{ pct(m.cer_crnn_greedy) }} (chance:
{{ pct(m.cer_chance) }}) after {{ num(cfg.separated_steps) }} Adam steps;
{{ pct(m.line_accuracy_crnn) }} of lines were read exactly.
{% if v["learns-from-transcriptions"] == "supported" %}That is well under a quarter of chance:
the transcriptions alone were enough to learn where each digit is.{% elif
v["learns-from-transcriptions"] == "refuted" %}That is **not** under a quarter of chance: at
this budget the transcriptions were not enough.{% else %}Whether that is under a quarter of
chance is not decided: {{ c["learns-from-transcriptions"].reason }}.{% endif %}

Prefix beam search (width {{ cfg.beam_width }}) gave {{ pct(m.cer_crnn_beam) }}, against
{{ pct(m.cer_crnn_greedy) }} for greedy decoding.
{% if v["beam-no-worse"] == "supported" %}The beam was no worse (within half a point): a
well-trained CTC model puts most of its mass on one path, so the beam rarely changes the
answer — it earns its keep with a language model, which we do not use.
{% elif v["beam-no-worse"] == "refuted" %}Here the beam was worse than greedy by more than
half a point — unexpected, since it searches for a more probable labelling; a surprise to
check in the decoder before believing.
{% else %}Whether the beam is no worse than greedy (within half a point) was not decided:
{{ c["beam-no-worse"].reason }}.{% endif %}

The first figure shows what the network does with a line (seed 0). A trained CTC model's
column probabilities are blank almost everywhere, with a sharp spike of the right digit
somewhere inside each digit — CTC's characteristic "peaky" alignment.
"""

# %% 3. Touching digits: what the LSTM adds
# Context should matter where the characters run together (Shi et al. 2015 read connected
# text): on these lines we train the CRNN and the same CNN with a per-column classifier,
# each from its own initial weights, on the same lines in the same batch order.


def touching_facts(cfg: Config, seed: int, device) -> dict:
    lines = line_set(cfg, seed, "touching", device)
    (_, y), (Xt, yt) = lines["train"], lines["test"]
    out = {
        "cer_chance_touching": chance_cer(y, yt, kit.rng(seed, "touching/chance")),
        "example_image_touching": np.round(Xt[0, 0].cpu().numpy(), 2),
    }
    for name, recurrent in (("crnn", True), ("cnn_only", False)):
        torch.manual_seed(sub_seed(seed, f"touching/{name}"))
        model, out[f"cer_curve_{name}_touching"] = train_reader(
            cfg, recurrent, lines, kit.generator(seed, "touching/batches"), cfg.steps
        )
        greedy = decode(model, Xt)
        out[f"cer_{name}_touching_greedy"] = character_error_rate(greedy, yt)
        out[f"line_accuracy_{name}_touching"] = line_accuracy(greedy, yt)
    return out


# The CRNN is the arm the claim says wins: its further progress can only widen the gap
# (favours supported). The CNN-only model's could close it, so it must have levelled off.
CLAIMS_TOUCHING = (
    Claim(
        "bilstm-lowers-cer-touching",
        "On lines of touching and overlapping digits of varying width, the BiLSTM lowers the"
        " character error rate by more than 1 point compared with the same CNN and a"
        " per-column classifier, after {cfg.steps} Adam steps each.",
        Greater("cer_cnn_only_touching_greedy", "cer_crnn_touching_greedy", margin=0.01),
        expected="supported",
        source=SHI,
        kind="empirical",
        unit="points",
        preconditions=(
            *trained("crnn_touching", "cer_chance_touching", favours="supported"),
            *trained("cnn_only_touching", "cer_chance_touching"),
        ),
    ),
)

OUTPUTS_TOUCHING = (
    metric(
        "cer_chance_touching",
        "the character error rate of random digit strings on the touching test lines",
        "%",
        better="lower",
        bounds=(0, np.inf),
        data="held-out",
    ),
    series("example_image_touching", "a touching test line"),
    *(
        out
        for name, what in (("crnn", "CNN+BiLSTM"), ("cnn_only", "CNN-only model"))
        for out in (
            curve(
                f"cer_curve_{name}_touching",
                f"the {what}'s greedy character error rate on touching validation lines",
                "%",
                better="lower",
                bounds=(0, np.inf),
                data="held-out",
            ),
            metric(
                f"cer_{name}_touching_greedy",
                f"the {what}'s character error rate on touching test lines",
                "%",
                better="lower",
                bounds=(0, np.inf),
                data="held-out",
            ),
            metric(
                f"line_accuracy_{name}_touching",
                f"the share of touching test lines the {what} reads exactly",
                "%",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
        )
    ),
)

ANSWER_TOUCHING = """
**What the LSTM adds: touching digits.** On lines whose neighbours overlap and whose digits
vary in width (third figure, bottom), where one digit ends is a question of its neighbours.
There the CNN+BiLSTM reached {{ pct(m.cer_crnn_touching_greedy) }} and the same CNN with a
per-column classifier {{ pct(m.cer_cnn_only_touching_greedy) }} (chance:
{{ pct(m.cer_chance_touching) }}).
{% if v["bilstm-lowers-cer-touching"] == "supported" %}The BiLSTM lowered the CER by more
than a point{% if c["bilstm-lowers-cer-touching"].note %} (a conservative verdict: the
CNN+BiLSTM was still improving, which can only widen its lead){% endif %}: a column that
sees only its own strip and the CNN's few pixels of context cannot always tell where one
digit ends and the next begins; the LSTM's view of the whole line can.
{% elif v["bilstm-lowers-cer-touching"] == "refuted" %}With both models trained to a level
curve, the BiLSTM did **not** lower the CER by a practical amount (1 point): the
convolutions' context was enough for these lines.
{% else %}Whether the BiLSTM lowers the CER here by a practical amount (1 point) was not
decided: {{ c["bilstm-lowers-cer-touching"].reason }}.{% endif %}
"""

# %% The trial


def trial(cfg: Config, seed: int, ctx) -> dict:
    out = separated_facts(cfg, seed, ctx.device)
    ctx.progress(1 / 3)
    out.update(touching_facts(cfg, seed, ctx.device))
    return out


CLAIMS = CLAIMS_SEPARATED + CLAIMS_TOUCHING
OUTPUTS = OUTPUTS_SEPARATED + OUTPUTS_TOUCHING
ANSWER = ANSWER_MODEL + ANSWER_SEPARATED + ANSWER_TOUCHING

# %% Figures


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
    cfg = result.config
    panels = (
        ("separated digits", (("cer_curve_crnn", "CNN + BiLSTM + CTC"),)),
        (
            "touching digits",
            (
                ("cer_curve_crnn_touching", "CNN + BiLSTM + CTC"),
                ("cer_curve_cnn_only_touching", "CNN only + CTC"),
            ),
        ),
    )
    budgets = (cfg["separated_steps"], cfg["steps"])
    for ax, (title, arms), budget in zip(axes[0], panels, budgets, strict=True):
        steps = eval_steps(budget, cfg["curve_points"])
        for name, label in arms:
            c = 100 * np.asarray(result.series[name], dtype=float)
            band(ax, steps, c, label=label, color=color(label), log=True)
        ax.set_yscale("log")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("training step")
        ax.legend(fontsize=8)
    axes[0, 0].set_ylabel("character error rate, %\n(validation lines, greedy)")

    fig, axes = new_figure("line-kinds", nrows=2, figsize=(6, 2.6))
    for ax, key, title in (
        (axes[0, 0], "example_image", "separated digits"),
        (axes[1, 0], "example_image_touching", "touching digits"),
    ):
        ax.imshow(np.asarray(result.series[key][0]), cmap="gray_r", aspect="auto")
        ax.set_title(f"a test line, {title}", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])


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
    outputs=OUTPUTS,
    figures=figures,
    answer=ANSWER,
    colors={"cnn + bilstm + ctc": PALETTE[0], "cnn only + ctc": PALETTE[2]},
    key_claims=("learns-from-transcriptions", "bilstm-lowers-cer-touching", "beam-no-worse"),
    one_line=(
        "The CNN turns the line image into a sequence of column features, the bidirectional"
        " LSTM gives each column the context of the whole line,"
        ' {{ by_verdict(v["bilstm-lowers-cer-touching"], "which lowers the error where'
        ' characters touch,", "though here it did not lower the error where characters'
        ' touch,", "") }} a linear layer scores each character and a blank per column, and'
        " the CTC loss sums over every alignment of columns to the text, so the ground truth"
        " is only the transcription of each line, never where its characters are."
    ),
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
            SHI,
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
