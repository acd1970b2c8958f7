"""Every question as a Jupyter notebook that runs: ``deepfaq notebook ID``.

A notebook reads like the question's page, as a tutorial, top to bottom:

1. the question, and its one-line answer as the shipped reference run words it;
2. that reference, loaded (``deepfaq.load(ID, "reference")``): the answer in full,
   the claims table and the figures, drawn from its stored numbers;
3. a run of your own at the ``smoke`` budget (seconds), with the ``quick`` command
   beside it, compared with the reference claim by claim;
4. one trial with one setting changed — a learning rate where the config has one
   (see :func:`changed_setting`) — beside the smoke run and the reference, metric
   by metric, at the same seed.

A question with no reference yet (a new one) gets its claims and figures from
your run instead; a reference made by an older version of the question, whose
numbers today's figure code no longer draws, gets its figures from your run too.

Notebooks are built with nbformat; each cell has a fixed id, so writing a
question's notebook twice from the same code and reference gives the same file.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Where a notebook's runs are stored, relative to the folder it runs in: the
#: CLI's default, so ``deepfaq show`` and ``deepfaq report`` see them too.
RUNS = "deepfaq-runs"

#: Words a config field's name may contain, most telling change first: a learning
#: rate, then a training budget.
_PREFERRED = ("lr", "steps", "epochs", "iter")
_CHANGE_WORDS = {
    "lr": "a third of the learning rate",
    "steps": "twice the training steps",
    "epochs": "twice the training epochs",
    "iter": "twice the iterations",
}


@dataclass(frozen=True)
class Change:
    """One config field changed: ``key`` (dotted for a section's field) from
    ``old`` to ``new``, and ``words``, the change in plain words."""

    key: str
    old: Any
    new: Any
    words: str

    @property
    def label(self) -> str:
        return f"{self.key}={self.new!r}"


def changed_setting(question) -> Change | None:
    """The setting a question's notebook changes, picked from its smoke config
    without knowing the question: the first number field whose name has the word
    ``lr`` (divided by three), else ``steps``, ``epochs`` or ``iter`` (doubled), else
    the first number field (an integer doubled, a real number halved). A value
    outside the field's range is passed over. None when no number field can change."""
    from deepfaq.core.config import apply_overrides, dotted_keys
    from deepfaq.core.errors import BadConfig

    config = question.profile("smoke").config

    def value(key: str) -> Any:
        owner = config
        for part in key.split("."):
            owner = getattr(owner, part)
        return owner

    def rank(key: str) -> int:
        words = key.rsplit(".", 1)[-1].split("_")
        return next((k for k, w in enumerate(_PREFERRED) if w in words), len(_PREFERRED))

    numbers = [
        k
        for k in dotted_keys(config)
        if isinstance(value(k), int | float) and not isinstance(value(k), bool)
    ]
    for key in sorted(numbers, key=rank):  # stable: the config's order within a rank
        old, kind = value(key), rank(key)
        in_words = _CHANGE_WORDS.get(_PREFERRED[kind]) if kind < len(_PREFERRED) else None
        if kind == 0:
            new = float(f"{old / 3:.2g}")
        elif isinstance(old, int):
            new = 2 * old
            in_words = in_words or f"twice the {key.replace('_', ' ')}"
        else:
            new, in_words = old / 2, f"half the {key.replace('_', ' ')}"
        if new == old:
            continue
        try:
            apply_overrides(config, [f"{key}={new!r}"])
        except BadConfig:
            continue
        return Change(key, old, new, in_words)
    return None


# -- cells -------------------------------------------------------------------------------


class _Cells:
    """The notebook's cells in order, each with a fixed id."""

    def __init__(self):
        import nbformat

        self._v4 = nbformat.v4
        self.cells: list = []

    def md(self, text: str) -> None:
        self._add(self._v4.new_markdown_cell(text.strip()))

    def code(self, text: str) -> None:
        self._add(self._v4.new_code_cell(text.strip()))

    def _add(self, cell) -> None:
        cell["id"] = f"cell-{len(self.cells):02d}"
        self.cells.append(cell)


def _reference_figures(ref) -> list[tuple[str, str]] | None:
    """(name, description) of each figure the question draws from the reference
    ``ref``; None when today's figure code cannot draw its stored numbers."""
    from deepfaq.core import figures as figs
    from deepfaq.core.errors import DeepfaqError

    try:
        names = ref.figure_names
    except DeepfaqError:
        return None
    described = []
    for name in names:
        fig = ref.figure(name)
        data = {"axes": [figs._axes_data(ax) for ax in fig.axes if ax.get_label() != "<colorbar>"]}
        described.append((name, " ".join(figs.describe(name, data).split())))
    return described


def _pick_reference(qid: str, entry) -> tuple[Any, list | None, str]:
    """The shipped reference a notebook shows, its figures (None: not drawable) and
    how the notebook names it. The most preferred kind (``full``) unless today's
    answer text or figure code no longer reads its numbers (it predates them) and
    another kind's does; (None, None, "") when none ships."""
    from jinja2 import TemplateError

    from deepfaq import api, reference
    from deepfaq.report.answer import render_answer

    best: tuple[int, Any, list | None, str] | None = None
    for k, kind in enumerate(reference.kinds(qid)):
        spec = "reference" if k == 0 else f"reference:{kind}"
        ref = api.load(qid, spec)
        try:
            render_answer(entry, ref.raw)
            worded = True
        except (TemplateError, TypeError, ValueError, KeyError):
            worded = False
        drawn = _reference_figures(ref)
        score = worded + (drawn is not None)
        if best is None or score > best[0]:
            best = (score, ref, drawn, spec)
        if score == 2:
            break
    return (None, None, "") if best is None else best[1:]


def build(qid: str):
    """The notebook of question ``qid`` (an ``nbformat`` notebook node)."""
    import nbformat

    from deepfaq import api, catalogue, reference
    from deepfaq.experiments import REGISTRY
    from deepfaq.report.answer import answer_text

    question = REGISTRY.get(qid)
    entry = catalogue.entry(question)
    ref, drawn, spec = _pick_reference(qid, entry)
    change = changed_setting(question)
    cells = _Cells()
    q = json.dumps(qid)  # the id as a Python string literal

    steps = [
        "**the short answer** and the reference run shipped with deepfaq (nothing to train);",
        "**the answer** in full, **the claims** it rests on and **the figures**;",
        "**your own run** at the smoke budget (seconds), beside the reference;",
    ]
    if ref is None:
        steps = ["**your own run** at the smoke budget (seconds): its claims and figures;"]
    if change is not None:
        steps.append(f"**one setting changed** ({change.words}): what it does, metric by metric.")
    cells.md(
        f"# {entry.title}\n\n> *“{entry.asked}”*\n\n"
        "deepfaq answers this question by experiment: each claim of the answer is a"
        " measurement over seeds, with a verdict (supported, refuted or inconclusive)"
        " and a 95% interval. This notebook, written by"
        f" `deepfaq notebook {qid}`, goes through it in order:\n\n"
        + "\n".join(f"{k}. {s}" for k, s in enumerate(steps, 1))
    )
    cells.code(
        "%matplotlib inline\n"
        "import pandas as pd\n\n"
        "import deepfaq\n\n"
        f'RUNS = "{RUNS}"  # where runs are stored, as on the command line'
    )
    if ref is not None:
        line = api.answer_line(entry, ref.raw)
        cells.md(
            f"## The short answer\n\n{line}\n\n"
            f"*As measured by the reference run shipped with deepfaq ({ref.label}"
            f"{_made(ref)}). It loads from a file; nothing trains:*"
        )
        preferred = reference.kinds(qid)[0]
        note = "" if spec == "reference" else f"  # the {preferred} one predates today's code"
        cells.code(f"ref = deepfaq.load({q}, {json.dumps(spec)}){note}\nref")
        cells.md(f"## The answer\n\n{answer_text(entry, ref.raw)}")
        cells.md(
            "## The claims\n\n"
            "One row per claim. A *finding* is a measurement that could have come out"
            " otherwise; a *check* (identity) is true by construction and tests the code."
            " `estimate`, `lo` and `hi` are in `unit` as stored: a value in % or points is"
            " a fraction (0.93 is 93%). `n` counts what the interval is over (seeds or"
            " items); `reason` says why a claim is undecided."
        )
        cells.code(
            'ref.claims[["id", "kind", "verdict", "estimate", "lo", "hi", "unit", "n", "reason"]]'
        )
        if drawn:
            cells.md(
                "## The figures\n\nDrawn from the reference's stored numbers by the question's"
                " own figure code, as in the report. Each is a matplotlib figure:"
                ' `.savefig("name.png")` saves it.'
            )
            for name, description in drawn:
                cells.md(f"### {name.replace('-', ' ').capitalize()}\n\n{description}")
                cells.code(f"ref.figure({json.dumps(name)})")
        else:
            cells.md(
                "## The figures\n\nThe shipped reference was made by an older version of this"
                " question, whose stored numbers today's figure code does not draw: the"
                " figures come from your own run below."
            )
    else:
        cells.md(
            "## Not measured yet\n\nNo reference run of this question ships with this"
            " version of deepfaq (it is new). Run it below: its claims and figures come"
            " from your run."
        )
    cells.md(
        "## Run it on your machine\n\n"
        "The **smoke** budget takes seconds and only tests that the code runs: its"
        " numbers answer nothing. The **quick** budget is the answer's (minutes on a"
        " laptop; finished trials are stored, so an interrupted run resumes). From a"
        f" terminal:\n\n```\ndeepfaq run {qid}                    # quick\n"
        f"deepfaq run {qid} --profile smoke    # smoke\n```"
    )
    cells.code(
        f'mine = deepfaq.run({q}, profile="smoke", out=RUNS)'
        f"  # quick: deepfaq.run({q}, out=RUNS)\nmine"
    )
    if ref is not None:
        cells.md(
            "Claim by claim beside the reference (`changed`: the verdicts differ —"
            " expected at the smoke budget, which is far too small to decide anything):"
        )
        cells.code("mine.compare(ref)")
    else:
        cells.code(
            'mine.claims[["id", "kind", "verdict", "estimate", "lo", "hi", "unit", "n", "reason"]]'
        )
    if not drawn:
        cells.md("### The figures of your run")
        cells.code("for name in mine.figure_names:\n    display(mine.figure(name))")
    if change is not None:
        _change_cells(cells, q, change, ref)
    cells.md(
        "## Next\n\n"
        f"- `deepfaq.run({q})` (or `deepfaq run {qid}`): the quick budget, whose verdicts"
        " answer the question; `deepfaq.run(..., set={...})` changes any config field.\n"
        f"- `deepfaq sweep {qid} --grid key=v1,v2`: where along a setting does a verdict flip?\n"
        f"- `deepfaq show {qid}` and `deepfaq report`: the answer card and the HTML report,"
        " with your latest run."
    )
    nb = nbformat.v4.new_notebook(
        cells=cells.cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
            "deepfaq": {"question": qid, "change": _jsonable(change)},
        },
    )
    nbformat.validate(nb)
    return nb


