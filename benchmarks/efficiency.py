"""How close each question's training comes to the machine's limit.

    python benchmarks/efficiency.py                         # quick profile, every question
    python benchmarks/efficiency.py --questions lstm-vs-gru text-cnn --profile smoke
    python benchmarks/efficiency.py --times-from deepfaq-runs   # after the main job


For each question, runs the first unit of work of its profile (one trial, or one batch
of seeds trained as an ensemble) twice in this process with one thread, as the runner
does: once timed, once under ``torch.utils.flop_counter.FlopCounterMode``, which counts
the floating-point operations of every torch matrix product and convolution (forward
and backward). It reports per seed: the trial's CPU seconds, the GFLOPs torch did, the
achieved GFLOP/s, and that rate as a share of the same machine's single-thread peak,
measured first on a large float32 matrix product. Work that torch does not do
(scikit-learn, gensim, Python loops) counts no FLOPs: such a question shows a low share,
which is the point — its time goes elsewhere. With ``--times-from DIR`` (a results
folder, e.g. the main job's) the seconds per seed are the ones that run recorded and
the FLOPs are counted on one seed trained alone (its share of a batched ensemble's
work is the same), which costs about a fifth of a quick catalogue. The counter
intercepts every torch operation, so on step-by-step recurrences (lstm-vs-gru's cells)
counting costs tens of minutes: leave such a question out with ``--questions``. Writes
``benchmarks/results/efficiency-<profile>-<device>.json``. This measures; it asserts
nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import torch

from deepfaq.core.runner import make_plan, unit_args
from deepfaq.core.worker import TRIAL_THREADS, execute_unit
from deepfaq.experiments import REGISTRY


def matmul_peak(n: int = 1024, repeats: int = 10) -> float:
    """Single-thread float32 GFLOP/s of an n×n matrix product (the best of ``repeats``)."""
    torch.set_num_threads(1)
    a, b = torch.randn(n, n), torch.randn(n, n)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t0)
    return 2 * n**3 / best / 1e9


def recorded_seconds(folder: Path, qid: str, profile: str) -> float | None:
    """Seconds per seed of the question's latest ``profile`` run in a results folder."""
    from deepfaq.core.store import Store

    result = Store(folder).load_latest(qid)
    if result is None or result.profile != profile or not result.seeds:
        return None
    return result.seconds / len(result.seeds)


def measure(qid: str, profile: str, device: str, times_from: Path | None = None) -> dict:
    from torch.utils.flop_counter import FlopCounterMode

    plan = make_plan(
        REGISTRY.get(qid), profile, device=device, seed_batch=1 if times_from else None
    )
    unit = plan.batch_of(0)
    args = unit_args(plan, unit)
    n = len(unit)
    if times_from is None:
        t0, c0 = time.perf_counter(), time.process_time()
        execute_unit(*args)
        wall, cpu = (time.perf_counter() - t0) / n, (time.process_time() - c0) / n
    else:
        wall = cpu = recorded_seconds(times_from, qid, profile)
    counter = FlopCounterMode(display=False)
    with counter:
        execute_unit(*args)
    flops = counter.get_total_flops()
    return {
        "question": qid,
        "seeds_in_unit": n,
        "seconds_from": str(times_from) if times_from else "timed here",
        "wall_s_per_seed": None if wall is None else round(wall, 3),
        "cpu_s_per_seed": None if cpu is None else round(cpu, 3),
        "gflops_per_seed": round(flops / n / 1e9, 3),
        "gflop_per_s": round(flops / n / 1e9 / cpu, 3) if cpu else None,
    }


def save(out: Path, args, peak: float, rows: list[dict]) -> None:
    out.write_text(
        json.dumps(
            {
                "profile": args.profile,
                "device": args.device,
                "threads": TRIAL_THREADS,
                "matmul_peak_gflop_per_s": round(peak, 2),
                "seconds_from": str(args.times_from) if args.times_from else "timed here",
                "machine": platform.platform(),
                "cpu_count": os.cpu_count(),
                "torch": torch.__version__,
                "questions": rows,
            },
            indent=1,
        )
        + "\n"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", default="quick")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--questions", nargs="*", default=REGISTRY.ids())
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument(
        "--times-from",
        type=Path,
        default=None,
        help="a results folder whose recorded seconds per seed to use (FLOPs are counted"
        " on one seed trained alone)",
    )
    args = ap.parse_args()
    torch.set_num_threads(TRIAL_THREADS)
    peak = matmul_peak()
    print(f"single-thread float32 matmul peak: {peak:.1f} GFLOP/s")
    out = args.out or Path(__file__).parent / "results" / (
        f"efficiency-{args.profile}-{args.device}.json"
    )
    rows = []
    for qid in args.questions:
        row = measure(qid, args.profile, args.device, args.times_from)
        row["share_of_peak"] = (
            round(row["gflop_per_s"] / peak, 4) if row["gflop_per_s"] is not None else None
        )
        rows.append(row)
        print(
            f"{qid:18s} {row['cpu_s_per_seed'] or 0:8.2f} s/seed"
            f" {row['gflops_per_seed']:9.2f} GFLOP"
            f" {row['gflop_per_s'] or 0:7.2f} GFLOP/s  {100 * (row['share_of_peak'] or 0):5.1f}%"
            " of peak",
            flush=True,
        )
        save(out, args, peak, rows)  # after each question, so a stopped run keeps its rows
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
