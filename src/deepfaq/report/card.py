"""A question's answer card in the terminal: ``deepfaq show`` and ``deepfaq ask``.

The short answer comes first, then the answer, the claims — each claim's text on
its own lines, its verdict, estimate and interval on the next, wrapped only
between fields, so an interval is never split — the published results beside
ours, figures and the command that reproduces the run. Every line fits the
console's width (``COLUMNS``); output to a pipe carries no trailing padding; a
card longer than the terminal goes through a pager.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from rich.console import Console, RenderableType
from rich.markdown import Markdown
from rich.text import Text

from deepfaq.report.answer import (
    anchor_rows,
    answer_text,
    counts_line,
    interval_with_unit,
    profile_label,
    short_answer,
    with_unit,
)

VERDICT_STYLE = {"supported": "green", "refuted": "red", "inconclusive": "yellow"}
DEFAULT_OUT = Path("deepfaq-runs")
INDENT = "  "


def run_command(question_id: str, out: Path, extra: str = "") -> str:
    """The command that runs a question into the user's results folder."""
    cmd = f"deepfaq run {question_id}{extra}"
    if Path(out) != DEFAULT_OUT:
        cmd += f" --out {_shell(str(out))}"
    return cmd


def _shell(word: str) -> str:
    import shlex

    return shlex.quote(word)


def _heading(text: str) -> Text:
    return Text(text, style="bold underline")


def _fields(parts: list[Text], width: int, indent: str = INDENT) -> list[Text]:
    """Join fields with ' · ', starting a new line only between fields."""
    lines: list[Text] = []
    cur = Text(indent)
    bare = True
    for part in parts:
        joiner = "" if bare else " · "
        if not bare and cur.cell_len + len(joiner) + part.cell_len > width:
            lines.append(cur)
            cur, joiner = Text(indent + INDENT), ""
        cur.append(joiner)
        cur.append_text(part)
        bare = False
    lines.append(cur)
    return lines


def claim_lines(c, width: int) -> list[RenderableType]:
    """One claim: its statement, then verdict · estimate · interval · n, then the
    reason it was not decided."""
    out: list[RenderableType] = [_Indented(Text(c.statement.strip()), INDENT)]
    verdict = Text(c.verdict, style=f"bold {VERDICT_STYLE.get(c.verdict, '')}")
    if c.surprise:
        verdict.append(" ✱", style="bold red")
    parts = [
        verdict,
        Text(with_unit(c.estimate, c.unit)),
        Text("95% " + interval_with_unit(*c.ci, c.unit, c.n, c.replication)),
        Text(f"{c.n} {c.replication}"),
    ]
    out += _fields(parts, width)
    if c.reason:
        out.append(_Indented(Text(c.reason, style="dim"), INDENT * 2))
    return out


class _Indented:
    """A Text wrapped to the width less an indent, every line indented."""

    def __init__(self, text: Text, indent: str):
        self.text, self.indent = text, indent

    def __rich_console__(self, console, options):
        width = max(options.max_width - len(self.indent), 10)
        for line in self.text.wrap(console, width):
            yield Text(self.indent) + line


def _claims_section(result, width: int) -> list[RenderableType]:
    out: list[RenderableType] = []
    groups = (("empirical", "Findings"), ("identity", "Checks of the code (identities)"))
    for kind, label in groups:
        rows = [c for c in result.claims if c.kind == kind]
        if not rows:
            continue
        out += [Text(), _heading(label)]
        for k, c in enumerate(rows):
            out += ([Text()] if k else []) + claim_lines(c, width)
    if any(c.surprise for c in result.claims):
        out.append(Text("✱ the verdict disagrees with the literature", style="dim"))
    return out


def _anchors_section(question, result, width: int) -> list[RenderableType]:
    rows = anchor_rows(question, result)
    if not rows:
        return []
    out: list[RenderableType] = [Text(), _heading("Published results beside ours")]
    for a in rows:
        out.append(_Indented(Text("• " + a["quantity"], style="bold"), INDENT))
        out.append(_Indented(Text(f"published: {a['published']} — {a['source']}"), INDENT * 2))
        if a["comparable"]:
            parts = [Text("ours: " + a["ours"])]
            if a["ours_ci"]:
                parts.append(Text("95% " + a["ours_ci"]))
            parts.append(Text(f"({a['profile']})", style="dim"))
            out += _fields(parts, width, INDENT * 2)
        else:
            out.append(_Indented(Text("not comparable", style="yellow"), INDENT * 2))
        if a["note"]:
            out.append(_Indented(Text(a["note"], style="dim"), INDENT * 2))
    return out


def _command_lines(command: str, width: int) -> list[Text]:
    """A shell command wrapped between words with '\\' continuations, so it still
    pastes as one command."""
    words = command.split(" ")
    lines, cur = [], INDENT
    for w in words:
        if cur.strip() and len(cur) + 1 + len(w) + 2 > width:
            lines.append(Text(cur + " \\"))
            cur = INDENT * 2 + w
        else:
            cur = cur + (" " if cur.strip() else "") + w
    lines.append(Text(cur))
    return lines


