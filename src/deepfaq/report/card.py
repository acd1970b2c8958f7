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

from deepfaq.core.units import num
from deepfaq.report.answer import (
    anchor_rows,
    answer_text,
    counts_line,
    counts_sentence,
    design_sentence,
    evidence,
    interval_label,
    is_reference,
    plain_reason,
    profile_label,
    revision_line,
    revisions,
    shown,
    shown_interval,
    statement,
    verdict_note,
    words_of,
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


def claim_lines(
    c, width: int, result=None, words=None, timings=(), revised=None
) -> list[RenderableType]:
    """One claim: its statement (naming the machine where it depends on it), then
    verdict · estimate · interval · n · whether its rule was pre-registered, then why
    it is inconclusive in plain words, its note, and a revised rule's change.
    ``revised``: the claim's revision from the lock ("none" when no lock is found)."""
    out: list[RenderableType] = [_Indented(Text(statement(c, result, timings)), INDENT)]
    verdict = Text(c.verdict, style=f"bold {VERDICT_STYLE.get(c.verdict, '')}")
    note = verdict_note(c)
    if c.surprise:
        verdict.append(" ✱", style="bold red")
        verdict.append(f" {note}", style="red")
    elif note:
        verdict.append(f", {note}")
    parts = [
        verdict,
        Text(shown(c.estimate, c.unit)),
        Text(interval_label(c) + " " + shown_interval(*c.ci, c.unit, c.n, c.replication)),
        Text(f"{c.n} {c.replication}"),
    ]
    if revised is None:
        parts.append(Text("rule pre-registered", style="dim"))
    out += _fields(parts, width)
    reason = plain_reason(c, words)
    if reason:
        out.append(_Indented(Text("why inconclusive: " + reason, style="dim"), INDENT * 2))
    elif c.reason:
        out.append(_Indented(Text(c.reason, style="dim"), INDENT * 2))
    if c.note:
        out.append(_Indented(Text("note: " + c.note, style="dim"), INDENT * 2))
    if revised and revised != "none":
        out.append(_Indented(Text(revision_line(revised), style="dim"), INDENT * 2))
    return out


class _Indented:
    """A Text wrapped to the width less an indent, every line indented."""

    def __init__(self, text: Text, indent: str):
        self.text, self.indent = text, indent

    def __rich_console__(self, console, options):
        width = max(options.max_width - len(self.indent), 10)
        for line in self.text.wrap(console, width):
            yield Text(self.indent) + line


def _claims_section(result, width: int, question=None) -> list[RenderableType]:
    out: list[RenderableType] = []
    words = words_of(question) if question is not None else {}
    timings = tuple(getattr(question, "timings", ()) or ())
    revised = revisions(result.question)
    groups = (("empirical", "Findings"), ("identity", "Checks of the code (identities)"))
    for kind, label in groups:
        rows = [c for c in result.claims if c.kind == kind]
        if not rows:
            continue
        out += [Text(), _heading(label)]
        for k, c in enumerate(rows):
            rev = "none" if revised is None or c.id not in revised else revised[c.id]
            out += ([Text()] if k else []) + claim_lines(c, width, result, words, timings, rev)
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


#: A word of a shell command: quoted parts kept whole ('curve_sizes=(250, 1000)').
_SHELL_WORD = re.compile(r"""(?:[^\s'"]+|'[^']*'|"[^"]*")+""")


def command_units(command: str) -> list[str]:
    """A shell command's words, an option kept with its value (``--set lm_seq=64``,
    ``--seed-batch 5``): the pieces a wrapped command may break between."""
    words = _SHELL_WORD.findall(command)
    units: list[str] = []
    for w in words:
        if units and units[-1].startswith("-") and " " not in units[-1] and not w.startswith("-"):
            units[-1] += " " + w
        else:
            units.append(w)
    return units


def _command_lines(command: str, width: int) -> list[Text]:
    """A shell command wrapped between options with '\\' continuations, never inside
    an option and its value, so it still pastes as one command."""
    lines, cur = [], INDENT
    for w in command_units(command):
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
    if block.get("made"):
        out_lines.append(_Indented(Text(f"How it was made: {block['made']}.", style="dim"), ""))
    return out_lines


def beside_section(result, ref, width: int) -> list[RenderableType]:
    """The verdicts of ``result`` (the user's run, or the reference it answers from)
    beside the shipped reference ``ref``'s, claim by claim; ≠ marks a claim whose
    verdict differs."""
    from deepfaq.reference import label
    from deepfaq.report.compare import describe, estimate, pairs  # compare imports card

    rows = pairs(result.claims, ref.claims)
    n_changed = sum(p.changed for p in rows)
    mine = f"{result.profile} reference" if result.is_reference else "yours"
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


def _short_section(question, result, width: int) -> list[RenderableType]:
    """The short answer: the one-sentence answer, the evidence bullets, the counts."""
    from deepfaq.report.answer import _own_sentence, evidence_bullet

    words = words_of(question)
    timings = tuple(getattr(question, "timings", ()) or ())
    own = _own_sentence(question, result)
    out: list[RenderableType] = [Text(), _heading("Short answer")]
    out.append(Markdown(own) if own else _Indented(Text(counts_sentence(result.claims)), ""))
    bullets = [evidence_bullet(c, result, words, timings) for c in evidence(question, result)]
    if bullets:
        out.append(Markdown("\n".join(bullets)))
    if own:
        out.append(_Indented(Text(counts_sentence(result.claims), style="dim"), ""))
    design = design_sentence(result)
    if design:
        out.append(_Indented(Text(design, style="dim"), ""))
    return out


def _card_of(question, result, store, out: Path, width: int, beside=()) -> list[RenderableType]:
    parts = header(question, result)
    is_ref = is_reference(result)
    if result is None:
        parts += [Text(), Text("Not run yet.", style="yellow"), Text("The claims it will settle:")]
        for c in question.claims:
            kind = "check" if c.kind == "identity" else "finding"
            parts.append(_Indented(Text(f"• {c.statement}  ").append(f"({kind})", "dim"), INDENT))
        parts += [Text(), Text("Run it:")]
        parts += _command_lines(run_command(question.id, out), width)
        return parts
    if is_ref:
        parts.append(
            _Indented(
                Text(
                    "Shipped with deepfaq and measured on another machine: not your run"
                    " (how to measure it on yours: below the short answer).",
                    style="yellow",
                ),
                "",
            )
        )
    parts += _short_section(question, result, width)
    if result.profile == "smoke":
        parts.append(
            _Indented(
                Text(
                    "These numbers come from a smoke run, which only tests that the code runs:"
                    " they answer nothing. `"
                    + run_command(question.id, out)
                    + "` runs the quick budget.",
                    style="yellow",
                ),
                "",
            )
        )
    if is_ref:
        parts += reference_banner(question, result, out, width)
    parts += [Text(), _heading("Answer"), Markdown(answer_text(question, result))]
    parts += [Text(), Text(counts_line(result.claims), style="dim")]
    parts += _claims_section(result, width, question)
    parts += _anchors_section(question, result, width)
    for ref in beside:
        parts += beside_section(result, ref, width)
    run_dir = store.run_dir(question.id, result.profile, result.config_hash)
    if is_ref:
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


def _status(result, failure: str | None = None, question=None) -> list[Text]:
    """A question's state in ``list``, as fields: what its numbers are, and their counts."""
    if failure:
        return [Text("last run failed", style="red"), *_status(result, question=question)]
    if result is None:
        if question is None:
            return [Text("not run", style="dim")]
        n_checks = sum(c.kind == "identity" for c in question.claims)
        n_findings = len(question.claims) - n_checks
        return [
            Text("not run", style="dim"),
            Text(
                f"{n_findings} finding{'s' * (n_findings != 1)} and {n_checks}"
                f" check{'s' * (n_checks != 1)} to settle",
                style="dim",
            ),
        ]
    if isinstance(result, Exception):
        return [Text("damaged results file", style="red")]
    counts = [Text(p, style="dim") for p in counts_line(result.claims).split(" · ")]
    if is_reference(result):
        return [Text("not run yet · " + profile_label(result), style="dim"), *counts]
    label = Text(profile_label(result), style="bold yellow" if result.profile == "smoke" else "")
    return [label, *counts]


def catalogue_list(rows, width: int) -> list[RenderableType]:
    """``deepfaq list``: questions by topic, each with its latest run's counts; the
    title wraps under itself and the counts wrap only between fields."""
    from deepfaq.catalogue import by_topic

    rows = by_topic(rows, topic=lambda row: row[0].topic)
    out: list[RenderableType] = [Text("deepfaq questions", style="bold")]
    topic = None
    for row in rows:
        q, result, failure = (*row, None)[:3]
        if q.topic != topic:
            topic = q.topic
            out += [Text(), _heading(topic)]
        head = Text.assemble((q.id, "bold"), "  ", q.title)
        out.append(_Hanging(head, INDENT, INDENT + " " * (len(q.id) + 2)))
        out += _fields(_status(result, failure, q), width, INDENT * 2)
    return out


class _Hanging:
    """A Text wrapped with its first line indented by ``first`` and the others by
    ``rest`` (a title continuing under itself, not under its id)."""

    def __init__(self, text: Text, first: str, rest: str):
        self.text, self.first, self.rest = text, first, rest
        if len(rest) > 30:  # a long id: continue under the id instead
            self.rest = first + INDENT

    def __rich_console__(self, console, options):
        width = max(options.max_width - len(self.rest), 10)
        lines = self.text.wrap(console, width)
        for k, line in enumerate(lines):
            yield Text(self.first if k == 0 else self.rest) + line


def run_summary(result, width: int, question=None) -> list[RenderableType]:
    """What ``deepfaq run`` prints per question once its progress bar has stopped."""
    out = header_of_result(result)
    out += [Text(counts_line(result.claims), style="dim")]
    design = design_sentence(result)
    if design:
        out.append(_Indented(Text(design, style="dim"), ""))
    out += _claims_section(result, width, question)
    out += [Text(), Text("reproduce:", style="dim")]
    out += _command_lines(result.command, width)
    return [*out, Text()]


def header_of_result(result) -> list[RenderableType]:
    label = Text(profile_label(result), style="bold yellow" if result.profile == "smoke" else "dim")
    label.append(f" · {result.question} · {num(result.seconds)} s of trials", style="dim")
    return [Text(result.title, style="bold"), label]


def match_lines(
    matches, questions, backend: str, threshold: float, width: int
) -> list[RenderableType]:
    """``deepfaq ask``'s first lines: the best match and its similarity, and the
    runners-up. Below the similarity floor (``threshold``) no question is taken for
    a match: a warning says so and the closest questions are listed instead."""
    best = matches[0]
    weak = best.score < threshold
    out: list[RenderableType] = []

    def entry(m) -> Text:
        return Text.assemble(
            (m.id, "bold"), f" — {questions.get(m.id).title} ", (f"({m.score:.3f})", "dim")
        )

    if weak:
        out.append(
            _Indented(
                Text(
                    f"No question in the catalogue matches yours closely (best similarity"
                    f" {best.score:.3f}, below {threshold:.2f} with {backend}), so no answer"
                    " is shown. The closest questions:",
                    style="yellow",
                ),
                "",
            )
        )
        out += [_Indented(entry(m), INDENT) for m in matches]
        out.append(
            _Indented(
                Text(
                    "`deepfaq show ID` prints one of them; `deepfaq list` lists them all.",
                    style="dim",
                ),
                "",
            )
        )
        return out
    title = questions.get(best.id).title
    out.append(
        _Indented(
            Text.assemble(
                ("best match: ", "bold"),
                (best.id, "bold"),
                f" — {title} ",
                (f"(similarity {best.score:.3f})", "dim"),
            ),
            "",
        )
    )
    if len(matches) > 1:
        out.append(Text("also:", style="bold"))
        out += [_Indented(entry(m), INDENT) for m in matches[1:]]
    return out
