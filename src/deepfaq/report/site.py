"""A static, self-contained HTML report: index + one page per question.

Reads the results store, each question's text and the shipped reference results (for a
question not run, labelled as such); copies figures, their
tidy CSVs and each run's per-seed metrics next to the pages and loads nothing
from any other host. Every page opens with its short answer and has ids on every
section and claim, a contents list, previous/next links, related questions and
references; the index groups the questions by topic, one line of answer each,
with a search box over an index embedded in the page (no script from elsewhere).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import math
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from deepfaq import catalogue, reference
from deepfaq.catalogue import by_topic
from deepfaq.core import figures as figs
from deepfaq.core import lock
from deepfaq.core.errors import DamagedFile, DeepfaqError
from deepfaq.core.store import (
    MAX_POINTER_BYTES,
    MAX_RESULT_BYTES,
    MiB,
    Store,
    atomic_write,
    atomic_write_json,
    atomic_write_text,
    inside,
    parse_json,
    read_bounded,
    read_json,
    safe_relative,
)
from deepfaq.report.answer import (
    PROFILE_EXPLAINED,
    REFERENCE_EXPLAINED,
    anchor_rows,
    answer_text,
    counts_line,
    design_sentence,
    interval_label,
    interval_with_unit,
    num,
    one_line,
    plain_reason,
    profile_label,
    profile_tooltip,
    raw_conditions,
    revision_line,
    revisions,
    short_answer,
    shown,
    shown_interval,
    statement,
    verdict_note,
    with_unit,
    words_of,
)
from deepfaq.report.card import run_command
from deepfaq.report.figtext import alt_text, panel_count, phone_width

# Raw HTML in an answer is shown as text: a stored string (a verdict, a config
# value) quoted in the answer can never inject markup or script into the page.
_md = MarkdownIt("commonmark", {"html": False}).enable("table")
_env = Environment(
    loader=PackageLoader("deepfaq.report", "templates"), autoescape=select_autoescape(["html"])
)


def command_html(command: str) -> Markup:
    """A shell command for a page: each option kept on one line with its value
    (``--set lm_seq=64``), breaking only between them (an option too long for a
    phone's line, such as a long folder, may still break inside)."""
    from markupsafe import escape

    from deepfaq.report.card import command_units

    return Markup(
        " ".join(
            f'<span class="unit">{escape(u)}</span>' if len(u) <= 30 else str(escape(u))
            for u in command_units(command)
        )
    )


_env.filters["command"] = command_html
_env.globals.update(
    num=num,
    with_unit=with_unit,
    nan=math.nan,
    interval_with_unit=interval_with_unit,
    shown=shown,
    shown_interval=shown_interval,
)


def _error_rate_note(rows) -> str:
    """How many decisions chance alone could have got wrong, stated up front."""
    decided = [
        c
        for row in rows
        if row["result"]
        for c in row["result"].claims
        if c.kind == "empirical" and c.verdict != "inconclusive"
    ]
    if not decided:
        return "No finding has been decided yet."
    n = len(decided)
    expect = round(0.05 * n)
    worst = (
        "fewer than one of them"
        if expect < 1
        else f"about {expect} of them"
        if expect > 1
        else "about one of them"
    )
    return (
        f"{n} findings were decided (supported or refuted). Each rests on its own 95%"
        " interval (97.5% per look where a sequential design looked twice), not corrected"
        " for the others: a decision about a true value that sits"
        " right at its claim's boundary goes the wrong way by chance once in twenty, so at"
        f" worst {worst} could be wrong."
    )


#: What a damaged stored sweep can raise while it is loaded or drawn into its page.
_DAMAGE = (
    DamagedFile,
    OSError,
    KeyError,
    TypeError,
    ValueError,
    AttributeError,
    IndexError,
    OverflowError,
    RecursionError,
)


def _sweep_pages(store: Store, q, out: Path, problems: list[str]) -> list[dict]:
    """One page per stored sweep of ``q``: the verdict maps and the table of grid
    points, linked from the question's page. A damaged sweep is left out and named
    in ``problems``."""
    from deepfaq.core import sweep as sweeps

    try:
        found = sweeps.load_all(store, q.id)
    except _DAMAGE as e:
        problems.append(f"damaged sweep of {q.id} in {store.root / q.id / 'sweeps'}: {e}")
        return []
    links = []
    for path, sw in found:
        if not (store.contains(path) and safe_relative(path.parent.name)):
            problems.append(f"{path} leads outside the results folder {store.root}")
            continue
        name = f"{q.id}-sweep-{path.parent.name}"
        try:
            figures = []
            names = [f for f in sw.figures if safe_relative(f)]
            if len(names) != len(sw.figures):
                problems.append(f"{path} names a figure outside its folder; left out")
            if names:
                (out / name).mkdir(exist_ok=True)
            for f in names:
                src = path.parent / f
                if _copy_stored(src, out / name / src.name, path.parent, problems):
                    figures.append({"name": src.stem, "src": f"{name}/{src.name}"})
            crossings = sw.crossovers()
            page = _env.get_template("sweep.html").render(
                q=q, sw=sw, figures=figures, crossings=crossings
            )
        except _DAMAGE as e:
            if isinstance(e, OSError) and not isinstance(e, FileNotFoundError):
                raise  # a full disk: every later write would fail too
            problems.append(f"damaged sweep {path}: {e}")
            continue
        atomic_write_text(out / f"{name}.html", page)
        flips = sum(bool(v) for v in crossings.values())
        links.append(
            {
                "href": f"{name}.html",
                "grid": ", ".join(sw.grid),
                "profile": sw.profile,
                "points": len(sw.rows),
                "flips": flips,
            }
        )
    return links


def _html(markdown: str) -> Markup:
    """Markdown as HTML, each table in its own horizontally scrolling box."""
    html = _md.render(markdown)
    html = html.replace("<table>", '<div class="scroll"><table>').replace(
        "</table>", "</table></div>"
    )
    return Markup(html)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _png_css_width(path: Path) -> int | None:
    """The width at which a PNG saved at ``figs.DPI`` shows as sharp as at 1×."""
    try:
        from PIL import Image

        with Image.open(path) as im:
            dpi = float((im.info.get("dpi") or (figs.SCREEN_DPI,))[0]) or figs.SCREEN_DPI
            return round(im.size[0] * figs.SCREEN_DPI / dpi)
    except Exception:  # an unreadable image is still linked; the browser sizes it
        return None


#: The most bytes copied of one figure file (an image, the data drawn, its CSV).
MAX_FIGURE_BYTES = 64 * MiB


def _read_stored(src: Path, root: Path, problems: list[str]) -> bytes | None:
    """The bytes of the stored file ``src``, which must lie inside ``root`` (symbolic
    links followed) and be a regular file of at most ``MAX_FIGURE_BYTES``; None,
    with the reason in ``problems``, if not; None alone if it is missing (a figure
    deleted by hand: the page says less, not wrong)."""
    if not os.path.lexists(src):
        return None
    if not inside(root, src):
        problems.append(f"{src} leads outside the results folder; left out of the report")
        return None
    try:
        return read_bounded(src, MAX_FIGURE_BYTES, "figure file")
    except DamagedFile as e:
        problems.append(f"{e}; left out of the report")
        return None


def _copy_stored(src: Path, dst: Path, root: Path, problems: list[str]) -> bool:
    """Copy the stored file ``src`` (checked as in :func:`_read_stored`) to ``dst``,
    atomically; a write that fails names ``dst``. Whether it was copied."""
    data = _read_stored(src, root, problems)
    if data is None:
        return False
    atomic_write(dst, lambda f: f.write(data))
    return True


def _copy_figures(
    run_dir: Path, names: list[str], fig_dir: Path, prefix: str, problems: list[str]
) -> list[dict]:
    """Copy each figure (``names``, relative to ``run_dir``, which they must not leave)
    with its data; give it alt text, a caption and a tidy CSV."""
    out = []
    for rel in names:
        if not safe_relative(rel):
            problems.append(f"{run_dir} names a figure outside its folder ({rel!r}); left out")
            continue
        src = run_dir / rel
        if not _copy_stored(src, fig_dir / src.name, run_dir, problems):
            continue
        data = None
        drawn = src.with_suffix(".json")
        raw = _read_stored(drawn, run_dir, problems)
        if raw is not None:
            try:
                data = parse_json(raw, drawn, "figure data")
            except DamagedFile:
                data = None  # the image stays; its description is generic
            else:
                atomic_write(fig_dir / drawn.name, lambda f, raw=raw: f.write(raw))
        table = src.with_suffix(".csv")
        if not _copy_stored(table, fig_dir / table.name, run_dir, problems):
            # drawn before figures kept a CSV: make it from the drawn data
            atomic_write_text(fig_dir / table.name, figs.tidy_csv(data or {}))
        width = _png_css_width(src)
        out.append(
            {
                "name": src.stem,
                "src": f"{prefix}/{src.name}",
                "csv": f"{prefix}/{table.name}",
                "alt": alt_text(src.stem, data),
                "width": width,
                "panels": panel_count(data),
                "phone_width": phone_width(data, width),
            }
        )
    return out


#: A folder of reference figures still being drawn that is older than this was left
#: by a killed report; a younger one may be another report's, drawing right now.
STALE_DRAWING_SECONDS = 3600


def _drawn_names(folder: Path) -> list[str] | None:
    """The figure names a finished cache folder lists; None if it lists none."""
    try:
        names = read_json(folder / "drawn.json", MAX_POINTER_BYTES, "figure cache file")
    except DamagedFile:
        return None
    return names if isinstance(names, list) and all(map(safe_relative, names)) else None


def _cached_reference_figures(qid: str, key: str, draw, ref) -> Path | None:
    """The cache folder holding the reference figures of ``qid`` for ``key``, drawn
    now if need be; None when the cache cannot be written.

    Two reports may draw the same figures at once: each draws into a temporary
    folder of its own and renames it into place; the second rename fails on the
    first's folder, which it then uses. A report removes other versions' folders
    and temporary folders left by killed reports, never one still being drawn."""
    base = catalogue.cache_dir() / "reference-figures" / qid
    folder = base / key
    if _drawn_names(folder) is not None:
        return folder
    try:
        base.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=base, prefix=f".{key}-", suffix=".tmp"))
    except OSError:
        return None
    try:
        names = [p.name for p in figs.render(draw, ref, tmp)]
        atomic_write_json(tmp / "drawn.json", names)
        with contextlib.suppress(OSError):  # OSError: another report's folder is there
            os.rename(tmp, folder)
        if _drawn_names(folder) is None:
            return None
        for old in base.iterdir():
            if old.name == key:
                continue
            if old.name.startswith("."):
                try:
                    if time.time() - old.stat().st_mtime < STALE_DRAWING_SECONDS:
                        continue  # another report's, being drawn
                except OSError:
                    continue
            shutil.rmtree(old, ignore_errors=True)  # an earlier version's figures
        return folder
    except (OSError, DeepfaqError):  # an unwritable or full cache: draw without it
        return None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _reference_figures(q, ref, fig_dir: Path, prefix: str, problems: list[str]) -> list[dict]:
    """The figures of a shipped reference, drawn from its stored series by the
    question's own figure function: cached (drawn once per reference and source
    version), or, where the cache cannot be written, drawn for this page alone in
    a temporary folder inside the site. None drawn when the code no longer draws
    the stored series (an old reference)."""
    from deepfaq.experiments import REGISTRY

    draw = REGISTRY.get(q.id).figures
    try:
        shipped = read_bounded(reference.file_of(ref), MAX_RESULT_BYTES, "reference file")
        key = hashlib.sha256(shipped + catalogue.source_key().encode()).hexdigest()[:16]
        folder = _cached_reference_figures(q.id, key, draw, ref)
    except Exception:  # a reference the code no longer draws: the page has no figures
        return []
    if folder is not None:
        return _copy_figures(folder, _drawn_names(folder) or [], fig_dir, prefix, problems)
    tmp = Path(tempfile.mkdtemp(dir=fig_dir, prefix=".drawing-"))
    try:
        try:
            names = [p.relative_to(tmp).as_posix() for p in figs.render(draw, ref, tmp)]
        except Exception:  # as above: no figures
            return []
        return _copy_figures(tmp, names, fig_dir, prefix, problems)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _beside(result, ref) -> dict:
    """One "Beside the reference" table: each claim's verdict and estimate in
    ``result`` (the user's run, or the reference the page answers from) and in the
    shipped reference ``ref``."""
    from deepfaq.report.compare import describe, pairs

    rows = [
        {"id": p.id, "statement": p.statement, "changed": p.changed, "yours": p.a, "ref": p.b}
        for p in pairs(result.claims, ref.claims)
    ]
    return {
        "kind": ref.profile,
        "label": reference.label(ref.reference),
        "made": ref.reference.get("made", ""),
        "mine": (f"{result.profile} reference" if result.is_reference else "yours"),
        "mine_label": describe(result),
        "rows": rows,
        "n_changed": sum(r["changed"] for r in rows),
    }


