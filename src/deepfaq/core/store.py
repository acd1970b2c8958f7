"""The results folder.

Layout::

    <root>/<question>/<profile>/<config-hash>/seed-<k>.json   one finished trial
    <root>/<question>/<profile>/<config-hash>/result.json     aggregate + verdicts
    <root>/<question>/<profile>/<config-hash>/figures/*.png   (+ *.json: the data drawn)
    <root>/<question>/latest.json                             which run is the latest
    <root>/<question>/failed.json                             why its last run failed

Every file is written to a temporary name in the same folder, flushed, and renamed
over the target, so a reader (or a resumed run) sees the old file or the new one,
never half of one. Each writer has a temporary name of its own, so two runs of the
same question into one folder cannot trip over each other (the last to finish a
file wins, and both write the same numbers); a temporary file left by a killed
writer is removed by the next run of its folder. A file that does not parse or
does not belong where it lies is *damaged*: the runner sets it aside
(``*.damaged``) and re-runs the trial; readers of results raise :class:`DamagedFile`.
A write that fails (a full disk) raises :class:`DeepfaqError` naming the file.

Nothing read from the folder is trusted, since anyone may have edited or replaced
it (:func:`read_json`, :meth:`RunResult.from_dict`):

* only regular files are read, and at most a fixed number of bytes each: a
  ``result.json`` that is a link to ``/dev/zero`` or a FIFO is refused in one line
  instead of filling the memory or waiting forever;
* JSON is parsed with finite numbers only (``1e999`` is damage, not infinity),
  whole numbers of bounded length and bounded nesting, and every string loses its
  control characters, so no stored text can move the cursor, set the terminal's
  title or colour what follows when it is printed;
* a result is checked field by field (types, finite numbers) before any of it is
  used, so a wrong type is one line naming the file, never a traceback later;
* every path taken from a stored file (``latest.json``'s profile and config hash,
  a result's figures) must stay inside the folder: no ``..``, no absolute path, no
  symbolic link that leads out of it.
"""

from __future__ import annotations

import errno
import json
import math
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

import numpy as np

from deepfaq.core.claims import ClaimResult
from deepfaq.core.errors import DamagedFile, DeepfaqError, WriteFailed

TRIAL_SCHEMA = "deepfaq.trial/1"
RESULT_SCHEMA = "deepfaq.result/2"  # /2: claims carry kind, unit, preconditions


