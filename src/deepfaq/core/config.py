"""Strict overrides of frozen-dataclass configs, their valid ranges, and config hashing.

Every number field has a valid range. A field declares it beside its default::

    steps: Annotated[int, Range(1, 100_000)] = 300  # full-batch Adam steps
    coherence: Literal["c_npmi", "u_mass"] = "c_npmi"

and a field that declares none gets a generic one from its default (see
:func:`field_range`), so no ``--set`` value is unbounded.

A question with sections nests one frozen dataclass per section in its config
(``vae: VaeConfig = VaeConfig()``); ``--set`` reaches a nested field with a
dotted key (``vae.steps=2000``), with the same type and range checks.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import math
import types
import typing
from dataclasses import dataclass
from typing import Any

from deepfaq.core.errors import BadConfig


def config_dict(config: Any) -> dict[str, Any]:
    """The config as plain JSON-ready values (tuples become lists)."""
    return json.loads(json.dumps(dataclasses.asdict(config)))


def config_hash(
    question_id: str, config: Any, seed_offset: int = 0, seed_batch: int | None = None
) -> str:
    """Twelve hex digits that change whenever any config value, the seed offset
    or the batch layout of a batched question changes."""
    key: dict[str, Any] = {"question": question_id, "config": config_dict(config)}
    if seed_offset:
        key["seed_offset"] = seed_offset
    if seed_batch is not None:
        key["seed_batch"] = seed_batch
    text = json.dumps(key, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Range:
    """The valid values of a number field, or of each number in a tuple field:
    ``lo ≤ value ≤ hi`` (``lo < value ≤ hi`` with ``open_lo``), and always finite.
    A bound may name another field of the config: ``Range(1, "max_shift")``."""

    lo: float | str
    hi: float | str
    open_lo: bool = False

    def check(self, label: str, name: str, value: float, config: Any) -> None:
        lo, hi = (getattr(config, b) if isinstance(b, str) else b for b in (self.lo, self.hi))
        above = value > lo if self.open_lo else value >= lo
        if not (math.isfinite(value) and above and value <= hi):
            raise BadConfig(
                f"{label}: {value!r} is out of range; valid: {_bound(self.lo, lo)}"
                f" {'<' if self.open_lo else '≤'} {name} ≤ {_bound(self.hi, hi)}"
            )


def _bound(declared: float | str, value: float) -> str:
    shown = f"{int(value):,}" if float(value).is_integer() else f"{value:g}"
    return f"{declared} (= {shown})" if isinstance(declared, str) else shown


#: A number field without a declared :class:`Range` stays finite; if its default
#: is positive, it stays positive and at most this many times its default (enough
#: for every ``full`` profile; more would let one ``--set`` exhaust the memory).
GENERIC_FACTOR = 100


def field_range(config_type: type, name: str) -> Range | None:
    """The declared range of a field, else the generic one for its default (None
    for fields that hold no numbers)."""
    hint = typing.get_type_hints(config_type, include_extras=True)[name]
    declared = [m for m in getattr(hint, "__metadata__", ()) if isinstance(m, Range)]
    if declared:
        return declared[0]
    default = next(f.default for f in dataclasses.fields(config_type) if f.name == name)
    numbers = default if isinstance(default, tuple) else (default,)
    if not numbers or not all(_is_number(x) for x in numbers):
        return None
    if min(numbers) > 0 and all(isinstance(x, int) for x in numbers):
        return Range(1, GENERIC_FACTOR * max(numbers))
    if min(numbers) > 0:
        return Range(0, GENERIC_FACTOR * max(numbers), open_lo=True)
    bound = GENERIC_FACTOR * max(1, *(abs(x) for x in numbers))
    return Range(-bound, bound)


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def is_section(value: Any) -> bool:
    """A nested config (a dataclass instance): one section of a question's config."""
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def dotted_keys(config: Any, prefix: str = "") -> list[str]:
    """Every field ``--set`` can reach, nested ones as ``section.field``."""
    keys = []
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        if is_section(value):
            keys += dotted_keys(value, f"{prefix}{f.name}.")
        else:
            keys.append(prefix + f.name)
    return keys


