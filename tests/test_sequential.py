"""The pre-registered sequential design: seeds are added in looks only while a finding's
interval straddles its boundary (and the cap could decide it), every interval is
widened for the number of looks, finished trials are reused, and the result records
where it stopped."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pytest

from deepfaq.core.claims import Claim, Greater
from deepfaq.core.outputs import metric
from deepfaq.core.question import Profile, Question
from deepfaq.core.runner import Runner, make_plan
from deepfaq.core.store import Store


@dataclass(frozen=True)
class Config:
    effect: float = 0.1  # the true difference between the arms
    noise: float = 0.1  # seed-to-seed spread of the difference


def trial(cfg: Config, seed: int, ctx) -> dict:
    rng = np.random.default_rng(seed)
    b = float(rng.normal(0.5, 0.01))
    return {"a": b + cfg.effect + float(rng.normal(0, cfg.noise)), "b": b}


def question(looks=(3, 6, 12), **cfg) -> Question:
    claim = Claim(
        "a-beats-b",
        "A beats B by more than 0.02.",
        Greater("a", "b", 0.02),
        "supported",
        "toy",
        kind="empirical",
        unit="",
    )
    profile = Profile(Config(**cfg), seeds=looks[0], looks=looks)
    return Question(
        id="toy-sequential",
        title="toy",
        asked="toy?",
        config=Config,
        profiles={"smoke": profile, "quick": profile, "full": profile},
        trial=trial,
        claims=(claim,),
        figures=lambda result, new_figure: None,
        answer="",
        outputs=(metric("a", "arm A", better="higher"), metric("b", "arm B", better="higher")),
    )


def test_a_clear_effect_stops_at_the_first_look(tmp_path):
    q = question(effect=0.5, noise=0.02)
    result = Runner(Store(tmp_path)).run(make_plan(q, "quick"))
    assert len(result.seeds) == 3 and result.claims[0].verdict == "supported"
    assert result.design == {"looks": [3, 6, 12], "seeds": 3, "level": pytest.approx(1 - 0.05 / 3)}


def test_an_undecided_claim_adds_seeds_and_reuses_finished_trials(tmp_path):
    q = question(effect=0.08, noise=0.08)
    store = Store(tmp_path)
    first = make_plan(q, "quick")
    result = Runner(store).run(first)
    assert len(result.seeds) > 3
    run_dir = store.run_dir(q.id, "quick", first.config_hash)
    assert len(list(run_dir.glob("seed-*.json"))) == len(result.seeds)
    # The interval is the Bonferroni-adjusted one: 1 - 0.05/3 for three looks.
    from deepfaq.core.stats import mean_ci

    diff = np.subtract(result.metrics["a"], result.metrics["b"])
    iv = mean_ci(diff, 1 - 0.05 / 3)
    assert result.claims[0].ci == pytest.approx((iv.lo, iv.hi))
    # A rerun resumes everything: nothing is trained again.
    mtimes = {p: p.stat().st_mtime_ns for p in run_dir.glob("seed-*.json")}
    again = Runner(store).run(first)
    assert again.seeds == result.seeds
    assert {p: p.stat().st_mtime_ns for p in run_dir.glob("seed-*.json")} == mtimes


def test_futility_stops_when_even_the_cap_could_not_decide(tmp_path):
    q = question(effect=0.02, noise=0.3)  # sits on the boundary: hopeless at 12 seeds
    result = Runner(Store(tmp_path)).run(make_plan(q, "quick"))
    assert len(result.seeds) == 3 and result.claims[0].verdict == "inconclusive"


def test_asking_for_seeds_turns_the_design_off(tmp_path):
    q = question(effect=0.08, noise=0.08)
    plan = make_plan(q, "quick", seeds=4)
    assert plan.looks == () and plan.level == pytest.approx(0.95)
    assert "--seeds 4" in plan.command
    assert "--seeds" not in make_plan(q, "quick").command
    result = Runner(Store(tmp_path)).run(plan)
    assert len(result.seeds) == 4 and result.design == {}


def test_looks_must_start_at_the_profiles_seeds():
    with pytest.raises(ValueError, match="looks"):
        Profile(Config(), seeds=5, looks=(3, 10))
    assert replace(Profile(Config(), seeds=5, looks=(5, 10)), looks=()).max_seeds == 5