def metrics_csv(result) -> str:
    """Every per-seed metric of a run, one row per seed and metric."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["question", "profile", "seed_index", "seed", "metric", "value"])
    for name, values in result.metrics.items():
        for k, (seed, v) in enumerate(zip(result.seeds, values, strict=False)):
            w.writerow(
                [
                    result.question,
                    result.profile,
                    k,
                    seed,
                    name,
                    "" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.10g}",
                ]
            )
    return buf.getvalue()


def _toc(
    result, question, anchors, figures, sweeps, related, beside=(), code=None
) -> list[tuple[str, str]]:
    toc = [("short-answer", "Short answer")]
    if result is not None:
        toc += [("answer", "Answer"), ("claims", "Claims")]
        if anchors:
            toc.append(("anchors", "Published results"))
        if figures:
            toc.append(("figures", "Figures"))
        if sweeps:
            toc.append(("sweeps", "Where the answer flips"))
        if beside:
            toc.append(("beside-reference", "Beside the reference"))
    else:
        toc.append(("claims", "Claims"))
    if related:
        toc.append(("related", "Related questions"))
    if question.references:
        toc.append(("references", "References"))
    if result is not None:
        toc.append(("reproduce", "Reproduce"))
        if code and code.get("sections"):
            toc.append(("how-measured", "How it is measured"))
        toc.append(("environment", "Environment"))
    return toc


def _claim_rows(q, result) -> list[dict]:
    """What the page's claims table shows of each claim: its verdict with what
    qualifies it, the statement naming the machine where it depends on one, why it is
    inconclusive in plain words (the raw condition one click away), its note, and
    whether its rule was pre-registered or revised after results were seen."""
    words = words_of(q)
    timings = tuple(getattr(q, "timings", ()) or ())
    revised = revisions(q.id)
    rows = []
    for c in result.claims:
        locked = revised is not None and c.id in revised
        rev = revised[c.id] if locked else None
        rows.append(
            {
                "c": c,
                "statement": statement(c, result, timings),
                "note": verdict_note(c),
                "reason": plain_reason(c, words),
                "raw": raw_conditions(c),
                "interval": interval_label(c),
                "revision": revision_line(rev, full=True) if locked else None,
                "revised": rev is not None,
            }
        )
    return rows


#: What in a reference's text becomes a link: a URL, a DOI or an arXiv id.
_LINKABLE = re.compile(
    r"(?P<url>https?://[^\s<>\"]+[^\s<>\".,;:)])"
    r"|(?:doi:\s?|https?://doi\.org/)?(?P<doi>\b10\.\d{4,9}/[^\s<>\"]+[^\s<>\".,;:)])"
    r"|(?:arXiv:\s?)(?P<arxiv>\d{4}\.\d{4,5}(?:v\d+)?)",
    re.I,
)


def reference_html(text: str) -> Markup:
    """A reference as HTML: its text escaped, and any URL, DOI (``doi:10.…`` or a bare
    ``10.…/…``) or arXiv id (``arXiv:1409.1259``) in it made a link."""
    from markupsafe import escape

    out, last = [], 0
    for m in _LINKABLE.finditer(text):
        out.append(str(escape(text[last : m.start()])))
        if m.group("url"):
            href = m.group("url")
        elif m.group("doi"):
            href = "https://doi.org/" + m.group("doi")
        else:
            href = "https://arxiv.org/abs/" + m.group("arxiv")
        out.append(f'<a href="{escape(href)}" rel="external">{escape(m.group(0))}</a>')
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def _source_files(q) -> list[Path]:
    """The files of a question's module: one file, or a package's files in order
    (``__init__.py`` first); empty when the source is not installed."""
    import inspect

    from deepfaq.experiments import REGISTRY

    try:
        fn = REGISTRY.get(q.id).trial or REGISTRY.get(q.id).batched_trial
        module = inspect.getmodule(fn)
        file = Path(inspect.getsourcefile(fn) or "")
    except Exception:  # a toy question, or no source installed
        return []
    package = getattr(module, "__package__", "") or ""
    folder = file.parent
    if folder.name != "experiments" and package.startswith("deepfaq.experiments."):
        return sorted(folder.glob("*.py"), key=lambda p: (p.name != "__init__.py", p.name))
    return [file] if file.exists() else []


def _source_page(q, out: Path) -> dict | None:
    """A page with the experiment's own code (its module, every line numbered and
    linkable), linked from the question's page; None when the source is not found."""
    files = _source_files(q)
    if not files:
        return None
    package_root = Path(__file__).resolve().parents[1]
    shown_files = []
    for f in files:
        try:
            text = read_bounded(f, 4 * MiB, "source file").decode("utf-8")
        except (DamagedFile, UnicodeDecodeError):
            continue
        try:
            rel = f.resolve().relative_to(package_root.parent).as_posix()
        except ValueError:
            rel = f.name
        lines = text.splitlines()
        shown_files.append({"path": rel, "slug": _slug(f.stem), "lines": lines, "where": str(f)})
    if not shown_files:
        return None
    name = f"{q.id}-code.html"
    page = _env.get_template("code.html").render(q=q, files=shown_files)
    atomic_write_text(out / name, page)
    sections = []
    for f in shown_files:
        found = code_sections(f["lines"]) or file_section(f["lines"])
        sections += [{**s, "href": f"{name}#{f['slug']}-L{s['line']}"} for s in found]
    sections.sort(key=_part_order)
    return {
        "href": name,
        "paths": [f["path"] for f in shown_files],
        "where": str(files[0]),
        "sections": sections,
    }


