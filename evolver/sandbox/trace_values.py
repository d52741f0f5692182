"""Values of a differential call trace: canonical digests, short previews and a wire format.

Stdlib only: it runs *inside* the sandbox (loaded by path by ``tracer.py``).

``Encoder.value(obj)`` gives a *value record* ``[digest, type, preview, unknown]``:

- the digest is a sha256 (16 hex digits kept) of a canonical text that does not depend on object
  addresses, hash seeds or the insertion order of types whose ``==`` ignores it: floats by
  ``repr`` (so ``-0.0`` differs from ``0.0`` and every NaN is ``nan``), ``dict``/``set`` items
  sorted, ``OrderedDict``/``list``/``deque`` in order, objects by their ``__dict__`` and slots up to
  ``MAX_DEPTH`` levels, shared mutable objects and cycles as back-references (aliasing shows);
- ``unknown`` is 1 when any part of the value could not be encoded (a generator, a lock, a file,
  a closure, a C object without a complete ``repr``, a value deeper than ``MAX_DEPTH`` or larger
  than ``MAX_ITEMS``): the digest then covers only what was encoded (at least the type), and a
  comparison must count the value as unknown, never as "same".

``to_wire`` / ``from_wire`` carry sampled arguments between sandboxes as JSON (builtin data and
instances of the target module's classes only).
"""

from __future__ import annotations

import collections
import enum
import hashlib
import math
import os
import re
import sys
import types
from collections.abc import Callable
from typing import Any

MAX_DEPTH = 8  # nesting levels encoded; deeper parts make the value unknown
MAX_ITEMS = 20_000  # values visited per encoding; a larger value is unknown (type and size only)
DIGEST_CHARS = 16
PREVIEW_CHARS = 60

_SCALARS = frozenset({int, bool, str, bytes, complex, type(None), float, range, slice, bytearray, types.EllipsisType})
_SCALAR_BASES = (int, float, complex, str, bytes)
_MUTABLE = (list, dict, set, bytearray, collections.deque)
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+|0x[0-9a-fA-F]{6,}")
_ROUTINES = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.BuiltinMethodType,
             types.MethodWrapperType, types.WrapperDescriptorType, types.MethodDescriptorType,
             types.ClassMethodDescriptorType)
_OPAQUE = (types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType, types.FrameType,
           types.TracebackType, types.CodeType)
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"builtins"}

Value = list[Any]  # [digest, type, preview, unknown]
_PLACES: list[str] = []  # where this run's scratch copy lives: written as "<scratch>"


def set_scratch(folder: str) -> None:
    """Paths under ``folder`` (the scratch area, which differs between parent and candidate) are
    encoded and shown relative to it."""
    _PLACES[:] = sorted({folder, os.path.realpath(folder)}, key=len, reverse=True)


def _placeless(text: str) -> str:
    for place in _PLACES:
        if place in text:
            text = text.replace(place, "<scratch>")
    return text


class _TooLarge(Exception):
    pass


def type_name(obj: Any) -> str:
    kind = type(obj)
    module = getattr(kind, "__module__", "") or ""
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "backslashreplace")).hexdigest()[:DIGEST_CHARS]


class Encoder:
    """Canonical encodings; one instance may be reused (each ``value`` call starts afresh)."""

    def __init__(self, max_items: int = MAX_ITEMS, max_depth: int = MAX_DEPTH) -> None:
        self.max_items = max_items
        self.max_depth = max_depth
        self.unknown = False
        self.mutable = False
        self._left = 0
        self._refs: dict[int, int] = {}
        self._keep: list[Any] = []  # keeps ids unique while one value is encoded

    def value(self, obj: Any, preview: bool = True) -> Value:
        text, unknown, _ = self.encode(obj)
        return [digest(text), type_name(obj), short(obj) if preview else "", int(unknown)]

    def encode(self, obj: Any) -> tuple[str, bool, bool]:
        """(canonical text, unknown, whether it holds anything mutable)."""
        self.unknown = self.mutable = False
        self._left = self.max_items
        self._refs.clear()
        try:
            parts: list[str] = []
            self._enc(obj, 0, parts)
            text = _placeless("".join(parts))
        except _TooLarge:
            self.unknown = True
            text = f"<too large {type_name(obj)} {_size(obj)}>"
        except RecursionError:
            self.unknown = True
            text = f"<too deep {type_name(obj)}>"
        finally:
            self._keep.clear()
        return text, self.unknown, self.mutable

    # -- the canonical text --------------------------------------------------------------------

    def _enc(self, obj: Any, depth: int, out: list[str]) -> None:
        self._left -= 1
        if self._left < 0:
            raise _TooLarge
        kind = type(obj)
        if kind in _SCALARS:
            if kind is bytearray:
                self.mutable = True
            out.append(f"{kind.__name__}:{obj!r}")
            return
        if depth > self.max_depth:
            self.unknown = True
            out.append(f"<deep {type_name(obj)}>")
            return
        if isinstance(obj, _MUTABLE) or _has_state(obj):
            ref = self._refs.get(id(obj))
            if ref is not None:
                out.append(f"<ref {ref}>")
                return
            self._refs[id(obj)] = len(self._refs)
            self._keep.append(obj)
            self.mutable = True
        if isinstance(obj, (list, tuple, dict, set, frozenset, collections.deque)) and len(obj) > self._left:
            raise _TooLarge  # without walking it
        handler = _handler(obj)
        handler(self, obj, depth + 1, out)

    def _items(self, items: Any, depth: int, out: list[str]) -> None:
        for item in items:
            self._enc(item, depth, out)
            out.append(",")

    def _sorted(self, pieces: list[tuple[str, Any]], depth: int, out: list[str], pairs: bool) -> None:
        """Order-independent: items sorted by the text of their key (or of themselves)."""
        pieces.sort(key=lambda p: p[0])
        for key, item in pieces:
            out.append(key)
            if pairs:
                out.append(":")
                self._enc(item, depth, out)
            out.append(",")

    def _key_text(self, key: Any, depth: int) -> str:
        parts: list[str] = []
        self._enc(key, depth, parts)
        return "".join(parts)


