"""Can a neural network memorise random labels?

Zhang, Bengio, Hardt, Recht & Vinyals (2017) trained image classifiers on CIFAR-10 and
ImageNet with every label replaced by a random class. The same networks that
generalise well on the true labels drove their *training* error on the random ones to
zero, while their test accuracy stayed at chance — there was nothing to learn, so
they memorised — and fitting the noise took only a small constant factor longer than
fitting the true labels. Replacing only part of the labels gave a steady loss of test
accuracy between the two. Their conclusion: a network's capacity is large enough to
memorise its training set, so what makes it generalise cannot be its capacity alone.

We repeat it on scikit-learn's 8×8 digits: one hidden-layer network, trained by
full-batch Adam on the training digits with a share of their labels (0% to 100%)
replaced by random classes, and tested on the true labels of held-out digits.

Sections, each prose → code → claims → answer: 1. the labels and the training loop;
2. random labels are memorised; 3. what the memorised net knows about new digits;
4. how much longer memorising takes; 5. partial noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch
from torch import nn

from deepfaq.core.claims import AtLeast, Beats, Claim, Converged, Equivalent, Ratio, Within
from deepfaq.core.config import Range
from deepfaq.core.errors import BadConfig
from deepfaq.core.figures import PALETTE
from deepfaq.core.outputs import curve, metric, series
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import sklearn_digits
from deepfaq.experiments import kit
from deepfaq.nn import init
from deepfaq.nn.ensemble import ensemble_of

#: The shares of corrupted labels the claims read (always among ``noise_levels``).
CLEAN, HALF, RANDOM = 0.0, 0.5, 1.0


@dataclass(frozen=True)
class Config:
    num_hiddens: int = 256  # width of the hidden layer (ReLU)
    # share of the 1,797 digits held out for testing: 1,258 test digits, 539 to train on
    test_size: Annotated[float, Range(0.1, 0.9)] = 0.7
    # shares of training labels replaced by a uniformly random class (Zhang et al.'s
    # "partially corrupted labels"); must contain 0, 0.5 and 1
    noise_levels: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0)
    steps: int = 300  # full-batch Adam steps
    lr: float = 0.01  # Adam's learning rate
    eval_every: Annotated[int, Range(1, 1000)] = 10  # steps between test-set evaluations

    def __post_init__(self):
        missing = [q for q in (CLEAN, HALF, RANDOM) if q not in self.noise_levels]
        if missing or any(not 0 <= q <= 1 for q in self.noise_levels):
            raise BadConfig(
                f"noise_levels must lie in [0, 1] and contain 0, 0.5 and 1, got {self.noise_levels}"
            )


PROFILES = {
    "smoke": Profile(
        Config(noise_levels=(0.0, 0.5, 1.0), steps=60, eval_every=3), seeds=2, seed_batch=2
    ),
    "quick": Profile(Config(), seeds=5, seed_batch=5),
    "full": Profile(
        Config(noise_levels=(0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0), steps=400),
        seeds=10,
        seed_batch=10,
    ),
}

# %% 1. The labels and the training loop
# Within a seed every noise level trains the same network from the same initial weights
# on the same digits; only the labels differ. Corruption is nested: each training digit
# draws one uniform number u and one random class r, and at noise level q its label is r
# wherever u < q — so the digits corrupted at 25% are also corrupted at 50%, and the
# random class is drawn uniformly over all ten (it is the true one a tenth of the time,
# as in Zhang et al.). Training is full batch, so the accuracy on the training labels is
# read off every step's forward pass at no cost.


def noisy_labels(y: np.ndarray, levels, seed: int) -> np.ndarray:
    """``[level, n]`` training labels: ``y`` with the share ``q`` of each level replaced
    by random classes (nested across levels)."""
    rng = kit.rng(seed, "labels")
    u, r = rng.random(y.size), rng.integers(0, 10, y.size)
    return np.stack([np.where(u < q, r, y) for q in levels])


def make_net(n_in: int, num_hiddens: int, g: torch.Generator) -> nn.Sequential:
    net = nn.Sequential(nn.Linear(n_in, num_hiddens), nn.ReLU(), nn.Linear(num_hiddens, 10))
    init.he_uniform_(net[0].weight, g)
    init.xavier_uniform_(net[2].weight, generator=g)
    for layer in (net[0], net[2]):
        init.zeros_(layer.bias)
    return net


def train(model, X, Y, X_test, y_test, cfg: Config, stages) -> dict:
    """Full-batch Adam on every member at once (member m: its own inputs ``X[m]`` and
    labels ``Y[m]``); the loss is the sum of the members' mean losses, so each gets its
    own gradient. Returns per member the training accuracy at every step (on the labels
    it was given), the test accuracy every ``eval_every`` steps (on the true labels),
    and the first step at which every training label was fitted (``inf`` if never)."""
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr, foreach=True)
    fitted = torch.full((X.shape[0],), math.inf)
    train_curve, test_curve = [], []
    for step in range(cfg.steps + 1):
        if step % cfg.eval_every == 0:
            test_curve.append(kit.accuracy(model, X_test, y_test))
            stages.part("train", step / cfg.steps)
        logits = model(X)  # [M, n, 10]
        acc = (logits.argmax(-1) == Y).float().mean(-1).detach()
        train_curve.append(acc)
        fitted = torch.where((acc >= 1.0) & fitted.isinf(), float(step), fitted)
        if step == cfg.steps:
            break
        opt.zero_grad()
        loss = nn.functional.cross_entropy(logits.transpose(1, 2), Y, reduction="none")
        loss.mean(1).sum().backward()
        opt.step()
    with torch.no_grad():
        predicted = model(X_test).argmax(-1)  # [M, n_test]
    return {
        "train": torch.stack(train_curve, 1),
        "test": torch.stack(test_curve, 1),
        "fitted": fitted,
        "predicted": predicted,
    }


def chance_level(predicted: torch.Tensor, y_test: torch.Tensor) -> float:
    """The test accuracy expected from predictions that ignore the digit: the chance
    that a class drawn with the net's own predicted frequencies matches a test label
    drawn with the test set's (Σ_c q_c p_c; 1/10 for balanced classes)."""
    q = torch.bincount(predicted, minlength=10).float() / predicted.numel()
    p = torch.bincount(y_test, minlength=10).float() / y_test.numel()
    return float((q * p).sum())


