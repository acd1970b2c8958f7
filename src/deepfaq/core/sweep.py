"""Sweeps: run a question over a grid of config values and map where each claim's
verdict flips.

Every grid point is an ordinary run (stored, resumable, with its own config
hash) made with ``--set`` values; the sweep then gathers the points' claims into
one table, draws a verdict map per claim (estimate and interval against the first
grid key, coloured by verdict, the change of verdict marked) and stores
``sweep.json`` beside the figures under ``<out>/<question>/sweeps/<hash>/``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deepfaq.core.store import RunResult, Store, atomic_write_json

SWEEP_SCHEMA = "deepfaq.sweep/1"


@dataclass(frozen=True)
class Sweep:
    """A question's default grid: ``{config key: values}``, at a profile."""

    grid: Mapping[str, tuple]
    profile: str = "smoke"
    note: str = ""
    #: ``--set`` values every point shares (a shorter budget for the sweep, say)
    fixed: Mapping[str, Any] = field(default_factory=dict)
    #: seeds per point (default: the profile's)
    seeds: int | None = None
    #: the larger sweep that ``deepfaq sweep ID --profile full`` runs (a GPU's or a
    #: cluster's work: a wider grid at the full profile's budgets and seeds)
    full: Sweep | None = None

    def at(self, profile: str | None) -> Sweep:
        """The default sweep for ``--profile profile`` (None: this one)."""
        if profile == "full" and self.full is not None:
            return self.full
        return self


def parse_grid(items: Iterable[str]) -> dict[str, tuple]:
    """``["lr=0.01,0.1", "steps=100,200"]`` → ``{"lr": (0.01, 0.1), "steps": (100, 200)}``,
    each value read by the config's bounded grammar (:func:`deepfaq.core.config.parse_grid`),
    never by an evaluator."""
    from deepfaq.core.config import parse_grid as parse

    return parse(list(items))


def points(grid: Mapping[str, tuple]) -> list[dict[str, Any]]:
    keys = list(grid)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*grid.values())]


def overrides(point: Mapping[str, Any]) -> list[str]:
    return [f"{k}={v!r}" for k, v in point.items()]


