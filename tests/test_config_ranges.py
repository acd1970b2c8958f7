"""Every value a field's range allows must run (issue 29, group 8): a range says what
the code can do, so a value inside it that crashes a trial (a division by zero, a
missing series) or stalls it (topics with one-token documents) is a wrong range.

The property test draws a few fields per run and runs the smoke profile (one seed)
with the field at the low end of its range, or at another of its choices: every
run of the suite covers a different handful, and hypothesis names the value that
failed. (Upper ends are not drawn: they bound the cost of a run, and most of them
cost minutes by design.) ``DEEPFAQ_RANGE_EXAMPLES=200`` covers every field.
"""

from __future__ import annotations

import dataclasses
import math
import os
import typing
from dataclasses import dataclass
from typing import Annotated

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_helpers import deepfaq
from deepfaq.core.config import Range, apply_overrides, field_range, is_section
from deepfaq.core.errors import BadConfig, DeepfaqError


def range_ends(config, prefix: str = ""):
    """(dotted key, value) for each field of ``config`` at the low end of its range
    (the least value above an open end), or at each of its other choices (and at a
    value its range allows besides the interval, such as a 0 that means "all")."""
    hints = typing.get_type_hints(type(config))
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        key = prefix + f.name
        if is_section(value):
            yield from range_ends(value, f"{key}.")
            continue
        hint = hints[f.name]
        if typing.get_origin(hint) is typing.Literal:
            yield from ((key, c) for c in typing.get_args(hint) if c != value)
            continue
        if hint is bool:
            yield key, not value
            continue
        rng = field_range(type(config), f.name)
        if rng is None:
            continue
        yield from ((key, x) for x in rng.also if x != value)  # a 0 that means "all"
        if isinstance(rng.lo, str):
            continue
        lo = math.nextafter(float(rng.lo), math.inf) if rng.open_lo else rng.lo
        one = value[0] if isinstance(value, tuple) and value else value
        lo = math.ceil(lo) if isinstance(one, int) and not isinstance(one, bool) else float(lo)
        end = tuple(lo for _ in value) if isinstance(value, tuple) else lo
        if end != value:
            yield key, end


def _all_ends():
    from deepfaq.experiments import REGISTRY

    return [(q.id, key, v) for q in REGISTRY for key, v in range_ends(q.profile("smoke").config)]


ENDS = _all_ends()


@pytest.mark.slow
@settings(
    max_examples=int(os.environ.get("DEEPFAQ_RANGE_EXAMPLES", "2")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(end=st.sampled_from(ENDS))
def test_every_allowed_value_runs(end, registry, tmp_path_factory):
    from deepfaq.core.runner import Runner, make_plan
    from deepfaq.core.store import Store

    qid, key, value = end
    try:
        plan = make_plan(registry.get(qid), "smoke", seeds=1, overrides=[f"{key}={value!r}"])
    except BadConfig:
        return  # refused by a rule across fields (claim_shift ≤ max_shift): one line
    store = Store(tmp_path_factory.mktemp("ends"))
    try:
        Runner(store).run(plan)
    except DeepfaqError as e:  # an input error the trial explains is fine: one line
        assert "\n" not in str(e)


# The cases, refused before anything runs.
@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["topics", "--set", "plsa_docs=1", "--set", "plsa_words=1"],
            "--set plsa_docs: 1 is out of range; valid: 5 ≤ plsa_docs",
        ),
        (["text-cnn", "--set", "train_limit=1"], "--set train_limit: 1 is out of range"),
        (["topics", "--set", "doc_length=1"], "--set doc_length: 1 is out of range"),
        (["xavier", "--set", "shallow=1"], "valid: depths (= 2) ≤ shallow"),
        (["activations", "--set", "grad_width=1"], "--set grad_width: 1 is out of range"),
        (["nlp-use-cases", "--set", "max_chars=1"], "--set max_chars: 1 is out of range"),
    ],
    ids=["plsa", "train-limit", "doc-length", "shallow", "grad-width", "max-chars"],
)
def test_values_that_crashed_or_stalled_are_out_of_range(args, message, tmp_path, capsys):
    code, _, err = deepfaq(
        capsys, "run", args[0], "--profile", "smoke", *args[1:], "--out", tmp_path
    )
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err


@dataclass(frozen=True)
class Deep:
    depths: tuple[int, ...] = (5, 10)
    shallow: Annotated[int, Range("depths", 100)] = 10


def test_a_bound_naming_a_tuple_is_its_smallest_value():
    assert apply_overrides(Deep(), ["shallow=5"]).shallow == 5
    with pytest.raises(BadConfig, match=r"valid: depths \(= 5\) ≤ shallow ≤ 100"):
        apply_overrides(Deep(), ["shallow=4"])
    with pytest.raises(BadConfig, match=r"shallow: 10 is out of range; valid: depths \(= 20\)"):
        apply_overrides(Deep(), ["depths=(20, 30)"])