def _change_cells(cells: _Cells, q: str, change: Change, ref) -> None:
    """The last section: one trial with ``change``, beside the smoke run (and the
    reference) at the same seed."""
    cells.md(
        f"## Change one setting\n\nThe smoke run used `{change.key} = {change.old!r}`. What"
        f" does {change.words} do? One trial (the first seed only) at"
        f" `{change.key} = {change.new!r}`, everything else as in the smoke run:"
    )
    cells.code(
        f'changed = deepfaq.run({q}, profile="smoke", seeds=1, set={{{json.dumps(change.key)}:'
        f" {change.new!r}}}, out=RUNS)"
    )
    where = ", and the reference (same seed, its own, larger budget)" if ref is not None else ""
    cells.md(
        "Each metric at that seed — the same data and the same initial weights in every"
        f" run: the smoke run, the changed trial{where}. Values in % or points are"
        " fractions."
    )
    columns = ['        "smoke": at_seed(mine),', f'        "{change.label}": at_seed(changed),']
    if ref is not None:
        columns.append(f'        "{ref.profile} reference": at_seed(ref),')
    cells.code(
        "seed = changed.seeds[0]  # the first seed, shared by every run of the question\n\n\n"
        "def at_seed(result):\n"
        '    """Each metric\'s value in `result` at that seed."""\n'
        "    m = result.metrics\n"
        '    return m[m.seed == seed].set_index("metric")["value"]\n\n\n'
        "comparison = pd.DataFrame(\n    {\n" + "\n".join(columns) + "\n    }\n)\n"
        'comparison.insert(0, "unit", changed.metrics.groupby("metric")["unit"].first())\n'
        f'comparison["change"] = comparison["{change.label}"] - comparison["smoke"]\n'
        "comparison"
    )


def _made(ref) -> str:
    """' · cpu · 2026-12-05': where and when a reference ran, as the card says it."""
    env = ref.raw.environment
    parts = [str(env.get("device") or ""), str(env.get("time") or "")[:10]]
    return "".join(f" · {p}" for p in parts if p)


def _jsonable(change: Change | None) -> dict | None:
    return None if change is None else dataclasses.asdict(change)


def write(qid: str, folder: Path) -> Path:
    """Write ``<folder>/<qid>.ipynb`` (atomically) and return its path."""
    import nbformat

    from deepfaq.core.store import atomic_write_text

    nb = build(qid)
    path = Path(folder) / f"{qid}.ipynb"
    atomic_write_text(path, nbformat.writes(nb) + "\n")
    return path
