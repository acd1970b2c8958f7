"""How long does each command take from a cold process?

    python benchmarks/cli_latency.py                      # results folder ./deepfaq-runs
    python benchmarks/cli_latency.py --out /tmp/runs --repeats 5

Times ``import deepfaq`` (the Python API loads on first use), ``deepfaq --help``,
``--version``, ``list``, ``show zero-init`` and ``ask``
(MiniLM and tf-idf), each a fresh Python process, ``--repeats`` times, and reports
the median and the fastest. ``list`` is timed twice: with an empty catalogue cache
(the first command after an edit to the package imports the registry once) and
with a warm one. MiniLM ``ask`` is timed three ways: cold (the cache folder emptied
before each call: the catalogue is rebuilt and every catalogue text encoded), with
only its vectors removed (the catalogue cached, the texts encoded), and warm (both
cached: only the query is encoded). ``--ask-only`` times just those three.
``show`` reads the latest stored run of zero-init in ``--out`` (a "not run" card
when there is none). Also records which heavy modules a command
imports and the machine's load average, since a loaded machine slows every number.
Results go to ``benchmarks/results/cli-latency.json``. It measures; it asserts
nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = (
    "torch",
    "scipy",
    "sklearn",
    "matplotlib",
    "transformers",
    "sentence_transformers",
    "deepfaq.experiments",
)

#: Runs the CLI in-process, then reports which heavy modules it loaded.
PROBE = """import sys
from deepfaq import cli
sys.argv = ["deepfaq", *sys.argv[1:]]
try:
    cli.main()
except SystemExit:
    pass
print("LOADED", ",".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""

#: Imports deepfaq as a script or a notebook does, then reports the heavy modules.
IMPORT_PROBE = """import sys
import deepfaq
print("LOADED", ",".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


def _children_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def time_command(args: list[str], env: dict, repeats: int, before=None, probe=None) -> dict:
    """Wall time, and CPU time (user + system: what the command costs on an idle
    machine, whatever else is running), of a fresh process, ``repeats`` times;
    ``before()``, when given, runs before each (untimed); ``probe``: the Python code
    run instead of the CLI."""
    times, cpu, loaded, failed = [], [], "", None
    for _ in range(repeats):
        if before is not None:
            before()
        cpu0, start = _children_cpu(), time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", probe or PROBE.format(heavy=HEAVY), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        times.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - cpu0)
        lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("LOADED")]
        loaded = lines[-1].removeprefix("LOADED").strip() if lines else "?"
        if proc.returncode != 0:
            failed = proc.stderr.strip().splitlines()[-1:] or ["failed"]
    row = {
        "command": "deepfaq " + " ".join(args),
        "median_s": round(statistics.median(times), 3),
        "min_s": round(min(times), 3),
        "cpu_median_s": round(statistics.median(cpu), 3),
        "runs": len(times),
        "heavy_modules": loaded.split(",") if loaded else [],
    }
    if failed:
        row["error"] = failed[0]
    return row


def time_import(env: dict, repeats: int) -> dict:
    """``import deepfaq`` in a fresh process, as a script or notebook starts."""
    row = time_command([], env, repeats, probe=IMPORT_PROBE.format(heavy=HEAVY))
    row["command"] = "python -c 'import deepfaq'"
    return row


def clear(cache: Path, pattern: str = "*") -> None:
    """Remove the cache folder's files matching ``pattern``."""
    for path in cache.glob(pattern):
        if path.is_file():
            path.unlink()


def time_ask(query: list[str], env: dict, cache: Path, repeats: int) -> list[dict]:
    """MiniLM ``ask`` cold, with its vectors removed, and warm (see the docstring)."""
    cold = time_command(query, env, repeats, before=lambda: clear(cache))
    cold["command"] += "  (cold: empty cache)"
    no_vectors = time_command(query, env, repeats, before=lambda: clear(cache, "ask-vectors-*"))
    no_vectors["command"] += "  (catalogue cached, vectors not)"
    time_command(query, env, 1)  # makes sure both caches are written
    warm = time_command(query, env, repeats)
    warm["command"] += "  (warm: catalogue and vectors cached)"
    return [cold, no_vectors, warm]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="deepfaq-runs", help="results folder for show and ask")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument(
        "--ask-only",
        action="store_true",
        help="time only MiniLM ask: cold, without its vectors, and warm",
    )
    ap.add_argument(
        "--dest",
        type=Path,
        default=Path(__file__).parent / "results" / "cli-latency.json",
        help="where to write the results",
    )
    a = ap.parse_args()
    cache = Path(tempfile.mkdtemp(prefix="deepfaq-cache-"))
    env = {**os.environ, "DEEPFAQ_CACHE": str(cache), "COLUMNS": "80"}
    out = ["--out", a.out]
    ask = ["ask", "why do my relu units die", *out]
    if a.ask_only:
        rows = time_ask(ask, env, cache, a.repeats)
    else:
        rows = _all_rows(env, out, cache, ask, a.repeats)
    result = {
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        },
        "results": rows,
    }
    dest = a.dest
    dest.write_text(json.dumps(result, indent=1) + "\n")
    if a.json:
        print(json.dumps(result))
        return
    for r in rows:
        print(
            f"{r['median_s']:6.2f} s (min {r['min_s']:.2f}, cpu {r['cpu_median_s']:.2f})"
            f"  {r['command']}  [{', '.join(r['heavy_modules']) or 'no heavy module'}]"
            + (f"  error: {r['error']}" if "error" in r else "")
        )
    print(
        f"load average {result['machine']['load_average_1m']} on {os.cpu_count()} CPUs;"
        f" written to {dest}"
    )


def _all_rows(env: dict, out: list[str], cache: Path, ask: list[str], repeats: int) -> list:
    rows = [time_import(env, repeats), time_command(["--help"], env, repeats)]
    rows.append(time_command(["--version"], env, repeats))
    cold = time_command(["list", *out], env, 1)  # builds the catalogue cache
    cold["command"] += "  (empty catalogue cache)"
    rows += [
        cold,
        time_command(["list", *out], env, repeats),
        time_command(["show", "zero-init", *out], env, repeats),
        time_command([*ask, "--backend", "tfidf"], env, repeats),
    ]
    return rows + time_ask(ask, env, cache, repeats)


if __name__ == "__main__":
    main()