def batched_trial(cfg: Config, seeds: list[int], ctx) -> list[dict]:
    """Every noise level of every seed trained side by side as one ensemble (member
    i·K + k: level i, seed k), each seed's levels from the same initial weights.
    Returns one trial output per seed."""
    K, levels, dev = len(seeds), list(cfg.noise_levels), ctx.device
    splits = [sklearn_digits(seed, test_size=cfg.test_size) for seed in seeds]
    labels = [noisy_labels(d.y_train, levels, seed) for d, seed in zip(splits, seeds, strict=True)]
    owner = torch.arange(K).repeat(len(levels))
    level_of = torch.arange(len(levels)).repeat_interleave(K)
    X = kit.stacked([d.X_train for d in splits], dev)[owner]
    Y = kit.stacked(labels, dev)[owner, level_of]  # [M, n]: member m's labels
    X_test = kit.stacked([d.X_test for d in splits], dev)[owner]
    y_test = kit.stacked([d.y_test for d in splits], dev)[owner]
    nets = [
        make_net(X.shape[-1], cfg.num_hiddens, kit.generator(seeds[k], "init"))
        for k in owner.tolist()
    ]
    stages = kit.Stages(ctx, train=1)
    res = train(ensemble_of(nets).to(dev), X, Y, X_test, y_test, cfg, stages)
    outs = [{"steps_axis": list(range(0, cfg.steps + 1, cfg.eval_every))} for _ in seeds]
    for k, out in enumerate(outs):
        row = {q: i * K + k for i, q in enumerate(levels)}  # member of level q, seed k
        chance = {q: chance_level(res["predicted"][m], y_test[m]) for q, m in row.items()}
        out["noise_axis"] = levels
        out["train_acc_by_noise"] = [float(res["train"][m, -1]) for m in row.values()]
        out["test_acc_by_noise"] = [float(res["test"][m, -1]) for m in row.values()]
        memorise_facts(res, row, chance, out)
        speed_facts(res, row, out)
        noise_facts(res, row, chance, out)
    return outs


OUTPUTS_TRAINING = (
    series("steps_axis", "the training steps at which the test accuracy was measured"),
    series("noise_axis", "the shares of training labels replaced by random classes"),
    series(
        "train_acc_by_noise",
        "the final training accuracy on the labels given, at each share of random labels",
        "%",
        bounds=(0, 1),
    ),
    series(
        "test_acc_by_noise",
        "the final test accuracy on the true labels, at each share of random labels",
        "%",
        bounds=(0, 1),
    ),
)

