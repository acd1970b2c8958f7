"""The answer text of a question, filled in with the numbers of a stored run.

Answers are Markdown with Jinja2 placeholders: ``{{ pct(m.acc_constant) }}`` quotes
the mean of a measured metric, ``v["claim-id"]`` is a claim's verdict (a sentence
whose truth depends on it sits inside ``{% if v["claim-id"] == "supported" %}``),
``c["claim-id"]`` the whole claim result (estimate, interval, unit, reason),
``a["key"]`` a published anchor (``a["key"].value``), ``cfg`` the resolved config
and ``n`` the number of seeds. Rendering is sandboxed and strict: a misspelt name
is an error, not an empty string. Measured numbers are never typed into the text.
"""

from __future__ import annotations

import math

import numpy as np
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from deepfaq.core.claims import by_verdict
from deepfaq.core.question import Question
from deepfaq.core.store import RunResult
from deepfaq.core.units import interval_with_unit, num, with_unit  # noqa: F401 (re-exported)


def pct(x: float) -> str:
    x = float(x)
    return "n/a" if math.isnan(x) else f"{100 * x:.1f}%"


def interval(lo: float, hi: float) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "—"
    return f"[{num(lo)}, {num(hi)}]"


def counts_line(claims) -> str:
    """'findings: 3 supported, 1 inconclusive · checks: 2 supported'."""
    from deepfaq.core.claims import tally

    parts = []
    for kind, label in (("empirical", "findings"), ("identity", "checks")):
        counts = tally(claims)[kind]
        total = sum(counts.values())
        if total:
            parts.append(f"{label}: " + ", ".join(f"{k} {v}" for v, k in counts.items() if k))
    return " · ".join(parts)


_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


def render_answer(question: Question, result: RunResult) -> str:
    """The answer's Markdown with measured numbers filled in."""
    return render_template(question.answer, question, result)


def stale_note(question, result: RunResult, error: Exception) -> str:
    """Said in place of a text that quotes a number the stored run lacks: the run
    was made by an older version of the question."""
    missing = getattr(error, "message", None) or str(error)
    return (
        f"*This text quotes a number the stored run does not have ({missing}): the run"
        " was made by an older version of the question. `deepfaq run"
        f" {result.question} --profile {result.profile}` brings it up to date.*"
    )


def answer_text(question, result: RunResult) -> str:
    """The rendered answer for display; a run older than the answer gets a note
    instead of an error (``render_answer`` itself stays strict)."""
    from jinja2 import UndefinedError

    try:
        return render_answer(question, result)
    except UndefinedError as e:
        return stale_note(question, result, e)


def render_template(template: str, question: Question, result: RunResult) -> str:
    """A question's template (its answer, or its short answer) filled in."""
    means = {
        k: float(np.nanmean(v)) if not np.all(np.isnan(v)) else math.nan
        for k, v in result.metrics.items()
    }
    context = {
        "m": means,
        "v": {c.id: c.verdict for c in result.claims},
        "c": {c.id: c for c in result.claims},
        "a": {a.key: a for a in question.anchors if a.key},
        "cfg": result.config,
        "n": len(result.seeds),
        "num": num,
        "pct": pct,
        "with_unit": with_unit,
        "by_verdict": by_verdict,
    }
    return _ENV.from_string(template).render(**context).strip()


# -- the short answer ----------------------------------------------------------------------

#: What each profile's label says beside its numbers, wherever they appear.
PROFILE_NOTES = {
    "smoke": "a smoke run, which only tests that the code runs: its numbers answer nothing",
    "quick": "the quick budget",
    "full": "the full budget",
    "paper": "the published scale",
}


def profile_label(result: RunResult) -> str:
    """'smoke run · 2 seeds', shown beside every number of a run; 'reference · quick
    run · 5 seeds' for the reference result shipped with deepfaq ('reference · full
    run, reduced · 3 seeds' for one cut down to fit its machine)."""
    n = len(result.seeds)
    kind = {
        "smoke": "smoke run",
        "quick": "quick run",
        "full": "full run",
        "paper": "paper-scale run",
    }
    ref = getattr(result, "reference", None)
    what = kind.get(result.profile, result.profile + " run")
    if ref and ref.get("reduced"):
        what += ", reduced"
    label = f"{what} · {n} seed{'s' * (n != 1)}"
    return f"reference · {label}" if ref else label


def key_findings(result: RunResult, most: int = 3) -> list:
    """The findings a short answer quotes: decided ones first (in the question's
    order), then inconclusive ones, at most ``most``."""
    findings = [c for c in result.claims if c.kind == "empirical"]
    decided = [c for c in findings if c.verdict != "inconclusive"]
    rest = [c for c in findings if c.verdict == "inconclusive"]
    return (decided + rest)[:most]