def sweep_hash(
    question: str,
    profile: str,
    grid: Mapping[str, tuple],
    n_seeds: int,
    fixed: Mapping[str, Any] | None = None,
) -> str:
    key = {
        "q": question,
        "p": profile,
        "grid": {k: list(v) for k, v in grid.items()},
        "seeds": n_seeds,
    }
    if fixed:
        key["fixed"] = dict(fixed)
    text = json.dumps(key, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass
class SweepResult:
    question: str
    profile: str
    grid: dict[str, tuple]
    rows: list[dict] = field(default_factory=list)  # {"point", "config_hash", "claims"}
    figures: list[str] = field(default_factory=list)
    fixed: dict[str, Any] = field(default_factory=dict)  # values shared by every point
    note: str = ""  # what the question's default sweep is for

    def crossovers(self) -> dict[str, list[dict]]:
        """Per claim, where the verdict changes along the first grid key (for each
        setting of the other keys): ``[{"between": [a, b], "from": v1, "to": v2}]``."""
        key, others = next(iter(self.grid)), list(self.grid)[1:]
        out: dict[str, list[dict]] = {}
        for cid in self.claim_ids():
            found = []
            for rest in itertools.product(*(self.grid[k] for k in others)):
                fixed = dict(zip(others, rest, strict=True))
                line = [r for r in self.rows if all(r["point"][k] == v for k, v in fixed.items())]
                verdicts = [(r["point"][key], _claim(r, cid)["verdict"]) for r in line]
                for (x0, v0), (x1, v1) in itertools.pairwise(verdicts):
                    if v0 != v1:
                        found.append({"between": [x0, x1], "from": v0, "to": v1, **fixed})
            out[cid] = found
        return out

    def claim_ids(self) -> list[str]:
        return [c["id"] for c in self.rows[0]["claims"]] if self.rows else []

    def to_dict(self) -> dict:
        return {
            "schema": SWEEP_SCHEMA,
            "question": self.question,
            "profile": self.profile,
            "grid": {k: list(v) for k, v in self.grid.items()},
            "rows": self.rows,
            "crossovers": self.crossovers(),
            "figures": self.figures,
            "fixed": self.fixed,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, d: dict) -> SweepResult:
        return cls(
            d["question"],
            d["profile"],
            {k: tuple(v) for k, v in d["grid"].items()},
            list(d["rows"]),
            list(d.get("figures", [])),
            dict(d.get("fixed", {})),
            str(d.get("note", "")),
        )


def _claim(row: dict, cid: str) -> dict:
    return next(c for c in row["claims"] if c["id"] == cid)


def gather(
    question: str,
    profile: str,
    grid: dict[str, tuple],
    results: list[RunResult],
    claims_of,
    fixed: Mapping[str, Any] | None = None,
    note: str = "",
) -> SweepResult:
    """The sweep's rows from the grid points' results (in grid order)."""
    sweep = SweepResult(question, profile, grid, fixed=dict(fixed or {}), note=note)
    for point, result in zip(points(grid), results, strict=True):
        sweep.rows.append(
            {
                "point": point,
                "config_hash": result.config_hash,
                "seeds": len(result.seeds),
                "claims": claims_of(result),
            }
        )
    return sweep


VERDICT_COLOURS = {"supported": "#1b7837", "refuted": "#b2182b", "inconclusive": "#b8860b"}


def draw(sweep: SweepResult, folder: Path) -> list[Path]:
    """One verdict map per claim: estimate ± interval against the first grid key, in
    the claim's unit as every table shows it."""
    from deepfaq.core.figures import FigureFactory
    from deepfaq.core.units import display_scale

    key, others = next(iter(sweep.grid)), list(sweep.grid)[1:]
    factory = FigureFactory()
    xs_all = list(sweep.grid[key])
    numeric = all(isinstance(x, int | float) and not isinstance(x, bool) for x in xs_all)
    crossings = sweep.crossovers()
    for cid in sweep.claim_ids():
        fig, ax = factory(f"sweep-{cid}")
        for j, rest in enumerate(itertools.product(*(sweep.grid[k] for k in others))):
            fixed = dict(zip(others, rest, strict=True))
            line = [r for r in sweep.rows if all(r["point"][k] == v for k, v in fixed.items())]
            xs = [r["point"][key] if numeric else xs_all.index(r["point"][key]) for r in line]
            cs = [_claim(r, cid) for r in line]
            k = display_scale(cs[0].get("unit", "")) if cs else 1.0  # fractions shown ×100
            est = [math.nan if c["estimate"] is None else k * c["estimate"] for c in cs]
            label = ", ".join(f"{k}={v}" for k, v in fixed.items()) or None
            ax.plot(
                xs,
                est,
                "-",
                color="0.6",
                lw=1,
                zorder=1,
                label=label,
                marker=["o", "s", "^", "D", "v"][j % 5],
                markersize=0,
            )
            for x, c, e in zip(xs, cs, est, strict=True):
                lo, hi = c["ci"]
                if lo is not None and hi is not None:
                    ax.plot([x, x], [k * lo, k * hi], color=VERDICT_COLOURS[c["verdict"]], lw=2)
                ax.plot(
                    [x],
                    [e],
                    marker=["o", "s", "^", "D", "v"][j % 5],
                    color=VERDICT_COLOURS[c["verdict"]],
                    zorder=3,
                )
        for cross in crossings[cid]:
            a, b = cross["between"]
            if numeric:
                ax.axvspan(min(a, b), max(a, b), color="0.9", zorder=0)
        unit = sweep.rows[0] and _claim(sweep.rows[0], cid).get("unit", "")
        ax.set_xlabel(key)
        ax.set_ylabel(f"estimate ({unit})" if unit else "estimate")
        ax.set_title(cid, fontsize=9)
        if numeric and len(xs_all) > 2 and min(xs_all) > 0 and max(xs_all) / min(xs_all) > 20:
            ax.set_xscale("log")
        if not numeric:
            ax.set_xticks(range(len(xs_all)), [str(x) for x in xs_all])
        if others:
            ax.legend(fontsize=7)
    return factory.save(folder)


def save(store: Store, sweep: SweepResult, n_seeds: int) -> Path:
    folder = (
        store.root
        / sweep.question
        / "sweeps"
        / sweep_hash(sweep.question, sweep.profile, sweep.grid, n_seeds, sweep.fixed)
    )
    paths = draw(sweep, folder)
    sweep.figures = [p.name for p in paths]
    atomic_write_json(folder / "sweep.json", sweep.to_dict())
    return folder / "sweep.json"


def load_all(store: Store, question: str) -> list[tuple[Path, SweepResult]]:
    """Every stored sweep of a question (newest first); damaged ones are skipped."""
    from deepfaq.core.errors import DeepfaqError

    found = []
    base = store.root / question / "sweeps"

    def newest(p: Path) -> float:
        try:
            return p.lstat().st_mtime  # a link's own time: never follow it out of the store
        except OSError:
            return 0.0

    for path in sorted(base.glob("*/sweep.json"), key=newest, reverse=True):
        try:
            d = store.read_json(path)
            if isinstance(d, dict) and d.get("schema") == SWEEP_SCHEMA:
                found.append((path, SweepResult.from_dict(d)))
        except (DeepfaqError, KeyError, TypeError, ValueError, AttributeError, OverflowError):
            continue
    return found
