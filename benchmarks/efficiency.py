"""How close each question's training comes to the machine's limit.

    python benchmarks/efficiency.py                         # quick profile, every question
    python benchmarks/efficiency.py --questions lstm-vs-gru text-cnn --profile smoke

For each question, runs the first unit of work of its profile (one trial, or one batch
of seeds trained as an ensemble) twice in this process with one thread, as the runner
does: once timed, once under ``torch.utils.flop_counter.FlopCounterMode``, which counts
the floating-point operations of every torch matrix product and convolution (forward
and backward). It reports per seed: the trial's CPU seconds, the GFLOPs torch did, the
achieved GFLOP/s, and that rate as a share of the same machine's single-thread peak,
measured first on a large float32 matrix product. Work that torch does not do
(scikit-learn, gensim, Python loops) counts no FLOPs: such a question shows a low share,
which is the point — its time goes elsewhere. Writes
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


def measure(qid: str, profile: str, device: str) -> dict:
    from torch.utils.flop_counter import FlopCounterMode

    plan = make_plan(REGISTRY.get(qid), profile, device=device)
    unit = plan.batch_of(0)
    args = unit_args(plan, unit)
    t0, c0 = time.perf_counter(), time.process_time()
    execute_unit(*args)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    counter = FlopCounterMode(display=False)
    with counter:
        execute_unit(*args)
    flops = counter.get_total_flops()
    n = len(unit)
    return {
        "question": qid,
        "seeds_in_unit": n,
        "wall_s_per_seed": round(wall / n, 3),
        "cpu_s_per_seed": round(cpu / n, 3),
        "gflops_per_seed": round(flops / n / 1e9, 3),
        "gflop_per_s": round(flops / 1e9 / cpu, 3) if cpu > 0 else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", default="quick")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--questions", nargs="*", default=REGISTRY.ids())
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    torch.set_num_threads(TRIAL_THREADS)
    peak = matmul_peak()
    print(f"single-thread float32 matmul peak: {peak:.1f} GFLOP/s")
    rows = []
    for qid in args.questions:
        row = measure(qid, args.profile, args.device)
        row["share_of_peak"] = (
            round(row["gflop_per_s"] / peak, 4) if row["gflop_per_s"] is not None else None
        )
        rows.append(row)
        print(
            f"{qid:18s} {row['cpu_s_per_seed']:8.2f} s/seed {row['gflops_per_seed']:9.2f} GFLOP"
            f" {row['gflop_per_s'] or 0:7.2f} GFLOP/s  {100 * (row['share_of_peak'] or 0):5.1f}%"
            " of peak",
            flush=True,
        )
    out = args.out or Path(__file__).parent / "results" / (
        f"efficiency-{args.profile}-{args.device}.json"
    )
    out.write_text(
        json.dumps(
            {
                "profile": args.profile,
                "device": args.device,
                "threads": TRIAL_THREADS,
                "matmul_peak_gflop_per_s": round(peak, 2),
                "machine": platform.platform(),
                "cpu_count": os.cpu_count(),
                "torch": torch.__version__,
                "questions": rows,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
