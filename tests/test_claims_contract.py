"""The trust contract, checked over every claim of every question.

Every claim declares its kind, unit and replication; every comparison has a
practical margin; comparisons of trained models carry preconditions; answers
quote numbers only from metrics and anchors, and every sentence that depends on
a verdict renders under each verdict.
"""

import dataclasses
import re

import pytest

from deepfaq import reference
from deepfaq.core import calibration
from deepfaq.core.claims import VERDICTS, Equivalent, Exact, Greater
from deepfaq.core.question import undeclared_reads
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


@pytest.mark.parametrize("qid", IDS)
def test_question_declares_every_output(qid):
    """Declared outputs are checked both ways: here, that there are some and that
    everything the claims, anchors and answer read is among them (the Question checks
    this when it is built); the runner checks what each trial returns."""
    q = REGISTRY.get(qid)
    assert q.outputs, f"{qid}: declare the trial's outputs (deepfaq.core.outputs)"
    assert not undeclared_reads(q)


@pytest.mark.parametrize("qid", IDS)
def test_claims_are_calibrated(qid):
    """Every calibration rule (deepfaq.core.calibration) holds for every claim, or the
    claim carries an exemption with its reason (recorded in the lock)."""
    found = calibration.audit(REGISTRY.get(qid))
    assert not found, "\n".join(map(str, found))


REF_FILES = [(kind, qid) for kind in reference.KINDS for qid in reference.ids(kind=kind)]


@pytest.mark.parametrize("kind, qid", REF_FILES)
def test_calibration_holds_on_the_shipped_references(kind, qid):
    """What only data can show (windows of five evaluations, margins below the room the
    improved arm has), on the shipped references of today's profiles."""
    found = calibration.audit_result(REGISTRY.get(qid), reference.load(qid, kind=kind))
    assert not found, "\n".join(map(str, found))


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


class _Declared(dict):
    """A result's metrics or series that raise on any name the question did not declare."""

    def __init__(self, data, allowed, what):
        super().__init__(data)
        self.allowed, self.what = allowed, what

    def __getitem__(self, name):
        assert name in self.allowed, f"figures read undeclared {self.what} {name!r}"
        return super().__getitem__(name)

    def get(self, name, default=None):
        assert name in self.allowed, f"figures read undeclared {self.what} {name!r}"
        return super().get(name, default)


@pytest.mark.parametrize("qid", IDS)
def test_figures_read_only_declared_outputs(qid, smoke_results, tmp_path):
    from deepfaq.core import figures

    q = REGISTRY.get(qid)
    r = smoke_results[1][qid]
    declared = q.declared
    guarded = dataclasses.replace(
        r,
        metrics=_Declared(r.metrics, declared.of_kind("metric"), "metric"),
        series=_Declared(r.series, declared.of_kind("curve", "items", "series"), "series"),
    )
    figures.render(q.figures, guarded, tmp_path)
