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
"""

from __future__ import annotations

import errno
import json
import math
import os
import tempfile
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
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


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise DamagedFile(f"damaged results file {path}: {e}") from None
    except IsADirectoryError:
        raise DamagedFile(f"damaged results file {path}: a folder, not a file") from None
    except OSError as e:
        raise DamagedFile(f"unreadable results file {path}: {e.strerror or e}") from None


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
        try:
            return cls(
                question=d["question"],
                title=d["title"],
                profile=d["profile"],
                config_hash=d["config_hash"],
                config=dict(d["config"]),
                seeds=[int(s) for s in d["seeds"]],
                metrics={k: _floats(v) for k, v in d["metrics"].items()},
                series=dict(d["series"]),
                claims=[ClaimResult.from_dict(c) for c in d["claims"]],
                command=d["command"],
                seconds=float(d["seconds"]),
                environment=dict(d.get("environment", {})),
                figures=list(d.get("figures", [])),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise DamagedFile(f"damaged results file {where}: missing or bad field {e}") from None


#: A temporary file untouched for this long was left by a killed writer (no single
#: write takes a minute), so removing it cannot pull a file from under a live one.
STALE_SECONDS = 60


class Store:
    """The results folder rooted at ``root``."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

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
        if not path.exists():
            return None
        rec = read_json(path)
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
        if not path.is_file():
            return None
        try:
            rec = read_json(path)
        except DamagedFile:
            return f"{question}: the last run failed (its record {path} is damaged)"
        error = rec.get("error") if isinstance(rec, dict) else None
        return " ".join(str(error).split())[:400] if error else f"{question}: the last run failed"

    def latest_path(self, question: str) -> Path | None:
        if self.root.exists() and not self.root.is_dir():
            raise DeepfaqError(f"{self.root} is a file, not a results folder")
        pointer = self.root / question / "latest.json"
        if not pointer.exists():
            return None
        p = read_json(pointer)
        if not (
            isinstance(p, dict)
            and isinstance(p.get("profile"), str)
            and isinstance(p.get("config_hash"), str)
        ):
            raise DamagedFile(f"damaged results file {pointer}")
        return self.run_dir(question, p["profile"], p["config_hash"]) / "result.json"

    def load_latest(self, question: str) -> RunResult | None:
        """The latest stored result of ``question``; None if it never ran."""
        path = self.latest_path(question)
        if path is None:
            return None
        if not path.exists():
            raise DamagedFile(f"{self.root / question / 'latest.json'} points to missing {path}")
        result = RunResult.from_dict(read_json(path), where=path)
        if result.question != question:
            raise DamagedFile(f"{path} holds question {result.question!r}, not {question!r}")
        return result