def check_config(config: Any, changed: tuple[str, ...] = (), prefix: str = "") -> None:
    """Raise :class:`BadConfig` if a field of ``config`` (or of a nested section)
    is outside its range or choices; ``changed`` names the (dotted) fields a
    ``--set`` gave. A bound that names a field reads it from the same section."""
    hints = typing.get_type_hints(type(config))
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        key = prefix + f.name
        if is_section(value):
            check_config(value, changed, prefix=f"{key}.")
            continue
        label = f"--set {key}" if key in changed else key
        choices = typing.get_args(hints[f.name])
        if typing.get_origin(hints[f.name]) is typing.Literal and value not in choices:
            raise BadConfig(f"{label}: {value!r} is not one of {', '.join(map(str, choices))}")
        rng = field_range(type(config), f.name)
        if rng is None:
            continue
        if value == ():
            raise BadConfig(f"{label}: needs at least one value")
        many = isinstance(value, tuple)
        for x in value if many else (value,):
            if _is_number(x):
                rng.check(label, f"{key}[i]" if many else key, x, config)


def _check_type(name: str, value: Any, tp: Any) -> Any:
    """Return ``value`` converted to ``tp`` or raise :class:`BadConfig`."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        for arm in typing.get_args(tp):
            try:
                return _check_type(name, value, arm)
            except BadConfig:
                continue
        raise BadConfig(f"--set {name}: {value!r} is not a {tp}")
    if origin is typing.Literal:
        if value in typing.get_args(tp):
            return value
        raise BadConfig(
            f"--set {name}: {value!r} is not one of {', '.join(map(str, typing.get_args(tp)))}"
        )
    if tp is type(None):
        if value is None:
            return None
        raise BadConfig(f"--set {name}: expected None")
    if tp is bool:
        if isinstance(value, bool):
            return value
        raise BadConfig(f"--set {name}: expected True or False, got {value!r}")
    if tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise BadConfig(f"--set {name}: expected an int, got {value!r}")
    if tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise BadConfig(f"--set {name}: expected a number, got {value!r}")
    if tp is str:
        if isinstance(value, str):
            return value
        raise BadConfig(f"--set {name}: expected a string, got {value!r}")
    if origin is tuple:
        args = typing.get_args(tp)
        if not isinstance(value, tuple | list):
            raise BadConfig(f"--set {name}: expected a tuple such as (1, 2), got {value!r}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_check_type(name, v, args[0]) for v in value)
        if len(args) != len(value):
            raise BadConfig(f"--set {name}: expected {len(args)} values, got {len(value)}")
        return tuple(_check_type(name, v, a) for v, a in zip(value, args, strict=True))
    raise BadConfig(f"--set {name}: cannot override a field of type {tp}")


def apply_overrides(config: Any, assignments: list[str]) -> Any:
    """Apply ``key=value`` strings to a frozen dataclass config.

    Values are Python literals (``0.1``, ``(8, 16)``, ``True``); a bare word is
    taken as a string for string fields. A field of a nested section is named
    with a dotted key (``vae.steps=2000``). Unknown keys, wrong types and values
    out of a field's range raise :class:`BadConfig` naming the valid keys or values.
    """
    valid = dotted_keys(config)
    changes: dict[str, Any] = {}
    for item in assignments:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise BadConfig(f"--set expects key=value, got {item!r}")
        if key not in valid:
            inside = [k for k in valid if k.startswith(f"{key}.")]
            if inside:
                raise BadConfig(
                    f"--set: {key!r} is a section; set one of its fields: {', '.join(inside)}"
                )
            raise BadConfig(f"--set: unknown key {key!r}; valid keys: {', '.join(valid)}")
        *path, name = key.split(".")
        owner = config
        for part in path:
            owner = getattr(owner, part)
        try:
            value = ast.literal_eval(raw.strip())
        except (ValueError, SyntaxError):
            value = raw.strip()  # a bare word: acceptable only for string fields
        changes[key] = _check_type(key, value, typing.get_type_hints(type(owner))[name])
    config = _replace(config, changes)
    check_config(config, changed=tuple(changes))
    return config


def _replace(config: Any, changes: dict[str, Any], prefix: str = "") -> Any:
    """``config`` with the dotted ``changes`` applied, sections rebuilt as needed."""
    updates = {}
    for f in dataclasses.fields(config):
        key = prefix + f.name
        if key in changes:
            updates[f.name] = changes[key]
        elif any(k.startswith(f"{key}.") for k in changes):
            updates[f.name] = _replace(getattr(config, f.name), changes, f"{key}.")
    return dataclasses.replace(config, **updates) if updates else config
