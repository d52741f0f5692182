"""Typed values to plain data and back, for what travels between evolver and a cluster worker:
dicts, lists, strings, numbers and None only, so a result is data whichever process made it.

``plain`` is ``model.to_json``; ``typed`` rebuilds a frozen dataclass from it by the field types
(nested dataclasses, ``X | None``, ``tuple[X, ...]``, ``dict[str, X]``). A version's measured fields
(everything a ``Version`` holds but its source, hash and sandbox copies) go out with ``measured`` and
come back with ``seed``, so a field added to ``Version`` later travels without a change here.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, TypeVar

from evolver.evaluate.judge import Judgement
from evolver.evaluate.resources import Version
from evolver.model import to_json

T = TypeVar("T")
plain = to_json
_NOT_MEASURED = frozenset({"source", "hash", "bench", "slots"})  # who it is and where it lives, not what it did


def typed(cls: type[T], data: Any) -> T:
    """The ``cls`` value whose ``plain`` form is ``data``."""
    hints = typing.get_type_hints(cls)
    fields = {f.name: _decode(hints[f.name], data[f.name])
              for f in dataclasses.fields(cls)  # type: ignore[arg-type]
              if f.name in data and f.init}
    return cls(**fields)


def _decode(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return typed(kind, value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in value)
        return tuple(_decode(a, v) for a, v in zip(args, value)) if args else tuple(value)
    if origin is list:
        return [_decode(args[0], v) for v in value] if args else list(value)
    if origin is dict and args:
        return {k: _decode(args[1], v) for k, v in value.items()}
    return value


def judgement(data: dict[str, Any]) -> Judgement:
    return typed(Judgement, data)


def measured(version: Version) -> dict[str, Any]:
    """What was measured of ``version`` so far (its test run, output, counts), as plain data."""
    return {f.name: plain(getattr(version, f.name)) for f in dataclasses.fields(Version)
            if f.name not in _NOT_MEASURED}


def seed(version: Version, data: dict[str, Any]) -> None:
    """Give ``version`` what was measured elsewhere, for the fields it has not measured itself."""
    hints = typing.get_type_hints(Version)
    for f in dataclasses.fields(Version):
        if f.name in data and f.name not in _NOT_MEASURED and getattr(version, f.name) is None:
            setattr(version, f.name, _decode(hints[f.name], data[f.name]))
