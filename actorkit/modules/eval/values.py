"""The one value mapping between Lua and Python.

=================  ======================  ==========================================
Python             Lua                     back in Python
=================  ======================  ==========================================
None               nil                     None
bool               boolean                 bool
int (64-bit)       integer                 int
float              float                   float (``1.0`` stays a float)
str                string (UTF-8)          str (``strings="text"``; bytes if not UTF-8)
bytes              string                  bytes with ``strings="bytes"``, else as above
list, tuple        sequence ``{1..n}``     list (a table with keys exactly 1..n, n >= 1)
dict               table                   dict (any other table, the empty one too)
PID                string ``"<node.n>"``   str (``process.send`` takes it as a PID)
=================  ======================  ==========================================

Refused with :class:`EvalValueError`: ints outside 64 bits, str with lone surrogates,
None inside a list or as a dict value (a Lua table cannot hold nil), dict keys other than
str, bytes, int and bool, any other Python type; and from Lua: functions, threads,
userdata, tables nested more than 100 deep (or in a cycle) and keys that are tables.
"""

from __future__ import annotations

import re
from typing import Any, Literal, cast

from actorkit import PID
from actorkit.checks import utf8

from . import _lupa as lupa
from .errors import EvalValueError

DEPTH = 100
_MIN, _MAX = -(2**63), 2**63 - 1
Strings = Literal["text", "bytes"]


def to_lua(runtime: Any, value: object, depth: int = 0) -> object:
    """``value`` as Lua sees it.

    Raises:
        EvalValueError: the value has no Lua form.
    """
    kind = type(value)
    if value is None or kind is bool or kind is float or kind is bytes:
        return value
    if kind is int:
        if not _MIN <= value <= _MAX:  # type: ignore[operator]
            raise EvalValueError(f"int {value} does not fit a Lua integer (64 bits)")
        return value
    if kind is str or kind is PID:
        return _encode(str(value))
    if depth >= DEPTH:
        raise EvalValueError(f"value nested more than {DEPTH} deep")
    return _container(runtime, value, depth)


def _container(runtime: Any, value: object, depth: int) -> object:
    if type(value) is list or type(value) is tuple:
        return _sequence(runtime, cast("list[Any]", value), depth)
    if type(value) is dict:
        return _table(runtime, value, depth)  # pyright: ignore[reportUnknownArgumentType]
    raise EvalValueError(f"a {type(value).__name__} cannot cross into Lua")


def _encode(text: str) -> bytes:
    try:
        return text.encode()
    except UnicodeEncodeError as exc:
        raise EvalValueError(f"str {text!r} is not valid UTF-8 (lone surrogate)") from exc


def _sequence(runtime: Any, items: list[Any] | tuple[Any, ...], depth: int) -> Any:
    table = runtime.table()
    for index, item in enumerate(items, 1):
        if item is None:
            raise EvalValueError(
                f"a list cannot hold None (item {index - 1}): Lua tables hold no nil"
            )
        table[index] = to_lua(runtime, item, depth + 1)
    return table


def _table(runtime: Any, items: dict[Any, Any], depth: int) -> Any:
    table = runtime.table()
    for key, item in items.items():
        if type(key) not in (str, bytes, int, bool):
            raise EvalValueError(f"a dict key must be str, bytes, int or bool, got {key!r}")
        if item is None:
            raise EvalValueError(f"dict value of {key!r} is None: Lua tables hold no nil")
        table[to_lua(runtime, key)] = to_lua(runtime, item, depth + 1)
    return table


def to_python(value: object, strings: Strings, depth: int = 0) -> Any:
    """``value`` (from Lua) as Python sees it.

    Raises:
        EvalValueError: a function, thread or userdata, or too deep a table.
    """
    if value is None or type(value) is bool or type(value) is int or type(value) is float:
        return value
    if type(value) is bytes:
        return _text(value, strings)
    kind = lupa.lua_type(value)
    if kind != "table":
        raise EvalValueError(f"a Lua {kind} cannot cross into Python")
    if depth >= DEPTH:
        raise EvalValueError(f"Lua table nested more than {DEPTH} deep (or a cycle)")
    pairs = [(to_key(k, strings), to_python(v, strings, depth + 1)) for k, v in value.items()]  # type: ignore[attr-defined]
    if pairs and _is_sequence(pairs):
        return [v for _, v in sorted(pairs, key=lambda kv: kv[0])]
    return dict(pairs)


def to_key(key: object, strings: Strings) -> Any:
    """A Lua table key as a dict key."""
    if type(key) is bytes:
        return _text(key, strings)
    if type(key) in (int, float, bool):
        return key
    raise EvalValueError(f"a Lua table key that is a {lupa.lua_type(key)} cannot cross into Python")


def _is_sequence(pairs: list[tuple[Any, Any]]) -> bool:
    keys = {k for k, _ in pairs if type(k) is int}
    return len(keys) == len(pairs) and keys == set(range(1, len(pairs) + 1))


def _text(data: bytes, strings: Strings) -> str | bytes:
    if strings == "bytes":
        return data
    try:
        return data.decode()
    except UnicodeDecodeError:
        return data


def error_message(value: object, strings: Strings) -> tuple[str, object]:
    """A Lua error value as ``(message, value)``: a string is the message; anything else
    is described and given as ``value`` by the mapping (None if it cannot cross)."""
    if type(value) is bytes:
        return value.decode(errors="replace"), None
    if type(value) in (int, float):
        return str(value), value  # Lua's own way: error(42) reads "42"
    try:
        mapped = to_python(value, strings)
    except EvalValueError:
        mapped = None
    return (
        f"(error object is a {lupa.lua_type(value) or type(value).__name__} value: {mapped!r})",
        mapped,
    )


def crossable(value: object, depth: int = 0) -> bool:
    """True if :func:`to_lua` takes ``value`` (checked without a Lua state)."""
    kind = type(value)
    if value is None or kind in (bool, float, bytes, PID):
        return True
    if kind is int:
        return _MIN <= cast("int", value) <= _MAX
    if kind is str:
        return utf8(cast("str", value))
    if depth >= DEPTH:
        return False
    return _crossable_items(value, depth + 1)


def _crossable_items(value: object, depth: int) -> bool:
    if type(value) is list or type(value) is tuple:
        items = cast("list[object]", value)
        return all(v is not None and crossable(v, depth) for v in items)
    if type(value) is dict:
        pairs = cast("dict[object, object]", value).items()
        return all(_key_ok(k) and v is not None and crossable(v, depth) for k, v in pairs)
    return False


def _key_ok(key: object) -> bool:
    return type(key) in (bytes, int, bool) or (type(key) is str and utf8(key))


_PID = re.compile(r"^<(?P<node>[^<>]+)\.(?P<serial>\d+)>$")


def to_dest(value: object) -> PID | str:
    """A Lua process address as a send target: ``"<node.serial>"`` is a PID, other text a
    registered name."""
    if type(value) is str:
        found = _PID.match(value)
        if found is not None:
            return PID(found["node"], int(found["serial"]))
    return value  # type: ignore[return-value]  # the command's own field check names it
