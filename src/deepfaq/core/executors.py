"""Where units of work run: a local process pool, or a Ray cluster.

A unit is one trial, or one batch of seeds trained as an ensemble. An executor
takes ``(tag, unit, args)`` triples, runs ``execute_unit(*args)`` for each
somewhere, and yields ``(tag..., outs)`` as units complete, in any order. It never
touches the store: the driver saves every record, so atomic writes and resume
work the same whichever executor ran the arithmetic.

A unit whose trial raises is yielded with the exception in place of its records,
so one question's failure never stops the others; under Ray it is the trial's own
exception (a one-line input error stays one line), not Ray's wrapper holding the
remote traceback. A worker process that dies (killed, out of memory) raises
:class:`~deepfaq.core.errors.WorkerLost`, one line with exit code 1, never a
traceback: the units still in flight have no result, and the finished ones are
already saved, so running the same command resumes.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from typing import Any

from deepfaq.core.errors import DeepfaqError, WorkerLost

RAY_INSTALL = 'pip install -e ".[ray]"'


def _execute(*args):
    """Run one unit in a worker. Python warnings stay quiet there as in the CLI's own
    process (a worker's stderr is the user's terminal), unless asked for with -W."""
    from deepfaq.core.worker import execute_unit

    if sys.warnoptions:
        return execute_unit(*args)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return execute_unit(*args)


def _die_with_parent(parent: int) -> None:
    """Pool initializer: a worker ends when the run that started it ends, however it
    ended. A run stopped by ``kill`` or ``kill -9`` runs no cleanup, and its workers
    would go on training units whose results no one will save. On Linux the kernel
    kills the worker (``PR_SET_PDEATHSIG``); elsewhere a thread watches the parent."""
    if sys.platform.startswith("linux"):
        import ctypes

        with suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0:  # 1: PR_SET_PDEATHSIG
                if os.getppid() != parent:  # the parent died before the call
                    os._exit(1)
                return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="deepfaq-parent-watch", daemon=True).start()


def _lost(i: int, unit: list[int], detail: str) -> WorkerLost:
    """The error for a dead worker; the runner names the question from ``tag``."""
    e = WorkerLost(detail)
    e.tag = (i, unit)
    return e


class Executor:
    name = "base"

    def map_units(
        self, work: list[tuple[int, list[int], tuple]], workers: int
    ) -> Iterator[tuple[int, list[int], list[dict]]]:
        raise NotImplementedError


class LocalExecutor(Executor):
    """This machine: in process when ``workers == 1``, else a spawn process pool."""

    name = "local"

    def map_units(self, work, workers):
        if workers == 1:
            for i, unit, args in work:
                try:
                    outs = _execute(*args)
                except Exception as e:  # the question fails, the others go on
                    outs = e
                yield i, unit, outs
            return
        ctx = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=_die_with_parent,
            initargs=(os.getpid(),),
        )
        finished = False
        try:
            futures = {pool.submit(_execute, *args): (i, unit) for i, unit, args in work}
            for fut in as_completed(futures):
                i, unit = futures[fut]
                try:
                    outs = fut.result()
                except BrokenProcessPool:
                    for other in futures:
                        other.cancel()
                    raise _lost(i, unit, "or another trial in flight") from None
                except Exception as e:
                    outs = e
                yield i, unit, outs
            finished = True
        finally:
            # Stopped early (an error, an interrupt): queued units are cancelled
            # rather than run to the end before the error can be reported.
            if not finished:  # trials in flight are not saved: stop them now
                for proc in list(getattr(pool, "_processes", {}).values()):
                    proc.terminate()
            pool.shutdown(wait=finished, cancel_futures=not finished)


class RayExecutor(Executor):
    """Ray tasks, one CPU each (and a GPU share with ``--device cuda``).

    ``address=None`` starts a local Ray instance with ``workers`` CPUs; ``"auto"``
    or ``"ray://host:port"`` joins an existing cluster. A task whose worker dies is
    retried by Ray (``max_retries``); the driver saves results only from tasks
    that finished, so a retry can never leave a half-written record.
    """

    name = "ray"

    def __init__(self, address: str | None = None, gpu_share: float = 0.0, max_retries: int = 3):
        try:
            import ray
        except ImportError:
            raise DeepfaqError(f"--executor ray needs Ray: {RAY_INSTALL}") from None
        self.ray = ray
        self.address, self.gpu_share, self.max_retries = address, gpu_share, max_retries
        self._started = False

    def _init(self, workers: int) -> None:
        if self.ray.is_initialized():
            return
        # Ray logs a notice that it turned token authentication on for the instance
        # it starts; it is on either way, and the notice is not the user's to act on.
        logging.getLogger("ray._private.authentication.authentication_token_setup").setLevel(
            logging.ERROR
        )
        kw: dict[str, Any] = {
            "include_dashboard": False,
            "log_to_driver": False,
            "configure_logging": False,
        }
        try:
            if self.address is None:
                self.ray.init(num_cpus=workers, **kw)
            else:
                self.ray.init(address=self.address, **kw)
        except (ConnectionError, RuntimeError, ValueError) as e:
            where = self.address or "a local instance"
            raise DeepfaqError(f"cannot start Ray at {where}: {e}") from None
        self._started = True

    def map_units(self, work, workers):
        self._init(workers)
        task = self.ray.remote(num_cpus=1, num_gpus=self.gpu_share, max_retries=self.max_retries)(
            _execute
        )
        refs = {task.remote(*args): (i, unit) for i, unit, args in work}
        try:
            pending = list(refs)
            while pending:
                ready, pending = self.ray.wait(pending, num_returns=1)
                for ref in ready:
                    i, unit = refs[ref]
                    try:
                        outs = self.ray.get(ref)
                    except self.ray.exceptions.RayTaskError as e:
                        outs = _cause(e)
                    except self.ray.exceptions.RayError as e:
                        # WorkerCrashedError (retries spent), NodeDiedError, Ray's
                        # OutOfMemoryError, a lost object: the worker is gone.
                        for other in pending:
                            with suppress(Exception):
                                self.ray.cancel(other, force=True)
                        raise _lost(
                            i,
                            unit,
                            f"Ray gave up after {self.max_retries} retries: {type(e).__name__}",
                        ) from None
                    yield i, unit, outs
        finally:
            if self._started:
                self.ray.shutdown()
                self._started = False


def _cause(e: BaseException) -> Exception:
    """The trial's own exception inside Ray's RayTaskError (whose text is the whole
    remote traceback, coloured); a one-line RuntimeError when there is none."""
    cause = getattr(e, "cause", None)
    if isinstance(cause, Exception) and not type(cause).__module__.startswith("ray."):
        return cause
    return RuntimeError(_first_line(str(cause if cause is not None else e)))


def _first_line(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[-1].strip() if lines else text


def make_executor(
    name: str, address: str | None = None, device: str = "cpu", workers: int = 1
) -> Executor:
    if name == "local":
        if address is not None:
            raise DeepfaqError("--ray-address needs --executor ray")
        return LocalExecutor()
    if name == "ray":
        share = 1.0 / max(workers, 1) if device == "cuda" else 0.0
        return RayExecutor(address, gpu_share=share)
    raise DeepfaqError(f"unknown --executor {name!r}; choose local or ray")