#: How many lines of a section's code its page shows beside the explanation.
SECTION_LINES = 24


def _section(number: int | None, title: str, words: list[str], line: int, body: list[str]) -> dict:
    while body and not body[-1].strip():
        body.pop()
    return {
        "number": number,
        "title": title,
        "explanation": " ".join(w for w in words if w),
        "line": line,
        "code": "\n".join(body[:SECTION_LINES]),
        "more": max(len(body) - SECTION_LINES, 0),
    }


def file_section(lines: list[str]) -> list[dict]:
    """A package's file that is one part of the experiment: its docstring explains
    (``\"\"\"§4. Denoising: … .`` gives the part's number and title), the first
    definition after the imports begins the code. Empty for a file without both."""
    text = "\n".join(lines)
    if not text.startswith('"""') or text.count('"""') < 2:
        return []
    doc = " ".join(w.strip() for w in text[3 : text.index('"""', 3)].split())
    start = next(
        (i for i, line in enumerate(lines) if line.startswith(("def ", "class ", "@"))), None
    )
    if not doc or start is None:
        return []
    # the first sentence is the title ("et al." does not end one)
    part = re.match(r"(?:(§\S+?)\.\s+)?(.+?(?<! al)[.?!])(?:\s+|$)(.*)", doc)
    if not part:
        return []
    title = " ".join(filter(None, (part[1], part[2].rstrip("."))))
    words = part[3]
    return [_section(None, title, [words], start + 1, lines[start:])]