# %% 2. Random labels are memorised
# With every label random there is no rule linking a digit to its label, so the only way
# to fit the training set is to store each digit's label. The bound: 99% of the training
# labels fitted ("~100%" in Zhang et al.); the net must have stopped improving, within
# half of the one point between the bound and 100%, over the last fifth of training.


def memorise_facts(res: dict, row: dict, chance: dict, out: dict) -> None:
    for q, name in ((CLEAN, "clean"), (RANDOM, "random")):
        m = row[q]
        out[f"train_acc_{name}"] = float(res["train"][m, -1])
        out[f"curve_train_acc_{name}"] = kit.per_seed(res["train"][m])
        out[f"test_acc_{name}"] = float(res["test"][m, -1])
        out[f"curve_test_acc_{name}"] = kit.per_seed(res["test"][m])
        out[f"chance_{name}"] = chance[q]


CLAIMS_MEMORISE = (
    Claim(
        "fits-random-labels",
        "With every training label replaced by a random class, the network of"
        " {cfg.num_hiddens} hidden units fits at least 99% of those labels after"
        " {cfg.steps} full-batch Adam steps.",
        AtLeast("train_acc_random", 0.99),
        expected="supported",
        source="Zhang et al. 2017, §2 and Fig. 1a",
        kind="empirical",
        unit="%",
        preconditions=(Converged("curve_train_acc_random", tol=0.005),),
    ),
)

OUTPUTS_MEMORISE = tuple(
    o
    for name, words in (("clean", "true labels"), ("random", "random labels"))
    for o in (
        metric(
            f"train_acc_{name}",
            f"the final training accuracy of the net trained on {words}, on those labels",
            "%",
            better="higher",
            bounds=(0, 1),
            data="train",
        ),
        curve(
            f"curve_train_acc_{name}",
            f"the training accuracy during training of the net trained on {words}",
            "%",
            x="Adam step",
            better="higher",
            bounds=(0, 1),
            data="train",
        ),
        metric(
            f"test_acc_{name}",
            f"the test accuracy of the net trained on {words} (on the true test labels)",
            "%",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        ),
        curve(
            f"curve_test_acc_{name}",
            f"the test accuracy during training of the net trained on {words}",
            "%",
            x="Adam step",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        ),
        metric(
            f"chance_{name}",
            f"the test accuracy expected by chance from the predicted class frequencies of"
            f" the net trained on {words}",
            "%",
            bounds=(0, 1),
            data="held-out",
        ),
    )
)

ANSWER_MEMORISE = """
**Yes.** Trained for {{ num(cfg.steps) }} full-batch Adam steps with every training label
replaced by a random class, the network fitted {{ pct(m.train_acc_random) }} of those labels
(with the true labels: {{ pct(m.train_acc_clean) }}).
{% if v["fits-random-labels"] == "supported" %}That is at least 99 labels in every 100: a
network of {{ cfg.num_hiddens }} hidden units stores an arbitrary label for each training
digit.
{% elif v["fits-random-labels"] == "refuted" %}That is short of 99 labels in every 100: this
network did not store every arbitrary label within its budget.
{% else %}Whether it fits at least 99 labels in every 100 is not decided:
{{ c["fits-random-labels"].reason }}.
{% endif %}"""

# %% 3. What the memorised net knows about new digits
# A net trained on random labels can have learned nothing that carries over: its test
# accuracy on the true labels should be what guessing with its own class frequencies
# gives. The margin, 3 points, is under a twentieth of the true-label net's gain over
# chance (about 85 points on these digits): a net inside it has kept essentially none of
# what the true labels teach. It must have memorised its labels (50 points above chance
# on them), and its test curve must have settled within half the margin.

CLAIMS_CHANCE = (
    Claim(
        "random-test-at-chance",
        "Trained on random labels, the network's accuracy on the true labels of held-out"
        " digits is within 3 points of chance (what its own predicted class frequencies"
        " give when they ignore the digit).",
        Equivalent("test_acc_random", "chance_random", margin=0.03),
        expected="supported",
        source="Zhang et al. 2017, Fig. 1c (test error at 100% label corruption)",
        kind="empirical",
        unit="points",
        preconditions=(
            Beats("train_acc_random", "chance_random", margin=0.5, baseline_name="chance"),
            Converged("curve_test_acc_random", tol=0.015),
        ),
    ),
)