def jsonable(obj: Any) -> Any:
    """Plain JSON values: numpy scalars/arrays unpacked, tuples as lists, and
    NaN/±inf as null (strict JSON has no such numbers)."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def write_error(path: Path, e: OSError) -> WriteFailed:
    """The one-line error for a failed write of ``path``."""
    if e.errno == errno.ENOSPC:
        return WriteFailed(
            f"no space left on device while writing {path}; finished trials are kept"
        )
    return WriteFailed(f"cannot write {path}: {e.strerror or e}; finished trials are kept")


def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


#: Permissions of the files written (mkstemp's are private to the owner).
FILE_MODE = _file_mode()


def atomic_write(path: Path, write: Callable[[IO[bytes]], Any]) -> None:
    """Write ``path`` by calling ``write(file)`` on a temporary file of its own in
    the same folder, then renaming it over ``path``."""
    if path.is_dir():
        raise DamagedFile(
            f"{path} is a folder where a results file belongs; move it away and run again"
        )
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), FILE_MODE)
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise write_error(path, e) from None
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda f: f.write(text.encode("utf-8")))


def atomic_write_json(path: Path, obj: Any) -> None:
    atomic_write_text(path, json.dumps(jsonable(obj), indent=1, allow_nan=False) + "\n")


# -- reading what may have been tampered with ---------------------------------------

MiB = 1024 * 1024
#: The most bytes read of one file of each kind. A result holds every seed's curves
#: (the largest shipped reference is 12 MiB), a trial one seed's, a pointer
#: (``latest.json``, ``failed.json``) a few names; beyond these a file is not
#: deepfaq's, and reading it could exhaust the memory.
MAX_RESULT_BYTES = 256 * MiB
MAX_TRIAL_BYTES = 64 * MiB
MAX_POINTER_BYTES = MiB // 16
#: Deepest nesting of JSON arrays and objects accepted (results nest 7 deep).
MAX_DEPTH = 32
#: Longest whole number accepted, in digits: float() of a longer one overflows.
MAX_INT_DIGITS = 64

#: C0 controls but tab and newline, DEL, and the C1 controls (CSI, OSC, …):
#: what lets printed text command a terminal.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: The same inside JSON text (escaped, or C1 as raw UTF-8): a file without any
#: needs no cleaning pass.
_CONTROL_IN_JSON = re.compile(r"\\u00[01][0-9a-fA-F]|\\u007[fF]|\\u00[89][0-9a-fA-F]|[\x7f-\x9f]")


def size_text(n: int) -> str:
    """``268435456`` → ``'256 MiB'``: a limit as an error message names it."""
    return f"{n / MiB:g} MiB" if n >= MiB else f"{n / 1024:g} KiB"


def clean_text(text: str) -> str:
    """``text`` without control characters (tab and newline stay): safe to print."""
    return _CONTROL.sub("", text)


def _kind_of(mode: int) -> str:
    kinds = (
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def read_bounded(
    path: Path | str, limit: int, what: str = "results file", error: type = DamagedFile
) -> bytes:
    """The bytes of the regular file ``path``, refusing anything else in one line.

    A device (``/dev/zero``, ``/dev/urandom``) never ends, a FIFO may never answer,
    and a huge file would exhaust the memory: each raises ``error`` naming ``path``
    (and the limit). The file is opened without blocking and checked again once
    open, so swapping it for a FIFO between the two steps cannot hang the read."""
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise error(f"damaged {what} {path}: a folder, not a file")
        if not stat.S_ISREG(mode):
            raise error(f"{what} {path} is {_kind_of(mode)}, not a regular file")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise error(f"no {what} {path}") from None
    except (OSError, ValueError) as e:  # ValueError: a NUL in the name
        raise error(f"unreadable {what} {path}: {getattr(e, 'strerror', None) or e}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise error(f"{what} {path} is {_kind_of(st.st_mode)}, not a regular file")
        too_big = error(
            f"{what} {path} is larger than {size_text(limit)}, the most deepfaq reads of one"
        )
        if st.st_size > limit:
            raise too_big
        chunks, total = [], 0
        while chunk := os.read(fd, min(MiB, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # grew while being read
                raise too_big
        return b"".join(chunks)
    except OSError as e:
        raise error(f"unreadable {what} {path}: {e.strerror or e}") from None
    finally:
        os.close(fd)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:40]} is out of range")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"whole number of {len(text):,} digits")
    return int(text)


def _no_constant(text: str) -> None:
    raise ValueError(f"{text} is not a number")


def parse_json(data: bytes, where: Path | str, what: str = "results file") -> Any:
    """The JSON value of ``data`` (read from ``where``), checked as the module
    docstring says: finite numbers, bounded nesting, no control characters in any
    string or key. :class:`DamagedFile` names ``where`` otherwise."""
    try:
        text = data.decode("utf-8")
        obj = json.loads(
            text, parse_float=_finite, parse_int=_bounded_int, parse_constant=_no_constant
        )
    except RecursionError:
        raise DamagedFile(f"damaged {what} {where}: nested too deeply") from None
    except ValueError as e:  # also UnicodeDecodeError and JSONDecodeError
        raise DamagedFile(f"damaged {what} {where}: {e}") from None
    return _checked(obj, _CONTROL_IN_JSON.search(text) is not None, where, what)


def _checked(obj: Any, clean: bool, where: Path | str, what: str) -> Any:
    """``obj`` with its nesting checked and, with ``clean``, its strings cleaned;
    walked with a stack of its own, so no nesting can exhaust Python's."""

    def fix(x: Any) -> Any:
        return clean_text(x) if clean and isinstance(x, str) else x

    root = [fix(obj)]
    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise DamagedFile(f"damaged {what} {where}: nested over {MAX_DEPTH} levels deep")
        if isinstance(node, dict):
            if clean and any(_CONTROL.search(k) for k in node):
                items = [(clean_text(k), v) for k, v in node.items()]
                node.clear()
                node.update(items)
            for k, v in node.items():
                if isinstance(v, dict | list):
                    stack.append((v, depth + 1))
                elif clean and isinstance(v, str):
                    node[k] = clean_text(v)
        else:
            for i, v in enumerate(node):
                if isinstance(v, dict | list):
                    stack.append((v, depth + 1))
                elif clean and isinstance(v, str):
                    node[i] = clean_text(v)
    return root[0]


