"""The answer text of a question, filled in with the numbers of a stored run, and
the short answer a reader sees first.

Answers are Markdown with Jinja2 placeholders: ``{{ pct(m.acc_constant) }}`` quotes
the mean of a measured metric, ``v["claim-id"]`` is a claim's verdict (a sentence
whose truth depends on it sits inside ``{% if v["claim-id"] == "supported" %}``),
``c["claim-id"]`` the whole claim result (estimate, interval, unit, reason),
``a["key"]`` a published anchor (``a["key"].value``), ``cfg`` the resolved config
and ``n`` the number of seeds. Rendering is sandboxed and strict: a misspelt name
is an error, not an empty string. Measured numbers are never typed into the text.

The short answer (card, page and index alike) is the question's ``one_line`` — one
sentence answering the question as asked, its wording chosen by the verdicts of the
claims it rests on — then two to four evidence bullets, the question's
``key_claims`` in the order a reader needs them, each with its verdict in one word,
its estimate in units a student reads, and the machine that measured it where the
statement depends on the machine. A claim designed to come out refuted (a
demonstration that a loose statement is false as stated) reads as such, never as a
failing check.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from deepfaq.core.claims import by_verdict
from deepfaq.core.question import Question
from deepfaq.core.store import RunResult
from deepfaq.core.units import interval_with_unit, num, with_unit  # noqa: F401 (re-exported)

#: The three verdicts, the one word each is shown as everywhere.
VERDICTS = ("supported", "refuted", "inconclusive")


def pct(x: float) -> str:
    x = float(x)
    return "n/a" if math.isnan(x) else f"{100 * x:.1f}%"


def interval(lo: float, hi: float) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "—"
    return f"[{num(lo)}, {num(hi)}]"


# -- units a student reads -----------------------------------------------------------------

#: Logarithmic units: shown with the factor they stand for ("6.76 in log₂, a factor of 108").
_LOG_UNITS = {
    "log2": (2.0, "log₂", ""),
    "log10": (10.0, "log₁₀", ""),
    "log2 per layer": (2.0, "log₂", " per layer"),
}
#: Units reworded so that a number reads as a phrase.
_PHRASES = {"fraction of variance": "of the variance"}


def _factor(base: float, x: float) -> str:
    with np.errstate(over="ignore"):
        f = float(np.power(base, x))
    return num(f)


def shown(x: float, unit: str) -> str:
    """An estimate in its claim's unit, as a student reads it: a log-ratio with the
    factor it stands for, a ratio as ``1.33×``, a fraction of variance as a phrase
    (else as :func:`deepfaq.core.units.with_unit`)."""
    x = float(x)
    if not math.isfinite(x):
        return num(x)
    if unit in _LOG_UNITS:
        base, name, per = _LOG_UNITS[unit]
        return f"{num(x)} in {name}{per} (a factor of {_factor(base, x)}{per})"
    if unit.startswith("×"):
        return f"{num(x)}{unit}"
    if unit in _PHRASES:
        return f"{num(x)} {_PHRASES[unit]}"
    return with_unit(x, unit)


def shown_interval(
    lo: float, hi: float, unit: str, n: int = 2, replication="seeds", factors: bool = True
) -> str:
    """A 95% interval as :func:`shown` writes its estimate (``factors=False``: a
    log-ratio's interval without the factors it stands for); says why when there is
    none."""
    if n < 2 or not (math.isfinite(lo) and math.isfinite(hi)):
        return interval_with_unit(lo, hi, unit, n, replication)
    if unit in _LOG_UNITS:
        base, name, per = _LOG_UNITS[unit]
        if not factors:
            return f"[{num(lo)}, {num(hi)}] in {name}{per}"
        return (
            f"[{num(lo)}, {num(hi)}] in {name}{per}"
            f" (a factor of {_factor(base, lo)} to {_factor(base, hi)}{per})"
        )
    if unit.startswith("×"):
        return f"[{num(lo)}, {num(hi)}]{unit}"
    if unit in _PHRASES:
        return f"[{num(lo)}, {num(hi)}] {_PHRASES[unit]}"
    return interval_with_unit(lo, hi, unit, n, replication)


# -- verdicts, checks and demonstrations ---------------------------------------------------


def is_demonstration(c) -> bool:
    """A check designed to come out refuted: a loose statement shown false as stated
    (init-scale's "N(0, 1/d) stays within ±1/√d")."""
    return c.kind == "identity" and c.expected == "refuted"


def verdict_note(c) -> str:
    """What qualifies a claim's verdict word: '' (a plain verdict), 'as expected'
    (a refutation the literature predicts), 'a demonstration, as designed', or
    'against the literature' (a surprise, marked ✱)."""
    if c.verdict == "inconclusive":
        return ""
    if c.surprise:
        return "against the literature"
    if c.expected == "refuted":
        return "a demonstration, as designed" if c.kind == "identity" else "as expected"
    return ""


def verdict_label(c) -> str:
    """'supported', 'refuted, as expected', 'refuted ✱ against the literature', …"""
    note = verdict_note(c)
    if not note:
        return c.verdict
    if c.surprise:
        return f"{c.verdict} ✱ {note}"
    return f"{c.verdict}, {note}"


def _checks(claims) -> dict[str, int]:
    """Checks of the code (identities) by outcome: a check passes when its verdict is
    the one designed (demonstrations come out refuted)."""
    out = {"pass": 0, "demo": 0, "fail": 0, "inconclusive": 0}
    for c in claims:
        if c.kind != "identity":
            continue
        if c.verdict == "inconclusive":
            out["inconclusive"] += 1
        elif c.verdict == c.expected:
            out["pass"] += 1
            out["demo"] += c.expected == "refuted"
        else:
            out["fail"] += 1
    return out


def counts_line(claims) -> str:
    """'findings: 3 supported, 1 inconclusive · checks: all 7 pass (1 a demonstration)'."""
    from deepfaq.core.claims import tally

    parts = []
    f = tally(claims)["empirical"]
    if sum(f.values()):
        parts.append("findings: " + ", ".join(f"{k} {v}" for v, k in f.items() if k))
    k = _checks(claims)
    n = k["pass"] + k["fail"] + k["inconclusive"]
    if n:
        demo = f" ({k['demo']} a demonstration)" if k["demo"] == 1 else ""
        demo = demo or (f" ({k['demo']} demonstrations)" if k["demo"] else "")
        if k["pass"] == n:
            parts.append(f"checks: all {n} pass{demo}" if n > 1 else f"the check passes{demo}")
        else:
            rest = [f"{k['fail']} fail{'s' * (k['fail'] == 1)}"] if k["fail"] else []
            rest += [f"{k['inconclusive']} inconclusive"] if k["inconclusive"] else []
            parts.append(f"checks: {k['pass']} of {n} pass{demo}, " + ", ".join(rest))
    return " · ".join(parts)


def counts_sentence(claims) -> str:
    """'4 findings: 2 supported, 1 refuted, 1 inconclusive; all 7 checks of the code
    pass, one of them a demonstration refuted by design.' (Checks, identities that
    test the code, are counted apart; a check passes when it comes out as designed.)"""
    from deepfaq.core.claims import tally

    f = tally(claims)["empirical"]
    k = _checks(claims)
    n_f, n_k = sum(f.values()), k["pass"] + k["fail"] + k["inconclusive"]
    listed = ", ".join(f"{f[v]} {v}" for v in VERDICTS if f[v])
    parts = [f"{n_f} finding{'s' * (n_f != 1)}: {listed}" if n_f else "No findings"]
    demo = ""
    if k["demo"] == 1:
        demo = (
            " (a demonstration, refuted by design)"
            if n_k == 1
            else ", one of them a demonstration refuted by design"
        )
    elif k["demo"]:
        demo = f", {k['demo']} of them demonstrations refuted by design"
    if n_k == 1:
        outcome = (
            "passes" if k["pass"] else "fails" if k["fail"] else "is inconclusive"
        )  # one check
        parts.append(f"the check of the code {outcome}{demo}")
    elif n_k and k["pass"] == n_k:
        parts.append(f"all {n_k} checks of the code pass{demo}")
    elif n_k:
        parts.append(f"{k['pass']} of {n_k} checks of the code pass{demo}")
    return "; ".join(parts) + "."


# -- the machine a statement depends on ----------------------------------------------------

_THIS_MACHINE = re.compile(r"\b([Oo])n this (?:device|machine|computer)\b")


def is_reference(result) -> bool:
    """Whether ``result`` is a shipped reference (False for no result at all)."""
    return result is not None and result.is_reference


def machine(result) -> str:
    """The machine that measured ``result``, in words: 'the machine that built this
    reference (CPU: x86_64, 2 cores)'."""
    env = getattr(result, "environment", None) or {}
    device = str(env.get("device") or "cpu")
    name = str(env.get("device_name") or "").strip()
    cores = env.get("cpu_count")
    what = device.upper() if device in ("cpu", "cuda", "mps") else device
    if device == "cuda":
        what = "GPU"
    details = ", ".join(
        p for p in (name, f"{cores} cores" if device == "cpu" and cores else "") if p
    )
    owner = (
        "the machine that built this reference"
        if is_reference(result)
        else "the machine that ran it"
    )
    return f"{owner} ({what}{': ' + details if details else ''})"


def device_bound(c, timings=()) -> bool:
    """Whether a claim's outcome depends on the machine: its statement says "on this
    device", or its rule reads a metric measured with a clock."""
    if _THIS_MACHINE.search(c.statement):
        return True
    return any(re.search(rf"(?<![\w.]){re.escape(t)}(?![\w])", c.rule or "") for t in timings)


def statement(c, result=None, timings=()) -> str:
    """A claim's statement as a reader should see it: "on this device" names the
    machine that measured it, and a statement that depends on the machine without
    saying so says where it was measured."""
    text = c.statement.strip()
    if result is None:
        return text
    if _THIS_MACHINE.search(text):
        return _THIS_MACHINE.sub(lambda m: f"{m.group(1)}n {machine(result)}", text)
    if device_bound(c, timings):
        end = "." if text.endswith(".") else ""
        return f"{text.rstrip('.')} (measured on {machine(result)}){end}"
    return text


# -- reasons in words ----------------------------------------------------------------------


def in_words(text: str, words: Mapping[str, str] | None) -> str:
    """``text`` with every raw output name it quotes replaced by the output's declared
    description (for results stored before their question declared its outputs)."""
    if not words or not text:
        return text
    names = sorted((n for n in words if n in text), key=len, reverse=True)
    for n in names:
        text = re.sub(rf"(?<![\w.]){re.escape(n)}(?![\w])", words[n], text)
    return text


def _kind_of(p) -> str:
    if p.type:
        return p.type
    s = p.statement
    if "last fifth" in s or "over the last" in s:
        return "Converged"
    if " above " in s or " below " in s:
        return "Beats"
    if s.startswith("at least") and "items" in s:
        return "EnoughItems"
    return ""


def precondition_words(p, words: Mapping[str, str] | None = None) -> str:
    """A failed precondition in plain words: what was measured, and what it means for
    the verdict."""
    detail = in_words(p.detail, words)
    kind = _kind_of(p)
    if kind == "Converged":
        if any(w in detail for w in ("still improving", "still falling", "still rising")):
            return f"{detail}, so a longer run could change the verdict"
        if "getting worse" in detail:
            return f"{detail}, so the end of training is not a fair comparison"
        return detail
    if kind == "Beats":
        margin = p.params.get("margin") if isinstance(p.params, dict) else None
        need = (
            f" (it must be ahead by at least {margin:g})" if isinstance(margin, int | float) else ""
        )
        return f"not clearly trained: {detail}{need}"
    if kind == "EnoughItems":
        need = p.params.get("at_least") if isinstance(p.params, dict) else None
        return f"too few items: {detail}" + (f", {need:,} needed" if isinstance(need, int) else "")
    return detail


def blocking(c) -> list:
    """The failed preconditions that made a claim inconclusive (those its reason names)."""
    reason = c.reason or ""
    return [
        p
        for p in c.preconditions
        if not p.holds and f"precondition failed: {p.statement}" in reason
    ]


def plain_reason(c, words: Mapping[str, str] | None = None) -> str | None:
    """Why a claim is inconclusive, in plain words: each failed precondition as what
    was measured and what it means (the raw condition stays in
    :func:`raw_conditions`); otherwise the stored reason, its output names in words."""
    if not c.reason:
        return None
    failed = blocking(c)
    if failed:
        return "; ".join(precondition_words(p, words) for p in failed)
    return in_words(c.reason, words)


def raw_conditions(c) -> list[str]:
    """The conditions behind :func:`plain_reason` as the lock states them."""
    return [f"{p.statement} ({p.detail})" for p in blocking(c)]


def short_reason(c, words: Mapping[str, str] | None = None) -> str:
    """Why a claim is inconclusive, in one clause for a bullet."""
    failed = blocking(c)
    if failed:
        return precondition_words(failed[0], words) + (
            f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
        )
    reason = in_words(c.reason or "", words)
    if "contains the boundary" in reason:
        return "its interval straddles the boundary" + (
            f"; about {c.to_decide:,} {c.replication} would decide it" if c.to_decide else ""
        )
    return reason.split("; ")[0]


# -- rule history (issue 24): pre-registered or revised after results were seen -----------


def revisions(question_id: str) -> dict[str, dict | None] | None:
    """Each claim's last change to its test made after results had been seen (as
    :func:`deepfaq.core.lock.revision` gives it), the lock read once; a claim absent
    from the lock is left out, and None means no lock is found (an installed copy)."""
    from deepfaq.core import lock
    from deepfaq.core.errors import DeepfaqError

    try:
        path = lock.default_path()
        if not path.exists():
            return None
        data = lock.load(path)
    except DeepfaqError:
        return None
    claims = data["questions"].get(question_id, {}).get("claims", {})
    return {cid: _revision_of(entry) for cid, entry in claims.items()}


def _revision_of(entry: dict) -> dict | None:
    """:func:`deepfaq.core.lock.revision` on one lock entry (tested to agree)."""
    from deepfaq.core.lock import RULE_FIELDS

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


def _value(v) -> str:
    if v is None or v == "":
        return "none"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def revision_changes(rev: dict, full: bool = False) -> list[str]:
    """A revision's changes, old → new: the rule, margin, unit, kind and replication
    in full; preconditions counted (``full``: each old and new condition)."""
    was, now = rev.get("was") or {}, rev.get("now") or {}
    out = []
    if "rule" in was:
        out.append(f"rule {_value(was['rule'])} → {_value(now.get('rule'))}")
    elif "rule_spec" in was:
        out.append("the rule's parameters changed")
    for f in ("margin", "unit", "kind", "replication"):
        if f in was:
            out.append(f"{f} {_value(was[f])} → {_value(now.get(f))}")
    if "preconditions" in was:
        old = [str(p.get("text", p)) for p in was["preconditions"] or [] if p]
        new = [str(p.get("text", p)) for p in now.get("preconditions") or [] if p]
        gone, added = [t for t in old if t not in new], [t for t in new if t not in old]
        if full:
            out += [f"precondition {a} → {b}" for a, b in zip(gone, added, strict=False)]
            out += [f"precondition dropped: {t}" for t in gone[len(added) :]]
            out += [f"precondition added: {t}" for t in added[len(gone) :]]
        elif gone or added:
            n = max(len(gone), len(added))
            out.append(f"{n} precondition{'s' * (n != 1)} reworded or retuned")
    if "exempt" in was:
        out.append("its calibration exemptions changed")
    if not out:
        out.append(rev.get("change") or "its test changed")
    return out


def _first_clause(text: str, most: int = 150) -> str:
    text = " ".join(text.split())
    cut = re.split(r"(?<=[.;:])\s", text, maxsplit=1)[0].rstrip(".;:")
    if len(cut) > most:
        cut = cut[: most - 1].rsplit(" ", 1)[0] + "…"
    return cut


def revision_line(rev: dict | None, full: bool = False) -> str:
    """One line: 'rule pre-registered', or 'rule revised after results were seen
    (2026-12-05): margin 0.05 → 0.1 — why: …' (``full``: every change and the whole
    reason; otherwise the first clause of the reason)."""
    if rev is None:
        return "rule pre-registered (unchanged since before results were seen)"
    changes = revision_changes(rev, full)
    if not full and len(changes) > 2:
        changes = [*changes[:2], f"{len(changes) - 2} more"]
    reason = (
        " ".join(str(rev.get("reason") or "").split())
        if full
        else _first_clause(str(rev.get("reason") or ""))
    )
    date = f" ({rev['date']})" if rev.get("date") else ""
    return f"rule revised after results were seen{date}: {'; '.join(changes)}" + (
        f" — why: {reason}" if reason else ""
    )


# -- sequential designs --------------------------------------------------------------------


def design_sentence(result) -> str:
    """A sequential design in words: '5 seeds; more would have been added, up to 10,
    while a finding's interval straddled its boundary; each interval is 97.5% (95%
    split over 2 looks).' Empty for a run with one look."""
    d = getattr(result, "design", None) or {}
    looks = [int(k) for k in d.get("looks") or [] if isinstance(k, int | float)]
    if len(looks) < 2:
        return ""
    used = int(d.get("seeds") or len(result.seeds))
    level = float(d.get("level") or 0.95)
    each = f"{100 * level:.4g}%"
    if used >= looks[-1]:
        first = (
            f"{looks[0]} seeds at first; a finding's interval straddled its boundary, so"
            f" seeds were added up to {used}"
        )
    elif used > looks[0]:
        first = (
            f"{used} seeds: started at {looks[0]}, added while a finding's interval"
            f" straddled its boundary (at most {looks[-1]})"
        )
    else:
        first = (
            f"{used} seeds; more would have been added, up to {looks[-1]}, while a"
            " finding's interval straddled its boundary"
        )
    return (
        f"Sequential design: {first}; each interval is {each} (95% split over"
        f" {len(looks)} looks, so the chance of any wrong decision stays at 5%)."
    )


# -- rendering templates -------------------------------------------------------------------

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


# -- profiles ------------------------------------------------------------------------------

#: What each profile's label says beside its numbers, wherever they appear.
PROFILE_NOTES = {
    "smoke": "a smoke run, which only tests that the code runs: its numbers answer nothing",
    "quick": "the quick budget",
    "full": "the full budget",
    "paper": "the published scale",
}

#: What each profile is, for the badge's tooltip and the glossary.
PROFILE_EXPLAINED = {
    "smoke": "seconds of training on 1–2 seeds; it only tests that the code runs, and its"
    " numbers answer nothing",
    "quick": "the default budget: minutes per question on two CPU cores, at least 5 seeds,"
    " sized so that the claims can be decided",
    "full": "the shipped answer's budget: 10 seeds and training long enough for every arm"
    " to level off; the whole catalogue within two hours on two CPU cores",
    "paper": "the published scale, for a GPU or a cluster",
}
REFERENCE_EXPLAINED = (
    "a reference result ships with deepfaq: measured on the machine named beside it, not on"
    " yours; `deepfaq run ID` measures it on yours"
)


def profile_label(result: RunResult) -> str:
    """'smoke run · 2 seeds', shown beside every number of a run; 'reference · quick
    run · 5 seeds' for the reference result shipped with deepfaq."""
    n = len(result.seeds)
    kind = {
        "smoke": "smoke run",
        "quick": "quick run",
        "full": "full run",
        "paper": "paper-scale run",
    }
    ref = result.reference_block
    what = kind.get(result.profile, result.profile + " run")
    label = f"{what} · {n} seed{'s' * (n != 1)}"
    return f"reference · {label}" if ref else label


def profile_tooltip(result: RunResult) -> str:
    """The badge's explanation on hover (and the glossary's entry it links to)."""
    what = PROFILE_EXPLAINED.get(result.profile, f"the {result.profile} profile")
    text = f"{result.profile} run: {what}."
    if is_reference(result):
        text = f"Reference: {REFERENCE_EXPLAINED.replace('ID', result.question)}. " + text
    return text


# -- the short answer ----------------------------------------------------------------------


def key_findings(result: RunResult, most: int = 3, timings=()) -> list:
    """The findings a short answer quotes when the question names no key claims:
    decided ones first (in the question's order; those that depend on the machine
    after the others), then inconclusive ones, at most ``most``; a statement that
    continues the one before it ("…and so do") last."""
    findings = [c for c in result.claims if c.kind == "empirical"]
    whole = [c for c in findings if not c.statement.lstrip().startswith("…")]
    rest = [c for c in findings if c not in whole]
    decided = [c for c in whole if c.verdict != "inconclusive"]
    ordered = (
        [c for c in decided if not device_bound(c, timings)]
        + [c for c in decided if device_bound(c, timings)]
        + [c for c in whole if c.verdict == "inconclusive"]
        + rest
    )
    return ordered[:most]


def evidence(question, result: RunResult, most: int = 4) -> list:
    """The claims the short answer lists: the question's key claims in its order (at
    most ``most``), else :func:`key_findings`."""
    by_id = {c.id: c for c in result.claims}
    keys = [by_id[k] for k in getattr(question, "key_claims", ()) or () if k in by_id]
    timings = tuple(getattr(question, "timings", ()) or ())
    return keys[:most] if keys else key_findings(result, timings=timings)


def interval_label(c) -> str:
    """What a claim's interval is: '95%' (of the mean; '97.5%' per look of a
    sequential design), or 'range' for an identity, which is judged on every seed or
    item (its interval is their range)."""
    return "range" if c.kind == "identity" else f"{100 * getattr(c, 'level', 0.95):.3g}%"


def measured(c) -> str:
    """What was measured, for a bullet: '0.53 points, 95% interval [−0.9, 1.9] points,
    3 seeds'; an identity, judged on every seed: '4 on every seed' or '0.114 in log₂
    (a factor of 1.08) on average, from 0.0901 to 0.138 over 3 seeds'."""
    est = shown(c.estimate, c.unit)
    lo, hi = c.ci
    one = c.replication[:-1]
    if c.n < 2 or not (math.isfinite(lo) and math.isfinite(hi)):
        return f"{est} ({interval_with_unit(lo, hi, c.unit, c.n, c.replication)})"
    if c.kind == "identity":
        if lo == hi:
            return f"{est} on every {one}"
        return f"{est} on average, from {num(lo)} to {num(hi)} over {c.n} {c.replication}"
    iv = shown_interval(lo, hi, c.unit, c.n, c.replication, factors=False)
    return f"{est}, {interval_label(c)} interval {iv}, {c.n} {c.replication}"


def evidence_bullet(c, result, words=None, timings=()) -> str:
    """One evidence bullet in Markdown: verdict, statement, what was measured."""
    label = f"**{c.verdict}**"
    note = verdict_note(c)
    if note:
        label += f" ✱ {note}" if c.surprise else f", {note}"
    text = statement(c, result, timings).rstrip(".")
    tail = f"measured {measured(c)}"
    if c.verdict == "inconclusive" and c.reason:
        tail += f"; inconclusive because {short_reason(c, words)}"
    return f"- {label} — {text}. *({tail}.)*"


def _own_sentence(question, result: RunResult) -> str | None:
    """The question's one-sentence answer (its ``one_line``, else the first sentence
    of its own ``short``), or None; a stale template gets the stale note."""
    from jinja2 import UndefinedError

    for attr in ("one_line", "short"):
        template = getattr(question, attr, "") or ""
        if not template.strip():
            continue
        try:
            text = " ".join(render_template(template, question, result).split())
        except UndefinedError as e:
            return stale_note(question, result, e)
        if not text:
            continue
        if attr == "short":
            text = text.split(". ")[0].rstrip(".") + "."
        return text if text[-1] in ".!?…)" else text + "."
    return None


def words_of(question) -> dict[str, str]:
    """The question's declared outputs in words, by name (empty when undeclared)."""
    words = getattr(question, "output_words", None)  # a catalogue entry's
    if isinstance(words, Mapping):
        return dict(words)
    outputs = getattr(question, "outputs", ()) or ()
    return {o.name: o.description for o in outputs}


def short_answer(question, result: RunResult, rerun: str | None = "") -> str:
    """The short answer in Markdown: the one-sentence answer (the question's
    ``one_line``; without one, the verdict counts), the evidence bullets, the counts
    of findings and checks, and, for a smoke run, that it answers nothing (with
    ``rerun``, default ``deepfaq run ID``; ``rerun=None`` leaves that to the caller)."""
    words, timings = words_of(question), tuple(getattr(question, "timings", ()) or ())
    own = _own_sentence(question, result)
    lines = [own or counts_sentence(result.claims), ""]
    lines += [evidence_bullet(c, result, words, timings) for c in evidence(question, result)]
    if own:
        lines += ["", f"*{counts_sentence(result.claims)}*"]
    if result.profile == "smoke" and rerun is not None:
        rerun = rerun or f"deepfaq run {result.question}"
        lines.append(
            f"\n*These numbers come from {PROFILE_NOTES['smoke']}."
            f" `{rerun}` runs the quick budget.*"
        )
    return "\n".join(lines)


def finding_sentence(c, result=None, timings=()) -> str:
    """A claim as one plain sentence: 'Supported: … (measured: 0.53 points).'"""
    note = verdict_note(c)
    word = c.verdict.capitalize() + (f" ✱ {note}" if c.surprise else f", {note}" if note else "")
    text = statement(c, result, timings).rstrip(".")
    return f"{word}: {text} (measured: {shown(c.estimate, c.unit)})."


def one_line(question, result: RunResult) -> str:
    """The index's one-line answer: the question's one sentence, else its first
    evidence claim as a sentence, else the counts."""
    own = _own_sentence(question, result)
    if own:
        return own.replace("*", "")
    found = evidence(question, result, 1)
    timings = tuple(getattr(question, "timings", ()) or ())
    return finding_sentence(found[0], result, timings) if found else counts_sentence(result.claims)


# -- published results ---------------------------------------------------------------------


def anchor_rows(question, result: RunResult) -> list[dict]:
    """Each published number beside our comparable measurement in the anchor's unit,
    labelled with our run's profile; an anchor with no comparable metric says so
    (with its note) instead of inviting a comparison."""
    from deepfaq.report.light import mean_interval

    rows = []
    for a in question.anchors:
        ours, ours_ci, comparable = "", "", a.metric is not None
        if comparable and a.metric in result.metrics:
            iv = mean_interval(result.metrics[a.metric])
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
