"""Strict overrides of frozen-dataclass configs, their valid ranges, and config hashing.

Every number field has a valid range. A field declares it beside its default::

    steps: Annotated[int, Range(1, 100_000)] = 300  # full-batch Adam steps
    coherence: Literal["c_npmi", "u_mass"] = "c_npmi"

and a field that declares none gets a generic one from its default (see
:func:`field_range`), so no ``--set`` value is unbounded.

A question with sections nests one frozen dataclass per section in its config
(``vae: VaeConfig = VaeConfig()``); ``--set`` reaches a nested field with a
dotted key (``vae.steps=2000``), with the same type and range checks.

``--set`` and ``--grid`` values are read by a small grammar (:func:`parse_value`):
numbers, quoted strings, ``True``/``False``/``None``, and tuples or lists of these,
nested at most :data:`MAX_NESTING` deep, in at most :data:`MAX_VALUE_CHARS`
characters. Anything else is a bare word, taken as a string. Nothing is evaluated,
so no value (``---…-1``, ``not not …``) can exhaust the stack or the memory.

A string value that names something on disk (``--set corpus=/path``) is checked
before any trial starts: it must be a regular file of at most
:data:`MAX_INPUT_BYTES`, or a folder; a device, a FIFO, or a path that does not
exist is refused in one line (a trial would read it forever, wait forever, or
fail only once it is running somewhere else).
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import math
import os
import re
import stat
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
    A bound may name another field of the config: ``Range(1, "max_shift")``; a
    tuple field as a lower bound means its smallest value, as an upper bound its
    largest (``Range("depths", 100)``: at least one of the depths is ≤ the value).
    ``also`` lists values valid outside the interval, such as a 0 that means "all"
    (``Range(2, 10_000, also=(0,))``)."""

    lo: float | str
    hi: float | str
    open_lo: bool = False
    also: tuple = ()

    def check(self, label: str, name: str, value: float, config: Any) -> None:
        if value in self.also:
            return
        lo, hi = (_named(config, self.lo, min), _named(config, self.hi, max))
        above = value > lo if self.open_lo else value >= lo
        if not (math.isfinite(value) and above and value <= hi):
            also = "".join(f"{_bound(x, x)}, or " for x in self.also)
            raise BadConfig(
                f"{label}: {_brief(value)} is out of range; valid: {also}{_bound(self.lo, lo)}"
                f" {'<' if self.open_lo else '≤'} {name} ≤ {_bound(self.hi, hi)}"
            )


def _named(config: Any, bound: float | str, pick) -> float:
    """A bound's number: itself, or the named field's value (``pick`` of a tuple's)."""
    if not isinstance(bound, str):
        return bound
    value = getattr(config, bound)
    return pick(value, default=math.nan) if isinstance(value, tuple) else value