def _handler(obj: Any) -> Callable[[Encoder, Any, int, list[str]], None]:
    if isinstance(obj, dict):
        return _enc_dict
    if isinstance(obj, (set, frozenset)):
        return _enc_set
    if isinstance(obj, (list, tuple, collections.deque)):
        return _enc_sequence
    if isinstance(obj, BaseException):
        return _enc_exception
    if isinstance(obj, (type, types.ModuleType)):
        return _enc_named
    if isinstance(obj, _ROUTINES) or callable(getattr(obj, "__wrapped__", None)):
        return _enc_routine
    if isinstance(obj, _OPAQUE):
        return _enc_opaque
    return _enc_object


def _enc_dict(enc: Encoder, obj: dict[Any, Any], depth: int, out: list[str]) -> None:
    out.append(f"{type_name(obj)}{{")
    if isinstance(obj, collections.OrderedDict):  # its == compares the order
        for key, item in list(obj.items()):
            enc._enc(key, depth, out)
            out.append(":")
            enc._enc(item, depth, out)
            out.append(",")
    else:
        enc._sorted([(enc._key_text(k, depth), v) for k, v in list(obj.items())], depth, out, pairs=True)
    factory = getattr(obj, "default_factory", None)
    if factory is not None:
        out.append("default=")
        enc._enc(factory, depth, out)
    _extra_state(enc, obj, depth, out)
    out.append("}")


def _enc_set(enc: Encoder, obj: set[Any] | frozenset[Any], depth: int, out: list[str]) -> None:
    out.append(f"{type_name(obj)}{{")
    enc._sorted([(enc._key_text(v, depth), None) for v in list(obj)], depth, out, pairs=False)
    _extra_state(enc, obj, depth, out)
    out.append("}")


def _enc_sequence(enc: Encoder, obj: Any, depth: int, out: list[str]) -> None:
    out.append(f"{type_name(obj)}[")
    enc._items(list(obj), depth, out)
    if isinstance(obj, collections.deque) and obj.maxlen is not None:
        out.append(f"maxlen={obj.maxlen}")
    _extra_state(enc, obj, depth, out)
    out.append("]")


def _extra_state(enc: Encoder, obj: Any, depth: int, out: list[str]) -> None:
    """A container subclass's own attributes (a namedtuple has none; a subclass may)."""
    state = _state(obj)
    if state:
        out.append(";")
        _enc_dict(enc, state, depth, out)


def _enc_exception(enc: Encoder, obj: BaseException, depth: int, out: list[str]) -> None:
    out.append(f"{type_name(obj)}(")
    enc._items(obj.args, depth, out)
    out.append(")")


def _enc_named(enc: Encoder, obj: Any, depth: int, out: list[str]) -> None:
    out.append(f"<{type_name(obj)} {getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', obj.__name__)}>")


def _enc_routine(enc: Encoder, obj: Any, depth: int, out: list[str]) -> None:
    """A function by its qualified name (a wrapper by what it wraps); a bound method also by its
    object. A closure or lambda may hold state that its name does not show: unknown."""
    inner = obj
    while callable(getattr(inner, "__wrapped__", None)) and inner is not inner.__wrapped__:
        inner = inner.__wrapped__
    target = getattr(inner, "__func__", inner)
    name = f"{getattr(target, '__module__', None)}.{getattr(target, '__qualname__', None)}"
    out.append(f"<routine {name}>")
    if "<lambda>" in name or "<locals>" in name or getattr(target, "__closure__", None):
        enc.unknown = True
    owner = getattr(inner, "__self__", None)
    if owner is not None and not isinstance(owner, types.ModuleType):
        out.append("@")
        enc._enc(owner, depth, out)


