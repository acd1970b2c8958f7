"""deepfaq in Python: the catalogue, runs and stored results as pandas tables.

::

    import deepfaq

    deepfaq.questions()                              # the catalogue: id, title, topic, claims
    mine = deepfaq.run("zero-init", profile="smoke") # seconds; the default, quick, takes minutes
    mine.claims                                      # per claim: verdict, estimate, interval, …
    ref = deepfaq.load("zero-init", "reference")     # the run shipped with deepfaq
    ref.figure("learning-curves")                    # drawn from its stored numbers
    mine.compare(ref)                                # claim by claim, side by side

The command line is built on this module, so both take the same path: ``deepfaq
run`` is :func:`run_iter` with progress bars, ``deepfaq notebook`` is
:func:`notebook`, and ``deepfaq show`` prints the card :meth:`Result.card` returns
(both from :mod:`deepfaq.report.card`). Errors a user can cause — an unknown id, a
bad ``set`` value, a seed count out of range — raise :class:`deepfaq.DeepfaqError`
subclasses carrying the one line the CLI prints.

Importing this module is light (``import deepfaq`` stays well under half a
second): pandas loads with the first table, torch and the experiments with the
first run, figure or metric table, since those need the questions' code.
"""

from __future__ import annotations

import html
import io
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deepfaq.core.errors import BadConfig, DeepfaqError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from deepfaq.core.runner import RunFailure
    from deepfaq.core.store import RunResult, Store

#: Where runs are stored unless ``out`` says otherwise (the CLI's default too).
DEFAULT_OUT = Path("deepfaq-runs")
#: The most seeds and worker processes a run accepts: beyond them a run would never
#: end, or a machine would run out of memory before any result came back.
MAX_SEEDS, MAX_WORKERS = 1000, 64

CLAIM_COLUMNS = (
    "id",
    "statement",
    "kind",
    "verdict",
    "estimate",
    "lo",
    "hi",
    "unit",
    "n",
    "replication",
    "reason",
    "revised_after_results",
)


class RunFailed(DeepfaqError):
    """Questions of a :func:`run` failed (a trial raised, or judging and drawing did).
    Raised once every other question has run: ``results`` holds the ones that
    finished, ``failures`` the others (:class:`deepfaq.core.runner.RunFailure`, each
    with its ``error``; the first is also this exception's ``__cause__``). Finished
    trials are stored: once the cause is fixed, the same call judges them again
    without retraining."""

    exit_code = 1

    def __init__(self, results: Results, failures: list[RunFailure]):
        n = len(results) + len(failures)
        more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
        super().__init__(
            f"{len(failures)} of {n} question{'s' * (n != 1)} failed: {failures[0].line}{more};"
            " finished trials are kept: fix the cause and run it again"
        )
        self.results = results
        self.failures = failures


# -- the catalogue -------------------------------------------------------------------------


def questions() -> pd.DataFrame:
    """The catalogue, one row per question in the registry's order: ``id``, ``title``,
    ``topic``, ``claims`` (how many), ``findings`` (claims measured) and ``checks``
    (identities that test the code). Read from the catalogue cache: no torch."""
    import pandas as pd

    from deepfaq import catalogue

    rows = []
    for q in catalogue.load():
        n_checks = sum(c.kind == "identity" for c in q.claims)
        rows.append(
            {
                "id": q.id,
                "title": q.title,
                "topic": q.topic,
                "claims": len(q.claims),
                "findings": len(q.claims) - n_checks,
                "checks": n_checks,
            }
        )
    return pd.DataFrame(rows, columns=["id", "title", "topic", "claims", "findings", "checks"])


# -- running -------------------------------------------------------------------------------


