"""Plan a run, execute its trials (serially or in a process pool), resume what
was already done, aggregate, judge the claims, draw the figures, save.

Trials are pure functions ``trial(config, seed, ctx) -> dict``. The returned
dict holds scalar *metrics* (numbers the claims read) and list-valued *series*
(curves and arrays the figures draw). Each finished trial is written at once, so
a run killed at any moment loses at most the trials that were in flight.
"""

from __future__ import annotations

import math
import multiprocessing
import shlex
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from numbers import Real
from pathlib import Path
from typing import Any

import numpy as np
import torch

from deepfaq.core import environment, figures
from deepfaq.core.config import apply_overrides, config_dict, config_hash
from deepfaq.core.context import TrialContext, derive_seed, resolve_device, seed_everything
from deepfaq.core.errors import BadConfig, DamagedFile
from deepfaq.core.question import Question
from deepfaq.core.store import RunResult, Store, jsonable


class Reporter:
    """Receives progress, one task per question; the CLI draws it with Rich.
    The default is silent."""

    def add(self, question: str, total: int) -> None: ...

    def advance(self, question: str, amount: float) -> None: ...

    def warn(self, message: str) -> None: ...

    def finish(self) -> None: ...


@dataclass(frozen=True)
class RunPlan:
    """What will run: a question, a budget, overrides, a device."""

    question: Question
    profile: str
    config: Any
    n_seeds: int
    device: str = "cpu"
    overrides: tuple[str, ...] = field(default=())

    @property
    def config_hash(self) -> str:
        return config_hash(self.question.id, self.config)

    @property
    def seeds(self) -> list[int]:
        return [derive_seed(self.question.id, k) for k in range(self.n_seeds)]

    @property
    def command(self) -> str:
        """The command line that reproduces this run."""
        parts = ["deepfaq", "run", self.question.id, "--profile", self.profile,
                 "--seeds", str(self.n_seeds), "--device", self.device]
        for o in self.overrides:
            parts += ["--set", o]
        return shlex.join(parts)


def make_plan(question: Question, profile: str = "quick", seeds: int | None = None,
              overrides: tuple[str, ...] | list[str] = (), device: str = "cpu") -> RunPlan:
    prof = question.profile(profile)
    n = prof.seeds if seeds is None else seeds
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise BadConfig(f"--seeds must be a whole number ≥ 1, got {seeds!r}")
    config = apply_overrides(prof.config, list(overrides))
    return RunPlan(question, profile, config, n, resolve_device(device), tuple(overrides))


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
                f"trial output {k!r} must be a number or a list, got {type(v).__name__}")
    return metrics, series


#: torch threads per trial. Fixed, so that a trial computes the same float
#: operations in the same order whichever executor runs it: with another thread
#: count torch may split reductions differently and change the last bits.
TRIAL_THREADS = 1


def execute_trial(trial, config, seed: int, device: str, progress=None) -> dict:
    """Run one trial and return its record (without store bookkeeping)."""
    torch.set_num_threads(TRIAL_THREADS)
    seed_everything(seed)
    ctx = TrialContext(device=device) if progress is None else TrialContext(device, progress)
    t0 = time.perf_counter()
    metrics, series = _split_output(trial(config, seed, ctx))
    return {"metrics": metrics, "series": series, "seconds": time.perf_counter() - t0}