ANSWER_CHANCE = """
**And learns nothing that generalises.** On the true labels of held-out digits the
random-label network scored {{ pct(m.test_acc_random) }}, where guessing with its own class
frequencies gives {{ pct(m.chance_random) }} (the true-label network: {{ pct(m.test_acc_clean) }}).
{% if v["random-test-at-chance"] == "supported" %}That is chance, within 3 points: the
network memorised the training set without learning anything about digits.
{% elif v["random-test-at-chance"] == "refuted" %}That is more than 3 points away from chance,
which a network fitted to pure noise should not manage: worth looking for a leak.
{% else %}Whether it sits within 3 points of chance is not decided:
{{ c["random-test-at-chance"].reason }}.{% endif %}
Zhang et al.'s point is what the two facts say together: the same network, with the same
capacity, generalises on one labelling and not at all on the other, so capacity alone (the
number of parameters, or any measure that depends only on the network and the inputs)
cannot explain why networks generalise.
"""

# %% 4. How much longer memorising takes
# The step at which the training accuracy first reaches 100% (every label fitted), read
# at every step. Zhang et al. report a slowdown by "a small constant factor"; the bound,
# 1.25×, is the smallest slowdown we would call longer (a quarter more steps). Both nets
# must have fitted every label on every seed, so no count is censored; once fitted, more
# training cannot change a count, so no convergence is required.


def speed_facts(res: dict, row: dict, out: dict) -> None:
    for q, name in ((CLEAN, "clean"), (RANDOM, "random")):
        hit = float(res["fitted"][row[q]])
        out[f"fitted_{name}"] = float(math.isfinite(hit))
        out[f"steps_to_fit_{name}"] = (
            hit if math.isfinite(hit) else float(out["steps_axis"][-1] + 1)
        )


def fitted_on_every_seed(name: str, words: str) -> Beats:
    """The net fitted every training label on every seed: its step count is measured."""
    return kit.on_every_seed(f"fitted_{name}", f"the net on {words} fitted every label")


CLAIMS_SPEED = (
    Claim(
        "random-takes-longer",
        "Fitting every random label takes at least 1.25× the steps that fitting every true"
        " label takes (geometric mean over seeds).",
        Ratio("steps_to_fit_random", "steps_to_fit_clean", 1.25, at_most=False),
        expected="supported",
        source="Zhang et al. 2017, §2 and Fig. 1b",
        kind="empirical",
        unit="×",
        preconditions=(
            fitted_on_every_seed("random", "random labels"),
            fitted_on_every_seed("clean", "true labels"),
        ),
    ),
)

OUTPUTS_SPEED = tuple(
    o
    for name, words in (("clean", "true labels"), ("random", "random labels"))
    for o in (
        metric(
            f"steps_to_fit_{name}",
            f"the Adam steps the net on {words} took to fit every training label",
            "steps",
            better="lower",
            bounds=(0, math.inf),
            data="train",
        ),
        metric(
            f"fitted_{name}",
            f"whether the net on {words} fitted every training label (1 or 0)",
            better="higher",
            bounds=(0, 1),
        ),
    )
)

ANSWER_SPEED = """
**It takes longer, but not much.** The network fitted every true label after
{{ num(m.steps_to_fit_clean) }} steps and every random label after
{{ num(m.steps_to_fit_random) }} (means over {{ n }} seeds).
{% if v["random-takes-longer"] == "supported" %}Memorising noise took
{{ with_unit(c["random-takes-longer"].estimate, "×") }} as many steps (geometric mean): at
least a quarter longer, by a constant factor rather than by orders of magnitude, as Zhang et
al. found.
{% elif v["random-takes-longer"] == "refuted" %}Memorising noise took only
{{ with_unit(c["random-takes-longer"].estimate, "×") }} as many steps: not even a quarter
longer here.{% else %}Whether memorising noise takes at least a quarter longer is not decided:
{{ c["random-takes-longer"].reason }}.{% endif %}
"""

