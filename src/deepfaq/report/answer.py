"""The answer text of a question, filled in with the numbers of a stored run.

Answers are Markdown with Jinja2 placeholders: ``{{ pct(m.acc_constant) }}`` quotes
the mean of a measured metric, ``v["claim-id"]`` is a claim's verdict, ``cfg`` the
resolved config and ``n`` the number of seeds. Rendering is sandboxed and strict:
a misspelt name is an error, not an empty string.
"""

from __future__ import annotations

import math

import numpy as np
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from deepfaq.core.question import Question
from deepfaq.core.store import RunResult


def num(x: float, digits: int = 3) -> str:
    """A number for prose: 3 significant digits, thousands separated."""
    x = float(x)
    if math.isnan(x):
        return "n/a"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    if abs(x) >= 1000 or (x == int(x) and abs(x) >= 10):
        return f"{x:,.0f}"
    if abs(x) < 1e-3:
        return f"{x:.{max(digits - 1, 1)}e}"
    return f"{x:.{digits}g}"


def pct(x: float) -> str:
    x = float(x)
    return "n/a" if math.isnan(x) else f"{100 * x:.1f}%"


def interval(lo: float, hi: float) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "—"
    return f"[{num(lo)}, {num(hi)}]"


_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


def render_answer(question: Question, result: RunResult) -> str:
    """The answer's Markdown with measured numbers filled in."""
    means = {k: float(np.nanmean(v)) if not np.all(np.isnan(v)) else math.nan
             for k, v in result.metrics.items()}
    context = {
        "m": means,
        "v": {c.id: c.verdict for c in result.claims},
        "cfg": result.config,
        "n": len(result.seeds),
        "num": num,
        "pct": pct,
    }
    return _ENV.from_string(question.answer).render(**context).strip()