def _enc_opaque(enc: Encoder, obj: Any, depth: int, out: list[str]) -> None:
    enc.unknown = True
    out.append(f"<{type_name(obj)}>")


def _enc_object(enc: Encoder, obj: Any, depth: int, out: list[str]) -> None:
    name = type_name(obj)
    if isinstance(obj, enum.Enum):
        out.append(f"{name}.{obj.name}")
        return
    base = next((b for b in _SCALAR_BASES if isinstance(obj, b)), None)
    if base is not None:  # a subclass of str, int...: its data by the base's repr, then its own state
        out.append(f"{name}:{base.__repr__(obj)}")
        _extra_state(enc, obj, depth, out)
        return
    data = _array_data(obj)
    if data is not None:
        out.append(f"{name}(")
        enc._enc(data, depth, out)
        out.append(")")
        return
    if type(obj).__module__.partition(".")[0] in _STDLIB and type(obj).__repr__ is not object.__repr__:
        text = _safe_repr(obj)  # decimal, datetime, pathlib, re.Pattern...: a complete repr
        if text is None or _ADDRESS.search(text):
            enc.unknown = True
            text = "?"
        out.append(f"{name}:{text}")
        return
    state = _state(obj)
    if state is None:
        enc.unknown = True
        out.append(f"<{name}>")
        return
    out.append(f"{name}(")
    _enc_dict(enc, state, depth, out)
    out.append(")")


def _has_state(obj: Any) -> bool:
    try:
        return isinstance(object.__getattribute__(obj, "__dict__"), dict) and not isinstance(
            obj, (type, types.ModuleType, types.FunctionType))
    except AttributeError:
        return False


def _state(obj: Any) -> dict[str, Any] | None:
    """An instance's attributes (``__dict__`` and slots); None when it has neither."""
    state: dict[str, Any] | None = None
    try:
        attrs = object.__getattribute__(obj, "__dict__")
        if isinstance(attrs, dict):
            state = dict(attrs)
    except AttributeError:
        pass
    for cls in type(obj).__mro__:
        slots = cls.__dict__.get("__slots__", ())
        for slot in (slots,) if isinstance(slots, str) else slots:
            if slot in ("__dict__", "__weakref__"):
                continue
            try:
                value = object.__getattribute__(obj, slot)
            except AttributeError:
                continue
            state = {} if state is None else state
            state.setdefault(slot, value)
    return state


def _array_data(value: Any) -> Any:
    """numpy and pandas objects by dtype, shape and all their data (their reprs elide the middle)."""
    np, pd = sys.modules.get("numpy"), sys.modules.get("pandas")
    if np is not None and isinstance(value, np.ndarray):
        if value.dtype.kind == "O":
            return (str(value.dtype), value.shape, value.tolist())
        raw = np.ascontiguousarray(value).tobytes()
        return (str(value.dtype), value.shape, hashlib.sha256(raw).hexdigest())
    if np is not None and isinstance(value, np.generic):
        return (str(value.dtype), value.item())
    if pd is not None and isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        columns = list(frame.columns) if hasattr(frame, "columns") else []
        return (type(value).__name__, columns, value.index.tolist() if hasattr(value, "index") else [],
                repr(getattr(value, "dtypes", getattr(value, "dtype", ""))), _array_data(value.to_numpy()))
    return None


def _safe_repr(obj: Any) -> str | None:
    try:
        return repr(obj)
    except Exception:
        return None


def _size(obj: Any) -> str:
    try:
        return f"len {len(obj)}"
    except Exception:
        return ""


# -- previews: short, address-free, and never running the user's __repr__ --------------------------

def short(obj: Any, limit: int = PREVIEW_CHARS) -> str:
    try:
        text = _preview(obj, 3, [limit * 2])
    except Exception:
        text = f"<{type_name(obj)}>"
    return clip(text, limit)


