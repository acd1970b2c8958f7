"""The claims lock keeps every claim's pre-registration; code and lock agree."""

import dataclasses
import json
from types import SimpleNamespace

from deepfaq.core import lock
from deepfaq.core.claims import Claim, Greater
from deepfaq.core.question import Question
from deepfaq.experiments import REGISTRY


def test_registry_matches_the_lock():
    diffs = lock.differences(REGISTRY, lock.load())
    assert not diffs, (
        "claims differ from claims.lock.json; record the change with "
        f"`deepfaq lock --update --reason ...`: {diffs}"
    )


def test_every_locked_claim_has_a_dated_history():
    for entries in lock.load()["questions"].values():
        for cid, e in entries["claims"].items():
            assert (
                e["history"]
                and e["history"][0]["change"] in ("created",)
                or any(h["change"].startswith("renamed") for h in e["history"])
            ), cid
            assert all({"date", "reason", "results_seen", "change"} <= set(h) for h in e["history"])


def _with_margin(q: Question, claim_id: str, margin: float) -> Question:
    claims = tuple(
        dataclasses.replace(c, rule=dataclasses.replace(c.rule, margin=margin))
        if c.id == claim_id
        else c
        for c in q.claims
    )
    return dataclasses.replace(q, claims=claims)


def test_a_margin_changed_in_code_is_caught():
    q = next(q for q in REGISTRY if any(hasattr(c.rule, "margin") for c in q.claims))
    c = next(c for c in q.claims if hasattr(c.rule, "margin"))
    edited = [_with_margin(x, c.id, c.rule.margin + 0.5) if x.id == q.id else x for x in REGISTRY]
    diffs = lock.differences(edited, lock.load())
    assert diffs == [f"{q.id}/{c.id}: rule, rule_spec, margin changed"]


def test_update_records_history(tmp_path):
    q = REGISTRY.get("zero-init")
    first = lock.update(
        [q], {"schema": lock.LOCK_SCHEMA, "questions": {}}, "new", False, date="2026-01-01"
    )
    c = q.claims[0]
    changed = dataclasses.replace(
        q, claims=(dataclasses.replace(c, statement="reworded"), *q.claims[1:])
    )
    second = lock.update([changed], first, "clearer words", True, date="2026-01-02")
    hist = second["questions"]["zero-init"]["claims"][c.id]["history"]
    assert [h["change"] for h in hist] == ["created", "changed statement"]
    assert hist[1]["results_seen"] is True and hist[1]["was"]["statement"] == c.statement
    # A dropped claim is retired with its history; a rename carries it over.
    # (the lock reads only a question's id and claims: a question without its first claim
    # would not pass the registry's own checks, as its answer reads that claim)
    fewer = SimpleNamespace(id=q.id, claims=q.claims[1:])
    third = lock.update([fewer], second, "dropped", True, date="2026-01-03")
    assert c.id in third["questions"]["zero-init"]["retired"]
    renamed = SimpleNamespace(
        id=q.id,
        claims=(
            Claim("new-id", c.statement, c.rule, c.expected, c.source, kind=c.kind, unit=c.unit),
            *q.claims[1:],
        ),
    )
    fourth = lock.update([renamed], first, "id", False, renamed={f"zero-init/{c.id}": "new-id"})
    assert fourth["questions"]["zero-init"]["claims"]["new-id"]["history"][0]["change"] == (
        "created"
    )
    path = lock.save(fourth, tmp_path / "lock.json")
    assert json.loads(path.read_text())["schema"] == lock.LOCK_SCHEMA


def test_greater_has_no_default_margin():
    import pytest

    with pytest.raises(TypeError):
        Greater("a", "b")  # type: ignore[call-arg]


def test_update_of_one_question_leaves_the_others_entries_alone():
    from dataclasses import replace

    current = lock.load()
    zero = REGISTRY.get("zero-init")
    changed = replace(
        zero, claims=(replace(zero.claims[0], statement="reworded"), *zero.claims[1:])
    )
    others = [q if q.id != "zero-init" else changed for q in REGISTRY]
    xavier = REGISTRY.get("xavier")
    edited = [
        q
        if q.id != "xavier"
        else replace(
            xavier, claims=(replace(xavier.claims[0], statement="not entered"), *xavier.claims[1:])
        )
        for q in others
    ]
    new = lock.update(edited, current, "test", False, date="2026-12-05", only=[changed])
    assert new["questions"]["zero-init"]["claims"][zero.claims[0].id]["statement"] == "reworded"
    assert new["questions"]["xavier"] == current["questions"]["xavier"]
    assert list(new["questions"]) == list(current["questions"])


def test_a_sequential_design_is_locked_like_a_rule():
    """Adding looks (or seeds) to a shipped profile is a change the lock must see,
    and an update enters it in the question's design history with what it was."""
    from dataclasses import replace

    current = lock.load()
    q = REGISTRY.get("dropout")
    quick = q.profiles["quick"]
    bigger = replace(quick, looks=(quick.seeds, quick.max_seeds + 10))
    edited = replace(q, profiles={**q.profiles, "quick": bigger})
    others = [edited if x.id == q.id else x for x in REGISTRY]
    assert lock.differences(others, current) == [
        "dropout: the seed design (seeds and looks per profile) changed"
    ]
    new = lock.update(others, current, "more seeds", True, date="2026-12-06", only=[edited])
    entry = new["questions"]["dropout"]
    assert entry["design"]["quick"]["looks"] == list(bigger.looks)
    last = entry["design_history"][-1]
    assert last["change"] == "changed" and last["was"]["quick"]["looks"] == list(quick.looks)
    assert lock.differences(others, new) == []


def test_every_question_has_a_locked_design():
    for qid, entry in lock.load()["questions"].items():
        assert set(entry["design"]) == {"quick", "full"}, qid
        assert entry["design_history"][0]["change"] == "created", qid
