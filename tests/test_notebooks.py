"""Every question's notebook (issue 27) is written and executed, cell by cell, in a
Jupyter kernel (nbclient + ipykernel), and fails on any cell's error.

The notebooks run at the smoke budget only. Their smoke runs resume from the
session's smoke runs (conftest's ``smoke_results``), copied into a results folder
of this module's own, so a notebook's changed-setting run never becomes the
latest run another test reads; what each notebook trains itself is its one trial
with a changed setting."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field

import nbformat
import pytest

import deepfaq
from deepfaq import notebooks
from deepfaq.experiments import REGISTRY

pytestmark = pytest.mark.slow  # a kernel and a smoke trial per question

#: Longest a single cell may run (a smoke run resumes; one trial trains).
CELL_TIMEOUT = 600
#: Seconds each notebook took to write and to execute, reported at the end.
TIMES: dict[str, tuple[float, float]] = {}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """The folder notebooks run in; their runs go to its ``deepfaq-runs``."""
    work = tmp_path_factory.mktemp("notebooks")
    (work / notebooks.RUNS).mkdir()
    yield work
    if TIMES:
        write = sum(t[0] for t in TIMES.values())
        run = sum(t[1] for t in TIMES.values())
        print(f"\n{len(TIMES)} notebooks: written in {write:.0f} s, executed in {run:.0f} s")


def _with_smoke_run(qid: str, smoke_results, workdir) -> None:
    """Copy the session's smoke run of ``qid`` into the notebooks' results folder."""
    store, runs = smoke_results
    runs[qid]  # made through the runner on first use
    target = workdir / notebooks.RUNS / qid
    if not target.exists():
        shutil.copytree(store.root / qid, target)


def _execute(nb, workdir):
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and its traceback
    return nb


def _outputs(cell) -> list[str]:
    """The MIME types (and stream names) a code cell put out."""
    kinds = []
    for o in cell.get("outputs", []):
        kinds += list(o.get("data", {})) if "data" in o else [o.get("name", o["output_type"])]
    return kinds


@pytest.mark.parametrize("qid", REGISTRY.ids())
def test_every_notebook_executes(qid, smoke_results, workdir):
    _with_smoke_run(qid, smoke_results, workdir)
    start = time.perf_counter()
    path = deepfaq.notebook(qid, workdir)
    written = time.perf_counter() - start
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    _execute(nb, workdir)
    TIMES[qid] = (written, time.perf_counter() - start)

    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell in code:
        streams = [o for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
        assert not any("Traceback" in o.text for o in streams), cell.source
        if ".figure(" in cell.source:
            assert "image/png" in _outputs(cell), cell.source
    smoke = next(c for c in code if 'profile="smoke", out=RUNS)' in c.source)
    printed = "".join(o.text for o in smoke.outputs if o.output_type == "stream")
    assert f"{qid}: done in" in printed and "text/html" in _outputs(smoke)
    assert "text/html" in _outputs(code[-1])  # the last table: a claims table or the comparison


@dataclass
class _Cfg:
    name: str = "x"
    on: bool = True
    width: int = 8
    sizes: tuple = (1, 2)


@dataclass
class _Stub:
    """What changed_setting reads of a question: its smoke profile's config."""

    config: object = field(default_factory=_Cfg)

    def profile(self, name):
        return self


def test_the_changed_setting_is_a_learning_rate_where_there_is_one(registry):
    zero = notebooks.changed_setting(registry.get("zero-init"))
    assert (zero.key, zero.old, zero.new) == ("lr", 0.03, 0.01)
    assert zero.words == "a third of the learning rate"
    assert notebooks.changed_setting(registry.get("autoencoders")).key == "bottleneck.lr"
    scale = notebooks.changed_setting(registry.get("init-scale"))
    assert (scale.key, scale.new) == ("width", 2 * scale.old)
    # Neither a bool nor a tuple is a number to change; no number at all: no change.
    assert notebooks.changed_setting(_Stub()).key == "width"

    @dataclass
    class Words:
        name: str = "x"

    assert notebooks.changed_setting(_Stub(Words())) is None


def test_a_notebook_reads_as_a_tutorial_and_is_written_the_same_twice(tmp_path, registry):
    first = deepfaq.notebook("zero-init", tmp_path / "a")
    second = deepfaq.notebook("zero-init", tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    nb = nbformat.read(first, as_version=4)
    headings = [
        c.source.splitlines()[0]
        for c in nb.cells
        if c.cell_type == "markdown" and c.source.startswith("## ")
    ]
    assert headings[:4] == [
        "## The short answer",
        "## The answer",
        "## The claims",
        "## The figures",
    ]
    assert headings[-3:] == ["## Run it on your machine", "## Change one setting", "## Next"]
    q = registry.get("zero-init")
    assert nb.cells[0].source.startswith(f"# {q.title}")
    text = "\n".join(c.source for c in nb.cells)
    assert 'deepfaq.load("zero-init", "reference")' in text
    assert "deepfaq run zero-init " in text  # the quick command beside the smoke run
    assert 'set={"lr": 0.01}' in text
    assert nb.metadata["kernelspec"]["name"] == "python3"
