import re
from dataclasses import dataclass
from typing import Annotated

import pytest

from deepfaq.core.config import Range, apply_overrides, check_config, config_hash, dotted_keys
from deepfaq.core.errors import BadConfig


@dataclass(frozen=True)
class Cfg:
    steps: int = 10
    lr: float = 0.1
    name: str = "a"
    widths: tuple[int, ...] = (1, 2)
    flag: bool = False


def test_overrides_parse_literals_and_check_types():
    c = apply_overrides(Cfg(), ["steps=20", "lr=1", "name=relu", "widths=(3, 4, 5)", "flag=True"])
    assert c == Cfg(20, 1.0, "relu", (3, 4, 5), True)
    assert isinstance(c.lr, float)


@pytest.mark.parametrize(
    "bad, message",
    [
        ("stepz=3", "valid keys: steps, lr, name, widths, flag"),
        ("steps=1.5", "expected an int"),
        ("steps=True", "expected an int"),
        ("lr=fast", "expected a number"),
        ("widths=3", "expected a tuple"),
        ("widths=(1, 'x')", "expected an int"),
        ("flag=1", "expected True or False"),
        ("steps", "key=value"),
    ],
)
def test_bad_overrides_are_rejected(bad, message):
    with pytest.raises(BadConfig, match=message.replace("(", r"\(")):
        apply_overrides(Cfg(), [bad])


def test_hash_changes_with_any_value_and_question():
    base = config_hash("q", Cfg())
    assert base == config_hash("q", Cfg())
    assert base != config_hash("q", Cfg(steps=11))
    assert base != config_hash("other", Cfg())


# -- nested sections: dotted keys -----------------------------------------------------


@dataclass(frozen=True)
class Inner:
    steps: Annotated[int, Range(1, 1000)] = 10
    lo: float = 0.1
    hi: Annotated[float, Range("lo", 1)] = 0.5  # a bound that names a sibling field


@dataclass(frozen=True)
class Outer:
    seeds: int = 2
    vae: Inner = Inner()
    colour: Inner = Inner(steps=20)


def test_dotted_overrides_reach_one_section_only():
    c = apply_overrides(Outer(), ["vae.steps=200", "seeds=3", "colour.lo=0.2"])
    assert c == Outer(seeds=3, vae=Inner(steps=200), colour=Inner(steps=20, lo=0.2))
    assert apply_overrides(Outer(), []) == Outer()


def test_dotted_keys_list_every_reachable_field():
    assert dotted_keys(Outer()) == [
        "seeds",
        "vae.steps",
        "vae.lo",
        "vae.hi",
        "colour.steps",
        "colour.lo",
        "colour.hi",
    ]


@pytest.mark.parametrize(
    "bad, message",
    [
        ("vae.stepz=3", "valid keys: seeds, vae.steps, vae.lo, vae.hi, colour.steps"),
        ("steps=3", "unknown key 'steps'"),
        ("vae=3", "'vae' is a section; set one of its fields: vae.steps, vae.lo, vae.hi"),
        ("vae.steps=1.5", "--set vae.steps: expected an int"),
        ("vae.steps=0", "--set vae.steps: 0 is out of range; valid: 1 ≤ vae.steps ≤ 1,000"),
        ("colour.hi=0.05", "--set colour.hi: 0.05 is out of range; valid: lo (= 0.1) ≤ colour.hi"),
        ("vae.lo=-5.0", "--set vae.lo: -5.0 is out of range"),
    ],
)
def test_bad_dotted_overrides_are_rejected(bad, message):
    with pytest.raises(BadConfig, match=re.escape(message)):
        apply_overrides(Outer(), [bad])


def test_nested_ranges_are_checked_without_overrides():
    check_config(Outer())
    with pytest.raises(BadConfig, match=re.escape("colour.hi: 0.05 is out of range")):
        check_config(Outer(colour=Inner(hi=0.05)))


def test_hash_sees_nested_values():
    assert config_hash("q", Outer()) != config_hash("q", Outer(vae=Inner(steps=11)))