def _part_order(section: dict) -> float:
    """Numbered sections in order; a package's introduction (its ``__init__``) first,
    its parts by their § number, shared pieces last."""
    if section["number"] is not None:
        return section["number"]
    if section["href"].split("#")[1].startswith("init-"):
        return -math.inf
    found = re.match(r"§(\d+)", section["title"])
    return int(found[1]) if found else math.inf


def code_sections(lines: list[str]) -> list[dict]:
    """The numbered sections of an experiment module (``# %% 2. Title`` cells, the
    form jupytext and editors read as cells): each one's title, the comment that
    explains it, the first line number, and its first lines of code — what the page
    shows beside the section it explains. Unnumbered cells (figures) are left out."""
    marks = [i for i, line in enumerate(lines) if line.startswith("# %%")]
    out = []
    for j, i in enumerate(marks):
        title = lines[i][4:].strip()
        head, _, rest = title.partition(". ")
        if not (head.isdigit() and rest):
            continue
        end = marks[j + 1] if j + 1 < len(marks) else len(lines)
        k = i + 1
        words = []
        while k < end and lines[k].startswith("#"):
            words.append(lines[k].lstrip("#").strip())
            k += 1
        while k < end and not lines[k].strip():
            k += 1
        out.append(_section(int(head), rest, words, i + 1, lines[k:end]))
    return out


