"""Build the shipped reference results from a results folder.

    python -m deepfaq.reference build --from DIR [--note TEXT] [--questions ID ...]

copies the latest stored run of each question in ``DIR`` into the package folder
(``--to`` another folder) as ``<profile>/<id>.json.gz``: the run's ``result.json``
with its figure list emptied (no images ship) and a ``reference`` block added. The
output is deterministic — sorted keys, compact separators, gzip with no name or time
in its header — so the same run always gives the same bytes.

A ``quick`` reference is a plain run of the profile: ``--set`` overrides are
refused. A ``full`` reference may be cut down to fit the machine that makes it —
fewer ``--seeds``, ``--set`` budgets, another ``--seed-batch`` — and every such
reduction is written into its ``reductions`` line, worked out from the run's config
against today's ``full`` profile. A smoke run, or a ``--seed-offset`` (tuning
seeds), is refused. Every run is checked before any file is written.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import shlex
import sys
from pathlib import Path

from deepfaq import __version__
from deepfaq.core.errors import DeepfaqError
from deepfaq.core.store import RunResult, Store, atomic_write, jsonable, read_json
from deepfaq.reference import FOLDER, KINDS, SCHEMA, label, path, plan_args


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def _show(v) -> str:
    if isinstance(v, list | tuple):
        return "(" + ", ".join(_show(x) for x in v) + ")"
    return f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else str(v)


def cuts(run: RunResult, registry) -> list[str]:
    """How a ``full`` run differs from today's ``full`` profile, one phrase per
    difference: fewer seeds, then each config value (dotted for nested sections)."""
    from deepfaq.core.config import config_dict

    prof = registry.get(run.question).profile("full")
    out = []
    if len(run.seeds) != prof.seeds:
        out.append(f"{len(run.seeds)} seeds (full: {prof.seeds})")
    full, ran = _flat(config_dict(prof.config)), _flat(run.config)
    for key in sorted(full.keys() | ran.keys()):
        if full.get(key) != ran.get(key):
            out.append(f"{key} {_show(ran.get(key))} (full: {_show(full.get(key))})")
    return out


def default_note(run: RunResult, reduced: list[str] = ()) -> str:
    """How a run differs from the ``full`` profile: its profile, the ``reduced``
    cuts of a full run (see :func:`cuts`), and its device."""
    device = run.environment.get("device", "cpu")
    parts = []
    if run.profile != "full":
        parts.append(f"{run.profile} profile: budgets and seeds of `{run.profile}`, not `full`")
    else:
        parts.append(
            "full profile, reduced to fit its machine: " + ", ".join(reduced)
            if reduced
            else "full profile"
        )
    if device != "cuda":
        parts.append(f"run on {device}, not a GPU")
    return "; ".join(parts)


def block(run: RunResult, note: str | None, registry=None) -> dict:
    """The ``reference`` block: how the run was made, all from the run itself and
    today's profiles (so a rebuild from the same run gives the same bytes).
    ``reductions`` is worked out; ``note`` is what the builder adds in words."""
    env = run.environment
    packages = env.get("packages", {})
    reduced = cuts(run, registry) if run.profile == "full" and registry is not None else []
    machine = ", ".join(
        str(x)
        for x in (
            env.get("platform"),
            env.get("device_name"),
            f"{env['cpu_count']} CPUs" if env.get("cpu_count") else None,
            f"Python {env['python']}" if env.get("python") else None,
        )
        if x
    )
    return {
        "schema": SCHEMA,
        "profile": run.profile,
        "device": env.get("device", "cpu"),
        "seeds": len(run.seeds),
        "seconds": round(run.seconds, 1),
        "date": str(env.get("time", ""))[:10],
        "deepfaq_version": packages.get("deepfaq", __version__),
        "torch_version": packages.get("torch"),
        "machine": machine,
        "git_commit": env.get("git_commit"),
        "config_hash": run.config_hash,
        "reduced": bool(reduced),
        "reductions": default_note(run, reduced) + (f"; {note}" if note else ""),
        "note": note or "",
    }


def refusal(qid: str, run: RunResult, where: Path) -> str | None:
    """Why ``run`` cannot be a reference; None when it can."""
    if run.profile == "smoke":
        return (
            f"{where}'s latest run of {qid} is a smoke run, which answers nothing;"
            f" run `deepfaq run {qid} --profile quick --out {where}` (or full) first"
        )
    words = [w.split("=")[0] for w in shlex.split(run.command)]
    banned = ("--seed-offset",) if run.profile == "full" else ("--set", "--seed-offset")
    extra = [w for w in banned if w in words]
    if extra:
        why = (
            "tuning seeds are not answers"
            if extra == ["--seed-offset"]
            else f"a {run.profile} reference is a plain run of its profile (only a full one"
            " may be cut down, with its reductions recorded)"
        )
        return (
            f"{where}'s latest run of {qid} has {' and '.join(extra)} ({run.command});"
            f" {why}: `deepfaq run {qid} --profile {run.profile}`"
        )
    return None


def encode(data: dict) -> bytes:
    """Deterministic gzip of sorted, compact JSON: no file name or time in the header."""
    text = json.dumps(
        jsonable(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as f:
        f.write(text.encode("utf-8"))
    return buf.getvalue()


def drift(registry, run: RunResult) -> list[str]:
    """How today's code differs from the run: its profile's config, its seeds,
    its claim ids. (The reference test fails on these until it is rebuilt.)"""
    from deepfaq.core.config import config_dict

    try:
        q = registry.get(run.question)
    except DeepfaqError:
        return ["the question is no longer registered"]
    out = []
    prof = q.profiles.get(run.profile)
    if prof is not None:
        from deepfaq.core.config import apply_overrides
        from deepfaq.core.runner import make_plan

        args = plan_args(run.command)
        today = config_dict(apply_overrides(prof.config, args["overrides"]))
        keys = sorted(
            k for k in today.keys() | run.config.keys() if today.get(k) != run.config.get(k)
        )
        if keys:
            out.append(
                f"config differs from today's {run.profile} profile in"
                f" {', '.join(keys[:6])}{' …' if len(keys) > 6 else ''}"
            )
        seeds = args["seeds"] or prof.seeds
        if seeds != len(run.seeds):
            out.append(f"{len(run.seeds)} seeds, today's {run.profile} profile has {seeds}")
        plan = make_plan(q, run.profile, **args)
        if not out and plan.config_hash != run.config_hash:
            out.append(
                f"config hash differs from today's: the run was `{run.command}`,"
                f" today's profile runs `{plan.command}`"
            )
    ids = [c.id for c in q.claims]
    stored = [c.id for c in run.claims]
    if ids != stored:
        out.append(f"claims differ from today's: {sorted(set(ids) ^ set(stored)) or 'order'}")
    return out


def build(
    source: Path,
    questions: list[str] | None = None,
    note: str | None = None,
    to: Path | None = None,
    registry=None,
    echo=print,
) -> list[Path]:
    """Copy the latest run of each question in ``source`` into ``to`` (default: the
    package folder); return the files written."""
    if registry is None:
        from deepfaq.experiments import REGISTRY as registry
    source, to = Path(source), Path(to or FOLDER)
    if not source.is_dir():
        raise DeepfaqError(f"{source} is not a results folder")
    store = Store(source)
    chosen = questions or registry.ids()
    for qid in chosen:
        registry.get(qid)  # an unknown id fails here, in one line
    runs: list[tuple[RunResult, dict]] = []
    for qid in chosen:
        where = store.latest_path(qid)
        run = store.load_latest(qid)
        if run is None:
            if questions:
                raise DeepfaqError(
                    f"{source} has no run of {qid}; run `deepfaq run {qid} --out {source}` first"
                )
            echo(f"{qid}: no run in {source}; its reference is left as it is")
            continue
        why = refusal(qid, run, source)
        if why:
            raise DeepfaqError(why)
        if run.profile not in KINDS:
            raise DeepfaqError(
                f"{source}'s latest run of {qid} is a {run.profile} run;"
                f" a reference is one of {', '.join(KINDS)}"
            )
        runs.append((run, read_json(where)))
    if not runs:
        raise DeepfaqError(f"{source} holds no run to build references from")
    written = []
    for run, raw in runs:
        data = {**raw, "figures": [], "reference": block(run, note, registry)}
        blob = encode(data)
        target = path(run.question, to, run.profile)
        atomic_write(target, lambda f, blob=blob: f.write(blob))
        written.append(target)
        echo(f"{run.question}: {label(data['reference'])} → {target} ({len(blob) / 1000:.0f} kB)")
        for line in drift(registry, run):
            echo(f"  warning: {line}; rebuild from a fresh run")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deepfaq.reference",
        description="Build deepfaq's shipped reference results from stored runs.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="copy the latest run of each question in DIR")
    b.add_argument(
        "--from",
        dest="source",
        required=True,
        type=Path,
        metavar="DIR",
        help="the results folder (deepfaq run --out DIR)",
    )
    b.add_argument(
        "--note",
        default=None,
        metavar="TEXT",
        help="added, in words, to the reductions worked out from the run"
        " (its profile, seeds, config and device)",
    )
    b.add_argument(
        "--questions",
        nargs="+",
        metavar="ID",
        help="only these questions (default: every question run in DIR)",
    )
    b.add_argument(
        "--to",
        type=Path,
        default=None,
        metavar="FOLDER",
        help="write here instead of the package folder",
    )
    args = parser.parse_args(argv)
    try:
        written = build(args.source, args.questions, args.note, args.to)
    except DeepfaqError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    total = sum(p.stat().st_size for p in written)
    print(f"{len(written)} reference files, {total / 1e6:.2f} MB")
    return 0
