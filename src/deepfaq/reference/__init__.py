"""Reference results: one stored run of every question, shipped with deepfaq.

``<question id>.json.gz`` in this folder is package data: a stored run's
``RunResult.to_dict()`` — per-seed metrics and series, claims with their
verdicts, config, command, environment; no images — plus a ``"reference"``
block saying how it was made (profile, device, seeds, seconds, date, versions,
machine, and ``reductions``: how the run falls short of the ``full`` profile).
``show``, ``ask``, ``list`` and the report answer from it for a question the user
has not run, labelled as the reference; beside a user's run they set its verdicts
next to the reference's; ``deepfaq diff ID latest reference`` compares them.

``python -m deepfaq.reference build --from DIR`` rebuilds the files from the
latest stored runs in the results folder ``DIR`` (see :mod:`.build`).

Only the standard library and the store are imported here: ``show`` stays fast.
"""

from __future__ import annotations

import gzip
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from deepfaq.core.errors import DamagedFile
from deepfaq.core.store import RunResult

SCHEMA = "deepfaq.reference/1"
SUFFIX = ".json.gz"

#: The folder holding the shipped files (inside the installed package).
FOLDER = Path(__file__).resolve().parent


@dataclass
class ReferenceResult(RunResult):
    """A shipped reference run: a :class:`RunResult` plus how it was made. Labels
    (``profile_label``) say "reference" wherever its numbers appear."""

    reference: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {**super().to_dict(), "reference": self.reference}


def path(qid: str, folder: Path | None = None) -> Path:
    return (folder or FOLDER) / f"{qid}{SUFFIX}"


def ids(folder: Path | None = None) -> list[str]:
    """The questions that have a reference result, sorted."""
    return sorted(p.name[: -len(SUFFIX)] for p in (folder or FOLDER).glob(f"*{SUFFIX}"))


def read(file: Path) -> dict:
    """The JSON object of a reference file (gzip); :class:`DamagedFile` if it is not one."""
    try:
        with gzip.open(file, "rb") as f:
            data = json.loads(f.read().decode("utf-8"))
    except FileNotFoundError:
        raise DamagedFile(f"no reference file {file}") from None
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as e:
        raise DamagedFile(f"damaged reference file {file}: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("reference"), dict):
        raise DamagedFile(f"{file} is not a deepfaq reference result ({SCHEMA})")
    return data


def from_dict(data: dict, where: Path | str = "reference") -> ReferenceResult:
    base = RunResult.from_dict(data, where=where)
    return ReferenceResult(**{f: getattr(base, f) for f in base.__dataclass_fields__},
                           reference=dict(data["reference"]))


_INFO: dict[str, dict] = {}


def load(qid: str, folder: Path | None = None) -> ReferenceResult | None:
    """The shipped reference run of ``qid``; None when none ships (a question added
    since the files were built). A damaged file raises :class:`DamagedFile`."""
    file = path(qid, folder)
    if not file.exists():
        return None
    result = from_dict(read(file), where=file)
    if result.question != qid:
        raise DamagedFile(f"{file} holds question {result.question!r}, not {qid!r}")
    if folder is None:
        _INFO[qid] = result.reference
    return result


def info(qid: str, folder: Path | None = None) -> dict | None:
    """The ``reference`` block of ``qid``'s file (how it was made); None if none ships."""
    if folder is None and qid in _INFO:
        return dict(_INFO[qid])
    result = load(qid, folder)
    return None if result is None else dict(result.reference)


def label(block: dict) -> str:
    """'quick run · 5 seeds · cpu · 2026-11-30': what a reference is, in one line."""
    n = block.get("seeds", 0)
    parts = [f"{block.get('profile', '?')} run", f"{n} seed{'s' * (n != 1)}",
             str(block.get("device") or "?")]
    if block.get("date"):
        parts.append(str(block["date"]))
    return " · ".join(parts)
