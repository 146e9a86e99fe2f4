"""How journal records are written: values and errors as JSON, commands as signatures.

Values: ``None``, ``bool``, ``int``, ``float``, ``str`` as themselves; lists, tuples, dicts
with ``str`` keys, ``bytes``, PIDs, enums and attrs instances tagged so they come back as the same
types (attrs classes through cattrs). Anything else raises :class:`EncodingError`.

Errors: the exception's class and message; replay raises the same class when it can be
rebuilt from its message, else :class:`ActivityError` naming it.
"""

from __future__ import annotations

import base64
import enum
import importlib
import json
from collections.abc import Callable
from typing import Any, cast

import attrs
import cattrs

from actorkit import PID
from actorkit.checks import label

from .errors import ActivityError, EncodingError

_CONVERTER = cattrs.Converter()
# A PID (a plain class, not attrs) inside an attrs value is tagged by _to_json and decoded
# by _from_json before cattrs structures the value: cattrs only has to let it through.
_CONVERTER.register_structure_hook(PID, lambda value, _: value)
CONVERTER = _CONVERTER
"""The module's cattrs converter (journal records, saved histories)."""


def encode(value: object, what: str) -> str:
    """``value`` as journal text; :class:`EncodingError` naming ``what`` if it cannot be."""
    try:
        return json.dumps(_to_json(value), separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise EncodingError(what, value, str(exc)) from None


def decode(text: str) -> Any:
    """The value :func:`encode` wrote."""
    return _from_json(json.loads(text))


def _to_json(value: object) -> Any:
    if value is None or type(value) in (bool, int, float, str):
        return value
    for cls, convert in _ENCODERS:
        if isinstance(value, cls):
            return convert(value)
    if attrs.has(type(value)):
        return {"$a": _name(type(value)), "v": _to_json(_CONVERTER.unstructure(value))}
    raise TypeError(f"{type(value).__name__} values cannot be journaled")


def _dict(value: dict[object, object]) -> dict[str, Any]:
    if not all(type(k) is str for k in value):
        raise TypeError("dict keys must be str")
    return {"$d": {str(k): _to_json(v) for k, v in value.items()}}


_ENCODERS: tuple[tuple[type, Callable[[Any], Any]], ...] = (
    (PID, lambda v: {"$p": [v.node, v.serial, v.creation]}),
    (enum.Enum, lambda v: {"$e": _name(v.__class__), "v": _to_json(v.value)}),
    (list, lambda v: [_to_json(x) for x in v]),
    (tuple, lambda v: {"$t": [_to_json(x) for x in v]}),
    (bytes, lambda v: {"$b": base64.b64encode(v).decode("ascii")}),
    (dict, _dict),
)
_DECODERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "$p": lambda d: PID(*d["$p"]),
    "$t": lambda d: tuple(_from_json(v) for v in d["$t"]),
    "$b": lambda d: base64.b64decode(d["$b"]),
    "$d": lambda d: {k: _from_json(v) for k, v in d["$d"].items()},
    "$e": lambda d: _class(d["$e"])(_from_json(d["v"])),
    "$a": lambda d: _CONVERTER.structure(_from_json(d["v"]), _class(d["$a"])),
}


def _from_json(data: Any) -> Any:
    if isinstance(data, list):
        return [_from_json(v) for v in data]  # pyright: ignore[reportUnknownVariableType]
    if not isinstance(data, dict):
        return data
    tagged: dict[str, Any] = data  # pyright: ignore[reportUnknownVariableType]
    return _DECODERS[next(iter(tagged))](tagged)


def _name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _class(name: str) -> Any:
    module, _, qualname = name.partition(":")
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    return found


def encode_error(error: BaseException) -> str:
    """An error as journal text: its class and its message."""
    return json.dumps({"type": _name(type(error)), "message": str(error)})


def decode_error(text: str) -> Exception:
    """The error :func:`encode_error` wrote: the same class if it can be rebuilt from its
    message alone, else :class:`ActivityError`."""
    data = json.loads(text)
    type_name, message = str(data["type"]), str(data["message"])
    try:
        cls = _class(type_name)
        error = cls(message)
        if isinstance(error, Exception) and str(error) == message:
            return error
    except Exception:
        pass
    return ActivityError(type_name.replace(":", "."), message)


OMIT_WHEN_NONE = "actorkit_workflow_omit_when_none"
"""Field metadata: a field added to a shipped command is left out of its signature while
it is None, so journals written before the field existed keep replaying."""


def signature(cmd: object) -> str:
    """What a command must match on replay: its name, ID and fields (callables by name)."""
    fields: dict[str, Any] = {}
    for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(cmd))):
        value = getattr(cmd, field.name)
        if value is None and field.metadata.get(OMIT_WHEN_NONE):
            continue
        fields[field.name] = _field(value)
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=repr)
    return f"{label(type(cmd))} {text}"


def _field(value: object) -> Any:
    if callable(value) and not attrs.has(type(value)):
        return getattr(value, "__qualname__", type(value).__qualname__)
    try:
        return _to_json(value)
    except (TypeError, ValueError):
        return type(value).__qualname__
