"""The trust contract, checked over every claim of every question.

Every claim declares its kind, unit and replication; every comparison has a
practical margin; comparisons of trained models carry preconditions; answers
quote numbers only from metrics and anchors, and every sentence that depends on
a verdict renders under each verdict.
"""

import dataclasses
import re

import pytest

from deepfaq.core.claims import VERDICTS, Equivalent, Exact, Greater
from deepfaq.experiments import REGISTRY
from deepfaq.report.answer import render_answer

IDS = REGISTRY.ids()
ALL_CLAIMS = [(q.id, c) for q in REGISTRY for c in q.claims]


@pytest.mark.parametrize("qid,claim", ALL_CLAIMS, ids=[f"{q}/{c.id}" for q, c in ALL_CLAIMS])
def test_claim_declares_kind_unit_and_margin(qid, claim):
    assert claim.kind in ("identity", "empirical"), f"{qid}/{claim.id}: declare kind"
    assert claim.unit is not None, f"{qid}/{claim.id}: declare unit ('' if dimensionless)"
    if claim.kind == "empirical" and isinstance(claim.rule, Greater | Equivalent):
        assert claim.rule.margin > 0, f"{qid}/{claim.id}: a comparison needs a practical margin"
    if isinstance(claim.rule, Exact):
        assert claim.kind == "identity", f"{qid}/{claim.id}: Exact is for identities"


def test_enough_claims_carry_preconditions():
    with_pre = [c.id for _, c in ALL_CLAIMS if c.preconditions]
    assert len(with_pre) >= 30, f"only {len(with_pre)} claims carry preconditions"


@pytest.mark.parametrize("qid", IDS)
def test_claims_read_what_the_trial_stores(qid, smoke_results):
    r = smoke_results[1][qid]
    for c in REGISTRY.get(qid).claims:
        where = r.series if c.replication == "items" else r.metrics
        for m in c.rule.metrics:
            assert m in where, f"{c.id} reads {m!r}, missing from the trial's {c.replication}"
        for p in c.preconditions:
            for name in ("metric", "series", "name"):
                ref = getattr(p, name, None)
                if isinstance(ref, str):
                    assert ref in r.metrics or ref in r.series, f"{c.id}: {ref!r} missing"
            base = getattr(p, "baseline", None)
            if isinstance(base, str):
                assert base in r.metrics, f"{c.id}: baseline {base!r} missing"


def _verdict_refs(text: str) -> set[str]:
    return set(re.findall(r"""\b[vc]\[\s*["']([^"']+)["']\s*\]""", text))


@pytest.mark.parametrize("qid", IDS)
def test_answer_renders_under_every_verdict(qid, smoke_results):
    """Each verdict-dependent sentence renders whichever way its claim went."""
    q = REGISTRY.get(qid)
    r = smoke_results[1][qid]
    refs = _verdict_refs(q.answer)
    unknown = refs - {c.id for c in q.claims}
    assert not unknown, f"answer reads claims that do not exist: {unknown}"
    for cid in sorted(refs):
        for verdict in VERDICTS:
            claims = [
                dataclasses.replace(c, verdict=verdict) if c.id == cid else c for c in r.claims
            ]
            text = render_answer(q, dataclasses.replace(r, claims=claims))
            assert "{{" not in text and "{%" not in text


#: Numbers that look measured: decimals and percentages typed into prose.
_TYPED = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])|(?<![\w.])\d+(?:\.\d+)?\s?%")


@pytest.mark.parametrize("qid", IDS)
def test_answer_types_no_measured_numbers(qid):
    """Answers format metrics and anchors; they do not type results by hand."""
    prose = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", REGISTRY.get(qid).answer, flags=re.S)
    typed = _TYPED.findall(prose)
    assert not typed, f"{qid}: numbers typed into the answer: {typed}"
