"""What does dropout do, and when does it help?

Dropout (Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov 2014) sets each
hidden unit to zero with probability p on every training step, so the network cannot
rely on any one unit being there: it trains, in effect, an exponential family of thinned
networks that share weights. At test time every unit is kept, and the activations are
scaled so that each keeps the value it had *on average* during training. (The
"inverted" form used by torch divides the kept activations by 1 − p during training, so
the test-time network needs no change.) It is a regulariser: it should help a network
that overfits and hurt one that is too small to fit the data in the first place.

We measure it on MNIST-1D (Greydanus 2020), a 40-sample 1-D digit task on which a
plain MLP overfits heavily, in two regimes: a wide network on few examples (it
overfits) and a tiny network on many examples (it underfits), each with and without
dropout. Then we keep dropout switched on at test time and average many passes —
Monte-Carlo dropout, which Gal & Ghahramani (2016) read as approximate Bayesian
inference — and ask whether the spread of those passes says which answers are wrong.

Sections, each prose → code → claims → answer: 1. the networks and the training loop;
2. the test-time scaling rule (exact); 3. a network that overfits; 4. a network that
underfits; 5. Monte-Carlo dropout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch
from torch import nn

from deepfaq.core.claims import AtLeast, Beats, Claim, Converged, Equivalent, Exact, Greater
from deepfaq.core.config import Range
from deepfaq.core.figures import PALETTE
from deepfaq.core.outputs import curve, metric, series
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import mnist1d
from deepfaq.experiments import kit
from deepfaq.nn import init
from deepfaq.nn.ensemble import EnsembleDropout, EnsembleLinear


@dataclass(frozen=True)
class Config:
    p: Annotated[float, Range(0.05, 0.9)] = 0.5  # drop probability of a hidden unit
    over_examples: int = 1000  # training examples in the overfitting regime
    over_hiddens: int = 512  # hidden units of the wide network
    over_lr: float = 1e-2  # Adam's learning rate, wide network
    under_examples: int = 4000  # training examples in the underfitting regime (all)
    under_hiddens: int = 16  # hidden units of the tiny network
    under_lr: float = 1e-2  # Adam's learning rate, tiny network
    steps: int = 1000  # Adam steps in each regime
    batch_size: int = 128
    eval_every: Annotated[int, Range(1, 1000)] = 20  # steps between accuracy checkpoints
    mc_passes: int = 50  # dropout passes averaged at test time (Monte-Carlo dropout)


PROFILES = {
    "smoke": Profile(
        Config(over_examples=300, under_examples=600, steps=60, eval_every=3, mc_passes=5),
        seeds=2,
        seed_batch=2,
    ),
    # Sequential design (pre-registered in the lock): seeds are added once, up to the
    # cap, only if a claim's interval straddles its boundary; intervals at 97.5% per look.
    "quick": Profile(Config(), seeds=5, seed_batch=5, looks=(5, 20)),
    "full": Profile(Config(steps=2000), seeds=10, seed_batch=10),
}

# %% 1. The networks and the training loop
# One hidden layer of ReLU units; with dropout, a dropout layer after it (each seed's
# masks from its own random stream: deepfaq.nn.ensemble.EnsembleDropout). Within a seed
# and regime both networks start from the same weights and see the same minibatches, so
# dropout is the only difference. Accuracy is measured with dropout off (the test-time
# network), on the training examples and on MNIST-1D's 1,000 test signals.

ARMS = {"plain": "without dropout", "dropout": "with dropout"}
REGIMES = {"over": "wide network, few examples", "under": "tiny network, many examples"}


def make_net(n_in: int, num_hiddens: int, p: float, seeds: list[int], regime: str):
    """One network per seed as an ensemble on ``[K, batch, n_in]``; ``p`` = 0: no dropout
    layer. Seed k's weights come from its own stream, the same with or without dropout."""
    firsts, lasts = [], []
    for seed in seeds:
        g = kit.generator(seed, f"init/{regime}")
        first, last = nn.Linear(n_in, num_hiddens), nn.Linear(num_hiddens, 10)
        init.he_uniform_(first.weight, g)
        init.xavier_uniform_(last.weight, generator=g)
        init.zeros_(first.bias), init.zeros_(last.bias)
        firsts.append(first), lasts.append(last)
    layers = [EnsembleLinear.from_modules(firsts), nn.ReLU()]
    if p > 0:
        layers.append(EnsembleDropout(p, kit.generators(seeds, f"dropout/{regime}")))
    return nn.Sequential(*layers, EnsembleLinear.from_modules(lasts))


