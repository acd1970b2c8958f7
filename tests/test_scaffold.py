"""`deepfaq new`: the skeleton it writes is a working question that meets every rule the
others meet — declared outputs, a calibrated claim, a smoke run, the same numbers for
the same seed, an answer that renders under every verdict — and registering it touches
one line of the registry and the lock."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import shutil
import sys

import pytest

from deepfaq import scaffold
from deepfaq.core import calibration, lock
from deepfaq.core.question import undeclared_reads
from deepfaq.core.runner import Runner, make_plan
from deepfaq.core.store import Store
from deepfaq.report.answer import render_answer, render_template


@pytest.fixture(scope="module")
def skeleton(tmp_path_factory):
    """The skeleton of `deepfaq new dropout-example`, imported from a temporary file."""
    folder = tmp_path_factory.mktemp("skeleton")
    path = folder / "dropout_example.py"
    path.write_text(scaffold.render("dropout-example", "What does dropout do?", "Why use dropout?"))
    spec = importlib.util.spec_from_file_location("dropout_example_skeleton", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module.QUESTION
    del sys.modules[spec.name]


def test_skeleton_is_calibrated_and_declared(skeleton):
    assert skeleton.outputs and not undeclared_reads(skeleton)
    assert calibration.audit(skeleton) == []
    assert skeleton.key_claims == ("beats-chance",)
    assert skeleton.pending_references == ("quick", "full")


def test_skeleton_smoke_run_is_deterministic_and_its_answer_renders(skeleton, tmp_path):
    result = Runner(Store(tmp_path / "a")).run(make_plan(skeleton, "smoke"))
    again = Runner(Store(tmp_path / "b")).run(make_plan(skeleton, "smoke"))
    assert result.metrics == again.metrics and result.figures
    assert calibration.audit_result(skeleton, result) == []
    for verdict in ("supported", "refuted", "inconclusive"):
        claims = [dataclasses.replace(c, verdict=verdict) for c in result.claims]
        r = dataclasses.replace(result, claims=claims)
        assert "{{" not in render_answer(skeleton, r)
        line = render_template(skeleton.one_line, skeleton, r)
        assert line.startswith("TODO") and "\n" not in line.strip()


def test_register_adds_one_import_and_one_registry_line(tmp_path):
    from deepfaq import experiments

    init = tmp_path / "__init__.py"
    shutil.copy(experiments.__file__, init)
    before = init.read_text().splitlines()
    after = scaffold.register(init, "dropout-example").splitlines()
    added = [line for line in after if line not in before]
    assert added == ["    dropout_example,", "        dropout_example.QUESTION,"]
    assert len(after) == len(before) + 2


def test_create_writes_module_registry_and_lock_entry(tmp_path, monkeypatch):
    """In a copy of the source layout: the module, the registry line and a lock entry
    created before any run."""
    from deepfaq import experiments

    root = tmp_path / "checkout"
    package = root / "src" / "deepfaq" / "experiments"
    package.mkdir(parents=True)
    shutil.copy(experiments.__file__, package / "__init__.py")
    shutil.copy(lock.default_path(), root / lock.LOCK_NAME)

    imported = {}

    def fake_import(name):
        spec = importlib.util.spec_from_file_location(name, package / "dropout_example.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while building
        try:
            spec.loader.exec_module(module)
        finally:
            del sys.modules[name]
        imported[name] = module
        return module

    monkeypatch.setattr("importlib.import_module", fake_import)
    written = scaffold.create("dropout-example", "What does dropout do?", root=root)
    assert [p.name for p in written] == ["dropout_example.py", "__init__.py", lock.LOCK_NAME]
    entry = json.loads((root / lock.LOCK_NAME).read_text())["questions"]["dropout-example"]
    [history] = entry["claims"]["beats-chance"]["history"]
    assert history["change"] == "created" and history["results_seen"] is False
    with pytest.raises(Exception, match="already exists"):
        scaffold.create("dropout-example", root=root)


def test_bad_ids_are_refused():
    from deepfaq.core.errors import DeepfaqError

    for bad in ("Dropout", "drop_out", "-x", "x-", "1st"):
        with pytest.raises(DeepfaqError, match="lowercase words"):
            scaffold.create(bad)
