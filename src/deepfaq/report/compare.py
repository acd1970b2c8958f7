"""Two runs of one question side by side, claim by claim: ``deepfaq diff``, and
the card's and the page's "Beside the reference" section."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text

from deepfaq import reference
from deepfaq.core.errors import DeepfaqError
from deepfaq.core.question import PROFILE_NAMES
from deepfaq.core.store import RunResult, read_json
from deepfaq.core.units import interval_with_unit, with_unit
from deepfaq.report.answer import interval_label, profile_label
from deepfaq.report.card import INDENT, VERDICT_STYLE, _fields, _Indented


@dataclass(frozen=True)
class Pair:
    """One claim in run A and run B (None where a run lacks it)."""

    id: str
    a: object | None  # ClaimResult
    b: object | None

    @property
    def changed(self) -> bool:
        """The verdicts differ (a claim missing on one side counts as changed)."""
        return self.a is None or self.b is None or self.a.verdict != self.b.verdict

    @property
    def unit(self) -> str:
        return (self.a or self.b).unit

    @property
    def statement(self) -> str:
        return (self.a or self.b).statement


def pairs(a_claims, b_claims) -> list[Pair]:
    """Claims matched by id, in A's order, then those only B has."""
    a_by = {c.id: c for c in a_claims}
    b_by = {c.id: c for c in b_claims}
    order = [*a_by, *(i for i in b_by if i not in a_by)]
    return [Pair(i, a_by.get(i), b_by.get(i)) for i in order]


def device(result) -> str:
    return str(result.environment.get("device") or "?")


def date(result) -> str:
    return str(result.environment.get("time") or "")[:10]


def describe(result) -> str:
    """'quick run · 5 seeds · cpu · 2026-11-30' (a reference says so first)."""
    return " · ".join(x for x in (profile_label(result), device(result), date(result)) if x)


def estimate(c) -> str:
    return "n/a" if c is None else with_unit(c.estimate, c.unit)


def _num(x: float) -> float | None:
    return x if isinstance(x, int | float) and math.isfinite(x) else None


def claim_json(c) -> dict | None:
    if c is None:
        return None
    return {
        "verdict": c.verdict,
        "estimate": _num(c.estimate),
        "ci": [_num(c.ci[0]), _num(c.ci[1])],
    }


def side_json(spec: str, result, where: str) -> dict:
    """What one side of a diff is, for ``deepfaq diff --json``."""
    ref = result.reference_block
    return {
        "spec": spec,
        "reference": bool(ref),
        "profile": result.profile,
        "seeds": len(result.seeds),
        "device": device(result),
        "date": date(result),
        "config_hash": result.config_hash,
        "command": result.command,
        "path": where,
    }


def diff_json(question: str, a: tuple, b: tuple) -> dict:
    """``a`` and ``b`` are (spec, result, where)."""
    rows = pairs(a[1].claims, b[1].claims)
    return {
        "question": question,
        "a": side_json(*a),
        "b": side_json(*b),
        "claims": [
            {
                "id": p.id,
                "unit": p.unit,
                "a": claim_json(p.a),
                "b": claim_json(p.b),
                "changed": p.changed,
            }
            for p in rows
        ],
    }


# -- what A and B name ---------------------------------------------------------------------

SPEC_HELP = (
    "latest, reference (or reference:full, reference:quick), a profile (smoke |"
    " quick | full), <profile>/<config-hash> or the path of a result.json"
)


def _load_path(file, qid: str, store=None):
    """A result.json (or a reference .json.gz) given by path; one inside the results
    folder (``store``) is read as stored data: it must not lead out of the folder.
    Either way only a regular file of bounded size is read (see ``read_json``)."""
    file = Path(file)
    if file.is_dir() and (file / "result.json").exists():
        file = file / "result.json"
    if file.name.endswith(".gz"):
        result = reference.from_dict(reference.read(file), where=file)
    else:
        data = store.read_json(file) if store is not None else read_json(file)
        result = RunResult.from_dict(data, where=file)
    if result.question != qid:
        raise DeepfaqError(f"{file} is a run of {result.question!r}, not {qid!r}")
    return result, str(file)


