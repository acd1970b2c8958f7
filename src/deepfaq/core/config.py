"""Strict overrides of frozen-dataclass configs, and config hashing."""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import types
import typing
from typing import Any

from deepfaq.core.errors import BadConfig


def config_dict(config: Any) -> dict[str, Any]:
    """The config as plain JSON-ready values (tuples become lists)."""
    return json.loads(json.dumps(dataclasses.asdict(config)))


def config_hash(question_id: str, config: Any) -> str:
    """Twelve hex digits that change whenever any config value changes."""
    text = json.dumps({"question": question_id, "config": config_dict(config)}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


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
    taken as a string for string fields. Unknown keys and wrong types raise
    :class:`BadConfig` naming the valid fields.
    """
    hints = typing.get_type_hints(type(config))
    fields = [f.name for f in dataclasses.fields(config)]
    changes: dict[str, Any] = {}
    for item in assignments:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise BadConfig(f"--set expects key=value, got {item!r}")
        if key not in fields:
            raise BadConfig(f"--set: unknown key {key!r}; valid keys: {', '.join(fields)}")
        try:
            value = ast.literal_eval(raw.strip())
        except (ValueError, SyntaxError):
            value = raw.strip()  # a bare word: acceptable only for string fields
        changes[key] = _check_type(key, value, hints[key])
    return dataclasses.replace(config, **changes)