def run(
    ids: str | Iterable[str],
    profile: str = "quick",
    seeds: int | None = None,
    set: Mapping[str, Any] | Iterable[str] | None = None,
    out: str | os.PathLike | None = None,
    workers: int = 1,
    device: str = "auto",
    *,
    seed_offset: int = 0,
    seed_batch: int | None = None,
    executor: str = "local",
    ray_address: str | None = None,
    progress: Any = True,
    registry=None,
) -> Result | Results:
    """Run questions' experiments, as ``deepfaq run`` does: the same store (``out``,
    default ``deepfaq-runs``), resuming every finished trial, and progress shown
    as it goes. Returns a :class:`Result` for one id (a string), or
    :class:`Results` (a list, in the order asked) for a list of ids.

    ``profile``: ``smoke`` (seconds; tests that the code runs, answers nothing),
    ``quick`` (minutes, the main job), ``full`` or ``paper``. ``seeds``: how many
    (default: the profile's). ``set``: config overrides, ``{"lr": 0.01}`` (or the
    CLI's ``["lr=0.01"]``), each checked against the field's type and range.
    ``workers``: processes running trials (``executor="ray"`` for Ray).
    ``device``: ``auto`` (cuda when present), ``cpu`` or ``cuda``. ``seed_offset``:
    start at seed index K, for tuning on seeds the answers do not use (such a run
    never becomes the question's latest). ``progress``: True (bars in a terminal,
    lines in a notebook), False, or a reporter (see :mod:`deepfaq.progress`).
    ``registry``: the questions to choose from (a
    :class:`deepfaq.core.question.Registry`; default: deepfaq's own).

    One question's failure does not stop the others: once all have run,
    :class:`RunFailed` is raised, holding the results that finished.
    """
    from deepfaq.core.runner import RunFailure

    results, failures = Results(), []
    for item in run_iter(
        ids,
        profile,
        seeds,
        set,
        out,
        workers,
        device,
        seed_offset=seed_offset,
        seed_batch=seed_batch,
        executor=executor,
        ray_address=ray_address,
        progress=progress,
        registry=registry,
    ):
        (failures if isinstance(item, RunFailure) else results).append(item)
    if failures:
        raise RunFailed(results, failures) from failures[0].error
    return results[0] if isinstance(ids, str) else results


def run_iter(
    ids: str | Iterable[str],
    profile: str = "quick",
    seeds: int | None = None,
    set: Mapping[str, Any] | Iterable[str] | None = None,
    out: str | os.PathLike | None = None,
    workers: int = 1,
    device: str = "auto",
    *,
    seed_offset: int = 0,
    seed_batch: int | None = None,
    executor: str = "local",
    ray_address: str | None = None,
    progress: Any = True,
    registry=None,
) -> Iterator[Result | RunFailure]:
    """:func:`run`, one question at a time: yields each question's :class:`Result`
    — or, where it failed, its :class:`deepfaq.core.runner.RunFailure` — as soon as
    it and the ones before it are done. ``deepfaq run`` is this generator, drawing
    its own progress bars and printing each card (or JSON line) as it comes.

    Every argument is checked before any trial starts."""
    from deepfaq.core.question import PROFILE_NAMES

    chosen = _ids(ids)
    if profile not in PROFILE_NAMES:
        raise DeepfaqError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILE_NAMES)}")
    n_seeds = _whole("seeds", seeds, MAX_SEEDS)
    n_workers = _whole("workers", workers, MAX_WORKERS)
    overrides = _overrides(set)
    folder = _folder(out)
    reporter = _reporter(progress)

    from deepfaq import catalogue
    from deepfaq.core.executors import make_executor
    from deepfaq.core.runner import RunFailure, Runner, make_plan
    from deepfaq.core.store import Store

    if registry is None:
        from deepfaq.experiments import REGISTRY as registry

    chosen_questions = [registry.get(i) for i in chosen]
    plans = [
        make_plan(q, profile, n_seeds, overrides, device, seed_offset, seed_batch)
        for q in chosen_questions
    ]
    store = Store(folder)
    pool = make_executor(executor, ray_address, plans[0].device, n_workers)
    # A tuning run (seed_offset) uses seeds the answers do not: it never becomes the
    # question's latest answer, nor its last failure, which show and report present.
    runner = Runner(store, n_workers, reporter, pool, set_latest=not seed_offset)
    with _kernel_backend_kept():
        for q, done in zip(chosen_questions, runner.run_many(plans), strict=True):
            if isinstance(done, RunFailure):
                yield done
                continue
            run_dir = store.run_dir(done.question, done.profile, done.config_hash)
            yield Result(
                done,
                catalogue.entry(q),
                store,
                source=f"{done.profile}/{done.config_hash}",
                path=run_dir / "result.json",
            )


