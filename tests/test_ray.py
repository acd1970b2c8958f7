"""The Ray executor on a local two-CPU instance: the same numbers as the local
executor, and a task whose worker dies is retried with the store consistent."""

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason="the [ray] extra is not installed")

from deepfaq.core.claims import AtLeast, Claim  # noqa: E402
from deepfaq.core.executors import RayExecutor  # noqa: E402
from deepfaq.core.question import Profile, Question  # noqa: E402
from deepfaq.core.runner import Runner, make_plan  # noqa: E402
from deepfaq.core.store import Store  # noqa: E402
from deepfaq.experiments import REGISTRY  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_ray():
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_ray_gives_the_local_executors_numbers(local_ray, tmp_path):
    # topics runs scikit-learn's NMF and LDA: BLAS threads must match too
    plans = [
        make_plan(REGISTRY.get(q), "smoke")
        for q in ("zero-init", "activations", "upsampling", "topics")
    ]
    local = list(Runner(Store(tmp_path / "local")).run_many(plans))
    remote = list(
        Runner(Store(tmp_path / "ray"), workers=2, executor=RayExecutor()).run_many(plans)
    )
    for a, b in zip(local, remote, strict=True):
        timings = set(REGISTRY.get(a.question).timings)
        assert {k: v for k, v in a.metrics.items() if k not in timings} == {
            k: v for k, v in b.metrics.items() if k not in timings
        }
        assert [c.verdict for c in a.claims if not set(c.rule.split()) & timings] == [
            c.verdict for c in b.claims if not set(c.rule.split()) & timings
        ]


@dataclass(frozen=True)
class Config:
    marker: str = ""


def dies_once(cfg: Config, seed: int, ctx) -> dict:
    """Kills its own worker the first time seed index 1 runs."""
    marker = Path(cfg.marker) / f"ran-{seed}"
    if not marker.exists():
        marker.touch()
        if seed % 2:
            os._exit(1)  # the worker process dies mid-task
    return {"value": float(seed % 97)}


TOY = Question(
    id="toy-dies",
    title="toy",
    asked="toy?",
    config=Config,
    profiles={p: Profile(Config(), seeds=4) for p in ("smoke", "quick", "full")},
    trial=dies_once,
    claims=(
        Claim("v", "v ≥ 0", AtLeast("value", 0.0), "supported", "x", kind="empirical", unit=""),
    ),
    figures=lambda r, new_figure: new_figure("v")[1].plot(r.metrics["value"]),
    answer="{{ num(m.value) }}",
)


def test_a_killed_task_is_retried_and_the_store_stays_consistent(local_ray, tmp_path):
    (tmp_path / "m").mkdir()
    plan = make_plan(TOY, "quick", overrides=[f"marker={str(tmp_path / 'm')!r}"])
    assert any(s % 2 for s in plan.seeds), "some task must die"
    result = Runner(Store(tmp_path / "runs"), workers=2, executor=RayExecutor()).run(plan)
    assert result.metrics["value"] == [float(s % 97) for s in plan.seeds]
    store = Store(tmp_path / "runs")
    for k in range(4):
        rec = store.load_trial(
            store.trial_path(TOY.id, "quick", plan.config_hash, k),
            question=TOY.id,
            config_hash=plan.config_hash,
            index=k,
        )
        assert rec is not None and rec["metrics"]["value"] == float(plan.seeds[k] % 97)
    assert not list((tmp_path / "runs").rglob("*.tmp"))
