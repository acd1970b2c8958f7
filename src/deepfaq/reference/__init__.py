"""Reference results: stored runs of every question, shipped with deepfaq.

Two kinds ship, one folder each, named after the profile they ran:

- ``full/<question id>.json.gz``: the shipped answer, a plain run of the ``full``
  profile (10 seeds, or more where its sequential design added them);
- ``quick/<question id>.json.gz``: a plain run of the ``quick`` profile, the run
  README's main job makes, so a user can check their own numbers against it.

Each file is package data: a stored run's ``RunResult.to_dict()`` — per-seed
metrics and series, claims with their verdicts, config, command, environment; no
images — plus a ``"reference"`` block saying how it was made (profile, device,
seeds, seconds, date, versions, machine, commit, and ``made``: the run in words,
with the builder's note). ``show``, ``ask``, ``list`` and the report answer
from the preferred one (``full`` when it ships) for a question the user has not
run, labelled as the reference; beside a user's run they set its verdicts next to
each reference's; ``deepfaq diff ID latest reference`` compares them.

``python -m deepfaq.reference build --from DIR`` rebuilds the files from the
latest stored runs in the results folder ``DIR`` (see :mod:`.build`).

Only the standard library and the store are imported here: ``show`` stays fast.
"""

from __future__ import annotations

import gzip
import io
import shlex
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from deepfaq.core.errors import DamagedFile
from deepfaq.core.store import (
    MAX_RESULT_BYTES,
    RunResult,
    parse_json,
    read_bounded,
    size_text,
)

SCHEMA = "deepfaq.reference/2"
SUFFIX = ".json.gz"
#: The kinds of reference, most preferred first (a kind is the profile it ran):
#: ``full`` is the shipped answer; ``quick`` what the main job reproduces; ``paper``,
#: the published scale, ships only where a GPU or a cluster really ran it.
KINDS = ("full", "quick", "paper")
#: The kinds every question ships.
REQUIRED = ("full", "quick")

#: The folder holding the shipped files (inside the installed package).
FOLDER = Path(__file__).resolve().parent


@dataclass
class ReferenceResult(RunResult):
    """A shipped reference run: a :class:`RunResult` plus how it was made. Labels
    (``profile_label``) say "reference" wherever its numbers appear."""

    reference: dict = field(default_factory=dict)

    @property
    def reference_block(self) -> dict:
        return self.reference

    def to_dict(self) -> dict:
        return {**super().to_dict(), "reference": self.reference}


def path(qid: str, folder: Path | None = None, kind: str = "quick") -> Path:
    if kind not in KINDS:
        raise ValueError(f"no reference kind {kind!r}: one of {', '.join(KINDS)}")
    return (folder or FOLDER) / kind / f"{qid}{SUFFIX}"


def ids(folder: Path | None = None, kind: str | None = None) -> list[str]:
    """The questions that have a reference result (of ``kind``, or of any), sorted."""
    kinds = KINDS if kind is None else (kind,)
    return sorted(
        {p.name[: -len(SUFFIX)] for k in kinds for p in ((folder or FOLDER) / k).glob(f"*{SUFFIX}")}
    )


def kinds(qid: str, folder: Path | None = None) -> list[str]:
    """The kinds of reference that ship for ``qid``, most preferred first."""
    return [k for k in KINDS if path(qid, folder, k).exists()]


def read(file: Path) -> dict:
    """The JSON object of a reference file (gzip); :class:`DamagedFile` if it is not one.

    Bounded like every stored file (see :mod:`deepfaq.core.store`): a regular file
    of at most ``MAX_RESULT_BYTES``, which unpacks to at most as many (a small
    file that unpacks to gigabytes is refused, not unpacked)."""
    packed = read_bounded(file, MAX_RESULT_BYTES, "reference file")
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(packed)) as f:
            raw = f.read(MAX_RESULT_BYTES + 1)
    except (OSError, EOFError, zlib.error) as e:
        raise DamagedFile(f"damaged reference file {file}: {e}") from None
    if len(raw) > MAX_RESULT_BYTES:
        raise DamagedFile(
            f"reference file {file} unpacks to more than {size_text(MAX_RESULT_BYTES)},"
            " the most deepfaq reads of one"
        )
    data = parse_json(raw, file, "reference file")
    if not isinstance(data, dict) or not isinstance(data.get("reference"), dict):
        raise DamagedFile(f"{file} is not a deepfaq reference result ({SCHEMA})")
    return data


def from_dict(data: dict, where: Path | str = "reference") -> ReferenceResult:
    base = RunResult.from_dict(data, where=where)
    return ReferenceResult(
        **{f: getattr(base, f) for f in base.__dataclass_fields__},
        reference=dict(data["reference"]),
    )


_INFO: dict[tuple[str, str], dict] = {}


def load(qid: str, folder: Path | None = None, kind: str | None = None) -> ReferenceResult | None:
    """The shipped reference run of ``qid`` of ``kind`` (default: the most preferred
    that ships); None when none ships (a question added since the files were built).
    A damaged file raises :class:`DamagedFile`."""
    choices = kinds(qid, folder) if kind is None else [kind]
    if not choices:
        return None
    file = path(qid, folder, choices[0])
    if not file.exists():
        return None
    result = from_dict(read(file), where=file)
    if result.question != qid:
        raise DamagedFile(f"{file} holds question {result.question!r}, not {qid!r}")
    if result.profile != choices[0]:
        raise DamagedFile(f"{file} holds a {result.profile} run, not a {choices[0]} one")
    if folder is None:
        _INFO[qid, choices[0]] = result.reference
    return result


def load_all(qid: str, folder: Path | None = None) -> list[ReferenceResult]:
    """Every reference of ``qid`` that ships, most preferred first."""
    return [r for k in kinds(qid, folder) if (r := load(qid, folder, k)) is not None]


def info(qid: str, folder: Path | None = None, kind: str | None = None) -> dict | None:
    """The ``reference`` block of ``qid``'s file (how it was made); None if none ships."""
    choices = kinds(qid, folder) if kind is None else [kind]
    if folder is None and choices and (qid, choices[0]) in _INFO:
        return dict(_INFO[qid, choices[0]])
    result = load(qid, folder, kind)
    return None if result is None else dict(result.reference)


def file_of(result: ReferenceResult, folder: Path | None = None) -> Path:
    """The shipped file a loaded reference came from."""
    return path(result.question, folder, result.profile)


def plan_args(command: str) -> dict:
    """What ``make_plan`` needs to re-plan a stored run from its command line (as
    :attr:`RunPlan.command` writes it): ``overrides`` (the ``--set`` values), ``seeds``
    and ``seed_batch`` (None where the command does not say)."""
    words = shlex.split(command)
    out: dict = {"overrides": [], "seeds": None, "seed_batch": None}
    for k, w in enumerate(words[:-1]):
        value = words[k + 1]
        if w == "--set":
            out["overrides"].append(value)
        elif w == "--seeds":
            out["seeds"] = int(value)
        elif w == "--seed-batch":
            out["seed_batch"] = int(value)
    return out


def label(block: dict) -> str:
    """'full run · 10 seeds · cpu · 2026-12-05 · commit 1a2b3c4': what a reference is,
    in one line."""
    n = block.get("seeds", 0)
    parts = [
        f"{block.get('profile', '?')} run",
        f"{n} seed{'s' * (n != 1)}",
        str(block.get("device") or "?"),
    ]
    if block.get("date"):
        parts.append(str(block["date"]))
    commit = str(block.get("git_commit") or "")
    if commit:
        parts.append(f"commit {commit[:10]}")
    return " · ".join(parts)
