"""The claims lock: every claim's pre-registration, with its history.

``claims.lock.json`` at the repository root lists, for every question, every
claim as plain data — statement, kind, rule (with its margin), unit,
replication, preconditions, the literature's expectation and source — and a
dated ``history``: when it was created, and each later change with its reason
and whether results had already been seen when it was made. A test keeps the
registry and the lock equal, so no rule, margin or precondition changes
silently; ``deepfaq lock --update --reason "…"`` records a deliberate change.
Claims that are dropped move to the question's ``retired`` list, history kept.
Each question's seed design — the seeds its ``quick`` and ``full`` profiles start
with and the looks of a sequential design — is locked the same way (``design``,
with its own ``design_history``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from deepfaq.core.claims import Claim, rule_margin, spec
from deepfaq.core.errors import DamagedFile, DeepfaqError
from deepfaq.core.store import atomic_write_text, jsonable, read_json

LOCK_SCHEMA = "deepfaq.claims-lock/1"
LOCK_NAME = "claims.lock.json"

#: The fields of an entry that pre-register the test (history aside).
FIELDS = (
    "statement",
    "kind",
    "rule",
    "rule_spec",
    "margin",
    "unit",
    "replication",
    "preconditions",
    "expected",
    "source",
    "exempt",
)


#: The profiles whose seed design is pre-registered: the ones that ship as answers.
DESIGNED_PROFILES = ("quick", "full")


def default_path() -> Path:
    """The lock at the root of the source checkout (src/deepfaq/core → root)."""
    return Path(__file__).resolve().parents[3] / LOCK_NAME


def claim_entry(claim: Claim) -> dict[str, Any]:
    """A claim's pre-registration as plain JSON data."""
    return jsonable(
        {
            "statement": claim.statement,
            "kind": claim.kind,
            "rule": claim.rule.describe(),
            "rule_spec": spec(claim.rule),
            "margin": rule_margin(claim.rule),
            "unit": claim.unit,
            "replication": claim.replication,
            "preconditions": [{"text": p.describe(), **spec(p)} for p in claim.preconditions],
            "expected": claim.expected,
            "source": claim.source,
            "exempt": dict(claim.exempt),
        }
    )


def design_entry(question) -> dict[str, Any]:
    """A question's seed design per shipped profile: the seeds it starts with and
    the looks of its sequential design (empty: one look). Pre-registered like a
    rule, since adding seeds until a claim decides is only honest when the looks
    and the cap were fixed first."""
    out = {}
    profiles = getattr(question, "profiles", {})
    for name in DESIGNED_PROFILES:
        if name in profiles:
            p = profiles[name]
            out[name] = {"seeds": p.seeds, "looks": list(p.looks)}
    return out


def load(path: Path | None = None) -> dict:
    path = path or default_path()
    if not path.exists():
        return {"schema": LOCK_SCHEMA, "questions": {}}
    lock = read_json(path)
    if not (
        isinstance(lock, dict)
        and lock.get("schema") == LOCK_SCHEMA
        and isinstance(lock.get("questions"), dict)
    ):
        raise DamagedFile(f"{path} is not a deepfaq claims lock ({LOCK_SCHEMA})")
    return lock


def _locked(entry: dict, name: str):
    """A field of a locked entry; ``exempt`` predates some entries and means none."""
    return entry.get(name, {} if name == "exempt" else None)


def differences(questions: Iterable, lock: dict) -> list[str]:
    """Every way the registry's claims differ from the lock, one line each."""
    out = []
    locked_qs = lock["questions"]
    seen = set()
    for q in questions:
        seen.add(q.id)
        locked = locked_qs.get(q.id, {}).get("claims", {})
        ids = [c.id for c in q.claims]
        for c in q.claims:
            if c.id not in locked:
                out.append(f"{q.id}/{c.id}: not in the lock")
                continue
            now = claim_entry(c)
            changed = [f for f in FIELDS if now[f] != _locked(locked[c.id], f)]
            if changed:
                out.append(f"{q.id}/{c.id}: {', '.join(changed)} changed")
        out += [
            f"{q.id}/{cid}: in the lock but not in the code" for cid in locked if cid not in ids
        ]
        design = locked_qs.get(q.id, {}).get("design")
        if design != design_entry(q):
            out.append(f"{q.id}: the seed design (seeds and looks per profile) changed")
    out += [f"{qid}: in the lock but not in the code" for qid in locked_qs if qid not in seen]
    return out