def read_json(
    path: Path | str,
    limit: int = MAX_RESULT_BYTES,
    what: str = "results file",
    error: type = DamagedFile,
) -> Any:
    """The checked JSON value of the regular file ``path`` (see :func:`read_bounded`
    and :func:`parse_json`); :class:`DamagedFile` (or ``error``, for a file the user
    named) in one line otherwise."""
    return parse_json(read_bounded(path, limit, what, error), path, what)


#: One name in a stored path (a profile, a config hash, a figure's file): letters,
#: digits, ``_``, ``-`` and inner dots; never ``.`` or ``..``.
_SAFE_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}")


def safe_relative(text: Any) -> bool:
    """Whether ``text``, read from a stored file, is a relative path that stays
    where it is joined on (before symbolic links: see :meth:`Store.contains`)."""
    if not isinstance(text, str) or not text or "\\" in text:
        return False
    parts = PurePosixPath(text).parts
    return (
        not text.startswith("/") and all(_SAFE_NAME.fullmatch(p) for p in parts) and len(parts) <= 8
    )


def inside(root: Path, path: Path) -> bool:
    """Whether ``path`` lies inside the folder ``root`` once every symbolic link is
    followed (a link that leaves the folder does not count as inside)."""
    try:
        base, target = Path(root).resolve(), Path(path).resolve()
    except (OSError, RuntimeError):  # a loop of links
        return False
    return target == base or base in target.parents


def _floats(values: list) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


@dataclass
class RunResult:
    """One question's run: per-seed numbers, verdicts, figures, environment."""

    question: str
    title: str
    profile: str
    config_hash: str
    config: dict
    seeds: list[int]
    metrics: dict[str, list[float]]
    series: dict[str, list[Any]]
    claims: list[ClaimResult]
    command: str
    seconds: float
    environment: dict = field(default_factory=dict)
    figures: list[str] = field(default_factory=list)
    #: the sequential design it ran under: {"looks", "seeds" (where it stopped),
    #: "level" (each interval's confidence)}; empty for a single look
    design: dict = field(default_factory=dict)

    #: how a shipped reference was made (see :mod:`deepfaq.reference`); empty for a run
    #: of your own
    @property
    def reference_block(self) -> dict:
        return {}

    @property
    def is_reference(self) -> bool:
        """Whether this is a reference shipped with deepfaq rather than your own run."""
        return bool(self.reference_block)

    def to_dict(self) -> dict:
        return {
            "schema": RESULT_SCHEMA,
            "question": self.question,
            "title": self.title,
            "profile": self.profile,
            "config_hash": self.config_hash,
            "config": self.config,
            "seeds": self.seeds,
            "seconds": self.seconds,
            "metrics": self.metrics,
            "series": self.series,
            "claims": [c.to_dict() for c in self.claims],
            "figures": self.figures,
            "command": self.command,
            "environment": self.environment,
            "design": self.design,
        }

    @classmethod
    def from_dict(cls, d: Any, where: Path | str = "result") -> RunResult:
        if isinstance(d, dict) and d.get("schema") == "deepfaq.result/1":
            raise DamagedFile(
                f"{where} was judged by an older deepfaq; run `deepfaq run {d.get('question')}"
                f" --profile {d.get('profile')}` to judge it again (finished trials are reused)"
            )
        if not isinstance(d, dict) or d.get("schema") != RESULT_SCHEMA:
            raise DamagedFile(f"{where} is not a deepfaq result (schema {RESULT_SCHEMA})")
        problem = result_problem(d)
        if problem:
            raise DamagedFile(f"damaged results file {where}: {problem}")
        try:
            return cls(
                question=d["question"],
                title=d["title"],
                profile=d["profile"],
                config_hash=d["config_hash"],
                config=dict(d["config"]),
                seeds=list(d["seeds"]),
                metrics={k: _floats(v) for k, v in d["metrics"].items()},
                series=dict(d["series"]),
                claims=[ClaimResult.from_dict(c) for c in d["claims"]],
                command=d["command"],
                seconds=float(d["seconds"]),
                environment=dict(d.get("environment", {})),
                figures=list(d.get("figures", [])),
                design=dict(d.get("design") or {}),
            )
        except DamagedFile as e:
            raise DamagedFile(f"damaged results file {where}: {e}") from None
        except (
            KeyError,
            TypeError,
            ValueError,
            AttributeError,
            OverflowError,
            RecursionError,
        ) as e:
            raise DamagedFile(f"damaged results file {where}: missing or bad field {e}") from None


