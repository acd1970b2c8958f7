"""What experiments share: seeds per part, seed stacking, accuracy, the standard
"this arm trained" preconditions, named progress stages, and the plain-words pieces
of an answer. Only plumbing lives here; the science stays in each question's file.

Seeds
    Each part of a trial draws from its own stream, derived from the trial seed and the
    part's name (:func:`generator`, :func:`rng`), so changing one section's budget never
    changes another's numbers, and each member of an ensemble has its own stream.

Ensembles
    Seeds of a batch train side by side as one ensemble (:mod:`deepfaq.nn.ensemble`):
    :func:`stacked` puts one array per seed on a leading model dimension, and
    :func:`accuracy` measures every member at once.

Preconditions
    :func:`trained` is the standard pair of conditions on an arm expected to learn: it
    beats its trivial baseline by a stated margin, and its curve has levelled off.

Item guards
    :func:`enough_items` sets a guard from the claim's resolution and a planned spread
    (see :meth:`deepfaq.core.claims.EnoughItems.planned`).

Speed
    :func:`flush_denormals` treats denormal floats as zero within a block (saturated
    sigmoids fill a network with them, and the CPU is slow on them).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence

import numpy as np
import torch

from deepfaq.core.claims import Beats, Converged, EnoughItems, by_verdict  # noqa: F401
from deepfaq.core.context import sub_seed

# -- seeds -------------------------------------------------------------------------------


def generator(seed: int, part: str = "") -> torch.Generator:
    """A torch generator for one part of a trial (``part`` names it: "data", "init",
    "mnist1d/order"); the empty part gives the trial seed's own stream."""
    return torch.Generator().manual_seed(sub_seed(seed, part) if part else seed)


def generators(seeds: Iterable[int], part: str = "") -> list[torch.Generator]:
    """One :func:`generator` per seed of an ensemble."""
    return [generator(s, part) for s in seeds]


def rng(seed: int, part: str = "") -> np.random.Generator:
    """A numpy generator for one part of a trial."""
    return np.random.default_rng(sub_seed(seed, part) if part else seed)


# -- ensembles ---------------------------------------------------------------------------


def stacked(arrays: Sequence, device: str | torch.device = "cpu", dtype=None) -> torch.Tensor:
    """One array per seed → a tensor ``[K, ...]`` on ``device`` (each seed its slice)."""
    return torch.stack([torch.as_tensor(np.asarray(a)) for a in arrays]).to(
        device=device, dtype=dtype
    )


@torch.no_grad()
def accuracy(model, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Each member's accuracy: ``model(X)`` gives ``[K, n, classes]`` logits for
    ``X [K, n, ...]`` and labels ``y [K, n]`` → ``[K]`` fractions."""
    was_training = getattr(model, "training", False)
    if was_training:
        model.eval()
    logits = model(X)
    if was_training:
        model.train()
    return (logits.argmax(-1) == y).float().mean(-1)


def per_seed(values: torch.Tensor | Sequence) -> list[float]:
    """A ``[K]`` tensor (or sequence) as K Python floats, one per seed."""
    if isinstance(values, torch.Tensor):
        return [float(v) for v in values.detach().cpu().tolist()]
    return [float(v) for v in values]


def majority_share(labels) -> float:
    """The accuracy of always answering the most common class: chance for a classifier."""
    counts = np.bincount(np.asarray(labels).ravel())
    return float(counts.max() / counts.sum())


# -- preconditions -----------------------------------------------------------------------


def trained(
    metric: str,
    baseline: str | float,
    margin: float,
    curve: str,
    tol: float,
    *,
    higher_is_better: bool = True,
    baseline_name: str = "",
    relative: bool = False,
    favours: str | None = None,
) -> tuple:
    """The two conditions on an arm expected to learn: ``metric`` beats ``baseline``
    by ``margin``, and ``curve`` changed by at most ``tol`` either way over its last
    fifth (``relative`` to its range; ``favours`` see
    :class:`~deepfaq.core.claims.Converged`)."""
    return (
        Beats(metric, baseline, margin, higher_is_better, baseline_name),
        Converged(curve, tol, higher_is_better, relative=relative, favours=favours),
    )


def on_every_seed(metric: str, event: str) -> Beats:
    """``metric`` is 1 on a seed where ``event`` happened and 0 otherwise, so its mean is 1
    only when it happened on every seed: what a step count needs to be measured rather
    than cut off at the budget."""
    return Beats(metric, 0.0, margin=1.0, baseline_name=f"0 (1 = {event} on every seed)")


def enough_items(name: str, resolution: float, planned_sd: float) -> EnoughItems:
    """An item guard set from the claim's resolution and a planned per-item spread."""
    return EnoughItems.planned(name, resolution, planned_sd)


# -- progress ----------------------------------------------------------------------------


class Stages:
    """Progress by named stages, each with its share of the trial's work::

        stages = Stages(ctx, mnist1d=3, adding=2, lm=5)
        ...
        stages.done("mnist1d")         # 30% done
        stages.part("adding", 0.5)     # half of adding: 40%

    Shares are relative weights; the stages may finish in any order."""

    def __init__(self, ctx, **weights: float):
        self.ctx = ctx
        total = float(sum(weights.values())) or 1.0
        self.share = {k: w / total for k, w in weights.items()}
        self.progress = dict.fromkeys(weights, 0.0)

    def part(self, stage: str, fraction: float) -> None:
        self.progress[stage] = min(max(float(fraction), 0.0), 1.0)
        self.ctx.progress(sum(self.share[k] * f for k, f in self.progress.items()))

    def done(self, stage: str) -> None:
        self.part(stage, 1.0)


# -- speed -------------------------------------------------------------------------------


@contextlib.contextmanager
def flush_denormals():
    """Within the block the CPU treats denormal floats (magnitudes below about 1e-38 in
    float32) as zero, in results and in inputs; on leaving it, torch's default (keep
    them) is restored. Saturated sigmoids and their vanishing gradients fill a network
    with denormals, and arithmetic on them is many times slower on x86 CPUs; flushing
    them changes no number above 1e-38. On a CPU without the option it does nothing."""
    torch.set_flush_denormal(True)
    try:
        yield
    finally:
        torch.set_flush_denormal(False)
