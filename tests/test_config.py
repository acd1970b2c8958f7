from dataclasses import dataclass

import pytest

from deepfaq.core.config import apply_overrides, config_hash
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


@pytest.mark.parametrize("bad, message", [
    ("stepz=3", "valid keys: steps, lr, name, widths, flag"),
    ("steps=1.5", "expected an int"),
    ("steps=True", "expected an int"),
    ("lr=fast", "expected a number"),
    ("widths=3", "expected a tuple"),
    ("widths=(1, 'x')", "expected an int"),
    ("flag=1", "expected True or False"),
    ("steps", "key=value"),
])
def test_bad_overrides_are_rejected(bad, message):
    with pytest.raises(BadConfig, match=message.replace("(", r"\(")):
        apply_overrides(Cfg(), [bad])


def test_hash_changes_with_any_value_and_question():
    base = config_hash("q", Cfg())
    assert base == config_hash("q", Cfg())
    assert base != config_hash("q", Cfg(steps=11))
    assert base != config_hash("other", Cfg())
