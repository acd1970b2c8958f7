"""Plan a run, execute its trials (serially or in a process pool), resume what
was already done, aggregate, judge the claims, draw the figures, save.

Trials are pure functions ``trial(config, seed, ctx) -> dict``. The returned
dict holds scalar *metrics* (numbers the claims read) and list-valued *series*
(curves and arrays the figures draw). Each finished trial is written at once, so
a run killed at any moment loses at most the trials that were in flight.
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from deepfaq.core import environment, figures
from deepfaq.core.config import apply_overrides, config_dict, config_hash
from deepfaq.core.context import derive_seed, resolve_device
from deepfaq.core.errors import BadConfig, DamagedFile, DeepfaqError, WorkerLost
from deepfaq.core.executors import Executor, LocalExecutor
from deepfaq.core.question import Question
from deepfaq.core.store import RunResult, Store
from deepfaq.core.worker import (  # noqa: F401  (re-exported: the runner's API)
    TRIAL_THREADS,
    execute_batch,
    execute_trial,
    execute_unit,
)


class Reporter:
    """Receives progress, one task per question; the CLI draws it with Rich.
    The default is silent."""

    def add(self, question: str, total: int) -> None: ...

    def advance(self, question: str, amount: float) -> None: ...

    def grow(self, question: str, total: int) -> None:
        """A sequential design added seeds to ``question``: its total is now ``total``."""

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
    #: Shift of the seed indices: tuning runs use seeds the published runs do not.
    seed_offset: int = 0
    #: Seeds per ensemble, for a question with a batched trial: seed index k runs
    #: in batch k // seed_batch. Part of the config hash, since a different batch
    #: layout may change the last bits of the numbers.
    seed_batch: int = 1
    #: The profile's sequential design (see :class:`deepfaq.core.question.Profile`):
    #: the seed counts at which claims are looked at; empty for a single look.
    looks: tuple[int, ...] = ()

    @property
    def level(self) -> float:
        """Each interval's confidence: 95%, split evenly over the design's looks
        (Bonferroni), so that the chance of any wrong decision over all looks stays
        at most 5% whatever the spacing of the looks."""
        from deepfaq.core.stats import LEVEL

        return 1 - (1 - LEVEL) / max(len(self.looks), 1)

    def next_look(self) -> int | None:
        later = [n for n in self.looks if n > self.n_seeds]
        return later[0] if later else None

    @property
    def label(self) -> str:
        """How progress names this run: the question, plus its overrides if any."""
        return " ".join([self.question.id, *self.overrides])

    @property
    def batched(self) -> bool:
        return self.question.batched_trial is not None

    @property
    def config_hash(self) -> str:
        return config_hash(
            self.question.id,
            self.config,
            self.seed_offset,
            self.seed_batch if self.batched else None,
        )

    def batch_of(self, k: int) -> list[int]:
        """The seed indices that run together with seed index ``k``."""
        if not self.batched:
            return [k]
        start = (k // self.seed_batch) * self.seed_batch
        return list(range(start, min(start + self.seed_batch, self.n_seeds)))

    def units(self, pending: list[int]) -> list[list[int]]:
        """The batches to run so that every pending seed index is done."""
        out: list[list[int]] = []
        for k in pending:
            b = self.batch_of(k)
            if b not in out:
                out.append(b)
        return out

    @property
    def seeds(self) -> list[int]:
        return [derive_seed(self.question.id, self.seed_offset + k) for k in range(self.n_seeds)]

    @property
    def command(self) -> str:
        """The command line that reproduces this run."""
        parts = ["deepfaq", "run", self.question.id, "--profile", self.profile]
        if not self.looks:  # a sequential design chooses its own seeds
            parts += ["--seeds", str(self.n_seeds)]
        parts += ["--device", self.device]
        if self.seed_offset:
            parts += ["--seed-offset", str(self.seed_offset)]
        if self.batched:
            parts += ["--seed-batch", str(self.seed_batch)]
        for o in self.overrides:
            parts += ["--set", o]
        return shlex.join(parts)


def make_plan(
    question: Question,
    profile: str = "quick",
    seeds: int | None = None,
    overrides: tuple[str, ...] | list[str] = (),
    device: str = "cpu",
    seed_offset: int = 0,
    seed_batch: int | None = None,
) -> RunPlan:
    prof = question.profile(profile)
    n = prof.seeds if seeds is None else seeds
    batch = prof.seed_batch if seed_batch is None else seed_batch
    if not isinstance(batch, int) or isinstance(batch, bool) or batch < 1:
        raise BadConfig(f"--seed-batch must be a whole number ≥ 1, got {seed_batch!r}")
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise BadConfig(f"--seeds must be a whole number ≥ 1, got {seeds!r}")
    if not isinstance(seed_offset, int) or isinstance(seed_offset, bool) or seed_offset < 0:
        raise BadConfig(f"--seed-offset must be a whole number ≥ 0, got {seed_offset!r}")
    config = apply_overrides(prof.config, list(overrides))
    return RunPlan(
        question,
        profile,
        config,
        n,
        resolve_device(device),
        tuple(overrides),
        seed_offset,
        batch if question.batched_trial is not None else 1,
        # --seeds N asks for exactly N seeds: the profile's sequential design is off
        tuple(prof.looks) if seeds is None else (),
    )


def unit_args(plan: RunPlan, indices: list[int]) -> tuple:
    """What a worker needs to run one unit: picklable, without the question (its
    id and declared outputs travel, to check what the trial returns)."""
    q = plan.question
    fn = q.batched_trial if plan.batched else q.trial
    declared = (q.id, q.outputs)
    return fn, plan.batched, plan.config, [plan.seeds[k] for k in indices], plan.device, declared


@dataclass
class RunFailure:
    """A question whose run failed: a trial raised, or its aggregation, claims or
    figures did. Its finished trials stay stored, so the same command, once the
    cause is fixed, re-aggregates them without retraining."""

    question: str
    profile: str
    #: "trial" or "aggregate" (verdicts, figures, saving the result)
    stage: str
    error: BaseException

    @property
    def line(self) -> str:
        """One line naming the question and the error."""
        what = "a trial" if self.stage == "trial" else "judging and drawing"
        text = " ".join(str(self.error).split()) or type(self.error).__name__
        if len(text) > 300:
            text = text[:297] + "…"
        return (
            f"{self.question} ({self.profile}): {what} failed: {type(self.error).__name__}: {text}"
        )


#: Errors that stop a whole run rather than one question: a user's input error (a
#: one-line DeepfaqError: an unreadable corpus, a config a trial rejects), a write that
#: every later write would repeat (a full disk), a dead worker, an interrupt.
_FATAL = (DeepfaqError, KeyboardInterrupt, MemoryError)


class Runner:
    """Runs plans against a store, resuming finished trials.

    One question's failure never stops the others: :meth:`run_many` yields a
    :class:`RunFailure` in its place and goes on (the store records it, so
    ``show`` and the report can say so), except for errors that would stop every
    question alike (a full disk, a dead worker)."""

    def __init__(
        self,
        store: Store,
        workers: int = 1,
        reporter: Reporter | None = None,
        executor: Executor | None = None,
        set_latest: bool = True,
    ):
        if workers < 1:
            raise BadConfig(f"--workers must be ≥ 1, got {workers}")
        self.store = store
        self.workers = workers
        self.reporter = reporter or Reporter()
        self.executor = executor or LocalExecutor()
        #: whether finished runs become their question's latest answer
        self.set_latest = set_latest

    def _load_finished(self, plan: RunPlan) -> tuple[dict[int, dict], list[int]]:
        self.store.remove_stale_temporaries(plan.question.id, plan.profile, plan.config_hash)
        done, pending = {}, []
        for k in range(plan.n_seeds):
            path = self.store.trial_path(plan.question.id, plan.profile, plan.config_hash, k)
            try:
                rec = self.store.load_trial(
                    path, question=plan.question.id, config_hash=plan.config_hash, index=k
                )
            except DamagedFile as e:
                kept = self.store.set_aside(path)
                self.reporter.warn(f"{e}; kept as {kept.name}, re-running that trial")
                rec = None
            if rec is None:
                pending.append(k)
            else:
                done[k] = rec
        return done, pending

    def _rerun_incomplete(self, plan: RunPlan, finished: dict[int, dict]) -> None:
        """Every trial returns the same metric and series names, so a stored trial
        that lacks one the others have is damaged: set it aside and run it again."""
        metric_names = set().union(*(r["metrics"] for r in finished.values()))
        series_names = set().union(*(r["series"] for r in finished.values()))
        for k, r in sorted(finished.items()):
            missing = (metric_names - r["metrics"].keys()) | (series_names - r["series"].keys())
            if missing:
                path = self.store.trial_path(plan.question.id, plan.profile, plan.config_hash, k)
                kept = self.store.set_aside(path)
                self.reporter.warn(
                    f"{path} lacks {', '.join(sorted(missing)[:3])}; kept as"
                    f" {kept.name}, re-running that trial"
                )
                redo = plan.batch_of(k)
                self.reporter.advance(plan.label, -float(len(redo)))
                finished.update(self._run_serial(plan, redo))

    def _save(self, plan: RunPlan, k: int, out: dict) -> dict:
        rec = {
            "question": plan.question.id,
            "profile": plan.profile,
            "config_hash": plan.config_hash,
            "index": k,
            "seed": plan.seeds[k],
            "config": config_dict(plan.config),
            "device": plan.device,
            **out,
        }
        self.store.save_trial(
            self.store.trial_path(plan.question.id, plan.profile, plan.config_hash, k), rec
        )
        return rec

    def _run_serial(self, plan: RunPlan, indices: list[int]) -> dict[int, dict]:
        """Run one unit in this process, drawing its progress; save each seed."""
        qid, last, size = plan.label, [0.0], float(len(indices))

        def progress(f: float) -> None:
            f = min(max(float(f), 0.0), 1.0)
            if f > last[0]:
                self.reporter.advance(qid, size * (f - last[0]))
                last[0] = f

        outs = execute_unit(*unit_args(plan, indices), progress=progress)
        self.reporter.advance(qid, size * (1.0 - last[0]))
        return {k: self._save(plan, k, out) for k, out in zip(indices, outs, strict=True)}

    def run(self, plan: RunPlan) -> RunResult:
        """Run one plan; a failure raises its original error."""
        out = next(self.run_many([plan]))
        if isinstance(out, RunFailure):
            raise out.error
        return out

    def run_many(self, plans: list[RunPlan]) -> Iterator[RunResult | RunFailure]:
        """Run every plan's pending trials and yield each plan's result (or its
        :class:`RunFailure`), in order.

        With ``workers > 1`` (or the Ray executor) the units of *all* plans share
        the executor's workers, so they stay busy across questions; results are
        still yielded in the order of ``plans``, each as soon as it and the ones
        before it are done. A plan with a sequential design (``looks``) that cannot
        decide a claim at its current seeds runs again with the next look's seeds,
        in a later round, reusing every finished trial.
        """
        self.store.ensure_writable()
        self._counted: dict[str, int] = {}
        current = list(plans)
        final: list[RunResult | RunFailure | None] = [None] * len(plans)
        active = list(range(len(plans)))
        next_out = 0
        try:
            while active:
                again = []
                for i, out in zip(
                    active, self._run_round([current[i] for i in active]), strict=True
                ):
                    if isinstance(out, RunPlan):  # the next look
                        current[i] = out
                        again.append(i)
                        continue
                    final[i] = out
                    while next_out < len(plans) and final[next_out] is not None:
                        yield final[next_out]
                        next_out += 1
                active = again
        finally:
            self.reporter.finish()

    def _run_round(self, plans: list[RunPlan]) -> Iterator[RunResult | RunFailure | RunPlan]:
        """One round: every plan's pending trials, then each plan's result, failure,
        or (a sequential design that needs more seeds) its next look's plan."""
        done: list[dict[int, dict]] = []
        pending: list[list[int]] = []
        for plan in plans:
            d, p = self._load_finished(plan)
            if plan.label in self._counted:
                self.reporter.grow(plan.label, plan.n_seeds)
            else:
                self.reporter.add(plan.label, plan.n_seeds)
            counted = self._counted.get(plan.label, 0)
            self.reporter.advance(plan.label, float(len(d) - counted))
            self._counted[plan.label] = plan.n_seeds
            done.append(d)
            pending.append(p)
        units = [plan.units(p) for plan, p in zip(plans, pending, strict=True)]
        n_units = sum(map(len, units))
        local = self.executor.name == "local"
        if n_units == 0 or (local and (self.workers == 1 or n_units == 1)):
            for i, plan in enumerate(plans):
                try:
                    for unit in units[i]:
                        done[i].update(self._run_serial(plan, unit))
                except _FATAL:
                    raise
                except Exception as e:
                    yield self._failed(plan, "trial", e)
                    continue
                yield self._finish(plan, done[i])
        else:
            yield from self._run_parallel(plans, done, units)

    def _finish(self, plan: RunPlan, finished: dict[int, dict]) -> RunResult | RunFailure | RunPlan:
        """Aggregate, judge, draw and save, or record why that failed; or, when the
        plan's sequential design calls for more seeds, the plan of its next look."""
        try:
            more = self._next_look(plan, finished)
            if more is not None:
                return more
            return self._aggregate(plan, finished)
        except _FATAL:
            raise
        except Exception as e:
            return self._failed(plan, "aggregate", e)

    def _failed(self, plan: RunPlan, stage: str, error: Exception) -> RunFailure:
        failure = RunFailure(plan.question.id, plan.profile, stage, error)
        self.reporter.warn(failure.line)
        if self.set_latest:
            self.store.save_failure(plan.question.id, plan.profile, plan.config_hash, failure.line)
        return failure

    def _run_parallel(self, plans, done, units) -> Iterator[RunResult]:
        """Hand every unit to the executor; save each as it completes (only this
        process writes the store) and yield plans' results in order."""
        remaining = [len(u) for u in units]
        errors: dict[int, Exception] = {}
        next_out = 0

        def finish(i: int) -> RunResult | RunFailure:
            if i in errors:
                return self._failed(plans[i], "trial", errors[i])
            return self._finish(plans[i], done[i])

        work = [
            (i, unit, unit_args(plan, unit)) for i, plan in enumerate(plans) for unit in units[i]
        ]
        units_done = self.executor.map_units(work, self.workers)
        try:
            for i, unit, outs in units_done:
                if isinstance(outs, _FATAL):
                    raise outs
                if isinstance(outs, BaseException):
                    errors.setdefault(i, outs)  # the first error names the failure
                else:
                    for k, out in zip(unit, outs, strict=True):
                        done[i][k] = self._save(plans[i], k, out)
                self.reporter.advance(plans[i].label, float(len(unit)))
                remaining[i] -= 1
                while next_out < len(plans) and remaining[next_out] == 0:
                    yield finish(next_out)
                    next_out += 1
        except WorkerLost as e:
            i, unit = getattr(e, "tag", (next_out, []))
            seeds = ", ".join(str(plans[i].seeds[k]) for k in unit)
            raise WorkerLost(
                f"a worker process died while running {plans[i].label}"
                f" (seed {seeds}; {e}); finished trials are kept: run the same"
                " command to resume"
            ) from None
        finally:
            units_done.close()  # stops the executor's workers at once if we stopped early
        while next_out < len(plans):  # plans that had nothing left to run
            yield finish(next_out)
            next_out += 1

    def _next_look(self, plan: RunPlan, finished: dict[int, dict]) -> RunPlan | None:
        """The plan of the next look when some finding over seeds is undecided only
        because its interval straddles its boundary; None to stop here."""
        n = plan.next_look()
        if n is None:
            return None
        # Only claims that the cap could decide at the observed spread call for more
        # seeds (stopping for futility never adds a wrong decision).
        undecided = [
            c.id
            for c in self._judge(plan, finished)
            if _straddles(c) and c.to_decide <= plan.looks[-1]
        ]
        if not undecided:
            return None
        self.reporter.warn(
            f"{plan.label}: {len(undecided)} claim{'s' * (len(undecided) != 1)} undecided at"
            f" {plan.n_seeds} seeds ({', '.join(undecided[:3])}"
            f"{', …' if len(undecided) > 3 else ''}); adding seeds up to {n}"
        )
        return replace(plan, n_seeds=n)

    def _judge(self, plan: RunPlan, finished: dict[int, dict]) -> list:
        q = plan.question
        self._rerun_incomplete(plan, finished)
        records = [finished[k] for k in range(plan.n_seeds)]
        metrics = {n: [r["metrics"][n] for r in records] for n in records[0]["metrics"]}
        series = {n: [r["series"].get(n) for r in records] for n in records[0]["series"]}
        return [c.check(metrics, series, plan.config, q.words, plan.level) for c in q.claims]

    def _aggregate(self, plan: RunPlan, finished: dict[int, dict]) -> RunResult:
        q = plan.question
        self._rerun_incomplete(plan, finished)
        records = [finished[k] for k in range(plan.n_seeds)]
        names = list(records[0]["metrics"])
        for r in records[1:]:
            if r["metrics"].keys() != records[0]["metrics"].keys():  # extra names, by hand
                raise DamagedFile(
                    f"trials of {q.id} disagree on their metrics; move the seed-*.json files"
                    f" of {self.store.run_dir(q.id, plan.profile, plan.config_hash)} away"
                )
        metrics = {n: [r["metrics"][n] for r in records] for n in names}
        series = {n: [r["series"].get(n) for r in records] for n in records[0]["series"]}
        result = RunResult(
            question=q.id,
            title=q.title,
            profile=plan.profile,
            config_hash=plan.config_hash,
            config=config_dict(plan.config),
            seeds=plan.seeds,
            metrics=metrics,
            series=series,
            claims=[c.check(metrics, series, plan.config, q.words, plan.level) for c in q.claims],
            command=plan.command,
            seconds=float(sum(r["seconds"] for r in records)),
            environment=environment.capture(plan.device, TRIAL_THREADS),
            design=(
                {"looks": list(plan.looks), "seeds": plan.n_seeds, "level": plan.level}
                if plan.looks
                else {}
            ),
        )
        run_dir = self.store.run_dir(q.id, plan.profile, plan.config_hash)
        paths = figures.render(q.figures, result, run_dir / "figures")
        result.figures = [p.relative_to(run_dir).as_posix() for p in paths]
        self.store.save_result(result, latest=self.set_latest)
        if self.set_latest:
            self.store.clear_failure(q.id)
        return result


