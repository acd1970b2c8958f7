import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def registry():
    from deepfaq.experiments import REGISTRY

    return REGISTRY


class _SmokeRuns(dict):
    """Each question's smoke run, made through the runner the first time a test asks
    for it, so ``pytest -k some-question`` runs only that question."""

    def __init__(self, registry, runner):
        super().__init__()
        self.registry, self.runner = registry, runner

    def __missing__(self, qid):
        from deepfaq.core.runner import make_plan

        self[qid] = self.runner.run(make_plan(self.registry.get(qid), "smoke"))
        return self[qid]


@pytest.fixture(scope="session")
def smoke_results(registry, tmp_path_factory):
    """Every question's smoke profile, run once per test session through the runner."""
    from deepfaq.core.runner import Runner
    from deepfaq.core.store import Store

    store = Store(tmp_path_factory.mktemp("runs"))
    return store, _SmokeRuns(registry, Runner(store))
