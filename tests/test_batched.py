"""Batched trials: K seeds trained as one ensemble, stored one record per seed.

Contract: the same seeds with the same batch layout give bit-identical numbers
under the serial executor, the process pool and after a resume; another batch
size changes at most the last bits.
"""

from dataclasses import dataclass

import numpy as np
import pytest
import torch
from torch import nn

from deepfaq.core.claims import AtLeast, Claim
from deepfaq.core.context import SeedsInOneProcess
from deepfaq.core.question import Profile, Question
from deepfaq.core.runner import Runner, make_plan
from deepfaq.core.store import Store
from deepfaq.nn.ensemble import ensemble_of


@dataclass(frozen=True)
class Config:
    steps: int = 40
    width: int = 16


def batched_trial(cfg: Config, seeds: list[int], ctx) -> list[dict]:
    """A regression MLP per seed: own data, own init, own batch order."""
    nets, data, gens = [], [], []
    for s in seeds:
        g = torch.Generator().manual_seed(s)
        X = torch.randn(64, 3, generator=g)
        data.append((X, X.sum(1, keepdim=True).sin()))
        torch.manual_seed(s)
        nets.append(nn.Sequential(nn.Linear(3, cfg.width), nn.Tanh(), nn.Linear(cfg.width, 1)))
        gens.append(g)
    model = ensemble_of(nets)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    X = torch.stack([d[0] for d in data])  # [K, 64, 3]
    y = torch.stack([d[1] for d in data])
    curves = [[] for _ in seeds]
    for step in range(cfg.steps):
        idx = torch.stack([torch.randint(0, 64, (16,), generator=g) for g in gens])
        xb = torch.gather(X, 1, idx[..., None].expand(-1, -1, 3))
        yb = torch.gather(y, 1, idx[..., None])
        loss = ((model(xb) - yb) ** 2).mean(dim=(1, 2))  # [K]
        opt.zero_grad()
        loss.sum().backward()
        opt.step()
        for k in range(len(seeds)):
            curves[k].append(loss[k].item())
        ctx.progress((step + 1) / cfg.steps)
    with torch.no_grad():
        final = ((model(X) - y) ** 2).mean(dim=(1, 2))
    return [{"mse": final[k].item(), "curve": curves[k]} for k in range(len(seeds))]


QUESTION = Question(
    id="toy-batched",
    title="toy",
    asked="toy?",
    config=Config,
    profiles={p: Profile(Config(), seeds=5, seed_batch=2) for p in ("smoke", "quick", "full")},
    trial=None,
    batched_trial=batched_trial,
    claims=(
        Claim("fits", "it fits", AtLeast("mse", 0.0), "supported", "x", kind="empirical", unit=""),
    ),
    figures=lambda result, new_figure: new_figure("curve")[1].plot(result.series["curve"][0]),
    answer="MSE {{ num(m.mse) }}.",
)


def _metrics(result):
    return result.metrics["mse"], result.series["curve"]


def test_batches_follow_the_plan():
    plan = make_plan(QUESTION, "quick")
    assert plan.units([0, 1, 2, 3, 4]) == [[0, 1], [2, 3], [4]]
    assert plan.units([3]) == [[2, 3]]  # resume re-runs the whole batch
    assert plan.config_hash != make_plan(QUESTION, "quick", seed_batch=3).config_hash
    assert "--seed-batch 2" in plan.command


@pytest.mark.slow
def test_serial_pool_and_resume_give_identical_numbers(tmp_path):
    plan = make_plan(QUESTION, "quick")
    serial = Runner(Store(tmp_path / "serial")).run(plan)
    pooled = Runner(Store(tmp_path / "pool"), workers=2).run(plan)
    assert _metrics(serial) == _metrics(pooled)
    store = Store(tmp_path / "serial")
    victim = store.trial_path(QUESTION.id, "quick", plan.config_hash, 3)
    victim.unlink()  # a kill lost seed 3: its whole batch (2, 3) runs again
    resumed = Runner(store).run(plan)
    assert _metrics(resumed) == _metrics(serial)
    assert len(serial.metrics["mse"]) == 5 and len(set(serial.metrics["mse"])) == 5


def test_another_batch_size_differs_at_most_in_the_last_bits(tmp_path):
    two = Runner(Store(tmp_path / "a")).run(make_plan(QUESTION, "quick"))
    one = Runner(Store(tmp_path / "b")).run(make_plan(QUESTION, "quick", seed_batch=1))
    np.testing.assert_allclose(two.metrics["mse"], one.metrics["mse"], rtol=1e-4)


def one_seed(cfg: Config, seed: int, ctx) -> dict:
    """An ordinary trial that also draws from the global generators (as nn.Linear's
    default initialisation does)."""
    net = nn.Linear(3, cfg.width)
    noise = torch.randn(4).sum().item() + float(np.random.rand())
    ctx.progress(1.0)
    return {"value": net.weight.sum().item() + noise, "trace": [noise]}


SHARED = Question(
    id="toy-shared",
    title="toy",
    asked="toy?",
    config=Config,
    profiles={p: Profile(Config(), seeds=5, seed_batch=3) for p in ("smoke", "quick", "full")},
    trial=one_seed,
    batched_trial=SeedsInOneProcess(one_seed),
    claims=(
        Claim(
            "any", "it runs", AtLeast("value", -1e9), "supported", "x", kind="empirical", unit=""
        ),
    ),
    figures=lambda result, new_figure: new_figure("value")[1].plot(result.metrics["value"]),
    answer="{{ num(m.value) }}.",
)


@pytest.mark.slow
def test_seeds_in_one_process_give_each_seed_its_own_numbers(tmp_path):
    """Seeds that share a process run exactly as they would alone: batched, pooled and
    one at a time, the numbers are identical (and the seeds differ)."""
    shared = Runner(Store(tmp_path / "a")).run(make_plan(SHARED, "quick"))
    pooled = Runner(Store(tmp_path / "b"), workers=2).run(make_plan(SHARED, "quick"))
    alone = Runner(Store(tmp_path / "c")).run(make_plan(SHARED, "quick", seed_batch=1))
    assert shared.metrics == pooled.metrics == alone.metrics
    assert len(set(shared.metrics["value"])) == 5