def _straddles(c) -> bool:
    """A finding over seeds left undecided by its interval alone (no failed
    precondition): more seeds could decide it."""
    return (
        c.kind == "empirical"
        and c.replication == "seeds"
        and c.verdict == "inconclusive"
        and c.to_decide is not None
    )


def claim_summary(c, question_id: str) -> dict:
    """One claim of ``deepfaq run --json`` (and of the Python API's tables)."""
    from deepfaq.core import lock

    def num(x: float | None) -> float | None:
        return x if x is not None and math.isfinite(x) else None

    revised = lock.revision(question_id, c.id)
    return {
        "id": c.id,
        "statement": c.statement,
        "verdict": c.verdict,
        "estimate": num(c.estimate),
        "ci": [num(c.ci[0]), num(c.ci[1])],
        "n": c.n,
        "expected": c.expected,
        "source": c.source,
        "kind": c.kind,
        "unit": c.unit,
        "replication": c.replication,
        "reason": c.reason,
        "margin": num(c.margin),
        "revised_after_results": revised is not None,
        "note": c.note,
        "preconditions": [
            {
                "statement": p.statement,
                "type": _precondition_type(p.type),
                "metric": p.metric,
                "params": p.params,
                "window": p.window,
                "holds": p.holds,
                "detail": p.value,
            }
            for p in c.preconditions
        ],
        "to_decide": c.to_decide,
    }


def _precondition_type(name: str) -> str:
    """``Converged`` → ``converged``, ``EnoughItems`` → ``enough_items``."""
    import re

    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() if name else ""


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
        "claims": [claim_summary(c, result.question) for c in result.claims],
        "figures": [str(Path(run_dir) / f) for f in result.figures],
    }
