"""Build the shipped reference results from a results folder.

    python -m deepfaq.reference build --from DIR [--note TEXT] [--questions ID ...]
                                      [--wall SECONDS]

copies the latest stored run of each question in ``DIR`` into the package folder
(``--to`` another folder) as ``<profile>/<id>.json.gz``: the run's ``result.json``
with its figure list emptied (no images ship) and a ``reference`` block added. The
output is deterministic — sorted keys, compact separators, gzip with no name or time
in its header — so the same run always gives the same bytes.

A reference is a plain run of its profile, exactly: a run made with ``--set``
overrides, another number of ``--seeds`` than the profile's (or its sequential
design's), tuning seeds (``--seed-offset``), a smoke run, or a run whose source tree
had uncommitted changes (its recorded commit ends in ``-dirty``, or none was
recorded) is refused, so every shipped number maps to a commit anyone can check
out and rerun with one command. Every run is checked before any file is written.
``--wall`` records the wall time of the run that made the references (the runs
themselves record only their trials' seconds).
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
    """How a run's config differs from today's profile of the same name, one phrase
    per config value (dotted for nested sections); empty for a plain run."""
    from deepfaq.core.config import config_dict

    prof = registry.get(run.question).profile(run.profile)
    today, ran = _flat(config_dict(prof.config)), _flat(run.config)
    return [
        f"{key} {_show(ran.get(key))} ({run.profile}: {_show(today.get(key))})"
        for key in sorted(today.keys() | ran.keys())
        if today.get(key) != ran.get(key)
    ]


def default_note(run: RunResult) -> str:
    """What the run was, in words: its profile, seeds and device."""
    device = run.environment.get("device", "cpu")
    n = len(run.seeds)
    what = {
        "quick": "quick profile (the main job)",
        "full": "full profile (the shipped answer)",
        "paper": "paper profile (the published scale)",
    }.get(run.profile, run.profile)
    return f"{what}, {n} seed{'s' * (n != 1)}, run on {device}, uncut"


def block(run: RunResult, note: str | None, registry=None, wall: float | None = None) -> dict:
    """The ``reference`` block: how the run was made, all from the run itself (so a
    rebuild from the same run gives the same bytes), plus the builder's ``note`` and
    the ``wall`` seconds of the run that made it, when given."""
    env = run.environment
    packages = env.get("packages", {})
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
    out = {
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
        "made": default_note(run) + (f"; {note}" if note else ""),
        "note": note or "",
    }
    if wall is not None:
        out["wall_seconds"] = round(float(wall), 1)
    return out


def refusal(qid: str, run: RunResult, where: Path, registry=None) -> str | None:
    """Why ``run`` cannot be a reference; None when it can."""
    plain = f"`deepfaq run {qid} --profile {run.profile}` from a clean checkout"
    if run.profile == "smoke":
        return (
            f"{where}'s latest run of {qid} is a smoke run, which answers nothing;"
            f" run `deepfaq run {qid} --profile quick --out {where}` (or full) first"
        )
    words = [w.split("=")[0] for w in shlex.split(run.command)]
    extra = [w for w in ("--set", "--seed-offset") if w in words]
    if extra:
        why = (
            "tuning seeds are not answers"
            if extra == ["--seed-offset"]
            else f"a {run.profile} reference is a plain run of its profile"
        )
        return (
            f"{where}'s latest run of {qid} has {' and '.join(extra)} ({run.command});"
            f" {why}: {plain}"
        )
    if registry is not None:
        prof = registry.get(qid).profiles.get(run.profile)
        n = len(run.seeds)
        allowed = (
            set(prof.looks) if prof is not None and prof.looks else {getattr(prof, "seeds", n)}
        )
        if n not in allowed:
            return (
                f"{where}'s latest run of {qid} has {n} seeds; the {run.profile} profile runs"
                f" {' or '.join(map(str, sorted(allowed)))}: {plain}"
            )
        config = cuts(run, registry)
        if config:
            return (
                f"{where}'s latest run of {qid} differs from today's {run.profile} profile"
                f" ({', '.join(config[:3])}): {plain}"
            )
    commit = run.environment.get("git_commit")
    if not commit or str(commit).endswith("-dirty"):
        state = "with uncommitted changes" if commit else "outside a git checkout"
        return (
            f"{where}'s latest run of {qid} was made from a source tree {state}"
            f" (commit {commit or 'unknown'}); a reference must map to a commit: {plain}"
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
        # a sequential design stops at one of its looks
        allowed = {seeds} if args["seeds"] else set(prof.looks) or {prof.seeds}
        if len(run.seeds) not in allowed:
            has = "/".join(map(str, sorted(allowed)))
            out.append(f"{len(run.seeds)} seeds, today's {run.profile} profile has {has}")
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
    wall: float | None = None,
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
        why = refusal(qid, run, source, registry)
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
        data = {**raw, "figures": [], "reference": block(run, note, registry, wall)}
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
        help="added, in words, to what the run was (its profile, seeds and device)",
    )
    b.add_argument(
        "--wall",
        type=float,
        default=None,
        metavar="SECONDS",
        help="the wall time of the run that made these references, recorded with them",
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
        written = build(args.source, args.questions, args.note, args.to, wall=args.wall)
    except DeepfaqError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    total = sum(p.stat().st_size for p in written)
    print(f"{len(written)} reference files, {total / 1e6:.2f} MB")
    return 0
