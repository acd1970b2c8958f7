"""Time every question's profile, one process per question, and the whole catalogue.

    python benchmarks/time_catalogue.py                 # quick profile, all questions
    python benchmarks/time_catalogue.py --profile smoke --device cuda
    python benchmarks/time_catalogue.py --catalogue-workers 2   # + the README's main job
    python benchmarks/time_catalogue.py --main-job --catalogue-out runs   # the main job only

Each question runs serially in a fresh folder through the real CLI (`deepfaq run
--json`), so the timing includes start-up, data generation, figures and the store.
With ``--catalogue-workers N`` it then times the whole catalogue as one command,
``deepfaq run --all --workers N``. Prints a table and writes
`benchmarks/results/<profile>-<device>.json`. With ``--main-job`` it times only README's
main job (`deepfaq run --all --workers 2`) and keeps, per question, the seeds, the trial
seconds (summed over the pool's processes) and the verdicts it printed, in
`benchmarks/results/main-job-<device>.json`. This measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deepfaq.experiments import REGISTRY


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", default="quick")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--questions", nargs="*", default=REGISTRY.ids())
    ap.add_argument(
        "--catalogue-workers",
        type=int,
        default=0,
        help="also time `deepfaq run --all --workers N` (0: skip)",
    )
    ap.add_argument(
        "--catalogue-out",
        type=Path,
        default=None,
        help="keep the catalogue run's results here (default: a temporary folder)",
    )
    ap.add_argument(
        "--main-job",
        action="store_true",
        help="time only `deepfaq run --all --workers 2` (README's main job)",
    )
    args = ap.parse_args()
    if args.main_job:
        return main_job(args)

    rows, t_all = [], time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for qid in args.questions:
            t0 = time.perf_counter()
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "deepfaq",
                    "run",
                    qid,
                    "--profile",
                    args.profile,
                    "--device",
                    args.device,
                    "--json",
                    "--out",
                    str(Path(tmp) / "runs"),
                ],
                capture_output=True,
                text=True,
            )
            wall = time.perf_counter() - t0
            if proc.returncode != 0:
                sys.exit(f"{qid} failed: {proc.stderr.strip().splitlines()[-1]}")
            res = json.loads(proc.stdout)
            verdicts = [c["verdict"] for c in res["claims"]]
            rows.append(
                {
                    "question": qid,
                    "seeds": res["seeds"],
                    "wall_s": round(wall, 2),
                    "trial_s": res["seconds"],
                    "verdicts": {v: verdicts.count(v) for v in sorted(set(verdicts))},
                }
            )
            print(
                f"{qid:<14} {res['seeds']:>2} seeds  wall {wall:6.1f} s  "
                f"trials {res['seconds']:6.1f} s  {rows[-1]['verdicts']}",
                flush=True,
            )
    total = time.perf_counter() - t_all
    print(f"{'sum':<14}           wall {total:6.1f} s")
    together = None
    if args.catalogue_workers:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "deepfaq",
                    "run",
                    "--all",
                    "--profile",
                    args.profile,
                    "--device",
                    args.device,
                    "--workers",
                    str(args.catalogue_workers),
                    "--json",
                    "--out",
                    str(args.catalogue_out or Path(tmp) / "runs"),
                ],
                capture_output=True,
                check=True,
            )
            together = round(time.perf_counter() - t0, 2)
        print(f"{'run --all':<14} {args.catalogue_workers} workers  wall {together:6.1f} s")
    out = Path(__file__).parent / "results" / f"{args.profile}-{args.device}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "profile": args.profile,
                "device": args.device,
                "total_wall_s": round(total, 2),
                "catalogue_workers": args.catalogue_workers,
                "catalogue_wall_s": together,
                "cpu_count": os.cpu_count(),
                "machine": platform.platform(),
                "python": platform.python_version(),
                "questions": rows,
            },
            indent=1,
        )
        + "\n"
    )


def main_job(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "deepfaq",
                "run",
                "--all",
                "--profile",
                args.profile,
                "--device",
                args.device,
                "--workers",
                "2",
                "--json",
                "--out",
                str(args.catalogue_out or Path(tmp) / "runs"),
            ],
            capture_output=True,
            text=True,
        )
        wall = round(time.perf_counter() - t0, 1)
    if proc.returncode != 0:
        sys.exit(f"the main job failed: {proc.stderr.strip().splitlines()[-1]}")
    rows = []
    for line in proc.stdout.splitlines():
        res = json.loads(line)
        verdicts = [c["verdict"] for c in res["claims"]]
        rows.append(
            {
                "question": res["question"],
                "seeds": res["seeds"],
                "trial_s": res["seconds"],
                "verdicts": {v: verdicts.count(v) for v in sorted(set(verdicts))},
            }
        )
        print(
            f"{res['question']:<17} {res['seeds']:>2} seeds  trials {res['seconds']:7.1f} s"
            f"  {rows[-1]['verdicts']}"
        )
    print(f"main job: {wall:.0f} s wall on {os.cpu_count()} cores")
    out = Path(__file__).parent / "results" / f"main-job-{args.device}.json"
    out.write_text(
        json.dumps(
            {
                "command": "deepfaq run --all --workers 2",
                "profile": args.profile,
                "device": args.device,
                "wall_s": wall,
                "cpu_count": os.cpu_count(),
                "machine": platform.platform(),
                "python": platform.python_version(),
                "questions": rows,
            },
            indent=1,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
