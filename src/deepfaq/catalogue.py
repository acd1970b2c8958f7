"""What ``list``, ``show``, ``ask`` and the report need to know about each question
— its title, how it is asked, its topic, its answer and short-answer templates,
anchors, references and claims — without importing torch and the experiments.

The registry (``deepfaq.experiments.REGISTRY``) stays the one source of truth.
:func:`snapshot` turns it into plain data; :func:`load` reads that data from a
cache file keyed by a hash of the package's source, and rebuilds it from the
registry (one slow import, seconds) only when a source file has changed. The
cache lives in ``$DEEPFAQ_CACHE``, else ``$XDG_CACHE_HOME/deepfaq``, else
``~/.cache/deepfaq``; where it cannot be written, every call imports the registry.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from deepfaq import __version__
from deepfaq.core.question import Registry

SCHEMA = "deepfaq.catalogue/2"

#: The order of the report's and ``list``'s topics. Each question names its own topic
#: (``Question.topic``); a topic not listed here comes after these, in registry order.
TOPIC_ORDER = (
    "Initialisation, activations and normalisation",
    "Architectures for sequences and images",
    "Language and text",
)


def topic_rank(topic: str) -> int:
    return TOPIC_ORDER.index(topic) if topic in TOPIC_ORDER else len(TOPIC_ORDER)


def by_topic(items, topic=lambda item: item.topic) -> list:
    """``items`` (entries, questions, rows) sorted by their topic's place, registry
    order kept within a topic."""
    return sorted(items, key=lambda item: topic_rank(topic(item)))


@dataclass(frozen=True)
class ClaimInfo:
    """A claim as the catalogue lists it before any run."""

    id: str
    statement: str
    kind: str
    expected: str
    unit: str


@dataclass(frozen=True)
class Entry:
    """One question's text, duck-typed like :class:`deepfaq.core.question.Question`
    for everything that only reads (``render_answer``, the matcher, the pages)."""

    id: str
    title: str
    asked: str
    answer: str
    short: str
    anchors: tuple  # of deepfaq.core.question.Anchor
    references: tuple[str, ...]
    claims: tuple[ClaimInfo, ...]
    topic: str = "Other questions"
    paraphrases: tuple[str, ...] = ()
    key_claims: tuple[str, ...] = ()
    one_line: str = ""
    pending_references: tuple[str, ...] = ()
    #: Each declared output's description by name: what reasons say instead of raw names.
    output_words: dict = field(default_factory=dict)
    #: Metrics measured with a clock (``Question.timings``): claims on them name the machine.
    timings: tuple[str, ...] = ()
    #: The question's module, relative to the package (``experiments/zero_init.py``).
    source: str = ""


class Catalogue(Registry):
    """The questions' entries in registry order, looked up by id like the registry
    (the same explicit mapping, holding light entries instead of questions)."""


def entry(question) -> Entry:
    """A registered question's catalogue entry."""
    return Entry(
        id=question.id,
        title=question.title,
        asked=question.asked,
        answer=question.answer,
        short=getattr(question, "short", "") or "",
        anchors=tuple(question.anchors),
        references=tuple(question.references),
        claims=tuple(
            ClaimInfo(c.id, c.statement, c.kind or "empirical", c.expected, c.unit or "")
            for c in question.claims
        ),
        topic=getattr(question, "topic", "Other questions"),
        paraphrases=tuple(getattr(question, "paraphrases", ())),
        key_claims=tuple(getattr(question, "key_claims", ())),
        one_line=getattr(question, "one_line", ""),
        pending_references=tuple(getattr(question, "pending_references", ())),
        output_words={o.name: o.description for o in getattr(question, "outputs", ()) or ()},
        timings=tuple(getattr(question, "timings", ())),
        source=source_of(question),
    )


def source_of(question) -> str:
    """The file that defines ``question``'s trial, relative to the package folder
    (empty when it cannot be found)."""
    import inspect

    try:
        file = Path(inspect.getsourcefile(question.trial or question.batched_trial) or "")
        return file.resolve().relative_to(Path(__file__).resolve().parent).as_posix()
    except (TypeError, ValueError, OSError):
        return ""


def snapshot(registry) -> Catalogue:
    return Catalogue(entry(q) for q in registry)


def _to_json(cat: Catalogue, key: str) -> dict:
    return {"schema": SCHEMA, "key": key, "questions": [asdict(e) for e in cat]}


def _from_json(data: dict) -> Catalogue:
    from deepfaq.core.question import Anchor

    return Catalogue(
        Entry(
            **{
                **q,
                "anchors": tuple(Anchor(**a) for a in q["anchors"]),
                "references": tuple(q["references"]),
                "claims": tuple(ClaimInfo(**c) for c in q["claims"]),
                "paraphrases": tuple(q.get("paraphrases", ())),
                "key_claims": tuple(q.get("key_claims", ())),
                "pending_references": tuple(q.get("pending_references", ())),
                "output_words": dict(q.get("output_words") or {}),
                "timings": tuple(q.get("timings", ())),
                "source": str(q.get("source") or ""),
            }
        )
        for q in data["questions"]
    )


def source_key() -> str:
    """A hash of every Python file of the installed package (a few ms): any edit
    to a question's text, claims or anchors changes it."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256(f"{SCHEMA} {__version__}".encode())
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:20]


def cache_dir() -> Path:
    if os.environ.get("DEEPFAQ_CACHE"):
        return Path(os.environ["DEEPFAQ_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "deepfaq"


def load(registry=None) -> Catalogue:
    """The catalogue: from ``registry`` when the caller has it already imported,
    else from the cache, else from the registry (then cached)."""
    if registry is not None:
        return snapshot(registry)
    key = source_key()
    path = cache_dir() / f"catalogue-{key}.json"
    try:
        from deepfaq.core.store import read_json

        data = read_json(path, 64 * 2**20, "catalogue cache")  # bounded, regular file only
        if data.get("schema") == SCHEMA and data.get("key") == key:
            return _from_json(data)
    except Exception:  # no cache yet, or an unreadable or damaged one: rebuild it
        pass
    from deepfaq.experiments import REGISTRY

    cat = snapshot(REGISTRY)
    _save(path, _to_json(cat, key))
    return cat


def _save(path: Path, data: dict) -> None:
    """Write the cache, replacing older versions; a cache that cannot be written
    only costs the next command the registry's import."""
    from deepfaq.core.store import atomic_write_text

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(data, ensure_ascii=False))
        for old in path.parent.glob("catalogue-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    except Exception:  # a cache is optional by design
        return