def clip(text: str, limit: int = PREVIEW_CHARS) -> str:
    """``text`` without addresses and scratch paths, cut to ``limit`` characters."""
    text = _placeless(_ADDRESS.sub("", text))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _preview(obj: Any, levels: int, left: list[int]) -> str:
    left[0] -= 1
    kind = type(obj)
    if kind in _SCALARS:
        text = _placeless(repr(obj))
        return text if len(text) <= 40 else text[:37] + "..."
    if left[0] <= 0 or levels <= 0:
        return "..."
    if isinstance(obj, dict):
        inner = [f"{_preview(k, levels - 1, left)}: {_preview(v, levels - 1, left)}" for k, v in list(obj.items())[:6]]
        return "{" + ", ".join(inner) + (", ..." if len(obj) > 6 else "") + "}"
    if isinstance(obj, (list, tuple, set, frozenset, collections.deque)):
        items = sorted(obj, key=repr) if isinstance(obj, (set, frozenset)) and len(obj) < 50 else list(obj)
        inner = [_preview(v, levels - 1, left) for v in items[:8]]
        body = ", ".join(inner) + (", ..." if len(obj) > 8 else "")
        state = _state(obj) if type(obj) not in (list, tuple, set, frozenset, collections.deque) else None
        if state:  # a subclass with attributes of its own: show them, they are compared
            own = ", ".join(f"{k}={_preview(v, levels - 1, left)}" for k, v in list(state.items())[:4])
            return f"{type(obj).__name__}([{body}], {own})"
        if isinstance(obj, list):
            return f"[{body}]"
        if type(obj) is tuple:
            return f"({body}{',' if len(obj) == 1 else ''})"
        return f"{type(obj).__name__}({{{body}}})" if isinstance(obj, (set, frozenset)) else f"{type(obj).__name__}([{body}])"
    if isinstance(obj, BaseException):
        return f"{type(obj).__name__}({', '.join(_preview(a, levels - 1, left) for a in obj.args[:3])})"
    if isinstance(obj, (type, types.ModuleType, _ROUTINES)):
        return f"<{getattr(obj, '__qualname__', getattr(obj, '__name__', type(obj).__name__))}>"
    if type(obj).__module__.partition(".")[0] in _STDLIB and type(obj).__repr__ is not object.__repr__:
        text = _placeless(_safe_repr(obj) or f"<{type(obj).__name__}>")
        return text if len(text) <= 60 else text[:57] + "..."
    state = _state(obj)
    if state is None:
        return f"<{type(obj).__name__}>"
    fields = [f"{k}={_preview(v, levels - 1, left)}" for k, v in list(state.items())[:6]]
    return f"{type(obj).__name__}({', '.join(fields)})"


# -- the wire format of sampled arguments --------------------------------------------------------

_MARK = "\x00scratch\x00"
_WIRE_TAGS: dict[type, str] = {list: "l", tuple: "t", set: "s", frozenset: "fs"}


class NotWireable(Exception):
    pass


WIRE_ITEMS = 2000  # values one wire copy may hold


def to_wire(obj: Any, module_name: str, depth: int = 0, budget: list[int] | None = None) -> Any:
    """JSON for builtin data and instances of ``module_name``'s classes, up to ``WIRE_ITEMS``
    values; NotWireable otherwise."""
    budget = [WIRE_ITEMS] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0:
        raise NotWireable(f"more than {WIRE_ITEMS} values")
    if depth > MAX_DEPTH:
        raise NotWireable("too deep")
    kind = type(obj)
    if kind is str and any(place in obj for place in _PLACES):
        return {"sp": _placeless(obj).replace("<scratch>", _MARK)}  # where the other side's scratch is
    if obj is None or kind is bool or kind is str or kind is int:
        return obj
    if kind is float:
        return {"f": repr(obj)}
    if kind is bytes:
        return {"b": obj.hex()}
    if kind in (list, tuple, set, frozenset):
        tag = _WIRE_TAGS[kind]
        return {tag: [to_wire(v, module_name, depth + 1, budget) for v in obj]}
    if kind is dict:
        return {"d": [[to_wire(k, module_name, depth + 1, budget), to_wire(v, module_name, depth + 1, budget)] for k, v in obj.items()]}
    if getattr(kind, "__module__", None) == module_name:
        state = _state(obj)
        if state is not None and "<locals>" not in kind.__qualname__:
            return {"o": kind.__qualname__, "state": to_wire(state, module_name, depth + 1, budget)}
    raise NotWireable(type_name(obj))


def from_wire(data: Any, module: types.ModuleType) -> Any:
    if data is None or isinstance(data, (bool, str, int)):
        return data
    (tag, body), *rest = data.items()
    if tag == "sp":
        return body.replace(_MARK, _PLACES[-1] if _PLACES else "")
    if tag == "f":
        return float(body) if body not in ("nan", "-nan") else math.nan
    if tag == "b":
        return bytes.fromhex(body)
    if tag in ("l", "t", "s", "fs"):
        items = [from_wire(v, module) for v in body]
        return {"l": list, "t": tuple, "s": set, "fs": frozenset}[tag](items)
    if tag == "d":
        return {from_wire(k, module): from_wire(v, module) for k, v in body}
    if tag == "o":
        cls: Any = module
        for part in body.split("."):
            cls = getattr(cls, part)
        obj = cls.__new__(cls)
        for name, value in from_wire(rest[0][1], module).items():
            object.__setattr__(obj, name, value)
        return obj
    raise ValueError(f"unknown wire tag {tag!r}")
