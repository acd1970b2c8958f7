"""Can a neural network memorise random labels?

TODO: the question in plain words, what the experiment measures, and the references
by author and year. This skeleton was written by ``deepfaq new random-labels``: a small
network on scikit-learn's 8×8 digits, trained and compared with always answering
the most common class. Replace it section by section with your experiment; keep
each section's prose beside the code that makes its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from deepfaq.core.claims import Claim, Greater
from deepfaq.core.outputs import curve, metric, series
from deepfaq.core.question import Profile, Question
from deepfaq.data import sklearn_digits
from deepfaq.experiments import kit


@dataclass(frozen=True)
class Config:
    num_hiddens: int = 32  # width of the hidden layer
    steps: int = 300  # full-batch Adam steps
    lr: float = 0.01  # Adam's learning rate
    eval_every: int = 10  # steps between held-out evaluations (>= 5 in the last fifth)


PROFILES = {
    "smoke": Profile(Config(steps=100, eval_every=4), seeds=2),
    "quick": Profile(Config(), seeds=5),
    "full": Profile(Config(steps=600), seeds=10),
}

OUTPUTS = (
    metric("acc_mlp", "the network's held-out accuracy", "%", better="higher",
           bounds=(0, 1), data="held-out"),
    metric("acc_chance", "the held-out accuracy of always answering the most common class",
           "%", bounds=(0, 1), data="held-out"),
    curve("curve_val_acc_mlp", "the network's held-out accuracy during training", "%",
          x="training step", better="higher", bounds=(0, 1), data="held-out"),
    series("steps_axis", "the training steps at which the network was evaluated"),
)


# %% Training a small network
# TODO: what this section shows, in the words a reader needs.


def make_net(n_in: int, num_hiddens: int, n_out: int, g: torch.Generator) -> nn.Sequential:
    net = nn.Sequential(nn.Linear(n_in, num_hiddens), nn.ReLU(), nn.Linear(num_hiddens, n_out))
    for layer in (net[0], net[2]):
        nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu", generator=g)
        nn.init.zeros_(layer.bias)
    return net


def trial(cfg: Config, seed: int, ctx) -> dict:
    """Train the network on one seed's split; return its declared outputs."""
    data = sklearn_digits(seed)
    X, y = (torch.as_tensor(a).to(ctx.device) for a in (data.X_train, data.y_train))
    X_test, y_test = (torch.as_tensor(a).to(ctx.device) for a in (data.X_test, data.y_test))
    net = make_net(data.n_features, cfg.num_hiddens, data.n_classes,
                   kit.generator(seed, "init")).to(ctx.device)
    opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)
    curve_val = []
    for step in range(cfg.steps + 1):
        if step % cfg.eval_every == 0:
            with torch.no_grad():
                curve_val.append((net(X_test).argmax(-1) == y_test).float().mean().item())
            ctx.progress(step / cfg.steps)
        if step == cfg.steps:
            break
        opt.zero_grad()
        nn.functional.cross_entropy(net(X), y).backward()
        opt.step()
    return {
        "acc_mlp": curve_val[-1],
        "acc_chance": kit.majority_share(data.y_test),
        "curve_val_acc_mlp": curve_val,
        "steps_axis": list(range(0, cfg.steps + 1, cfg.eval_every)),
    }


# The margin: 20 points above the majority class, a gap no practitioner would call
# luck on ten classes; convergence within 1 point (half the smallest margin we would
# read on this accuracy) either way over the last fifth of training.
CLAIMS = (
    Claim(
        "beats-chance",
        "After {cfg.steps} training steps the network's held-out accuracy is more than"
        " 20 points above always answering the most common class.",
        Greater("acc_mlp", "acc_chance", margin=0.20),
        expected="supported",
        source="TODO: Author Year",
        kind="empirical",
        unit="points",
        preconditions=kit.trained("acc_mlp", "acc_chance", 0.2, "curve_val_acc_mlp", 0.01,
                                  baseline_name="the majority class", favours="supported"),
    ),
)


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, band, level

    steps = result.series["steps_axis"][0]
    fig, ax = new_figure("learning-curve")
    band(ax, steps, result.series["curve_val_acc_mlp"], label="network", bounds=(0, 1))
    level(ax, result.metrics["acc_chance"], color=REFERENCE, ls=":", label="majority class",
          bounds=(0, 1))
    ax.set_xlabel("training step")
    ax.set_ylabel("held-out accuracy")
    ax.legend(fontsize=8)


ONE_LINE = """{{ by_verdict(v["beats-chance"],
"TODO: the one-sentence answer when the claim holds.",
"TODO: the one-sentence answer when it does not.",
"TODO: what we can say while it is undecided.") }}"""

ANSWER = """
TODO: the answer, paragraph by paragraph. After {{ cfg.steps }} steps the network
reached {{ pct(m.acc_mlp) }} held-out accuracy against {{ pct(m.acc_chance) }} for always
answering the most common class (over {{ n }} seeds).
{% if v["beats-chance"] == "supported" %}That is more than 20 points better: it learned.
{% elif v["beats-chance"] == "refuted" %}That is not 20 points better: it did not learn.
{% else %}Whether it is 20 points better is not decided: {{ c["beats-chance"].reason }}.
{% endif %}
"""

QUESTION = Question(
    id="random-labels",
    topic="Other questions",
    paraphrases=(
        "Can a network fit labels that are pure noise, and what does that say about generalisation?",
        "TODO: another way a person might ask it",
        "TODO: a third way, in other words",
    ),
    title="Can a neural network memorise random labels?",
    asked="Can a network fit labels that are pure noise, and what does that say about generalisation?",
    config=Config,
    profiles=PROFILES,
    trial=trial,
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    outputs=OUTPUTS,
    key_claims=("beats-chance",),
    one_line=ONE_LINE,
    pending_references=("quick", "full"),
    references=("TODO: Author, A. (Year). Title. Venue.",),
)