class Runner:
    """Runs plans against a store, resuming finished trials."""

    def __init__(self, store: Store, workers: int = 1, reporter: Reporter | None = None):
        if workers < 1:
            raise BadConfig(f"--workers must be ≥ 1, got {workers}")
        self.store = store
        self.workers = workers
        self.reporter = reporter or Reporter()

    def _load_finished(self, plan: RunPlan) -> tuple[dict[int, dict], list[int]]:
        done, pending = {}, []
        for k in range(plan.n_seeds):
            path = self.store.trial_path(plan.question.id, plan.profile, plan.config_hash, k)
            try:
                rec = self.store.load_trial(
                    path, question=plan.question.id, config_hash=plan.config_hash, index=k)
            except DamagedFile as e:
                kept = self.store.set_aside(path)
                self.reporter.warn(f"{e}; kept as {kept.name}, re-running that trial")
                rec = None
            if rec is None:
                pending.append(k)
            else:
                done[k] = rec
        return done, pending

    def _save(self, plan: RunPlan, k: int, out: dict) -> dict:
        rec = {
            "question": plan.question.id, "profile": plan.profile,
            "config_hash": plan.config_hash, "index": k, "seed": plan.seeds[k],
            "config": config_dict(plan.config), "device": plan.device, **out,
        }
        self.store.save_trial(
            self.store.trial_path(plan.question.id, plan.profile, plan.config_hash, k), rec)
        return rec

    def _run_serial(self, plan: RunPlan, k: int) -> dict:
        qid, last = plan.question.id, [0.0]

        def progress(f: float) -> None:
            f = min(max(float(f), 0.0), 1.0)
            if f > last[0]:
                self.reporter.advance(qid, f - last[0])
                last[0] = f

        out = execute_trial(plan.question.trial, plan.config, plan.seeds[k], plan.device,
                            progress=progress)
        self.reporter.advance(qid, 1.0 - last[0])
        return self._save(plan, k, out)

    def run(self, plan: RunPlan) -> RunResult:
        return next(self.run_many([plan]))

    def run_many(self, plans: list[RunPlan]) -> Iterator[RunResult]:
        """Run every plan's pending trials and yield each plan's result, in order.

        With ``workers > 1`` the trials of *all* plans share one process pool, so
        the workers stay busy across questions; results are still yielded in the
        order of ``plans``, each as soon as it and the ones before it are done.
        """
        self.store.ensure_writable()
        done: list[dict[int, dict]] = []
        pending: list[list[int]] = []
        for plan in plans:
            d, p = self._load_finished(plan)
            self.reporter.add(plan.question.id, plan.n_seeds)
            self.reporter.advance(plan.question.id, float(len(d)))
            done.append(d)
            pending.append(p)
        try:
            if self.workers == 1 or sum(map(len, pending)) <= 1:
                for i, plan in enumerate(plans):
                    for k in pending[i]:
                        done[i][k] = self._run_serial(plan, k)
                    yield self._aggregate(plan, done[i])
            else:
                yield from self._run_pool(plans, done, pending)
        finally:
            self.reporter.finish()

    def _run_pool(self, plans, done, pending) -> Iterator[RunResult]:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx) as pool:
            futures = {
                pool.submit(execute_trial, plan.question.trial, plan.config, plan.seeds[k],
                            plan.device): (i, k)
                for i, plan in enumerate(plans) for k in pending[i]
            }
            remaining = [len(p) for p in pending]
            next_out = 0
            for fut in as_completed(futures):
                i, k = futures[fut]
                done[i][k] = self._save(plans[i], k, fut.result())
                self.reporter.advance(plans[i].question.id, 1.0)
                remaining[i] -= 1
                while next_out < len(plans) and remaining[next_out] == 0:
                    yield self._aggregate(plans[next_out], done[next_out])
                    next_out += 1
            while next_out < len(plans):  # plans that had nothing left to run
                yield self._aggregate(plans[next_out], done[next_out])
                next_out += 1

    def _aggregate(self, plan: RunPlan, finished: dict[int, dict]) -> RunResult:
        q = plan.question
        records = [finished[k] for k in range(plan.n_seeds)]
        names = list(records[0]["metrics"])
        for r in records[1:]:
            if list(r["metrics"]) != names:
                raise DamagedFile(
                    f"trials of {q.id} disagree on their metrics; delete "
                    f"{self.store.run_dir(q.id, plan.profile, plan.config_hash)} and re-run")
        metrics = {n: [r["metrics"][n] for r in records] for n in names}
        series = {n: [r["series"].get(n) for r in records] for n in records[0]["series"]}
        result = RunResult(
            question=q.id, title=q.title, profile=plan.profile, config_hash=plan.config_hash,
            config=config_dict(plan.config), seeds=plan.seeds, metrics=metrics, series=series,
            claims=[c.check(metrics) for c in q.claims], command=plan.command,
            seconds=float(sum(r["seconds"] for r in records)),
            environment=environment.capture(plan.device, TRIAL_THREADS),
        )
        run_dir = self.store.run_dir(q.id, plan.profile, plan.config_hash)
        paths = figures.render(q.figures, result, run_dir / "figures")
        result.figures = [p.relative_to(run_dir).as_posix() for p in paths]
        self.store.save_result(result)
        return result


def summary(result: RunResult, store: Store) -> dict:
    """The stable one-object-per-question shape of ``deepfaq run --json``."""
    run_dir = store.run_dir(result.question, result.profile, result.config_hash)

    def num(x: float) -> float | None:
        return x if math.isfinite(x) else None

    return {
        "question": result.question,
        "profile": result.profile,
        "seeds": len(result.seeds),
        "seconds": round(result.seconds, 3),
        "metrics": {k: [num(v) for v in vs] for k, vs in result.metrics.items()},
        "claims": [
            {"id": c.id, "statement": c.statement, "verdict": c.verdict,
             "estimate": num(c.estimate), "ci": [num(c.ci[0]), num(c.ci[1])], "n": c.n,
             "expected": c.expected, "source": c.source}
            for c in result.claims
        ],
        "figures": [str(Path(run_dir) / f) for f in result.figures],
    }