def _brief(value: Any, most: int = 60) -> str:
    """``repr(value)`` as an error message quotes it: cut short if long (a value may
    be thousands of characters, and an error is one line)."""
    text = repr(value)
    return text if len(text) <= most else text[: most - 1] + "…"


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
            raise BadConfig(
                f"{label}: {_brief(value)} is not one of {', '.join(map(str, choices))}"
            )
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
        raise BadConfig(f"--set {name}: {_brief(value)} is not a {tp}")
    if origin is typing.Literal:
        if value in typing.get_args(tp):
            return value
        choices = ", ".join(map(str, typing.get_args(tp)))
        raise BadConfig(f"--set {name}: {_brief(value)} is not one of {choices}")
    if tp is type(None):
        if value is None:
            return None
        raise BadConfig(f"--set {name}: expected None")
    if tp is bool:
        if isinstance(value, bool):
            return value
        raise BadConfig(f"--set {name}: expected True or False, got {_brief(value)}")
    if tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise BadConfig(f"--set {name}: expected an int, got {_brief(value)}")
    if tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise BadConfig(f"--set {name}: expected a number, got {_brief(value)}")
    if tp is str:
        if isinstance(value, str):
            return value
        raise BadConfig(f"--set {name}: expected a string, got {_brief(value)}")
    if origin is tuple:
        args = typing.get_args(tp)
        if not isinstance(value, tuple | list):
            raise BadConfig(f"--set {name}: expected a tuple such as (1, 2), got {_brief(value)}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_check_type(name, v, args[0]) for v in value)
        if len(args) != len(value):
            raise BadConfig(f"--set {name}: expected {len(args)} values, got {len(value)}")
        return tuple(_check_type(name, v, a) for v, a in zip(value, args, strict=True))
    raise BadConfig(f"--set {name}: cannot override a field of type {tp}")


# -- reading values: a bounded grammar, not an evaluator ---------------------------------

#: Longest ``--set``/``--grid`` value read (a path may be 4,096 characters long).
MAX_VALUE_CHARS = 4096
#: Deepest nesting of tuples in a value (config fields hold flat tuples).
MAX_NESTING = 4
#: Largest file a ``--set`` value may name: a text corpus of some 40 million words.
MAX_INPUT_BYTES = 256 * 1024 * 1024

_NUMBER = re.compile(r"[+-]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?")
_STRING = re.compile(r"'(?:[^'\\\n]|\\.)*'" + r'|"(?:[^"\\\n]|\\.)*"')
_WORD = re.compile(r"[A-Za-z_]\w*")
_WORDS = {"True": True, "False": False, "None": None}


class _NotALiteral(Exception):
    """The text is no value of the grammar: a bare word."""


def _shown(raw: str) -> str:
    """A value as an error message quotes it: cut short if long."""
    return _brief(raw)


def _literal(text: str, i: int, depth: int) -> tuple[Any, int]:
    """The value starting at ``text[i]`` and the index after it. Recursion follows
    the brackets only, at most ``MAX_NESTING`` deep."""
    while i < len(text) and text[i].isspace():
        i += 1
    if i == len(text):
        raise _NotALiteral
    ch = text[i]
    if ch in "([":
        if depth == MAX_NESTING:
            raise BadConfig(f"values nest at most {MAX_NESTING} brackets deep")
        close = ")" if ch == "(" else "]"
        items: list[Any] = []
        i += 1
        trailing_comma = False
        while True:
            while i < len(text) and text[i].isspace():
                i += 1
            if i < len(text) and text[i] == close:
                i += 1
                break
            item, i = _literal(text, i, depth + 1)
            items.append(item)
            while i < len(text) and text[i].isspace():
                i += 1
            if i < len(text) and text[i] == ",":
                i, trailing_comma = i + 1, True
            elif i < len(text) and text[i] == close:
                i, trailing_comma = i + 1, False
                break
            else:
                raise _NotALiteral
        if ch == "(" and len(items) == 1 and not trailing_comma:
            return items[0], i  # (x) is x, as in Python
        return (items if ch == "[" else tuple(items)), i
    m = _STRING.match(text, i)
    if m:
        return ast.literal_eval(m.group()), m.end()  # one string literal: nothing nested
    m = _NUMBER.match(text, i)
    if m and not (m.end() < len(text) and (text[m.end()].isalnum() or text[m.end()] == ".")):
        token = m.group()
        if not any(c.isdigit() for c in token):
            raise _NotALiteral
        try:
            if any(c in token for c in ".eE"):
                return float(token), m.end()
            return int(token), m.end()
        except ValueError:  # "1__0", "1_": not a number
            raise _NotALiteral from None
    m = _WORD.match(text, i)
    if m and m.group() in _WORDS:
        return _WORDS[m.group()], m.end()
    raise _NotALiteral


def parse_value(raw: str, label: str = "--set") -> Any:
    """A ``--set`` value: a number, a quoted string, True/False/None, or a tuple
    (or list) of these; anything else is the bare word itself, as a string.

    >>> parse_value("(8, 16)"), parse_value("1e-3"), parse_value("wiki")
    ((8, 16), 0.001, 'wiki')
    """
    text = raw.strip()
    if len(text) > MAX_VALUE_CHARS:
        raise BadConfig(
            f"{label}: the value is {len(text):,} characters long; at most {MAX_VALUE_CHARS:,}"
        )
    try:
        value, end = _literal(text, 0, 0)
    except _NotALiteral:
        return text
    except BadConfig as e:
        raise BadConfig(f"{label}: {e}") from None
    return value if not text[end:].strip() else text


def parse_grid(items: list[str]) -> dict[str, tuple]:
    """``["lr=0.01,0.1", "shape=(8,16),(4,4)"]`` → ``{"lr": (0.01, 0.1), "shape":
    ((8, 16), (4, 4))}``: each value read by :func:`parse_value`, split on the
    commas outside brackets."""
    grid: dict[str, tuple] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key or not raw.strip():
            raise BadConfig(f"--grid expects key=v1,v2,…, got {_shown(item)}")
        if key in grid:
            raise BadConfig(f"--grid names {key!r} twice")
        if len(raw) > MAX_VALUE_CHARS:
            raise BadConfig(f"--grid {key}: {len(raw):,} characters; at most {MAX_VALUE_CHARS:,}")
        values = [parse_value(v, f"--grid {key}") for v in _split_values(raw)]
        if len(values) < 2:
            raise BadConfig(f"--grid {key}: give at least two values, got {_shown(raw)}")
        grid[key] = tuple(values)
    return grid


def _split_values(raw: str) -> list[str]:
    """Split on commas outside brackets (and outside quotes), so tuple values like
    (8, 16) and strings like 'a,b' survive."""
    out, depth, cur, quote = [], 0, [], ""
    for ch in raw:
        if quote:
            quote = "" if ch == quote and (not cur or cur[-1] != "\\") else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0 and not quote:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur).strip())
    return [v for v in out if v]


