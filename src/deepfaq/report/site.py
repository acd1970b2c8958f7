"""A static, self-contained HTML report: index + one page per question.

Reads only the results store (and each question's text); copies figures next to
the pages and loads nothing from any other host.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from deepfaq.core.errors import DeepfaqError
from deepfaq.core.question import Registry
from deepfaq.core.stats import mean_ci
from deepfaq.core.store import Store, atomic_write_text
from deepfaq.report.answer import interval, num, render_answer

_md = MarkdownIt("commonmark").enable("table")
_env = Environment(loader=PackageLoader("deepfaq.report", "templates"),
                   autoescape=select_autoescape(["html"]))
_env.globals.update(num=num, interval=interval)


def _anchor_rows(question, result) -> list[dict]:
    rows = []
    for a in question.anchors:
        ours, ours_ci = "—", "—"
        if a.metric and a.metric in result.metrics:
            iv = mean_ci(result.metrics[a.metric])
            ours = num(iv.estimate) if not math.isnan(iv.estimate) else "n/a"
            ours_ci = interval(iv.lo, iv.hi)
        rows.append({"quantity": a.quantity, "published": a.published, "source": a.source,
                     "note": a.note, "ours": ours, "ours_ci": ours_ci})
    return rows


def build(store: Store, registry: Registry, out: Path) -> Path:
    """Write the site into ``out`` and return the index path."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DeepfaqError(f"cannot write the report to {out}: {e.strerror}") from None
    rows = []
    for q in registry:
        result = store.load_latest(q.id)
        rows.append({"q": q, "result": result})
        if result is None:
            continue
        run_dir = store.run_dir(q.id, result.profile, result.config_hash)
        fig_dir = out / q.id
        fig_dir.mkdir(exist_ok=True)
        figures = []
        for rel in result.figures:
            src = run_dir / rel
            if not src.exists():
                continue  # a figure deleted by hand: the page says less, not wrong
            shutil.copyfile(src, fig_dir / src.name)
            data = src.with_suffix(".json")
            if data.exists():
                shutil.copyfile(data, fig_dir / data.name)
            figures.append({"name": src.stem, "src": f"{q.id}/{src.name}",
                            "data": f"{q.id}/{data.name}"})
        page = _env.get_template("question.html").render(
            q=q, r=result, env=result.environment, figures=figures,
            answer_html=Markup(_md.render(render_answer(q, result))),
            anchors=_anchor_rows(q, result),
            config_text=json.dumps(result.config),
        )
        atomic_write_text(out / f"{q.id}.html", page)
    built = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    index = _env.get_template("index.html").render(rows=rows, built=built)
    atomic_write_text(out / "index.html", index)
    return out / "index.html"