def train(model, data, lr: float, seeds: list[int], regime: str, cfg: Config) -> dict:
    """Adam on every member at once (member k: seed k's examples in seed k's batch
    order; the loss is the sum of the members' mean losses). Returns the training and
    test accuracy (dropout off) every ``eval_every`` steps, ``[K, checkpoints]`` each."""
    X, y, X_test, y_test = data
    order = torch.stack(  # every step's batch, drawn up front: [K, steps, batch_size]
        [
            torch.randint(0, X.shape[1], (cfg.steps, cfg.batch_size), generator=g)
            for g in kit.generators(seeds, f"batches/{regime}")
        ]
    ).to(X.device)
    rows = torch.arange(len(seeds), device=X.device)[:, None]
    opt = torch.optim.Adam(model.parameters(), lr=lr, foreach=True)
    train_curve, test_curve = [], []
    for step in range(cfg.steps + 1):
        if step % cfg.eval_every == 0:
            train_curve.append(kit.accuracy(model, X, y))
            test_curve.append(kit.accuracy(model, X_test, y_test))
        if step == cfg.steps:
            break
        idx = order[:, step]
        opt.zero_grad()
        logits = model(X[rows, idx])  # [K, batch_size, 10]
        nn.functional.cross_entropy(logits.transpose(1, 2), y[rows, idx], reduction="none").mean(
            1
        ).sum().backward()
        opt.step()
    return {"train": torch.stack(train_curve, 1), "test": torch.stack(test_curve, 1)}


def regime_facts(regime: str, cfg: Config, seeds, splits, ctx, stages, outs) -> dict:
    """Train the plain and the dropout network of one regime; returns the trained
    models by arm."""
    n = cfg.over_examples if regime == "over" else cfg.under_examples
    width = cfg.over_hiddens if regime == "over" else cfg.under_hiddens
    lr = cfg.over_lr if regime == "over" else cfg.under_lr
    names = ("X_train", "y_train", "X_test", "y_test")
    data = tuple(
        kit.stacked(
            [getattr(d, a)[:n] if "train" in a else getattr(d, a) for d in splits], ctx.device
        )
        for a in names
    )
    models = {}
    for arm, p in (("plain", 0.0), ("dropout", cfg.p)):
        model = make_net(data[0].shape[-1], width, p, seeds, regime).to(ctx.device)
        res = train(model, data, lr, seeds, regime, cfg)
        for k, out in enumerate(outs):
            out[f"train_acc_{arm}_{regime}"] = float(res["train"][k, -1])
            out[f"test_acc_{arm}_{regime}"] = float(res["test"][k, -1])
            out[f"gap_{arm}_{regime}"] = float(res["train"][k, -1] - res["test"][k, -1])
            out[f"curve_train_acc_{arm}_{regime}"] = kit.per_seed(res["train"][k])
            out[f"curve_test_acc_{arm}_{regime}"] = kit.per_seed(res["test"][k])
        models[arm] = model
        stages.part(regime, 0.5 if arm == "plain" else 1.0)
    return {"models": models, "data": data}