def header(question, result) -> list[RenderableType]:
    out: list[RenderableType] = [
        Text(question.title, style="bold"),
        Text(f"“{question.asked}”", style="italic"),
    ]
    if result is not None:
        out += header_of_result(result)[1:]
    return out


def reference_banner(question, ref, out: Path, width: int) -> list[RenderableType]:
    """Says that the card shows the shipped reference, not the user's run."""
    from deepfaq.reference import label

    block = ref.reference
    line = Text("Not run yet on this machine. ", style="bold yellow")
    line.append(
        f"Reference result shipped with deepfaq: {label(block)} — not your run."
        " To measure it on your machine, run:",
        style="yellow",
    )
    out_lines: list[RenderableType] = [Text(), _Indented(line, "")]
    out_lines += _command_lines(run_command(question.id, out), width)
    if ref.profile != "quick":
        out_lines.append(
            _Indented(Text("The reference itself ran (minutes to hours):", style="dim"), "")
        )
        out_lines += _command_lines(ref.command, width)
    if block.get("reductions"):
        out_lines.append(
            _Indented(
                Text(f"How it differs from the full profile: {block['reductions']}.", style="dim"),
                "",
            )
        )
    return out_lines


def beside_section(result, ref, width: int) -> list[RenderableType]:
    """The verdicts of ``result`` (the user's run, or the reference it answers from)
    beside the shipped reference ``ref``'s, claim by claim; ≠ marks a claim whose
    verdict differs."""
    from deepfaq.reference import label
    from deepfaq.report.compare import describe, estimate, pairs  # compare imports card

    rows = pairs(result.claims, ref.claims)
    n_changed = sum(p.changed for p in rows)
    mine = f"{result.profile} reference" if getattr(result, "reference", None) else "yours"
    them = f"{ref.profile} reference"
    out: list[RenderableType] = [Text(), _heading(f"Beside the {them}")]
    out.append(
        _Indented(
            Text(
                f"{mine}: {describe(result)}; the {them} shipped with deepfaq:"
                f" {label(ref.reference)}. {n_changed} of {len(rows)} verdicts differ (≠).",
                style="dim",
            ),
            INDENT,
        )
    )
    for p in rows:
        head = Text(INDENT + p.id, style="bold")
        if p.changed:
            head.append("  ≠", style="bold red")
        out.append(head)
        parts = []
        for who, c in ((mine, p.a), (them, p.b)):
            verdict = "—" if c is None else c.verdict
            t = Text(f"{who}: ")
            t.append(verdict, style=VERDICT_STYLE.get(verdict, ""))
            parts += [t, Text(estimate(c))]
        out += _fields(parts, width, INDENT * 2)
    return out


def card(
    question, result, store, out: Path, width: int, references=(), failure: str | None = None
) -> list[RenderableType]:
    """The renderables of a question's card (``result`` None: not run yet).
    ``references``, the shipped reference results (most preferred first): the first
    answers for a question not run (labelled as such) and the others stand beside
    it; beside the user's run, they all do. ``failure``: why the last run failed,
    said first."""
    references = [r for r in references if r is not None]
    if result is None and references:
        parts = _card_of(question, references[0], store, out, width, references[1:])
    else:
        parts = _card_of(question, result, store, out, width, references)
    if failure:
        shown = (
            "the shipped reference"
            if result is None and references
            else "the last run that finished"
            if result is not None
            else "nothing yet"
        )
        parts[1:1] = [
            Text(),
            Text("The last run failed: ", style="bold red").append(failure, style="red"),
            Text(
                f"Below: {shown}. Fix the cause and run it again: finished trials are reused.",
                style="dim",
            ),
        ]
    return parts


def _card_of(question, result, store, out: Path, width: int, beside=()) -> list[RenderableType]:
    parts = header(question, result)
    is_reference = bool(getattr(result, "reference", None))
    if is_reference:
        parts += reference_banner(question, result, out, width)
    if result is None:
        parts += [Text(), Text("Not run yet.", style="yellow"), Text("The claims it will settle:")]
        for c in question.claims:
            kind = "check" if c.kind == "identity" else "finding"
            parts.append(_Indented(Text(f"• {c.statement}  ").append(f"({kind})", "dim"), INDENT))
        parts += [Text(), Text("Run it:")]
        parts += _command_lines(run_command(question.id, out), width)
        return parts
    short = short_answer(question, result, run_command(question.id, out))
    parts += [
        Text(),
        _heading("Short answer"),
        Markdown(short),
        Text(),
        _heading("Answer"),
        Markdown(answer_text(question, result)),
    ]
    parts += [Text(), Text(counts_line(result.claims), style="dim")]
    parts += _claims_section(result, width)
    parts += _anchors_section(question, result, width)
    for ref in beside:
        parts += beside_section(result, ref, width)
    run_dir = store.run_dir(question.id, result.profile, result.config_hash)
    if is_reference:
        parts += [Text(), _heading("Figures")]
        parts.append(
            _Indented(
                Text(
                    "Not shipped with the reference: `deepfaq report` draws"
                    " them from its numbers, or run it yourself."
                ),
                INDENT,
            )
        )
    elif result.figures:
        parts += [Text(), _heading("Figures")]
        parts.append(Text(INDENT + str(run_dir / "figures") + "/", overflow="fold"))
        names = ", ".join(Path(f).name for f in result.figures)
        parts.append(_Indented(Text(names), INDENT * 2))
    parts += [Text(), _heading("Reproduce")]
    parts += _command_lines(result.command, width)
    return parts


