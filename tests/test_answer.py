"""What a reader is told about each claim, in the card and on the page: verdicts in
one word, demonstrations as designed, the machine behind a device-bound statement,
reasons in plain words, units a student reads, the rule's history, the sequential
design; and the fast paths behind ``show`` (references without series, intervals
without scipy)."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pytest

from deepfaq.core.claims import ClaimResult, PreconditionResult
from deepfaq.report import answer, card, light


def claim(verdict="supported", kind="empirical", expected="supported", **kw) -> ClaimResult:
    base = dict(
        id="x",
        statement="A beats B.",
        rule="acc_a − acc_b > 0.02 (paired)",
        verdict=verdict,
        estimate=0.05,
        ci=(0.03, 0.07),
        n=5,
        expected=expected,
        source="Toy 2024",
        kind=kind,
        unit="points",
    )
    return ClaimResult(**{**base, **kw})


class Result:
    """The fields of a stored run the short answer reads."""

    def __init__(self, claims, environment=None, reference=None, design=None, seeds=5):
        self.claims, self.question, self.profile = claims, "toy", "quick"
        self.environment = environment or {"device": "cpu", "device_name": "x86_64", "cpu_count": 2}
        self.reference = reference or {}
        self.design = design or {}
        self.seeds = list(range(seeds))
        self.metrics, self.config = {}, {}
        self.reference_block = self.reference
        self.is_reference = bool(self.reference)


# -- verdicts, checks and demonstrations ---------------------------------------------------


def test_a_demonstration_is_a_check_that_passes():
    """init-scale's "N(0, 1/d) stays within ±1/√d" is designed to come out refuted:
    not "6 of 7 checks pass"."""
    checks = [claim(kind="identity") for _ in range(6)]
    demo = claim("refuted", kind="identity", expected="refuted")
    claims = [*checks, demo, claim("inconclusive")]
    assert answer.counts_sentence(claims) == (
        "1 finding: 1 inconclusive; all 7 checks of the code pass, one of them a"
        " demonstration refuted by design."
    )
    assert answer.counts_line(claims) == (
        "findings: 1 inconclusive · checks: all 7 pass (1 a demonstration)"
    )
    assert answer.verdict_label(demo) == "refuted, a demonstration, as designed"
    assert not demo.surprise
    failing = claim("refuted", kind="identity")  # expected supported: a bug
    assert answer.counts_line([*checks, failing]) == "checks: 6 of 7 pass, 1 fails"
    assert answer.counts_sentence([failing]) == "No findings; the check of the code fails."


def test_verdict_labels_use_one_word_per_verdict():
    assert answer.verdict_label(claim()) == "supported"
    assert answer.verdict_label(claim("refuted", expected="refuted")) == "refuted, as expected"
    assert answer.verdict_label(claim("refuted")) == "refuted ✱ against the literature"
    assert answer.verdict_label(claim("inconclusive")) == "inconclusive"
    c = claim("inconclusive", reason="the 95% interval [1, 3] contains the boundary 2")
    line = answer.finding_sentence(c)
    assert line.startswith("Inconclusive: A beats B") and "decided" not in line


# -- the machine behind a statement --------------------------------------------------------


def test_device_bound_statements_name_the_machine():
    c = claim(statement="On this device a GRU step is faster than an LSTM step.")
    mine = Result([c])
    text = answer.statement(c, mine)
    assert text.startswith("On the machine that ran it (CPU: x86_64, 2 cores) a GRU step")
    shipped = Result([c], reference={"profile": "full"})
    assert answer.statement(c, shipped).startswith(
        "On the machine that built this reference (CPU: x86_64, 2 cores)"
    )
    gpu = Result([c], environment={"device": "cuda", "device_name": "NVIDIA H200"})
    assert "(GPU: NVIDIA H200)" in answer.statement(c, gpu)
    timed = claim(statement="NMF is faster than LDA.", rule="seconds_lda / seconds_nmf ≥ 1.1")
    assert answer.statement(timed, mine, timings=("seconds_lda",)) == (
        "NMF is faster than LDA (measured on the machine that ran it (CPU: x86_64, 2 cores))."
    )
    assert answer.statement(timed, mine) == "NMF is faster than LDA."


def test_machine_bound_findings_come_after_the_others_without_key_claims():
    timed = claim("refuted", id="faster", statement="On this device GRU is faster.")
    tie = claim(id="tie", statement="They tie.")
    r = Result([timed, tie])
    assert [c.id for c in answer.key_findings(r)] == ["tie", "faster"]


# -- reasons in words ----------------------------------------------------------------------


def test_reasons_in_plain_words_with_the_raw_condition_kept():
    p = PreconditionResult(
        "curve_val_bpc_lstm changes by at most 0.025 either way over the last fifth of training",
        False,
        "curve_val_bpc_lstm was still improving (+0.103 over the last fifth)",
        type="Converged",
        metric="curve_val_bpc_lstm",
    )
    c = claim(
        "inconclusive",
        reason=f"precondition failed: {p.statement} ({p.value})",
        preconditions=(p,),
    )
    words = {"curve_val_bpc_lstm": "the LSTM's held-out bits per character"}
    reason = answer.plain_reason(c, words)
    assert reason == (
        "the LSTM's held-out bits per character was still improving (+0.103 over the"
        " last fifth), so a longer run could change the verdict"
    )
    assert "curve_val" not in reason
    assert answer.raw_conditions(c) == [f"{p.statement} ({p.value})"]
    beats = PreconditionResult(
        "acc_colour_clear at least 0.2 above chance",
        False,
        "the colouriser's accuracy on clear shapes 0.559 vs 0.5 for chance",
        type="Beats",
        params={"margin": 0.2},
    )
    c = replace(c, reason=f"precondition failed: {beats.statement} ({beats.value})")
    c = replace(c, preconditions=(beats,))
    assert answer.plain_reason(c) == (
        "not clearly trained: the colouriser's accuracy on clear shapes 0.559 vs 0.5 for"
        " chance (it must be ahead by at least 0.2)"
    )
    straddle = claim("inconclusive", reason="the 95% interval [1, 3] points contains the boundary")
    assert answer.short_reason(replace(straddle, to_decide=40)) == (
        "its interval straddles the boundary; about 40 seeds would decide it"
    )


# -- units a student reads -----------------------------------------------------------------


@pytest.mark.parametrize(
    "x, unit, text",
    [
        (6.76, "log2", "6.76 in log₂ (a factor of 108)"),
        (-1.67, "log2 per layer", "-1.67 in log₂ per layer (a factor of 0.314 per layer)"),
        (1.2, "log10", "1.2 in log₁₀ (a factor of 15.8)"),
        (1.33, "×", "1.33×"),
        (1.02, "× PCA's error", "1.02× PCA's error"),
        (0.00423, "fraction of variance", "0.00423 of the variance"),
        (0.859, "%", "85.9%"),
        (0.021, "points", "2.1 points"),
        (3.87, "dB", "3.87 dB"),
        (math.nan, "log2", "n/a"),
    ],
)
def test_units_a_student_reads(x, unit, text):
    assert answer.shown(x, unit) == text


def test_intervals_in_readable_units():
    assert answer.shown_interval(1.0, 2.0, "log2") == ("[1, 2] in log₂ (a factor of 2 to 4)")
    assert answer.shown_interval(1.0, 2.0, "log2", factors=False) == "[1, 2] in log₂"
    assert answer.shown_interval(1.2, 1.4, "×") == "[1.2, 1.4]×"
    assert answer.shown_interval(0.1, 0.2, "points", n=1) == "one seed: no interval"
    ident = claim(kind="identity", estimate=4.0, ci=(4.0, 4.0), unit="")
    assert answer.measured(ident) == "4 on every seed"
    assert answer.interval_label(ident) == "range" and answer.interval_label(claim()) == "95%"


# -- the rule's history --------------------------------------------------------------------


def test_revisions_agree_with_the_lock():
    """The report reads the lock once per question; it must say what
    ``lock.revision`` says for every claim."""
    from deepfaq.core import lock

    data = lock.load()
    for qid, entry in list(data["questions"].items())[:6]:
        got = answer.revisions(qid)
        for cid in entry["claims"]:
            assert got[cid] == lock.revision(qid, cid), (qid, cid)


def test_revision_lines():
    assert answer.revision_line(None).startswith("rule pre-registered")
    rev = {
        "date": "2026-12-05",
        "reason": "calibration (issue 24): the margin was on the wrong scale. More words.",
        "change": "changed margin, rule",
        "was": {"margin": 0.05, "rule": "a − b > 0.05", "preconditions": [{"text": "old"}]},
        "now": {"margin": 0.1, "rule": "a − b > 0.1", "preconditions": [{"text": "new"}]},
    }
    short = answer.revision_line(rev)
    assert short.startswith("rule revised after results were seen (2026-12-05): rule a − b")
    assert "a − b > 0.05 → a − b > 0.1" in short and "margin 0.05 → 0.1" in short
    assert short.endswith("why: calibration (issue 24)")
    full = answer.revision_line(rev, full=True)
    assert "precondition old → new" in full and "More words." in full
    legacy = {**rev, "was": {}, "now": {}}  # an older history entry without old values
    assert "changed margin, rule" in answer.revision_line(legacy)


def test_card_says_pre_registered_or_revised(monkeypatch):
    c = claim()
    lines = card.claim_lines(c, 80, Result([c]), revised=None)
    assert "rule pre-registered" in _text(lines)
    rev = {"date": "2026-12-05", "reason": "why", "change": "", "was": {"margin": 1}, "now": {}}
    text = _text(card.claim_lines(c, 80, Result([c]), revised=rev))
    assert "rule revised after results were seen (2026-12-05): margin 1 → none — why: why" in text
    assert "pre-registered" not in _text(card.claim_lines(c, 80, Result([c]), revised="none"))
    noted = replace(c, note="conservative: the CNN was still improving")
    assert "note: conservative" in _text(card.claim_lines(noted, 80, Result([noted])))


def _text(renderables) -> str:
    from rich.console import Console

    console = Console(width=80, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    for r in renderables:
        console.print(r)
    return " ".join(console.export_text().split())


# -- sequential designs --------------------------------------------------------------------


def test_sequential_design_in_words():
    r = Result([], design={"looks": [5, 10], "seeds": 5, "level": 0.975})
    assert answer.design_sentence(r) == (
        "Sequential design: 5 seeds; more would have been added, up to 10, while a"
        " finding's interval straddled its boundary; each interval is 97.5% (95% split"
        " over 2 looks, so the chance of any wrong decision stays at 5%)."
    )
    r = Result([], design={"looks": [5, 10], "seeds": 10, "level": 0.975}, seeds=10)
    assert "5 seeds at first" in answer.design_sentence(r)
    assert answer.design_sentence(Result([])) == ""


# -- commands, lists -----------------------------------------------------------------------


def test_a_command_never_breaks_inside_an_option():
    cmd = (
        "deepfaq run lstm-vs-gru --profile full --seeds 3 --device cpu --seed-batch 5"
        " --set adding_steps=2000 --set lm_seq=64 --set 'curve_sizes=(250, 1000, 4000)'"
    )
    units = card.command_units(cmd)
    assert "--seed-batch 5" in units and "--set 'curve_sizes=(250, 1000, 4000)'" in units
    for width in range(40, 100, 3):
        lines = [t.plain for t in card._command_lines(cmd, width)]
        joined = " ".join(ln.strip().removesuffix("\\").strip() for ln in lines)
        assert joined == cmd
        for ln in lines:
            assert not ln.rstrip(" \\").endswith(("--set", "--seed-batch", "--seeds", "--device"))


def test_list_wraps_only_between_fields(tmp_path, capsys, monkeypatch):
    from cli_helpers import deepfaq
    from deepfaq import cli

    monkeypatch.setattr(cli.out_console, "_width", 80)
    code, text, _ = deepfaq(capsys, "list", "--out", tmp_path / "none")
    assert code == 0
    lines = text.splitlines()
    assert max(map(len, lines)) <= 80 and all(ln == ln.rstrip() for ln in lines)
    for ln in lines:  # counts never start a line of their own mid-phrase
        assert not ln.lstrip().startswith(("findings,", "checks)", "check)", "supported,"))
    ids = [ln.split()[0] for ln in lines if ln.startswith("  ") and not ln.startswith("   ")]
    assert len(ids) == len(set(ids)) and "zero-init" in ids  # one line starts each question


def test_show_of_an_unknown_id_suggests_the_right_one(capsys):
    from cli_helpers import deepfaq

    code, _, err = deepfaq(capsys, "show", "lstm")
    assert code == 2
    assert err.strip().splitlines() == [
        "error: unknown question 'lstm'; did you mean lstm-vs-gru? (`deepfaq list` shows"
        f" all {len(__import__('deepfaq.catalogue').catalogue.load())})"
    ]


# -- the fast paths behind show ------------------------------------------------------------


def test_mean_interval_without_scipy_agrees_with_stats():
    from deepfaq.core.stats import mean_ci

    rng = np.random.default_rng(0)
    for n in (1, 2, 3, 5, 10, 40):
        x = rng.normal(size=n)
        a, b = light.mean_interval(x), mean_ci(x)
        assert a.n == b.n and a.estimate == b.estimate
        if n > 1:
            assert a.lo == pytest.approx(b.lo, rel=1e-10) and a.hi == pytest.approx(b.hi, rel=1e-10)
    scipy_stats = pytest.importorskip("scipy.stats")
    for df in (1, 2, 4, 9, 30, 200):
        for q in (0.975, 0.9875):
            assert light.t_quantile(q, df) == pytest.approx(scipy_stats.t.ppf(q, df), rel=1e-9)


def test_references_without_series_from_the_cache(tmp_path, monkeypatch):
    from deepfaq import reference

    monkeypatch.setenv("DEEPFAQ_CACHE", str(tmp_path))
    full = reference.load_all("zero-init")
    for _ in range(2):  # built, then read from the cache
        light_refs = light.references("zero-init")
        assert [r.profile for r in light_refs] == [r.profile for r in full]
        for a, b in zip(light_refs, full, strict=True):
            assert a.series == {} and a.claims == b.claims and a.metrics == b.metrics
            assert a.reference == b.reference and a.environment == b.environment
    cached = sorted((tmp_path / "reference-cards").glob("zero-init-*.json"))
    assert len(cached) == len(full)
    cached[0].write_text("{damaged")  # a damaged entry is rebuilt from the file
    assert light.references("zero-init")[0].claims == full[0].claims
    assert json.loads(cached[0].read_text())["question"] == "zero-init"
