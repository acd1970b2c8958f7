"""``deepfaq new ID``: a working question skeleton, one file plus one registry line.

The skeleton is a small, real experiment (a one-hidden-layer network on
scikit-learn's 8×8 digits against the majority class) written the way every question
is: a docstring with the question → ``Config`` and profiles → declared outputs →
sections, each its prose, its code and its claim → figures → the answer. It passes
the whole test suite as generated: its claim is calibrated, its outputs declared, its
answer renders under every verdict, and its lock entry is written with it (created
before its first run). Its reference results are marked pending until they are built.
Replace the example with your experiment, section by section.
"""

from __future__ import annotations

import re
from pathlib import Path

from deepfaq.core.errors import DeepfaqError

_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

TEMPLATE = '''"""{title}

TODO: the question in plain words, what the experiment measures, and the references
by author and year. This skeleton was written by ``deepfaq new {qid}``: a small
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


PROFILES = {{
    "smoke": Profile(Config(steps=100, eval_every=4), seeds=2),
    "quick": Profile(Config(), seeds=5),
    "full": Profile(Config(steps=600), seeds=10),
}}

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
    return {{
        "acc_mlp": curve_val[-1],
        "acc_chance": kit.majority_share(data.y_test),
        "curve_val_acc_mlp": curve_val,
        "steps_axis": list(range(0, cfg.steps + 1, cfg.eval_every)),
    }}


# The margin: 20 points above the majority class, a gap no practitioner would call
# luck on ten classes; convergence within 1 point (half the smallest margin we would
# read on this accuracy) either way over the last fifth of training.
CLAIMS = (
    Claim(
        "beats-chance",
        "After {{cfg.steps}} training steps the network's held-out accuracy is more than"
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
    band(ax, steps, result.series["curve_val_acc_mlp"], label="{label}", bounds=(0, 1))
    level(ax, result.metrics["acc_chance"], color=REFERENCE, ls=":", label="majority class",
          bounds=(0, 1))
    ax.set_xlabel("training step")
    ax.set_ylabel("held-out accuracy")
    ax.legend(fontsize=8)


ONE_LINE = """{{{{ by_verdict(v["beats-chance"],
"TODO: the one-sentence answer when the claim holds.",
"TODO: the one-sentence answer when it does not.",
"TODO: what we can say while it is undecided.") }}}}"""

ANSWER = """
TODO: the answer, paragraph by paragraph. After {{{{ cfg.steps }}}} steps the network
reached {{{{ pct(m.acc_mlp) }}}} held-out accuracy against {{{{ pct(m.acc_chance) }}}} for always
answering the most common class (over {{{{ n }}}} seeds).
{{% if v["beats-chance"] == "supported" %}}That is more than 20 points better: it learned.
{{% elif v["beats-chance"] == "refuted" %}}That is not 20 points better: it did not learn.
{{% else %}}Whether it is 20 points better is not decided: {{{{ c["beats-chance"].reason }}}}.
{{% endif %}}
"""

QUESTION = Question(
    id="{qid}",
    topic="Other questions",
    paraphrases=(
        "{asked}",
        "TODO: another way a person might ask it",
        "TODO: a third way, in other words",
    ),
    title="{title}",
    asked="{asked}",
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
'''


def module_name(qid: str) -> str:
    return qid.replace("-", "_")


def render(qid: str, title: str, asked: str) -> str:
    """The skeleton module's text."""
    return TEMPLATE.format(
        qid=qid,
        title=title.replace('"', "'"),
        asked=asked.replace('"', "'"),
        label="network",
    )


def register(init_file: Path, qid: str) -> str:
    """``experiments/__init__.py`` with the new module imported and registered last."""
    text = init_file.read_text(encoding="utf-8")
    name = module_name(qid)
    imports = re.search(r"from deepfaq\.experiments import \((.*?)\)", text, re.S)
    if imports is None or "REGISTRY = Registry(" not in text:
        raise DeepfaqError(f"cannot find the registry in {init_file}")
    names = sorted({n.strip() for n in imports.group(1).split(",") if n.strip()} | {name})
    block = "from deepfaq.experiments import (\n" + "".join(f"    {n},\n" for n in names) + ")"
    text = text[: imports.start()] + block + text[imports.end() :]
    start = text.index("REGISTRY = Registry(")
    close = text.index("]", start)
    before = text[:close].rstrip()
    return before + f"\n        {name}.QUESTION,\n    " + text[close:]


def create(
    qid: str, title: str | None = None, asked: str | None = None, root: Path | None = None
) -> list[Path]:
    """Write the skeleton of question ``qid``, register it and enter its claims in the
    lock; return the files written. ``root`` is the source checkout (default: the one
    deepfaq runs from)."""
    from deepfaq.core import lock

    if not _ID.match(qid):
        raise DeepfaqError(f"a question id is lowercase words joined by dashes, got {qid!r}")
    root = root or Path(__file__).resolve().parents[2]
    package = root / "src" / "deepfaq" / "experiments"
    if not package.is_dir():
        raise DeepfaqError(
            f"{package} not found: deepfaq new needs a source checkout (pip install -e .)"
        )
    target = package / f"{module_name(qid)}.py"
    if target.exists() or (package / module_name(qid)).exists():
        raise DeepfaqError(f"{target} already exists")
    from deepfaq.experiments import REGISTRY

    if qid in REGISTRY.ids():
        raise DeepfaqError(f"question {qid!r} already exists")
    title = title or qid.replace("-", " ").capitalize() + "?"
    asked = asked or title
    init_file = package / "__init__.py"
    registered = register(init_file, qid)
    target.write_text(render(qid, title, asked), encoding="utf-8")
    init_file.write_text(registered, encoding="utf-8")
    # The lock entry, written with the question, before its first run.
    import importlib

    module = importlib.import_module(f"deepfaq.experiments.{module_name(qid)}")
    lock_file = root / lock.LOCK_NAME
    current = lock.load(lock_file)
    questions = [*REGISTRY, module.QUESTION]
    new = lock.update(
        questions,
        current,
        "created with deepfaq new, before its first run",
        results_seen=False,
        only=[module.QUESTION],
    )
    lock.save(new, lock_file)
    return [target, init_file, lock_file]