# -- output ------------------------------------------------------------------------------

_TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$")


def _strip_line(line: str) -> str:
    return _TRAILING.sub(r"\1", line)


def emit(console: Console, renderables: list[RenderableType], page: bool = True) -> None:
    """Print ``renderables`` with no trailing padding on any line; through a pager
    when the console is a terminal and the text is taller than it."""
    with console.capture() as cap:
        for r in renderables:
            console.print(r)
    text = "\n".join(_strip_line(line) for line in cap.get().split("\n"))
    if page and console.is_terminal and text.count("\n") > console.height:
        os.environ.setdefault("LESS", "-FRX")  # keep colours; quit at the end
        with console.pager(styles=True):
            console.print(Text.from_ansi(text), end="")
        return
    console.file.write(text)
    console.file.flush()


# -- list, run and ask ---------------------------------------------------------------------


def _status(result, failure: str | None = None) -> Text:
    if failure:
        shown = _status(result)
        return Text("last run failed", style="red").append(" · ").append(shown)
    if result is None:
        return Text("not run", style="dim")
    if isinstance(result, Exception):
        return Text("damaged results file", style="red")
    if getattr(result, "reference", None):
        return Text("not run yet · " + profile_label(result), style="dim").append(
            " — " + counts_line(result.claims)
        )
    label = Text(profile_label(result), style="bold yellow" if result.profile == "smoke" else "")
    return label.append(" — " + counts_line(result.claims), style="dim")


def catalogue_list(rows, width: int) -> list[RenderableType]:
    """``deepfaq list``: questions by topic, each with its latest run's counts."""
    from deepfaq.catalogue import by_topic

    rows = by_topic(rows, topic=lambda row: row[0].topic)
    out: list[RenderableType] = [Text("deepfaq questions", style="bold")]
    topic = None
    for row in rows:
        q, result, failure = (*row, None)[:3]
        if q.topic != topic:
            topic = q.topic
            out += [Text(), _heading(topic)]
        n_checks = sum(c.kind == "identity" for c in q.claims)
        n_findings = len(q.claims) - n_checks
        line = Text.assemble(
            (q.id, "bold"),
            "  ",
            q.title,
            (
                f"  ({n_findings} finding{'s' * (n_findings != 1)},"
                f" {n_checks} check{'s' * (n_checks != 1)})",
                "dim",
            ),
        )
        out += [_Indented(line, INDENT), _Indented(_status(result, failure), INDENT * 2)]
    return out


def run_summary(result, width: int) -> list[RenderableType]:
    """What ``deepfaq run`` prints per question once its progress bar has stopped."""
    out = header_of_result(result)
    out += [Text(counts_line(result.claims), style="dim")]
    out += _claims_section(result, width)
    out += [Text(), Text("reproduce:", style="dim")]
    out += _command_lines(result.command, width)
    return [*out, Text()]


def header_of_result(result) -> list[RenderableType]:
    label = Text(profile_label(result), style="bold yellow" if result.profile == "smoke" else "dim")
    label.append(f" · {result.question} · {result.seconds:.1f} s of trials", style="dim")
    return [Text(result.title, style="bold"), label]


def match_lines(
    matches, questions, backend: str, threshold: float, width: int
) -> list[RenderableType]:
    """``deepfaq ask``'s first lines: the best match and its similarity, a warning
    when it is weak, and the runners-up."""
    best = matches[0]
    title = questions.get(best.id).title
    out: list[RenderableType] = [
        _Indented(
            Text.assemble(
                ("best match: ", "bold"),
                (best.id, "bold"),
                f" — {title} ",
                (f"(similarity {best.score:.3f})", "dim"),
            ),
            "",
        )
    ]
    if best.score < threshold:
        out.append(
            _Indented(
                Text(
                    f"warning: a weak match (similarity below {threshold:.2f} with {backend});"
                    " the catalogue may not hold your question — see the runners-up or"
                    " `deepfaq list`",
                    style="yellow",
                ),
                "",
            )
        )
    if len(matches) > 1:
        out.append(Text("also:", style="bold"))
        for m in matches[1:]:
            out.append(
                _Indented(
                    Text.assemble(
                        (m.id, "bold"),
                        f" — {questions.get(m.id).title} ",
                        (f"({m.score:.3f})", "dim"),
                    ),
                    INDENT,
                )
            )
    return out