# %% 5. Partial noise: a steady trade-off
# With a share q of the labels random, the net fits them all and its test accuracy falls
# between the two extremes. How far: the share of the true-label net's gain over chance
# that is kept at q = 50%. A majority vote over neighbouring digits would keep nearly all
# of it (the true class is still the most common label nearby); a net that stores each
# label loses in proportion. "Smooth" is read as neither: between a fifth and four fifths
# kept. Both test curves must have settled (within 1 point: the bounds lie more than ten
# points of test accuracy away).


def noise_facts(res: dict, row: dict, chance: dict, out: dict) -> None:
    m = row[HALF]
    out["train_acc_half"] = float(res["train"][m, -1])
    out["test_acc_half"] = float(res["test"][m, -1])
    out["curve_test_acc_half"] = kit.per_seed(res["test"][m])
    gain_clean = out["test_acc_clean"] - chance[CLEAN]
    gain_half = out["test_acc_half"] - chance[HALF]
    out["share_kept_half"] = gain_half / gain_clean if gain_clean > 0 else math.nan


CLAIMS_NOISE = (
    Claim(
        "half-noise-in-between",
        "With half the training labels random, the network keeps between a fifth and four"
        " fifths of the true-label network's test accuracy gain over chance: label noise"
        " costs test accuracy steadily, not all at once or not at all.",
        Within("share_kept_half", 0.2, 0.8),
        expected="supported",
        source="Zhang et al. 2017, Fig. 1c",
        kind="empirical",
        unit="",
        preconditions=(
            Beats("test_acc_clean", "chance_clean", margin=0.2, baseline_name="chance"),
            Converged("curve_test_acc_clean", tol=0.01),
            Converged("curve_test_acc_half", tol=0.01),
        ),
    ),
)

