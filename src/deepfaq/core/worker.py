"""What runs a trial, wherever it runs: in this process, a pool worker or a Ray task.

Only picklable plain data comes in — the trial function, its config, the seeds, the
device, the question's declared outputs — so every executor runs exactly the same
code, with one torch and one BLAS thread, and returns plain records. The store is
written by the driver alone (see :mod:`deepfaq.core.runner`).
"""

from __future__ import annotations

import time
from numbers import Real
from typing import Any

import numpy as np
import torch

from deepfaq.core.context import TrialContext, seed_everything
from deepfaq.core.store import jsonable


def _split_output(out: Any) -> tuple[dict[str, float], dict[str, list]]:
    if not isinstance(out, dict):
        raise TypeError(f"a trial must return a dict, got {type(out).__name__}")
    metrics, series = {}, {}
    for k, v in out.items():
        if isinstance(v, np.ndarray) and v.ndim == 0:
            v = v.item()
        if isinstance(v, Real):
            metrics[k] = float(v)
        elif isinstance(v, list | tuple | np.ndarray):
            series[k] = jsonable(v)  # exactly what the store will hold
        else:
            raise TypeError(
                f"trial output {k!r} must be a number or a list, got {type(v).__name__}"
            )
    return metrics, series


#: torch and BLAS/OpenMP threads per trial. Fixed, so that a trial computes the same
#: float operations in the same order whichever executor runs it: with another thread
#: count torch, or the BLAS under numpy and scikit-learn, may split reductions
#: differently and change the last bits (Ray's workers, for one, default to one BLAS
#: thread where a local process takes one per core).
TRIAL_THREADS = 1


def _one_thread():
    """torch and every BLAS/OpenMP pool of this process limited to TRIAL_THREADS."""
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(TRIAL_THREADS)
    return threadpool_limits(limits=TRIAL_THREADS)


def execute_trial(trial, config, seed: int, device: str, progress=None) -> dict:
    """Run one trial and return its record (without store bookkeeping)."""
    seed_everything(seed)
    ctx = TrialContext(device=device) if progress is None else TrialContext(device, progress)
    t0 = time.perf_counter()
    with _one_thread():
        out = trial(config, seed, ctx)
    metrics, series = _split_output(out)
    return {"metrics": metrics, "series": series, "seconds": time.perf_counter() - t0}


def execute_batch(
    batched_trial, config, seeds: list[int], device: str, progress=None
) -> list[dict]:
    """Run one batch of seeds as an ensemble; one record per seed. Each record's
    ``seconds`` is its share of the batch's time."""
    seed_everything(seeds[0])  # any global draw; each member seeds itself from its seed
    ctx = TrialContext(device=device) if progress is None else TrialContext(device, progress)
    t0 = time.perf_counter()
    with _one_thread():
        outs = batched_trial(config, list(seeds), ctx)
    seconds = (time.perf_counter() - t0) / len(seeds)
    if not isinstance(outs, list | tuple) or len(outs) != len(seeds):
        raise TypeError(f"a batched trial must return one dict per seed ({len(seeds)})")
    records = []
    for out in outs:
        metrics, series = _split_output(out)
        records.append({"metrics": metrics, "series": series, "seconds": seconds})
    return records


def execute_unit(
    fn, batched: bool, config, seeds: list[int], device: str, declared=None, progress=None
) -> list[dict]:
    """Run one unit of work: a batch of seeds as an ensemble, or a single trial.
    With ``declared`` = (question id, outputs), each record must hold exactly the
    declared outputs (:func:`deepfaq.core.outputs.check_trial`)."""
    if batched:
        records = execute_batch(fn, config, seeds, device, progress)
    else:
        records = [execute_trial(fn, config, seeds[0], device, progress)]
    if declared is not None and declared[1]:
        from deepfaq.core.outputs import Outputs, check_trial

        outputs = Outputs(declared[1])
        for r in records:
            check_trial(declared[0], outputs, r["metrics"], r["series"])
    return records