def counts_sentence(claims) -> str:
    """'4 findings: 2 supported, 1 refuted, 1 inconclusive; the 2 checks of the
    code pass.' (Checks, identities that test the code, are counted apart.)"""
    from deepfaq.core.claims import tally

    t = tally(claims)
    f, k = t["empirical"], t["identity"]
    n_f, n_k = sum(f.values()), sum(k.values())
    listed = ", ".join(f"{f[v]} {v}" for v in ("supported", "refuted", "inconclusive") if f[v])
    parts = [f"{n_f} finding{'s' * (n_f != 1)}: {listed}" if n_f else "No findings"]
    if n_k == 1:
        parts.append("the check of the code " + ("passes" if k["supported"] else "fails"))
    elif n_k and k["supported"] == n_k:
        parts.append(f"all {n_k} checks of the code pass")
    elif n_k:
        parts.append(f"{k['supported']} of {n_k} checks of the code pass")
    return "; ".join(parts) + "."


def _finding_sentence(c) -> str:
    verdict = {"supported": "Supported", "refuted": "Refuted", "inconclusive": "Not decided"}[
        c.verdict
    ]
    statement = c.statement.strip().rstrip(".")
    measured = with_unit(c.estimate, c.unit)
    mark = " ✱ (against the literature)" if c.surprise else ""
    why = ""
    if c.verdict == "inconclusive":
        why = (
            "; a precondition failed"
            if (c.reason or "").startswith("precondition")
            else "; its interval contains the boundary"
            if "contains the boundary" in (c.reason or "")
            else ""
        )
    return f"**{verdict}{mark}:** {statement} (measured: {measured}{why})."


def short_answer(question, result: RunResult, rerun: str | None = "") -> str:
    """Two or three sentences in Markdown: the question's own ``short`` template
    when it has one, else the verdict counts and the key findings with their
    measured estimates. A smoke run says it answers nothing and suggests ``rerun``
    (default ``deepfaq run ID``); ``rerun=None`` leaves that to the caller."""
    lines = []
    own = getattr(question, "short", "")
    if own:
        from jinja2 import UndefinedError

        try:
            lines.append(render_template(own, question, result))
        except UndefinedError as e:
            lines.append(stale_note(question, result, e))
    else:
        lines.append(counts_sentence(result.claims))
        lines += [f"- {_finding_sentence(c)}" for c in key_findings(result)]
    if result.profile == "smoke" and rerun is not None:
        rerun = rerun or f"deepfaq run {result.question}"
        lines.append(
            f"\n*These numbers come from {PROFILE_NOTES['smoke']}."
            f" `{rerun}` runs the quick budget.*"
        )
    return "\n".join(lines)


def one_line(question, result: RunResult) -> str:
    """The index's one-line answer: the first sentence of the question's own short
    answer, else its first key finding."""
    own = getattr(question, "short", "")
    if own:
        text = " ".join(short_answer(question, result).split())
        return text.split(". ")[0].rstrip(".") + "."
    found = key_findings(result, 1)
    return (
        _finding_sentence(found[0]).replace("**", "") if found else counts_sentence(result.claims)
    )


def anchor_rows(question, result: RunResult) -> list[dict]:
    """Each published number beside our comparable measurement in the anchor's unit,
    labelled with our run's profile; an anchor with no comparable metric says so
    (with its note) instead of inviting a comparison."""
    from deepfaq.core.stats import mean_ci

    rows = []
    for a in question.anchors:
        ours, ours_ci, comparable = "", "", a.metric is not None
        if comparable and a.metric in result.metrics:
            iv = mean_ci(result.metrics[a.metric])
            ours = with_unit(iv.estimate, a.unit) if not math.isnan(iv.estimate) else "n/a"
            ours_ci = interval_with_unit(iv.lo, iv.hi, a.unit, iv.n)
        elif comparable:
            ours = "n/a (not measured in this run)"
        # A bare number as the source prints it ("84.4") is shown in its unit.
        published = a.published
        if a.value is not None and not any(ch.isalpha() for ch in published):
            published = with_unit(a.value, a.unit)
        rows.append(
            {
                "quantity": a.quantity,
                "published": published,
                "source": a.source,
                "note": a.note,
                "comparable": comparable,
                "ours": ours,
                "ours_ci": ours_ci,
                "metric": a.metric or "",
                "unit": a.unit,
                "profile": profile_label(result),
            }
        )
    return rows