OUTPUTS_NOISE = (
    metric(
        "train_acc_half",
        "the final training accuracy of the net with half its labels random, on those labels",
        "%",
        better="higher",
        bounds=(0, 1),
        data="train",
    ),
    metric(
        "test_acc_half",
        "the test accuracy of the net trained with half its labels random",
        "%",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    curve(
        "curve_test_acc_half",
        "the test accuracy during training of the net with half its labels random",
        "%",
        x="Adam step",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    metric(
        "share_kept_half",
        "the share of the true-label net's test accuracy gain over chance kept with half"
        " the labels random",
        data="held-out",
    ),
)

ANSWER_NOISE = """
**Partial noise: a steady trade-off.** With half the training labels random the network
still fitted {{ pct(m.train_acc_half) }} of them and scored {{ pct(m.test_acc_half) }} on the
test digits, keeping {{ num(m.share_kept_half) }} of the true-label network's gain over chance
(the second figure shows every noise level).
{% if v["half-noise-in-between"] == "supported" %}Between a fifth and four fifths: test
accuracy falls steadily as the noise grows, because the network stores the wrong labels
along with the right ones instead of out-voting them.
{% elif v["half-noise-in-between"] == "refuted" %}Outside a fifth to four fifths: here the
noise cost test accuracy {% if m.share_kept_half > 0.5 %}hardly at all{% else %}almost
entirely{% endif %}, not in steady proportion.
{% else %}Whether the trade-off is steady is not decided: {{ c["half-noise-in-between"].reason }}.
{% endif %}
What it means in practice: a network will fit whatever labels it is given, so label noise in
a training set goes straight into the model unless something stops it — early stopping,
explicit regularisation, or cleaner labels (Zhang et al. 2017; Arpit et al. 2017 show that
networks fit the clean examples first, which is why early stopping helps).
"""

CLAIMS = CLAIMS_MEMORISE + CLAIMS_CHANCE + CLAIMS_SPEED + CLAIMS_NOISE
OUTPUTS = OUTPUTS_TRAINING + OUTPUTS_MEMORISE + OUTPUTS_SPEED + OUTPUTS_NOISE
ANSWER = ANSWER_MEMORISE + ANSWER_CHANCE + ANSWER_SPEED + ANSWER_NOISE

# %% Figures

LABELS = {"clean": "true labels", "random": "random labels"}


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, band, color, level

    steps = result.series["steps_axis"][0]
    every = result.config["eval_every"]
    fig, axes = new_figure("training-curves", ncols=2, sharey=True)
    for name, label in LABELS.items():
        train = 100 * np.asarray(result.series[f"curve_train_acc_{name}"], dtype=float)
        band(axes[0, 0], np.arange(train.shape[1]), train, label=label, bounds=(0, 100))
        test = 100 * np.asarray(result.series[f"curve_test_acc_{name}"], dtype=float)
        band(axes[0, 1], steps, test, label=label, bounds=(0, 100))
    level(
        axes[0, 1],
        [100 * v for v in result.metrics["chance_random"]],
        color=REFERENCE,
        ls=":",
        label="chance",
        bounds=(0, 100),
    )
    axes[0, 0].set_title("training digits (labels given)", fontsize=9)
    axes[0, 1].set_title(f"test digits (true labels, every {every} steps)", fontsize=9)
    for ax in axes[0]:
        ax.set_xlabel("Adam step")
    axes[0, 0].set_ylabel("accuracy, % (mean over seeds)")
    axes[0, 0].legend(fontsize=8)
    axes[0, 1].legend(fontsize=8)

    noise = 100 * np.asarray(result.series["noise_axis"][0], dtype=float)
    fig, ax = new_figure("accuracy-against-label-noise")
    for name, label in (("train", "training digits"), ("test", "test digits")):
        acc = 100 * np.asarray(result.series[f"{name}_acc_by_noise"], dtype=float)
        band(ax, noise, acc, label=label, color=color(label), marker="o", bounds=(0, 100))
    level(
        ax,
        [100 * v for v in result.metrics["chance_random"]],
        color=REFERENCE,
        ls=":",
        label="chance",
        bounds=(0, 100),
    )
    ax.set_xlabel("training labels replaced by random classes, %")
    ax.set_ylabel("final accuracy, % (mean over seeds)")
    ax.legend(fontsize=8)


QUESTION = Question(
    id="random-labels",
    topic="Initialisation, activations and normalisation",
    paraphrases=(
        "Can a neural network memorise random labels?",
        "Can a network fit labels that are pure noise, and what does that say about"
        " generalisation?",
        "what happens if you train a network on shuffled labels",
        "does a neural net overfit label noise",
        "rethinking generalization random labels experiment",
    ),
    title="Can a neural network memorise random labels?",
    asked="Can a network fit labels that are pure noise, and what does that say about"
    " generalisation?",
    config=Config,
    profiles=PROFILES,
    trial=None,
    batched_trial=batched_trial,
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    outputs=OUTPUTS,
    colors={
        "true labels": PALETTE[0],
        "random labels": PALETTE[3],
        "training digits": PALETTE[2],
        "test digits": PALETTE[4],
    },
    key_claims=(
        "fits-random-labels",
        "random-test-at-chance",
        "random-takes-longer",
        "half-noise-in-between",
    ),
    one_line=(
        '{{ by_verdict(v["fits-random-labels"], "Yes: the same network that learns the true'
        ' labels fits random ones to nearly 100% training accuracy" ~'
        ' by_verdict(v["random-test-at-chance"], " while its test accuracy stays at chance",'
        ' "", "") ~ ", so capacity alone cannot be what makes a network generalise.",'
        ' "Not here: this network did not fit random labels within its budget.",'
        ' "Nearly: the network fitted most random labels, but whether it fits them all is'
        ' not decided at this budget.") }}'
    ),
    anchors=(
        Anchor(
            "training accuracy on random labels (CIFAR-10, Inception)",
            "100%",
            "Zhang et al. 2017, Fig. 1a",
            metric="train_acc_random",
            key="zhang_train",
            value=1.0,
            unit="%",
            note="ours: one hidden layer on 539 of scikit-learn's 8×8 digits",
        ),
        Anchor(
            "test accuracy on random labels (CIFAR-10)",
            "about 10% (chance on ten classes)",
            "Zhang et al. 2017, Fig. 1c",
            metric="test_acc_random",
            key="zhang_test",
            value=0.1,
            unit="%",
            note="ours: on 1,258 held-out digits, their true labels",
        ),
        Anchor(
            "time to fit random labels relative to true labels",
            "a small constant factor",
            "Zhang et al. 2017, Fig. 1b",
            key="zhang_slowdown",
            note="a figure without a single number; our random-takes-longer claim measures"
            " the ratio of steps",
        ),
    ),
    references=(
        "Zhang, Bengio, Hardt, Recht & Vinyals (2017). Understanding deep learning"
        " requires rethinking generalization. ICLR.",
        "Arpit et al. (2017). A closer look at memorization in deep networks. ICML.",
    ),
)