def batched_trial(cfg: Config, seeds: list[int], ctx) -> list[dict]:
    """The seeds of a batch trained side by side as ensembles, one per regime and arm;
    returns one trial output per seed."""
    splits = [mnist1d(seed) for seed in seeds]
    outs = [
        {
            "acc_chance": kit.majority_share(d.y_test),
            "steps_axis": list(range(0, cfg.steps + 1, cfg.eval_every)),
        }
        for d in splits
    ]
    stages = kit.Stages(ctx, over=3, under=1, mc=1)
    over = regime_facts("over", cfg, seeds, splits, ctx, stages, outs)
    scaling_facts(over["models"]["dropout"], over["data"], outs)
    regime_facts("under", cfg, seeds, splits, ctx, stages, outs)
    mc_facts(over["models"]["dropout"], over["data"], cfg, outs)
    stages.done("mc")
    for out in outs:
        out["error_ratio_over"] = (1 - out["test_acc_dropout_over"]) / max(
            1 - out["test_acc_plain_over"], 1e-9
        )
    return outs


OUTPUTS_TRAINING = (
    metric(
        "acc_chance",
        "the test accuracy of always answering the most common digit",
        "%",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    series("steps_axis", "the training steps at which the accuracies were measured"),
    *(
        o
        for regime, where in REGIMES.items()
        for arm, how in ARMS.items()
        for o in (
            metric(
                f"train_acc_{arm}_{regime}",
                f"the training accuracy of the {where.split(',')[0]} {how}",
                "%",
                bounds=(0, 1),
                data="train",
            ),
            metric(
                f"test_acc_{arm}_{regime}",
                f"the test accuracy of the {where.split(',')[0]} {how}",
                "%",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
            metric(
                f"gap_{arm}_{regime}",
                f"how far the training accuracy of the {where.split(',')[0]} {how} exceeds"
                " its test accuracy",
                "points",
                bounds=(-1, 1),
            ),
            curve(
                f"curve_train_acc_{arm}_{regime}",
                f"the training accuracy during training of the {where.split(',')[0]} {how}",
                "%",
                x="Adam step",
                bounds=(0, 1),
                data="train",
            ),
            curve(
                f"curve_test_acc_{arm}_{regime}",
                f"the test accuracy during training of the {where.split(',')[0]} {how}",
                "%",
                x="Adam step",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
        )
    ),
)

# %% 2. The test-time scaling rule
# During training a kept unit's activation h is divided by 1 − p, a dropped one is 0, so
# its expected value is (1 − p)·h/(1 − p) + p·0 = h: the test-time network, which keeps
# every unit unscaled, computes each unit's average training-time value. Checked exactly
# on every seed's trained wide network, on the test signals: (1 − p) times every kept
# value equals the unit's activation, and with dropout off the layer passes the
# activation through unchanged. The error is relative to the largest activation.


@torch.no_grad()
def scaling_facts(model, data, outs: list[dict]) -> None:
    drop = model[2]  # the EnsembleDropout layer
    h = model[1](model[0](data[2]))  # [K, n_test, hiddens], the hidden activations
    keep = 1.0 - drop.p
    drop.train()
    y = drop(h)
    drop.eval()
    passed = drop(h)
    kept = y != 0
    scale = h.flatten(1).abs().amax(1).clamp_min(1e-30)  # [K]
    for k, out in enumerate(outs):
        err_kept = (keep * y[k][kept[k]] - h[k][kept[k]]).abs().max() if kept[k].any() else 0.0
        err_eval = (passed[k] - h[k]).abs().max()
        out["scaling_error"] = float(max(float(err_kept), float(err_eval)) / scale[k])
        out["kept_share"] = float(kept[k][h[k] != 0].float().mean())


CLAIMS_SCALING = (
    Claim(
        "expected-activation-unchanged",
        "Inverted dropout leaves each unit's expected activation unchanged: (1 − p) times"
        " every kept value equals the activation itself, and with dropout off the layer"
        " passes it through (largest difference at most 1e-6 of the largest activation).",
        Exact("scaling_error", 0.0, tol=1e-6),
        expected="supported",
        source="Srivastava et al. 2014, §4 (the weight-scaling rule; torch's nn.Dropout"
        " applies it in the inverted form)",
        kind="identity",
        unit="",
    ),
)

OUTPUTS_SCALING = (
    metric(
        "scaling_error",
        "the largest difference between (1 − p) times a kept value and the unit's"
        " activation, or between the test-time output and the activation, relative to"
        " the largest activation",
        better="lower",
        bounds=(0, math.inf),
    ),
    metric(
        "kept_share",
        "the share of active hidden units a training-time dropout mask kept",
        "%",
        bounds=(0, 1),
    ),
)

ANSWER_SCALING = """
**What it does.** On every training step each hidden unit is dropped (set to zero) with
probability {{ cfg.p }}; a mask kept {{ pct(m.kept_share) }} of the active units here. The
kept ones are divided by the keep probability, so a unit's *expected* activation is the
activation itself, and the test-time network — every unit on, nothing rescaled — computes
exactly that expectation: (1 − p) times each kept value matched the activation to
{{ num(m.scaling_error) }} of the largest activation{% if v["expected-activation-unchanged"]
== "supported" %} (largest over {{ n }} seeds), float rounding.{% else %}, which should be
zero by construction: the check coming out **{{ v["expected-activation-unchanged"] }}**
points at a bug.{% endif %}
"""

# %% 3. A network that overfits: wide, few examples
# The regime must overfit: the plain network's training accuracy at least 10 points above
# its test accuracy. Margins: 2 points of test accuracy — the smallest gain we would call
# a regulariser's effect on a benchmark this size (one accuracy on 1,000 test signals
# has a binomial spread of about 1.6 points) — and 2 points of the train–test gap.
# Tolerances: half the margin. For the test-accuracy claim the dropout network, still
# improving, can only widen its lead (favours); the plain one must have levelled off.
# The gap moves with both accuracies, so every curve it reads must have levelled off.


def overfits() -> Beats:
    return Beats(
        "gap_plain_over", 0.0, margin=0.1, baseline_name="0 (the regime overfits by 10 points)"
    )


CLAIMS_OVER = (
    Claim(
        "helps-when-overfitting",
        "A wide network ({cfg.over_hiddens} hidden units) on few examples"
        " ({cfg.over_examples}): dropout raises its test accuracy by more than 2 points"
        " after {cfg.steps} Adam steps.",
        Greater("test_acc_dropout_over", "test_acc_plain_over", margin=0.02),
        expected="supported",
        source="Srivastava et al. 2014, Table 2 and Fig. 4",
        kind="empirical",
        unit="points",
        preconditions=(
            overfits(),
            Converged("curve_test_acc_plain_over", tol=0.01),
            Converged("curve_test_acc_dropout_over", tol=0.01, favours="supported"),
        ),
    ),
    Claim(
        "narrows-the-gap",
        "In the same regime dropout narrows the gap between training and test accuracy"
        " by more than 2 points.",
        Greater("gap_plain_over", "gap_dropout_over", margin=0.02),
        expected="supported",
        source="Srivastava et al. 2014, §7.3 (Fig. 9: with dropout, training error rises"
        " and test error falls)",
        kind="empirical",
        unit="points",
        preconditions=(
            overfits(),
            Converged("curve_test_acc_plain_over", tol=0.01),
            Converged("curve_test_acc_dropout_over", tol=0.01),
            Converged("curve_train_acc_dropout_over", tol=0.01),
        ),
    ),
)

OUTPUTS_OVER = (
    metric(
        "error_ratio_over",
        "the wide network's test error with dropout, over its test error without",
        "×",
        better="lower",
        bounds=(0, math.inf),
        data="held-out",
    ),
)

ANSWER_OVER = """
**When the network overfits, it helps.** The wide network ({{ cfg.over_hiddens }} hidden units,
{{ num(cfg.over_examples) }} training signals) fitted {{ pct(m.train_acc_plain_over) }} of its
training set without dropout but only {{ pct(m.test_acc_plain_over) }} of the test set: a gap
of {{ with_unit(m.gap_plain_over, "points") }}. With dropout: {{ pct(m.train_acc_dropout_over) }}
and {{ pct(m.test_acc_dropout_over) }} (gap {{ with_unit(m.gap_dropout_over, "points") }}).
{% if v["helps-when-overfitting"] == "supported" %}Dropout raised the test accuracy by more
than 2 points{% elif v["helps-when-overfitting"] == "refuted" %}Dropout did **not** raise the
test accuracy by 2 points here{% else %}Whether dropout raises the test accuracy by more than
2 points is not decided ({{ c["helps-when-overfitting"].reason }}){% endif %}, and
{% if v["narrows-the-gap"] == "supported" %}it narrowed the train–test gap by more than 2
points: it trades a little fit to the training set for better predictions on new data.
{% elif v["narrows-the-gap"] == "refuted" %}it did **not** narrow the train–test gap by 2
points.{% else %}whether it narrows the train–test gap by 2 points is not decided
({{ c["narrows-the-gap"].reason }}).{% endif %}
The test error fell to {{ with_unit(m.error_ratio_over, "×") }} of its value without dropout
(Srivastava et al.'s MNIST networks: {{ a["srivastava_mnist"].published }}, a ratio of
{{ with_unit(a["srivastava_mnist"].value, "×") }}). Their explanation: a unit that may vanish at any
step cannot rely on particular other units being there (no "co-adaptation"), and the
test-time network averages the predictions of the exponentially many thinned networks that
were trained.
"""

# %% 4. A network that underfits: tiny, many examples
# The regime must underfit: the plain network's training accuracy at least 10 points
# below 100%. About dropout hurting: the plain network, expected to win, may still be
# improving (its progress can only widen the gap); the dropout network must have levelled
# off. Margin and tolerance as in section 3.


def underfits() -> Beats:
    return Beats(
        "train_acc_plain_under",
        1.0,
        margin=0.1,
        higher_is_better=False,
        baseline_name="100% (the regime underfits by 10 points)",
    )


CLAIMS_UNDER = (
    Claim(
        "hurts-when-underfitting",
        "A tiny network ({cfg.under_hiddens} hidden units) on many examples"
        " ({cfg.under_examples}): dropout lowers its test accuracy by more than 2 points"
        " after {cfg.steps} Adam steps.",
        Greater("test_acc_plain_under", "test_acc_dropout_under", margin=0.02),
        expected="supported",
        source="Srivastava et al. 2014, §7.3 (Fig. 9a: too few units kept underfits)",
        kind="empirical",
        unit="points",
        preconditions=(
            underfits(),
            Converged("curve_test_acc_plain_under", tol=0.01, favours="supported"),
            Converged("curve_test_acc_dropout_under", tol=0.01),
        ),
    ),
)

ANSWER_UNDER = """
**When the network underfits, it hurts.** The tiny network ({{ cfg.under_hiddens }} hidden
units, {{ num(cfg.under_examples) }} training signals) reached only
{{ pct(m.train_acc_plain_under) }} on its own training set without dropout — too small to fit
it — and {{ pct(m.test_acc_plain_under) }} on the test set. With dropout:
{{ pct(m.train_acc_dropout_under) }} and {{ pct(m.test_acc_dropout_under) }}.
{% if v["hurts-when-underfitting"] == "supported" %}Dropout cost it more than 2 points of test
accuracy: a regulariser takes capacity away, and this network had none to spare.
{% elif v["hurts-when-underfitting"] == "refuted" %}Dropout did **not** cost it 2 points of test
accuracy here.{% else %}Whether dropout costs it more than 2 points is not decided:
{{ c["hurts-when-underfitting"].reason }}.{% endif %}
Srivastava et al.'s rule of thumb follows: with dropout p, use about n/(1 − p) units where n
would do without it.
"""

# %% 5. Monte-Carlo dropout
# Keep dropout on at test time and average the softmax over mc_passes passes (each seed
# drawing its own masks). Srivastava et al. (Fig. 11) found that such an average matches
# the scaled network after about 50 passes: margin 1 point of test accuracy, tolerance half
# of it on the dropout network's test curve. Gal & Ghahramani read the spread of the passes
# as the model's uncertainty; if it is, the spread should be larger on the answers that are
# wrong. We measure how well it ranks them: the area under the ROC curve of the spread
# (the standard deviation over passes of the probability given to the averaged answer) for
# telling wrong answers from right ones. 0.5 is no information; the bound, 0.6, is the
# smallest ranking signal worth reading.

PASSES = (1, 2, 5, 10, 20, 50, 100, 200)  # passes at which the running average is scored


@torch.no_grad()
def mc_facts(model, data, cfg: Config, outs: list[dict]) -> None:
    from sklearn.metrics import roc_auc_score

    _, _, X_test, y_test = data
    model.train()  # dropout on
    total = torch.zeros(*X_test.shape[:2], 10)
    total_sq = torch.zeros_like(total)
    by_passes = []
    for t in range(1, cfg.mc_passes + 1):
        probs = model(X_test).softmax(-1).cpu()  # [K, n_test, 10]
        total += probs
        total_sq += probs**2
        if t in PASSES or t == cfg.mc_passes:
            by_passes.append((total.argmax(-1) == y_test.cpu()).float().mean(1))
    model.eval()
    mean = total / cfg.mc_passes
    sd = (total_sq / cfg.mc_passes - mean**2).clamp_min(0).sqrt()
    answer = mean.argmax(-1)  # [K, n_test]
    spread = sd.gather(-1, answer.unsqueeze(-1)).squeeze(-1)
    wrong = answer != y_test.cpu()
    axis = [t for t in PASSES if t < cfg.mc_passes] + [cfg.mc_passes]
    for k, out in enumerate(outs):
        out["test_acc_mc_over"] = 1.0 - float(wrong[k].float().mean())
        out["mc_gain_over"] = out["test_acc_mc_over"] - out["test_acc_dropout_over"]
        w, s = wrong[k].numpy(), spread[k].numpy()
        out["auroc_spread"] = float(roc_auc_score(w, s)) if 0 < w.sum() < w.size else math.nan
        out["spread_wrong"] = float(s[w].mean()) if w.any() else math.nan
        out["spread_right"] = float(s[~w].mean()) if (~w).any() else math.nan
        out["passes_axis"] = axis
        out["mc_acc_by_passes"] = [float(v[k]) for v in by_passes]


CLAIMS_MC = (
    Claim(
        "mc-matches-scaling",
        "Averaging {cfg.mc_passes} passes with dropout on gives the same test accuracy as the"
        " scaled network with dropout off, within 1 point.",
        Equivalent("test_acc_mc_over", "test_acc_dropout_over", margin=0.01),
        expected="supported",
        source="Srivastava et al. 2014, §7.5 and Fig. 11",
        kind="empirical",
        unit="points",
        preconditions=(
            Beats("test_acc_dropout_over", "acc_chance", margin=0.2, baseline_name="chance"),
            Converged("curve_test_acc_dropout_over", tol=0.005),
        ),
    ),
    Claim(
        "mc-spread-flags-errors",
        "The spread of the {cfg.mc_passes} dropout passes is larger on the test signals the"
        " network gets wrong: as a score for spotting wrong answers its area under the ROC"
        " curve is at least 0.6.",
        AtLeast("auroc_spread", 0.6),
        expected="supported",
        source="Gal & Ghahramani 2016 (MC-dropout's spread as model uncertainty)",
        kind="empirical",
        unit="",
        preconditions=(
            Beats("test_acc_dropout_over", "acc_chance", margin=0.2, baseline_name="chance"),
            Converged("curve_test_acc_dropout_over", tol=0.01),
        ),
    ),
)

OUTPUTS_MC = (
    metric(
        "test_acc_mc_over",
        "the test accuracy of the wide network's Monte-Carlo dropout average",
        "%",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    metric(
        "mc_gain_over",
        "how much higher the Monte-Carlo dropout average's test accuracy is than the scaled"
        " network's",
        "points",
        bounds=(-1, 1),
        data="held-out",
    ),
    metric(
        "auroc_spread",
        "the area under the ROC curve of the dropout passes' spread as a score for spotting"
        " the wide network's wrong test answers",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    metric(
        "spread_wrong",
        "the mean spread of the dropout passes on test signals the network gets wrong",
        bounds=(0, 1),
        data="held-out",
    ),
    metric(
        "spread_right",
        "the mean spread of the dropout passes on test signals the network gets right",
        bounds=(0, 1),
        data="held-out",
    ),
    series("passes_axis", "the numbers of dropout passes averaged"),
    series(
        "mc_acc_by_passes",
        "the test accuracy of the average of the first t dropout passes",
        "%",
        bounds=(0, 1),
    ),
)

ANSWER_MC = """
**Dropout at test time: an ensemble for free.** Averaging {{ cfg.mc_passes }} passes with
dropout left on gave {{ pct(m.test_acc_mc_over) }} test accuracy against
{{ pct(m.test_acc_dropout_over) }} for the scaled network with dropout off.
{% if v["mc-matches-scaling"] == "supported" %}The two agree within 1 point, as Srivastava et
al. found: the cheap scaled network is a good stand-in for averaging the thinned networks.
{% elif v["mc-matches-scaling"] == "refuted" %}They differ by more than 1 point here: the
scaled network is only an approximation of the average of the thinned networks.
{% else %}Whether they agree within 1 point is not decided: {{ c["mc-matches-scaling"].reason }}.
{% endif %}
The passes' spread was {{ num(m.spread_wrong) }} on the answers that were wrong and
{{ num(m.spread_right) }} on those that were right;
{% if v["mc-spread-flags-errors"] == "supported" %}as a score for spotting wrong answers it
reached an area under the ROC curve of {{ num(m.auroc_spread) }} (above the claim's bound
over the whole interval), so the spread carries real information about which answers to
distrust — the use Gal & Ghahramani propose.{% elif v["mc-spread-flags-errors"] == "refuted"
%}as a score for spotting wrong answers it reached an area under the ROC curve of only
{{ num(m.auroc_spread) }} (below the claim's bound over the whole interval): little use as a
warning.{% else %}whether it spots wrong answers well enough (the claim's bound on the area
under the ROC curve) is not decided:
{{ c["mc-spread-flags-errors"].reason }}.{% endif %}
"""

CLAIMS = CLAIMS_SCALING + CLAIMS_OVER + CLAIMS_UNDER + CLAIMS_MC
OUTPUTS = OUTPUTS_TRAINING + OUTPUTS_SCALING + OUTPUTS_OVER + OUTPUTS_MC
ANSWER = ANSWER_SCALING + ANSWER_OVER + ANSWER_UNDER + ANSWER_MC

# %% Figures


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, band, bars, level

    fig, ax = new_figure("train-and-test-accuracy")
    names = ["wide: train", "wide: test", "tiny: train", "tiny: test"]
    for i, (arm, label) in enumerate(ARMS.items()):
        values = [
            [100 * v for v in result.metrics[f"{split}_acc_{arm}_{regime}"]]
            for regime in REGIMES
            for split in ("train", "test")
        ]
        bars(ax, names, values, label=label, group=i, groups=2, bounds=(0, 100))
    ax.set_ylabel("accuracy, % (mean over seeds)")
    ax.set_title("wide net, few examples · tiny net, many", fontsize=9)
    ax.legend(fontsize=8)

    steps = result.series["steps_axis"][0]
    fig, axes = new_figure("test-accuracy-during-training", ncols=2)
    for ax, (regime, title) in zip(axes[0], REGIMES.items(), strict=True):
        for arm, label in ARMS.items():
            c = 100 * np.asarray(result.series[f"curve_test_acc_{arm}_{regime}"], dtype=float)
            band(ax, steps, c, label=label, bounds=(0, 100))
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("Adam step")
    axes[0, 0].set_ylabel("test accuracy, % (mean over seeds)")
    axes[0, 0].legend(fontsize=8)

    fig, ax = new_figure("monte-carlo-dropout")
    passes = result.series["passes_axis"][0]
    acc = 100 * np.asarray(result.series["mc_acc_by_passes"], dtype=float)
    band(ax, passes, acc, label="average of t dropout passes", marker="o", bounds=(0, 100))
    level(
        ax,
        [100 * v for v in result.metrics["test_acc_dropout_over"]],
        color=REFERENCE,
        ls="--",
        label="scaled network, dropout off",
        bounds=(0, 100),
    )
    ax.set_xscale("log")
    ax.set_xlabel("dropout passes averaged (t)")
    ax.set_ylabel("test accuracy, % (wide network)")
    ax.legend(fontsize=8)


QUESTION = Question(
    id="dropout",
    topic="Initialisation, activations and normalisation",
    paraphrases=(
        "What does dropout do, and when does it help?",
        "What does dropout do to a network, and when does it actually help?",
        "why does dropout reduce overfitting",
        "does dropout hurt a small network",
        "why do we scale activations by the keep probability in dropout",
        "Monte Carlo dropout uncertainty",
    ),
    title="What does dropout do, and when does it help?",
    asked="What does dropout do to a network, and when does it actually help?",
    config=Config,
    profiles=PROFILES,
    trial=None,
    batched_trial=batched_trial,
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    outputs=OUTPUTS,
    colors={
        "with dropout": PALETTE[0],
        "without dropout": PALETTE[1],
        "average of t dropout passes": PALETTE[2],
    },
    key_claims=(
        "helps-when-overfitting",
        "hurts-when-underfitting",
        "expected-activation-unchanged",
        "mc-spread-flags-errors",
    ),
    one_line=(
        '{{ by_verdict(v["helps-when-overfitting"], "It randomly switches hidden units off'
        " while training, which regularises: here it raised the test accuracy of a wide"
        ' network that overfits a small training set", "It randomly switches hidden units off'
        " while training, a regulariser, but here it did not raise the test accuracy of a wide"
        ' network that overfits", "It randomly switches hidden units off while training, a'
        ' regulariser; whether it helped a wide network that overfits is not decided here")'
        ' ~ by_verdict(v["hurts-when-underfitting"], " and lowered that of a tiny network'
        ' that underfits.", "; it did not hurt a tiny network that underfits.", ".") }}'
    ),
    anchors=(
        Anchor(
            "MNIST test error with dropout, over the error without",
            "1.60% → 1.25%: a standard net against a dropout net (ReLU, 3 × 1,024 units)",
            "Srivastava et al. 2014, Table 2",
            metric="error_ratio_over",
            key="srivastava_mnist",
            value=1.25 / 1.60,
            unit="×",
            note="ours: one hidden layer of 512 units on 1,000 MNIST-1D signals",
        ),
        Anchor(
            "Monte-Carlo average against the scaled network (test accuracy)",
            "the same error after about 50 passes",
            "Srivastava et al. 2014, Fig. 11",
            metric="mc_gain_over",
            key="srivastava_mc",
            value=0.0,
            unit="points",
        ),
        Anchor(
            "MC-dropout's spread as model uncertainty",
            "predictive uncertainty grows away from the training data",
            "Gal & Ghahramani 2016, Figs. 2–5",
            key="gal_uncertainty",
            note="a qualitative finding; our mc-spread-flags-errors claim measures one use of it",
        ),
    ),
    references=(
        "Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov (2014). Dropout: a simple"
        " way to prevent neural networks from overfitting. JMLR 15.",
        "Gal & Ghahramani (2016). Dropout as a Bayesian approximation: representing model"
        " uncertainty in deep learning. ICML.",
        "Greydanus (2020). Scaling down deep learning (MNIST-1D). arXiv:2011.14439.",
    ),
)
