"""What a result was measured with: versions, device, commit, time."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import torch

PACKAGES = (
    "deepfaq",
    "torch",
    "numpy",
    "scipy",
    "scikit-learn",
    "matplotlib",
    "mnist1d",
    "mlxtend",
    "gensim",
    "sentence-transformers",
)


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def git_commit() -> str | None:
    """The commit of the deepfaq source tree, with ``-dirty`` if it has local
    changes; None when deepfaq is not running from a git checkout."""
    src = Path(__file__).resolve().parent
    try:
        head = subprocess.run(
            ["git", "-C", str(src), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(src), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("-dirty" if dirty else "")


def capture(device: str, threads: int | None = None) -> dict:
    """A JSON-ready description of this machine and its software; ``threads`` is
    the torch thread count the trials ran with (default: this process's)."""
    if device == "cuda":
        device_name = torch.cuda.get_device_name(0)
    else:
        device_name = platform.processor() or platform.machine()
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "device": device,
        "device_name": device_name,
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads() if threads is None else threads,
        "packages": {p: v for p in PACKAGES if (v := _version(p)) is not None},
        "git_commit": git_commit(),
        "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