def _ids(ids: Any) -> list[str]:
    """Question ids as a list: one string, or any iterable of strings."""
    if isinstance(ids, str):
        return [ids]
    if not isinstance(ids, Iterable):
        raise DeepfaqError(
            f"name question ids, such as 'zero-init' or a list of them; got {_brief(ids)}"
        )
    chosen = list(ids)
    if not chosen:
        raise DeepfaqError("name at least one question id; deepfaq.questions() lists them")
    wrong = [i for i in chosen if not isinstance(i, str)]
    if wrong:
        raise DeepfaqError(f"question ids are strings such as 'zero-init'; got {_brief(wrong[0])}")
    return chosen


def _whole(name: str, value: Any, most: int) -> int | None:
    """A count from 1 to ``most`` (None: the default)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
        raise DeepfaqError(f"{name} must be a whole number from 1 to {most}, got {_brief(value)}")
    return value


def _folder(out: Any, default: Path = DEFAULT_OUT) -> Path:
    """A results (or notebook) folder. An empty name would mean the current folder:
    refused, so nothing is written where it was not asked to be."""
    if out is None:
        return default
    if not isinstance(out, str | os.PathLike) or not os.fspath(out).strip():
        raise DeepfaqError(f"out needs a folder name, got {_brief(out)}")
    return Path(out)


def _reporter(progress: Any):
    """The runner's progress reporter for ``progress`` (None: silent)."""
    if progress is True:
        from deepfaq import progress as bars

        return bars.default()
    if progress is False or progress is None:
        return None
    if not all(callable(getattr(progress, m, None)) for m in ("add", "advance", "finish")):
        raise DeepfaqError(
            f"progress is True, False or a reporter (see deepfaq.progress); got {_brief(progress)}"
        )
    return progress


def _overrides(values: Any) -> list[str]:
    """``set`` as the CLI's ``key=value`` strings, which the runner checks and records
    (the reproducing command shows them as ``--set key=value``)."""
    if values is None:
        return []
    if isinstance(values, Mapping):
        return [_assignment(k, v) for k, v in values.items()]
    if isinstance(values, str):
        values = [values]
    if isinstance(values, list | tuple) and all(isinstance(v, str) for v in values):
        return list(values)
    raise BadConfig(
        f"set takes a dict such as {{'lr': 0.01}} (or 'key=value' strings); got {_brief(values)}"
    )


def _assignment(key: Any, value: Any) -> str:
    if not isinstance(key, str) or not key:
        raise BadConfig(f"set: the keys are config field names; got {_brief(key)}")
    return f"{key}={_literal(key, value)}"


