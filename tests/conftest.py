import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def registry():
    from deepfaq.experiments import REGISTRY

    return REGISTRY


@pytest.fixture(scope="session")
def smoke_results(registry, tmp_path_factory):
    """Every question's smoke profile, run once per test session through the runner."""
    from deepfaq.core.runner import Runner, make_plan
    from deepfaq.core.store import Store

    store = Store(tmp_path_factory.mktemp("runs"))
    runner = Runner(store)
    return store, {q.id: runner.run(make_plan(q, "smoke")) for q in registry}
