"""Contract checks generated from the registry: every question, same rules."""

import dataclasses
import json

import numpy as np
import pytest

from deepfaq.core import figures
from deepfaq.core.claims import Verdict
from deepfaq.core.config import config_dict
from deepfaq.core.context import derive_seed
from deepfaq.core.question import PROFILE_NAMES
from deepfaq.core.runner import execute_unit, make_plan, unit_args
from deepfaq.core.store import RunResult
from deepfaq.experiments import REGISTRY

IDS = REGISTRY.ids()


@pytest.mark.parametrize("qid", IDS)
def test_question_is_well_formed(qid):
    q = REGISTRY.get(qid)
    assert set(q.profiles) == set(PROFILE_NAMES)
    assert dataclasses.is_dataclass(q.config) and q.config.__dataclass_params__.frozen
    for name in PROFILE_NAMES:
        assert isinstance(q.profile(name).config, q.config)
    assert q.profile("quick").seeds >= 3 and q.profile("full").seeds >= 10
    assert q.claims and q.answer.strip() and q.asked
    for c in q.claims:
        assert c.expected in ("supported", "refuted") and c.source


@pytest.mark.parametrize("qid", IDS)
def test_smoke_run_gives_every_claim_a_verdict(qid, smoke_results):
    _, results = smoke_results
    r = results[qid]
    q = REGISTRY.get(qid)
    assert [c.id for c in r.claims] == [c.id for c in q.claims]
    assert all(c.verdict in {v.value for v in Verdict} for c in r.claims)
    for c in q.claims:
        where = r.series if c.replication == "items" else r.metrics
        for m in c.rule.metrics:
            assert m in where, f"claim {c.id} reads missing {c.replication} value {m}"
    assert r.figures, "every question draws at least one figure"
    for a in q.anchors:
        assert a.metric is None or a.metric in r.metrics


@pytest.mark.parametrize("qid", IDS)
def test_same_seed_same_metrics(qid, smoke_results):
    _, results = smoke_results
    q = REGISTRY.get(qid)
    plan = make_plan(q, "smoke", device="cpu")
    assert plan.seeds[0] == derive_seed(qid, 0)
    unit = plan.batch_of(0)  # the same batch layout as the stored run
    again = execute_unit(*unit_args(plan, unit))[unit.index(0)]["metrics"]
    first = {k: v[0] for k, v in results[qid].metrics.items()}
    assert again.keys() == first.keys()
    assert set(q.timings) <= set(first), "timings must name measured metrics"
    for k in set(first) - set(q.timings):
        assert again[k] == first[k] or (np.isnan(again[k]) and np.isnan(first[k])), k


@pytest.mark.parametrize("qid", IDS)
def test_result_round_trips_and_figures_need_only_stored_numbers(qid, smoke_results, tmp_path):
    store, results = smoke_results
    r = results[qid]
    on_disk = store.load_latest(qid)
    assert json.dumps(on_disk.to_dict(), sort_keys=True) == json.dumps(
        RunResult.from_dict(json.loads(json.dumps(r.to_dict()))).to_dict(), sort_keys=True
    )
    assert on_disk.config == config_dict(REGISTRY.get(qid).profile("smoke").config)
    # Redraw from the JSON alone, in a fresh folder.
    paths = figures.render(REGISTRY.get(qid).figures, on_disk, tmp_path)
    assert sorted(p.name for p in paths) == sorted(f.split("/")[-1] for f in r.figures)
    for p in paths:
        assert p.stat().st_size > 1000
        data = json.loads(p.with_suffix(".json").read_text())
        assert data["axes"]


@pytest.mark.parametrize("qid", IDS)
def test_answer_renders_with_measured_numbers(qid, smoke_results):
    from deepfaq.report.answer import render_answer

    text = render_answer(REGISTRY.get(qid), smoke_results[1][qid])
    assert "{{" not in text and "{%" not in text and len(text) > 200


def test_checkerboard_energy_is_the_nyquist_share_of_the_spectrum():
    """The phase-mean definition equals FFT power at the three Nyquist frequencies
    over all non-constant power."""
    import torch

    from deepfaq.experiments.upsampling import checkerboard_energy

    g = torch.Generator().manual_seed(0)
    img = torch.randn(20, 20, generator=g, dtype=torch.float64)
    inner = img[2:-2, 2:-2]
    power = torch.fft.fft2(inner - inner.mean()).abs() ** 2
    n = inner.shape[0] // 2
    nyquist = power[n, 0] + power[0, n] + power[n, n]
    assert checkerboard_energy(img).item() == pytest.approx((nyquist / power.sum()).item())
    board = torch.tensor([[1.0, -1.0], [-1.0, 1.0]], dtype=torch.float64).repeat(10, 10)
    assert checkerboard_energy(board).item() == pytest.approx(1.0)
    assert checkerboard_energy(torch.ones(12, 12)).item() == 0.0