def _literal(key: str, value: Any, nested: bool = False) -> str:
    """``value`` written so that :func:`deepfaq.core.config.parse_value` reads it
    back: numbers and True/False/None as Python writes them, a string as itself
    where that reads back the same (a word, a path), else quoted; tuples of these."""
    from deepfaq.core.config import parse_value

    if type(value).__module__ == "numpy" and hasattr(value, "tolist"):
        value = value.tolist()  # a numpy number or array as plain Python
    if isinstance(value, str):
        return value if not nested and parse_value(value) == value else repr(value)
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        inner = ", ".join(_literal(key, v, nested=True) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    raise BadConfig(
        f"set {key}: {_brief(value)} is not a number, a string, True/False/None or a tuple of these"
    )


def _brief(value: Any, most: int = 60) -> str:
    """``repr(value)`` cut short, as one-line errors quote values."""
    text = repr(value)
    return text if len(text) <= most else text[: most - 1] + "…"


@contextmanager
def _kernel_backend_kept():
    """Keep a Jupyter kernel's matplotlib backend. The runner's figures are drawn by
    :class:`deepfaq.core.figures.FigureFactory`, which switches the whole process
    to the file-only Agg backend; in a notebook that would stop the user's own
    plots from showing, so the kernel's backend is put back afterwards."""
    from deepfaq.progress import in_notebook

    if not in_notebook():
        yield
        return
    import matplotlib

    before = matplotlib.get_backend()
    try:
        yield
    finally:
        if matplotlib.get_backend() != before:
            matplotlib.use(before)


# -- stored results ------------------------------------------------------------------------


def load(id: str, source: str | os.PathLike = "latest", out: str | os.PathLike | None = None):
    """A stored run of question ``id`` as a :class:`Result`.

    ``source``: ``"latest"`` (your latest run in ``out``, default ``deepfaq-runs``),
    ``"reference"`` (the run shipped with deepfaq: ``full`` where it ships),
    ``"reference:quick"``, ``"reference:full"``, a profile (``"smoke"``,
    ``"quick"``, ``"full"``: your latest run of it), ``"<profile>/<config-hash>"``,
    or the path of a ``result.json`` (or of its folder, or of a reference file).
    Reading a result never imports torch."""
    from deepfaq import catalogue
    from deepfaq.core.store import Store
    from deepfaq.report import compare

    if not isinstance(id, str):
        raise DeepfaqError(f"a question id is a string such as 'zero-init'; got {_brief(id)}")
    if not isinstance(source, str | os.PathLike) or not os.fspath(source).strip():
        raise DeepfaqError(f"source names a run: {compare.SPEC_HELP}; got {_brief(source)}")
    q = catalogue.load().get(id)
    store = Store(_folder(out))
    spec = os.fspath(source)
    _, raw, where = compare.resolve(spec, q.id, store)
    return Result(raw, q, store, spec, Path(where))


def notebook(id: str, out: str | os.PathLike = ".") -> Path:
    """Write question ``id`` as a Jupyter notebook, ``<out>/<id>.ipynb``, and return
    its path: the question's answer as prose, its shipped reference's claims and
    figures, a smoke run of your own and one setting changed (see
    :mod:`deepfaq.notebooks`). ``deepfaq notebook ID --out DIR`` calls this."""
    from deepfaq import notebooks

    if not isinstance(id, str):
        raise DeepfaqError(f"a question id is a string such as 'zero-init'; got {_brief(id)}")
    return notebooks.write(id, _folder(out, default=Path(".")))


_VERDICT_COLOURS = {"supported": "#1a7f37", "refuted": "#cf222e", "inconclusive": "#9a6700"}


class Result:
    """One stored run of a question — yours, or a reference shipped with deepfaq.

    Tables are pandas DataFrames, with numbers as stored: a value in ``%`` or
    ``points`` is a fraction (0.93 is 93%), as the ``unit`` column says.

    - :attr:`claims`: one row per claim, its verdict and 95% interval;
    - :attr:`metrics`: one row per seed and metric (tidy);
    - :meth:`series`: a curve, image or other list, one row per seed and point;
    - :meth:`figure`: a question's figure, drawn from the stored numbers by the
      question's own figure code;
    - :meth:`card`: the terminal card (``deepfaq show``) as text; in Jupyter a
      result shows as a compact card with its claims.

    ``raw`` is the stored :class:`deepfaq.core.store.RunResult`; ``source`` and
    ``path`` say which run was loaded and from where.
    """

    def __init__(self, raw: RunResult, question, store: Store, source: str, path: Path):
        self.raw = raw
        #: the question's catalogue entry: its title, answer text and claims' wording
        self.question = question
        self.store = store
        self.source = source
        self.path = Path(path)
        self._drawn: dict[str, Figure] | None = None

    # -- what it is ------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.raw.question

    @property
    def title(self) -> str:
        return self.question.title

    @property
    def profile(self) -> str:
        return self.raw.profile

    @property
    def seeds(self) -> list[int]:
        """The seed of each trial, in order (the same seeds in every run of a question)."""
        return list(self.raw.seeds)

    @property
    def config(self) -> dict:
        """The resolved config it ran with."""
        return dict(self.raw.config)

    @property
    def command(self) -> str:
        """The command line that reproduces it."""
        return self.raw.command

    @property
    def is_reference(self) -> bool:
        """Whether this is a reference run shipped with deepfaq, not one of yours."""
        return bool(getattr(self.raw, "reference", None))

    @property
    def label(self) -> str:
        """'smoke run · 2 seeds', 'reference · full run · 10 seeds', …"""
        from deepfaq.report.answer import profile_label

        return profile_label(self.raw)

    def __repr__(self) -> str:
        from deepfaq.report.answer import counts_line

        return f"<deepfaq.Result {self.id}: {self.label} — {counts_line(self.raw.claims)}>"

    # -- tables ----------------------------------------------------------------------------
    @property
    def claims(self) -> pd.DataFrame:
        """One row per claim: ``id``, ``statement``, ``kind`` (empirical finding or
        identity check), ``verdict``, ``estimate`` with its 95% interval ``lo``–``hi``
        in ``unit``, ``n`` (seeds or items, as ``replication`` says), ``reason`` (why
        it is undecided), and ``revised_after_results`` (its test was changed after
        results were seen: see ``claims.lock.json``)."""
        return self._claims.copy()

    @cached_property
    def _claims(self) -> pd.DataFrame:
        import pandas as pd

        from deepfaq.core.runner import claim_summary  # the rows of deepfaq run --json

        rows = []
        for c in self.raw.claims:
            s = claim_summary(c, self.id)
            lo, hi = s["ci"]
            rows.append({**{k: s.get(k) for k in CLAIM_COLUMNS}, "lo": lo, "hi": hi})
        table = pd.DataFrame(rows, columns=list(CLAIM_COLUMNS))
        for name in ("estimate", "lo", "hi"):
            table[name] = table[name].astype(float)  # None (no estimate) as NaN
        return table

    @property
    def metrics(self) -> pd.DataFrame:
        """Every per-seed metric, one row each: ``seed``, ``metric``, ``value``,
        ``unit`` (from the question's declared outputs; empty where a stored metric
        is no longer declared). ``metrics.groupby("metric").value.mean()`` gives
        the means the answer quotes."""
        return self._metrics.copy()

    @cached_property
    def _metrics(self) -> pd.DataFrame:
        import pandas as pd

        declared = self._declared()
        rows = [
            {
                "seed": seed,
                "metric": name,
                "value": value,
                "unit": declared[name].unit if name in declared else "",
            }
            for name, values in self.raw.metrics.items()
            for seed, value in zip(self.raw.seeds, values, strict=False)
        ]
        table = pd.DataFrame(rows, columns=["seed", "metric", "value", "unit"])
        table["value"] = table["value"].astype(float)
        return table

    @property
    def outputs(self) -> pd.DataFrame:
        """What the question's trial returns, as declared: ``name``, ``kind``
        (metric, curve, items or series), ``unit`` and ``description``, with
        ``stored``: whether this run holds it (an older run may lack a newer one)."""
        import pandas as pd

        stored = self.raw.metrics.keys() | self.raw.series.keys()
        rows = [
            {
                "name": o.name,
                "kind": o.kind,
                "unit": o.unit,
                "description": o.description,
                "stored": o.name in stored,
            }
            for o in self._declared().values()
        ]
        return pd.DataFrame(rows, columns=["name", "kind", "unit", "description", "stored"])

    def _declared(self):
        """The question's declared outputs by name (imports the experiments)."""
        from deepfaq.experiments import REGISTRY

        return REGISTRY.get(self.id).declared

    def series(self, name: str) -> pd.DataFrame:
        """The stored series ``name`` (a curve, an axis, an image, per-item values),
        one row per seed and point: ``seed``, then its position — ``index`` for a
        list, ``index_0``, ``index_1``, … for nested ones — and ``value``. For a
        curve: ``r.series("curve_x").pivot(index="index", columns="seed", values="value")``."""
        import pandas as pd

        if not isinstance(name, str) or name not in self.raw.series:
            hint = " (a metric: see .metrics)" if name in self.raw.metrics else ""
            raise DeepfaqError(
                f"{self.id} ({self.label}) has no series {_brief(name)}{hint}; its series:"
                f" {', '.join(sorted(self.raw.series)) or 'none'}"
            )
        rows, depth = [], 0
        for seed, value in zip(self.raw.seeds, self.raw.series[name], strict=False):
            for at, leaf in _leaves(value):
                depth = max(depth, len(at))
                rows.append((seed, at, leaf))
        index = ["index"] if depth == 1 else [f"index_{k}" for k in range(depth)]
        table = pd.DataFrame(
            [(seed, *at, *([None] * (depth - len(at))), leaf) for seed, at, leaf in rows],
            columns=["seed", *index, "value"],
        )
        if table["value"].map(lambda v: v is None or isinstance(v, int | float)).all():
            table["value"] = table["value"].astype(float)
        return table

    # -- figures and cards -----------------------------------------------------------------
    @property
    def figure_names(self) -> list[str]:
        """The names of the question's figures, in the order it draws them."""
        return list(self._figures())

    def figure(self, name: str) -> Figure:
        """The figure ``name``, drawn from this run's stored numbers by the question's
        own figure code (the report's figures are drawn the same way). A matplotlib
        Figure: shown by Jupyter, saved with ``.savefig(path)``."""
        drawn = self._figures()
        if name not in drawn:
            raise DeepfaqError(
                f"{self.id} has no figure {_brief(name)}; its figures: {', '.join(drawn)}"
            )
        return drawn[name]

    def _figures(self) -> dict[str, Figure]:
        """Every figure of the question, drawn once from this run."""
        if self._drawn is None:
            import matplotlib.pyplot as plt

            from deepfaq.core.figures import FigureFactory
            from deepfaq.experiments import REGISTRY

            draw = REGISTRY.get(self.id).figures
            with _kernel_backend_kept():
                factory = FigureFactory()
                try:
                    draw(self.raw, factory)
                except Exception as e:  # numbers this version of the question no longer draws
                    raise DeepfaqError(
                        f"the figures of {self.id} cannot be drawn from this {self.label}"
                        f" ({type(e).__name__}: {e}): it was made by another version of the"
                        f" question; run it again (deepfaq.run({self.id!r}))"
                    ) from e
                finally:
                    # Closed to pyplot (no window, no second copy under each notebook
                    # cell); a closed figure still shows and saves.
                    for fig in factory.figures.values():
                        plt.close(fig)
            self._drawn = dict(factory.figures)
        return self._drawn

    def card(self, width: int = 88) -> str:
        """The answer card as ``deepfaq show`` prints it, as plain text ``width``
        columns wide: short answer, answer, claims, published results, the shipped
        references beside it and the command that reproduces it."""
        from rich.console import Console

        from deepfaq import reference
        from deepfaq.report import card

        beside = [
            r
            for r in reference.load_all(self.id)
            if not (self.is_reference and r.profile == self.profile)
        ]
        failure = self.store.load_failure(self.id) if self.source == "latest" else None
        buf = io.StringIO()
        console = Console(
            file=buf, width=width, color_system=None, force_terminal=False, force_jupyter=False
        )
        lines = card.card(
            self.question,
            self.raw,
            self.store,
            self.store.root,
            width,
            references=beside,
            failure=failure,
        )
        card.emit(console, lines, page=False)
        return buf.getvalue()

    def compare(self, other: Result) -> pd.DataFrame:
        """Each claim's verdict and estimate here and in ``other`` (matched by claim
        id), and ``changed``: whether the verdicts differ — as ``deepfaq diff``."""
        import pandas as pd

        from deepfaq.report.compare import pairs

        if not isinstance(other, Result):
            raise DeepfaqError(f"compare takes another Result; got {_brief(other)}")
        rows = [
            {
                "id": p.id,
                "verdict": p.a.verdict if p.a else None,
                "estimate": p.a.estimate if p.a else math.nan,
                "other_verdict": p.b.verdict if p.b else None,
                "other_estimate": p.b.estimate if p.b else math.nan,
                "unit": p.unit,
                "changed": p.changed,
            }
            for p in pairs(self.raw.claims, other.raw.claims)
        ]
        columns = ["id", "verdict", "estimate", "other_verdict", "other_estimate", "unit"]
        return pd.DataFrame(rows, columns=[*columns, "changed"])

    def _repr_html_(self) -> str:
        """Jupyter's view: a compact card with the claims table."""
        from markdown_it import MarkdownIt

        from deepfaq.core.units import interval_with_unit, with_unit
        from deepfaq.report.answer import counts_line

        e = html.escape
        rows = []
        for c in self.raw.claims:
            colour = _VERDICT_COLOURS.get(c.verdict, "inherit")
            rows.append(
                "<tr>"
                f'<td style="text-align:left"><b>{e(c.id)}</b><br>'
                f'<span style="font-size:85%">{e(c.statement)}</span></td>'
                f'<td style="color:{colour};font-weight:bold">{e(c.verdict)}</td>'
                f"<td>{e(with_unit(c.estimate, c.unit))}</td>"
                f"<td>{e(interval_with_unit(*c.ci, c.unit, c.n, c.replication))}</td>"
                f"<td>{c.n} {e(c.replication)}</td></tr>"
            )
        answer = MarkdownIt("commonmark", {"html": False}).render(
            answer_line(self.question, self.raw)
        )
        date = str(self.raw.environment.get("time") or "")[:10]
        facts = " · ".join(x for x in (self.label, self.raw.environment.get("device"), date) if x)
        return (
            '<div class="deepfaq-result">'
            f"<p><b>{e(self.title)}</b><br>"
            f'<span style="font-size:85%">{e(self.id)} · {e(facts)}</span></p>'
            f"{answer}"
            f'<p style="font-size:85%">{e(counts_line(self.raw.claims))}</p>'
            "<table><thead><tr><th>claim</th><th>verdict</th><th>estimate</th>"
            "<th>95% interval</th><th>n</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            f'<p style="font-size:85%">reproduce: <code>{e(self.command)}</code></p></div>'
        )


def answer_line(question, raw: RunResult) -> str:
    """The question's one-line answer (Markdown) as the verdicts of the stored run
    ``raw`` word it; the short answer's first sentence where the question has no
    such line or the run is older than it."""
    from jinja2 import TemplateError

    from deepfaq.report import answer

    template = getattr(question, "one_line", "")
    if template:
        try:
            return answer.render_template(template, question, raw)
        except (TemplateError, TypeError, ValueError, KeyError):
            pass  # a run made before the sentence's numbers existed
    return answer.one_line(question, raw)


def _leaves(value: Any, at: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], Any]]:
    """Each scalar of a nested list with its position."""
    if isinstance(value, list):
        for k, v in enumerate(value):
            yield from _leaves(v, (*at, k))
    else:
        yield at, value


class Results(list):
    """The results of :func:`run` for several questions, in the order asked."""

    @property
    def claims(self) -> pd.DataFrame:
        """Every result's claims in one table, with a ``question`` column first."""
        import pandas as pd

        tables = [r.claims.assign(question=r.id) for r in self]
        if not tables:
            return pd.DataFrame(columns=["question", *CLAIM_COLUMNS])
        table = pd.concat(tables, ignore_index=True)
        return table[["question", *CLAIM_COLUMNS]]

    def _repr_html_(self) -> str:
        return "".join(r._repr_html_() for r in self)