def resolve(spec: str, qid: str, store) -> tuple[str, object, str]:
    """(spec, result, where) for one side of ``deepfaq diff``; a one-line
    :class:`DeepfaqError` when it names nothing."""
    rerun = f"run `deepfaq run {qid} --out {store.root}` first"
    if spec == "latest":
        path = store.latest_path(qid)
        result = store.load_latest(qid)
        if result is None:
            raise DeepfaqError(f"no stored run of {qid} in {store.root}; {rerun}")
        return spec, result, str(path)
    m = re.fullmatch(r"reference(?::(\w+))?", spec)
    if m:
        kind = m.group(1)
        if kind is not None and kind not in reference.KINDS:
            raise DeepfaqError(
                f"unknown reference {spec!r}: reference:" + " or reference:".join(reference.KINDS)
            )
        result = reference.load(qid, kind=kind)
        if result is None:
            raise DeepfaqError(
                f"no {kind + ' ' if kind else ''}reference result of {qid} ships with this deepfaq"
            )
        return spec, result, str(reference.file_of(result))
    if spec in PROFILE_NAMES:
        return (spec, *_latest_of_profile(qid, spec, store))
    m = re.fullmatch(r"(smoke|quick|full)/([0-9a-f]{6,64})", spec)
    if m:
        file = store.run_dir(qid, m.group(1), m.group(2)) / "result.json"
        if not os.path.lexists(file):
            raise DeepfaqError(f"no stored run {spec} of {qid} in {store.root} (no {file})")
        return (spec, *_load_path(file, qid, store))
    if Path(spec).exists():
        return (spec, *_load_path(spec, qid))
    raise DeepfaqError(f"unknown run {spec!r}: name {SPEC_HELP}")


def _latest_of_profile(qid: str, profile: str, store) -> tuple[object, str]:
    """The question's latest run when it is of ``profile``, else the newest stored
    result of that profile (by the time its file was written) that answers the
    question: a tuning run (``--seed-offset``, seeds the answers do not use) never does."""
    path = store.latest_path(qid)
    if path is not None and path.parent.parent.name == profile and os.path.lexists(path):
        return _load_path(path, qid, store)

    def written(p: Path) -> float:
        try:
            return p.lstat().st_mtime
        except OSError:  # removed meanwhile
            return 0.0

    found = sorted(store.root.joinpath(qid, profile).glob("*/result.json"), key=written)
    for file in reversed(found):
        result, where = _load_path(file, qid, store)
        if "--seed-offset" not in result.command.split():
            return result, where
    raise DeepfaqError(
        f"no stored {profile} run of {qid} in {store.root}; run"
        f" `deepfaq run {qid} --profile {profile} --out {store.root}` first"
    )


def diff_lines(question, a: tuple, b: tuple, width: int) -> list:
    """The terminal's ``deepfaq diff``: what A and B are, then per claim both verdicts
    and estimates, ≠ where the verdicts differ."""
    rows = pairs(a[1].claims, b[1].claims)
    out: list = [Text(f"{question.title}", style="bold")]
    for name, (spec, result, where) in (("A", a), ("B", b)):
        out.append(
            _Indented(
                Text.assemble(
                    (f"{name}: {spec}", "bold"), f" — {describe(result)}", (f" · {where}", "dim")
                ),
                "",
            )
        )
    n = sum(p.changed for p in rows)
    out.append(Text(f"{n} of {len(rows)} claims differ in verdict (≠)", style="dim"))
    for p in rows:
        out.append(Text())
        mark = Text("≠ ", style="bold red") if p.changed else Text(INDENT)
        out.append(mark + Text(p.id, style="bold"))
        for name, c in (("A", p.a), ("B", p.b)):
            verdict = "—" if c is None else c.verdict
            t = Text(f"{name}: ")
            t.append(verdict, style=f"bold {VERDICT_STYLE.get(verdict, '')}")
            parts = [t, Text(estimate(c))]
            if c is not None:
                parts.append(
                    Text(
                        interval_label(c)
                        + " "
                        + interval_with_unit(*c.ci, c.unit, c.n, c.replication)
                    )
                )
            out += _fields(parts, width, INDENT * 2)
    return out