def _check_input_path(label: str, value: str) -> None:
    """Refuse, before any trial runs, a string value that names a path deepfaq could
    not read: one that does not exist (when it is written as a path), a device, a
    FIFO or a socket, or a file larger than ``MAX_INPUT_BYTES``. A folder is left to
    the field (the sentiment data may be one)."""
    try:
        mode_size = os.stat(os.path.expanduser(value))
    except (FileNotFoundError, NotADirectoryError):
        if os.sep in value or value.startswith("~"):
            raise BadConfig(f"{label}: no such file or folder {_shown(value)}") from None
        return  # a name such as "wiki": the field's own choice
    except (OSError, ValueError) as e:
        raise BadConfig(
            f"{label}: cannot read {_shown(value)}: {getattr(e, 'strerror', None) or e}"
        ) from None
    mode = mode_size.st_mode
    if stat.S_ISDIR(mode):
        return
    if not stat.S_ISREG(mode):
        kind = "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else kind
        raise BadConfig(f"{label}: {_shown(value)} is {kind}; give a regular file")
    if mode_size.st_size > MAX_INPUT_BYTES:
        raise BadConfig(
            f"{label}: {_shown(value)} is larger than {MAX_INPUT_BYTES // 2**20} MiB,"
            " the most deepfaq reads of one file"
        )


def apply_overrides(config: Any, assignments: list[str]) -> Any:
    """Apply ``key=value`` strings to a frozen dataclass config.

    Values are literals of a small grammar (``0.1``, ``(8, 16)``, ``True``, ``'a b'``:
    see :func:`parse_value`); a bare word is taken as a string for string fields. A
    field of a nested section is named with a dotted key (``vae.steps=2000``).
    Unknown keys, wrong types, values out of a field's range and paths that cannot
    be read raise :class:`BadConfig` naming the valid keys or values.
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
        value = parse_value(raw, f"--set {key}")  # a bare word: a string
        changes[key] = _check_type(key, value, typing.get_type_hints(type(owner))[name])
        if isinstance(changes[key], str):
            _check_input_path(f"--set {key}", changes[key])
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