#: The glossary's entries: (anchor, term, explanation), in reading order.
GLOSSARY = [
    (
        "verdict",
        "verdict",
        "supported when the whole interval satisfies the claim's rule, refuted when"
        " the whole interval violates it, inconclusive otherwise (or when a"
        " precondition failed). One word each, everywhere.",
    ),
    ("finding", "finding", "a measurement that could have come out otherwise."),
    (
        "check",
        "check of the code",
        "an identity, true by construction or by mathematics; it tests that the code is"
        " right and is judged on every seed (its interval is the range of the values).",
    ),
    (
        "demonstration",
        "demonstration",
        "a check designed to come out refuted: it shows that a loosely stated rule of"
        " thumb is false as stated (e.g. that weights drawn from N(0, 1/d) stay within"
        " ±1/√d). Refuted is the designed outcome, so it counts as passing.",
    ),
    (
        "surprise",
        "✱ against the literature",
        "a decided verdict that disagrees with what the literature expects; shown, not hidden.",
    ),
    (
        "interval",
        "95% interval",
        "over seeds: the Student-t interval of the mean over independent trainings; over"
        " items: a seeded bootstrap over test items (queries, pairs, sentences) nested in"
        " seeds. Under a sequential design, which adds seeds while an interval straddles"
        " its boundary, each look's interval is wider (97.5% for two looks) so that the"
        " chance of a wrong decision over all looks stays at 5%.",
    ),
    (
        "precondition",
        "precondition",
        "a condition on the data fixed with the claim (every compared model trained and"
        " levelled off, enough items). If one fails the verdict is inconclusive, and the"
        " page says which and by how much.",
    ),
    (
        "margin",
        "margin",
        "the smallest difference that matters in practice, fixed before the run: a"
        " comparison is supported only when the whole interval clears it.",
    ),
    (
        "conservative",
        "conservative",
        "a decided verdict left standing although a model was still improving — in the"
        " direction that could only make the verdict more decisive.",
    ),
    (
        "pre-registered",
        "pre-registered / revised rule",
        "every claim's rule, margin and preconditions are recorded in claims.lock.json"
        " before results are seen. A rule changed after results were seen says so on the"
        " claim, with the old and new rule, the date and the reason.",
    ),
    (
        "sequential",
        "sequential design",
        "a run that looks at its claims more than once, adding seeds only while a"
        " finding's interval straddles its boundary; each look's interval is widened"
        " (e.g. 97.5% for two looks) so that the chance of any wrong decision stays at 5%.",
    ),
    *[(f"profile-{k}", f"{k} run", v + ".") for k, v in PROFILE_EXPLAINED.items()],
    ("reference", "reference", REFERENCE_EXPLAINED + "."),
    (
        "differs",
        "≠",
        "beside a reference: a claim whose verdict differs between the two runs.",
    ),
]