def update(
    questions: Iterable,
    lock: dict,
    reason: str,
    results_seen: bool,
    renamed: dict[str, str] | None = None,
    date: str | None = None,
    only: Iterable | None = None,
) -> dict:
    """A new lock equal to the registry, each change entered in its claim's history.

    ``renamed`` maps ``question/old-id`` to ``new-id``, carrying the history over.
    ``only``: enter these questions' changes and keep every other entry as it was.
    """
    if only is not None:
        chosen = {q.id for q in only}
        kept = {qid: e for qid, e in lock["questions"].items() if qid not in chosen}
        part = update(only, lock, reason, results_seen, renamed, date)
        merged = {
            q.id: (part["questions"][q.id] if q.id in chosen else kept[q.id])
            for q in questions
            if q.id in chosen or q.id in kept
        }
        return {"schema": LOCK_SCHEMA, "questions": merged}
    if not reason.strip():
        raise DeepfaqError("a change to the claims lock needs a --reason")
    date = date or dt.date.today().isoformat()
    renamed = renamed or {}
    note = {"date": date, "reason": reason, "results_seen": results_seen}
    new = {"schema": LOCK_SCHEMA, "questions": {}}
    for q in questions:
        old_q = lock["questions"].get(q.id, {"claims": {}, "retired": {}})
        old_claims = dict(old_q.get("claims", {}))
        retired = dict(old_q.get("retired", {}))
        for old_key, new_id in renamed.items():
            qid, _, old_id = old_key.partition("/")
            if qid == q.id and old_id in old_claims:
                entry = old_claims.pop(old_id)
                entry["history"] = [*entry["history"], {**note, "change": f"renamed from {old_id}"}]
                old_claims[new_id] = entry
        claims = {}
        for c in q.claims:
            entry = claim_entry(c)
            before = old_claims.get(c.id)
            if before is None:
                history = [{**note, "change": "created"}]
            else:
                history = list(before["history"])
                changed = [f for f in FIELDS if entry[f] != _locked(before, f)]
                if changed:
                    history.append(
                        {
                            **note,
                            "change": "changed " + ", ".join(changed),
                            "was": {f: before.get(f) for f in changed},
                        }
                    )
            claims[c.id] = {**entry, "history": history}
        for cid, entry in old_claims.items():
            if cid not in claims:
                retired[cid] = {
                    **entry,
                    "history": [*entry["history"], {**note, "change": "retired"}],
                }
        design = design_entry(q)
        design_history = list(old_q.get("design_history", []))
        if old_q.get("design") != design:
            change = "created" if "design" not in old_q else "changed"
            design_history.append({**note, "change": change, "was": old_q.get("design")})
        new["questions"][q.id] = {
            "claims": claims,
            "retired": retired,
            "design": design,
            "design_history": design_history,
        }
    return new


def save(lock: dict, path: Path | None = None) -> Path:
    path = path or default_path()
    atomic_write_text(path, json.dumps(lock, indent=1, ensure_ascii=False) + "\n")
    return path


def history(question_id: str, path: Path | None = None) -> dict[str, list[dict]]:
    """Each claim's dated history, for the report; empty when no lock is found
    (an installed copy without the source checkout)."""
    try:
        lock = load(path)
    except DeepfaqError:
        return {}
    claims = lock["questions"].get(question_id, {}).get("claims", {})
    return {cid: e.get("history", []) for cid, e in claims.items()}


#: Fields whose change alters the test itself (not its wording or source).
RULE_FIELDS = (
    "rule",
    "rule_spec",
    "margin",
    "unit",
    "replication",
    "preconditions",
    "kind",
    "exempt",
)


def revision(question_id: str, claim_id: str, path: Path | None = None) -> dict | None:
    """The last change to a claim's test made after results had been seen, as
    ``{"date", "reason", "was": {field: old}, "now": {field: new}}``; None when the
    current rule is the pre-registered one (or no lock is found)."""
    try:
        lock = load(path)
    except DeepfaqError:
        return None
    entry = lock["questions"].get(question_id, {}).get("claims", {}).get(claim_id)
    if not entry:
        return None
    for h in reversed(entry.get("history", [])):
        if not h.get("results_seen"):
            continue
        was = {f: v for f, v in (h.get("was") or {}).items() if f in RULE_FIELDS}
        changed = h.get("change", "")
        if was or any(f in changed for f in ("rule", "margin", "precondition", "kind")):
            return {
                "date": h.get("date", ""),
                "reason": h.get("reason", ""),
                "change": changed,
                "was": was,
                "now": {f: entry.get(f) for f in was},
            }
    return None