# -- what a stored result must hold, field by field ------------------------------------


def _is_num(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _opt(test: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda x: x is None or test(x)


def _is_str(x: Any) -> bool:
    return isinstance(x, str)


def _list_of(test: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda x: isinstance(x, list) and all(map(test, x))


_RESULT_FIELDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "question": (_is_str, "a string"),
    "title": (_is_str, "a string"),
    "profile": (lambda x: isinstance(x, str) and _SAFE_NAME.fullmatch(x), "a plain name"),
    "config_hash": (lambda x: isinstance(x, str) and _SAFE_NAME.fullmatch(x), "a plain name"),
    "command": (_is_str, "a string"),
    "config": (lambda x: isinstance(x, dict), "an object"),
    "seeds": (_list_of(_is_int), "a list of whole numbers"),
    "seconds": (lambda x: _is_num(x) and x >= 0, "a number ≥ 0"),
    "metrics": (
        lambda x: isinstance(x, dict) and all(map(_list_of(_opt(_is_num)), x.values())),
        "an object of lists of numbers",
    ),
    "series": (
        lambda x: isinstance(x, dict) and all(isinstance(v, list) for v in x.values()),
        "an object of lists",
    ),
    "claims": (_list_of(lambda c: isinstance(c, dict)), "a list of objects"),
}
_OPTIONAL_FIELDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "figures": (_list_of(safe_relative), "a list of relative paths inside the run's folder"),
    "environment": (lambda x: isinstance(x, dict), "an object"),
    "design": (lambda x: x is None or isinstance(x, dict), "an object"),
}
_CLAIM_FIELDS: dict[str, tuple[Callable[[Any], bool], bool]] = {
    # name: (test, required)
    "id": (_is_str, True),
    "statement": (_is_str, True),
    "source": (_is_str, True),
    "unit": (_is_str, True),
    "estimate": (_opt(_is_num), True),
    "ci": (lambda x: isinstance(x, list) and len(x) == 2 and all(map(_opt(_is_num), x)), True),
    "n": (lambda x: _is_int(x) and x >= 0, True),
    "reason": (_opt(_is_str), True),
    "preconditions": (
        _list_of(lambda p: isinstance(p, dict) and _is_str(p.get("statement"))),
        True,
    ),
    "rule": (_is_str, False),
    "to_decide": (_opt(_is_int), False),
    "margin": (_opt(_is_num), False),
    "note": (_opt(_is_str), False),
}
#: The environment's fields that pages and cards format (others are shown as stored).
_ENV_FIELDS: dict[str, Callable[[Any], bool]] = {
    "python": _opt(_is_str),
    "platform": _opt(_is_str),
    "device": _opt(_is_str),
    "device_name": _opt(_is_str),
    "git_commit": _opt(_is_str),
    "time": _opt(_is_str),
    "cpu_count": _opt(_is_int),
    "torch_threads": _opt(_is_int),
    "packages": lambda x: isinstance(x, dict) and all(map(_is_str, x.values())),
}


def result_problem(d: dict) -> str | None:
    """What is wrong with the stored result ``d`` in a few words; None if nothing.

    Checked before any of it is used, so a wrong type is found here, named, and never
    becomes a traceback in a page or a card."""
    for name, (test, wanted) in _RESULT_FIELDS.items():
        if name not in d:
            return f"no field {name!r}"
        if not test(d[name]):
            return f"{name!r} is not {wanted}"
    for name, (test, wanted) in _OPTIONAL_FIELDS.items():
        if name in d and not test(d[name]):
            return f"{name!r} is not {wanted}"
    for k, claim in enumerate(d["claims"]):
        for name, (test, required) in _CLAIM_FIELDS.items():
            if (required or name in claim) and not test(claim.get(name)):
                return f"claim {k + 1} has a missing or wrong {name!r}"
    for name, test in _ENV_FIELDS.items():
        env = d.get("environment") or {}
        if name in env and not test(env[name]):
            return f"environment {name!r} has the wrong type"
    return None


#: A temporary file untouched for this long was left by a killed writer (no single
#: write takes a minute), so removing it cannot pull a file from under a live one.
STALE_SECONDS = 60


class Store:
    """The results folder rooted at ``root``."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def contains(self, path: Path) -> bool:
        """Whether ``path`` lies inside this folder, symbolic links followed."""
        return inside(self.root, path)

    def read_json(self, path: Path, limit: int = MAX_RESULT_BYTES) -> Any:
        """A stored JSON file, checked (see :func:`read_json`), that must lie inside
        the folder: a file linked to somewhere else is damage, not data."""
        if not self.contains(path):
            raise DamagedFile(f"{path} leads outside the results folder {self.root}")
        return read_json(path, limit)

    def ensure_writable(self) -> None:
        """Fail early, with one line, if results could not be saved."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(dir=self.root, prefix=".write-probe-")
            os.close(fd)
            os.unlink(probe)
        except OSError as e:
            raise DeepfaqError(f"cannot write results to {self.root}: {e.strerror}") from None

    def run_dir(self, question: str, profile: str, chash: str) -> Path:
        return self.root / question / profile / chash

    def trial_path(self, question: str, profile: str, chash: str, index: int) -> Path:
        return self.run_dir(question, profile, chash) / f"seed-{index}.json"

    # -- trials ---------------------------------------------------------------
    def load_trial(self, path: Path, *, question: str, config_hash: str, index: int) -> dict | None:
        """The finished trial at ``path``; None if there is none yet.

        Raises :class:`DamagedFile` for a file that is unreadable, foreign, or
        was written for another question, config or seed."""
        if not os.path.lexists(path):
            return None
        rec = self.read_json(path, MAX_TRIAL_BYTES)
        ok = (
            isinstance(rec, dict)
            and rec.get("schema") == TRIAL_SCHEMA
            and rec.get("question") == question
            and rec.get("config_hash") == config_hash
            and rec.get("index") == index
            and isinstance(rec.get("metrics"), dict)
            and isinstance(rec.get("series"), dict)
            and all(v is None or isinstance(v, int | float) for v in rec["metrics"].values())
            and all(isinstance(v, list) for v in rec["series"].values())
        )
        if not ok:
            raise DamagedFile(f"{path} is not a finished trial of {question} seed {index}")
        rec["metrics"] = {k: math.nan if v is None else float(v) for k, v in rec["metrics"].items()}
        return rec

    def save_trial(self, path: Path, record: dict) -> None:
        atomic_write_json(path, {"schema": TRIAL_SCHEMA, **record})

    @staticmethod
    def set_aside(path: Path) -> Path:
        """Rename a damaged file out of the way, keeping it for inspection."""
        target, k = path.with_name(path.name + ".damaged"), 0
        while target.exists():
            k += 1
            target = path.with_name(f"{path.name}.damaged-{k}")
        with suppress(FileNotFoundError):  # a concurrent run set it aside first
            os.replace(path, target)
        return target

    def remove_stale_temporaries(self, question: str, profile: str, chash: str) -> int:
        """Delete the temporary files that killed writers left in a run folder (and
        beside ``latest.json``); return how many there were."""
        run_dir = self.run_dir(question, profile, chash)
        found = [*run_dir.rglob(".*.tmp"), *(self.root / question).glob(".*.tmp")]
        removed = 0
        for tmp in found:
            with suppress(FileNotFoundError):  # renamed into place meanwhile
                if time.time() - tmp.stat().st_mtime > STALE_SECONDS:
                    tmp.unlink()
                    removed += 1
        return removed

    # -- results --------------------------------------------------------------
    def save_result(self, result: RunResult, latest: bool = True) -> Path:
        """Write ``result.json``; with ``latest`` also point ``latest.json`` at it
        (a sweep's grid points leave the question's latest answer alone)."""
        d = self.run_dir(result.question, result.profile, result.config_hash)
        atomic_write_json(d / "result.json", result.to_dict())
        if latest:
            atomic_write_json(
                self.root / result.question / "latest.json",
                {"profile": result.profile, "config_hash": result.config_hash},
            )
        return d / "result.json"

    def save_failure(self, question: str, profile: str, chash: str, line: str) -> None:
        """Record that the last run of ``question`` failed (removed by its next success)."""
        atomic_write_json(
            self.root / question / "failed.json",
            {
                "profile": profile,
                "config_hash": chash,
                "error": line,
                "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            },
        )

    def clear_failure(self, question: str) -> None:
        with suppress(FileNotFoundError):
            (self.root / question / "failed.json").unlink()

    def load_failure(self, question: str) -> str | None:
        """The one-line error of the last run of ``question`` if it failed, else None
        (a damaged record still says that a run failed)."""
        path = self.root / question / "failed.json"
        if not os.path.lexists(path):
            return None
        try:
            rec = self.read_json(path, MAX_POINTER_BYTES)
        except DamagedFile:
            return f"{question}: the last run failed (its record {path} is damaged)"
        error = rec.get("error") if isinstance(rec, dict) else None
        return " ".join(str(error).split())[:400] if error else f"{question}: the last run failed"

    def latest_path(self, question: str) -> Path | None:
        """The ``result.json`` that ``latest.json`` names; None if there is no pointer.

        The pointer's profile and config hash become folder names, so each must be a
        plain name (no ``..``, no ``/``), so the file they name lies inside the folder."""
        if self.root.exists() and not self.root.is_dir():
            raise DeepfaqError(f"{self.root} is a file, not a results folder")
        pointer = self.root / question / "latest.json"
        if not os.path.lexists(pointer):
            return None
        p = self.read_json(pointer, MAX_POINTER_BYTES)
        if not (
            isinstance(p, dict)
            and all(isinstance(p.get(k), str) for k in ("profile", "config_hash"))
        ):
            raise DamagedFile(f"damaged results file {pointer}")
        if not all(_SAFE_NAME.fullmatch(p[k]) for k in ("profile", "config_hash")):
            raise DamagedFile(f"{pointer} points outside the results folder {self.root}")
        # (A link on the way out of the folder is refused when the file is read.)
        return self.run_dir(question, p["profile"], p["config_hash"]) / "result.json"

    def load_latest(self, question: str) -> RunResult | None:
        """The latest stored result of ``question``; None if it never ran."""
        path = self.latest_path(question)
        if path is None:
            return None
        if not os.path.lexists(path):
            raise DamagedFile(f"{self.root / question / 'latest.json'} points to missing {path}")
        result = RunResult.from_dict(self.read_json(path), where=path)
        if result.question != question:
            raise DamagedFile(f"{path} holds question {result.question!r}, not {question!r}")
        if (result.profile, result.config_hash) != (path.parent.parent.name, path.parent.name):
            raise DamagedFile(
                f"{path} holds the run {result.profile}/{result.config_hash}, not the one"
                f" in whose folder it lies"
            )
        return result