def _glossary(out: Path) -> None:
    page = _env.get_template("glossary.html").render(entries=GLOSSARY)
    atomic_write_text(out / "glossary.html", page)


def _plain(markdown: str) -> str:
    """Markdown as plain words, for the search index."""
    text = re.sub(r"<[^>]+>", " ", _md.render(markdown))
    import html as _h

    return " ".join(_h.unescape(text).split())


def _search_entry(row) -> dict:
    """What the index's search box searches, by field (weighted in the page's script)."""
    q, result = row["q"], row["result"]
    answer = ""
    if result is not None:
        with contextlib.suppress(Exception):
            answer = _plain(answer_text(q, result))[:4000]
    return {
        "id": q.id,
        "title": q.title,
        "line": row.get("line", ""),
        "fields": {
            "title": " ".join([q.title, q.asked, q.id.replace("-", " ")]),
            "paraphrases": " ".join(
                p for p in getattr(q, "paraphrases", ()) or () if not p.startswith("TODO")
            ),
            "line": row.get("line", ""),
            "claims": " ".join([*(c.statement for c in q.claims), *(c.id for c in q.claims)]),
            "answer": answer,
        },
    }


def build(store: Store, registry, out: Path, damaged: list[str] | None = None) -> Path:
    """Write the site into ``out`` and return the index path. ``registry`` is the
    registry or the catalogue (anything iterable of questions).

    A damaged stored file (a result that does not load, a figure that is not a
    regular file or leads outside the results folder) never stops the site: it is
    left out (a question whose result is damaged gets the page of its reference, or
    of a question not run), and one line saying so is added to ``damaged``. Without
    a ``damaged`` list the first such line is raised, as :class:`DamagedFile`, once
    the whole site is written."""
    problems: list[str] = [] if damaged is None else damaged
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DeepfaqError(f"cannot write the report to {out}: {e.strerror}") from None
    questions = by_topic(registry)
    rows = []
    for q in questions:
        try:
            result = store.load_latest(q.id)
        except DamagedFile as e:
            problems.append(str(e))
            result = None
        refs = reference.load_all(q.id)  # the paper-scale one first
        ref = refs[0] if refs else None
        # A question not run here answers from the shipped reference, labelled.
        row = {
            "q": q,
            "result": result if result is not None else ref,
            "refs": refs,
            "ref": ref,
            "is_reference": result is None and ref is not None,
            "topic": q.topic,
            "command": run_command(q.id, store.root),
            "failure": store.load_failure(q.id),
        }
        result = row["result"]
        if result is not None:
            row.update(
                line=one_line(q, result),
                counts=counts_line(result.claims),
                profile=profile_label(result),
                badge_title=profile_tooltip(result),
            )
        rows.append(row)
    for k, row in enumerate(rows):
        q, result = row["q"], row["result"]
        related = [
            {"id": o["q"].id, "title": o["q"].title, "line": o.get("line", "")}
            for o in rows
            if o["topic"] == row["topic"] and o["q"].id != q.id
        ]
        context = {
            "q": q,
            "r": result,
            "topic": row["topic"],
            "topic_id": _slug(row["topic"]),
            "related": related,
            "prev": rows[k - 1]["q"] if k > 0 else None,
            "next": rows[k + 1]["q"] if k + 1 < len(rows) else None,
            "run_command": row["command"],
            "anchors": [],
            "figures": [],
            "sweeps": [],
            "is_reference": row["is_reference"],
            "beside": [],
            "failure": row["failure"],
            "notebook": _notebook(q, out),  # <id>.ipynb beside the page
            "references_html": [reference_html(r) for r in q.references],
            "code": _source_page(q, out),
        }
        if row["ref"] is not None:
            context.update(
                ref_block=row["ref"].reference, ref_label=reference.label(row["ref"].reference)
            )
        if result is not None:
            run_dir = store.run_dir(q.id, result.profile, result.config_hash)
            fig_dir = out / q.id
            fig_dir.mkdir(exist_ok=True)
            atomic_write_text(fig_dir / "metrics.csv", metrics_csv(result))
            context.update(
                env=result.environment,
                profile=row["profile"],
                counts=row["counts"],
                figures=(
                    _reference_figures(q, result, fig_dir, q.id, problems)
                    if row["is_reference"]
                    else _copy_figures(run_dir, result.figures, fig_dir, q.id, problems)
                ),
                beside=[_beside(result, r) for r in row["refs"] if r is not result],
                metrics_csv=f"{q.id}/metrics.csv",
                short_html=_html(short_answer(q, result, rerun=None)),  # the page warns above
                claim_rows=_claim_rows(q, result),
                badge_title=profile_tooltip(result),
                badge_href=f"glossary.html#profile-{result.profile}",
                design=design_sentence(result),
                answer_html=_html(answer_text(q, result)),
                anchors=anchor_rows(q, result),
                history=lock.history(q.id),
                sweeps=_sweep_pages(store, q, out, problems),
                config_text=json.dumps(result.config),
                quick_command=run_command(q.id, store.root),
            )
        context["toc"] = _toc(
            result,
            q,
            context["anchors"],
            context["figures"],
            context["sweeps"],
            related,
            context["beside"],
            context.get("code"),
        )
        page = _env.get_template("question.html").render(**context)
        atomic_write_text(out / f"{q.id}.html", page)
    built = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    topics = []
    for name in dict.fromkeys(row["topic"] for row in rows):
        topics.append(
            {"name": name, "id": _slug(name), "rows": [row for row in rows if row["topic"] == name]}
        )
    search = [_search_entry(row) for row in rows]
    _glossary(out)
    index = _env.get_template("index.html").render(
        topics=topics,
        built=built,
        overall=_error_rate_note(rows),
        search=search,
        n_questions=len(rows),
        n_reference=sum(row["is_reference"] for row in rows),
        failed=[row for row in rows if row["failure"]],
    )
    atomic_write_text(out / "index.html", index)
    if damaged is None and problems:
        raise DamagedFile(problems[0])
    return out / "index.html"


# -- notebooks (issue 27) ------------------------------------------------------------------


def _notebook(q, out: Path) -> str | None:
    """Write the question as a Jupyter notebook beside its page (``<id>.ipynb``: see
    :mod:`deepfaq.notebooks`) and return the page's link to it; None for a question
    deepfaq's registry does not hold, or whose shipped reference is damaged."""
    from deepfaq import notebooks
    from deepfaq.core.errors import UnknownQuestion

    try:
        return notebooks.write(q.id, out).name
    except (UnknownQuestion, DamagedFile):
        return None
