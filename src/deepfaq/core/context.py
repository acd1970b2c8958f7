"""What a trial receives besides its config: the seed, the device, a progress hook."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch

from deepfaq.core.errors import DeepfaqError

DEVICES = ("auto", "cpu", "cuda")


def _no_progress(fraction: float) -> None:
    pass


@dataclass(frozen=True)
class TrialContext:
    """Carries the device and a progress callback into a trial.

    ``progress(f)`` reports that the fraction ``f`` (0–1) of the trial is done;
    the runner draws it, the trial never prints.
    """

    device: str = "cpu"
    progress: Callable[[float], None] = field(default=_no_progress, compare=False)


def derive_seed(question_id: str, index: int) -> int:
    """The integer seed of trial ``index`` of a question: stable across runs,
    machines and Python versions, and different for every question."""
    digest = hashlib.sha256(f"{question_id}/{index}".encode()).digest()
    return int.from_bytes(digest[:4], "little") & 0x7FFFFFFF


def sub_seed(seed: int, name: str) -> int:
    """The seed of part ``name`` of a trial (a section of a question), derived
    from the trial's ``seed``: stable like :func:`derive_seed`, and different for
    every name, so that changing one part's budget never changes another's
    random numbers."""
    digest = hashlib.sha256(f"{seed}/{name}".encode()).digest()
    return int.from_bytes(digest[:4], "little") & 0x7FFFFFFF


def seed_everything(seed: int) -> None:
    """Seed the global generators too, for library code that draws from them
    (``nn.Linear``'s default init, dropout). Trials still pass explicit
    generators to their own data builders."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def resolve_device(name: str) -> str:
    """``auto`` → ``cuda`` when a GPU is visible, else ``cpu``. Asking for
    ``cuda`` without one is the user's error, not a silent fallback."""
    if name not in DEVICES:
        raise DeepfaqError(f"unknown device {name!r}; choose one of {', '.join(DEVICES)}")
    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise DeepfaqError("--device cuda was asked for, but torch sees no CUDA GPU here")
    return name


def reseed_torch(g: torch.Generator) -> None:
    """Seed torch's global generator from ``g``, so the next module built with
    torch's default initialisation draws its weights from the trial's own stream."""
    torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=g)))


class SeedsInOneProcess:
    """A batched trial made of an ordinary one-seed ``trial``: the seeds of a batch
    run one after another in one process, each exactly as it would run alone
    (global generators reseeded from its seed first), so their numbers do not
    depend on the batching. What they share is the process: whatever the trial
    caches there — an encoder's vectors of a fixed corpus, a loaded model — is
    computed once per batch instead of once per seed.

    A class rather than a closure, so that process pools can pickle it."""

    def __init__(self, trial: Callable[..., dict]):
        self.trial = trial
        self.__name__ = getattr(trial, "__name__", "trial")

    def __call__(self, cfg, seeds: list[int], ctx: TrialContext) -> list[dict]:
        outs = []
        for i, seed in enumerate(seeds):
            seed_everything(seed)
            share = TrialContext(
                ctx.device, lambda f, i=i: ctx.progress((i + min(max(f, 0.0), 1.0)) / len(seeds))
            )
            outs.append(self.trial(cfg, seed, share))
        return outs
