"""Checks of command fields, run when a command is built (attrs validators).

Each raises :class:`StorageInputError` naming the command, its ID, the field and the value.
"""

from __future__ import annotations

import re
from typing import Any, cast

import attrs

from actorkit.checks import Check, instance_of, integer, label, text, utf8
from actorkit.modules.stream import StreamHandle

from .errors import StorageInputError

MAX_KEY_BYTES = 1024
"""The longest key, in UTF-8 bytes (S3's limit)."""

MAX_EXPIRY = 7 * 24 * 3600
"""The longest life of a presigned URL, in seconds (SigV4's limit: 7 days)."""

_META_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,127}")
_HEADER_VALUE = re.compile(r"[\x20-\x7e]*")
_ETAG = re.compile(r'(W/)?"?[\x21\x23-\x7e]+"?')


def _plain(value: str) -> bool:
    return "\x00" not in value and utf8(value)


def field(check: Check) -> Check:
    """``check`` (an attrs validator) raising StorageInputError."""
    return check.raising(StorageInputError)


def _key(value: Any) -> bool:
    if type(value) is not str or not value or "\x00" in value or not utf8(value):
        return False
    return len(value.encode()) <= MAX_KEY_BYTES


def _keys(value: Any) -> bool:
    if type(value) is not tuple:
        return False
    keys = cast("tuple[object, ...]", value)
    return 0 < len(keys) <= 1000 and all(_key(k) for k in keys)


def _metadata(value: Any) -> bool:
    if type(value) is not dict:
        return False
    items = cast("dict[object, object]", value)
    size = 0
    for name, val in items.items():
        if type(name) is not str or type(val) is not str:
            return False
        if not _META_NAME.fullmatch(name) or not _HEADER_VALUE.fullmatch(val):
            return False
        size += len(name) + len(val)
    return size <= 2048


def _header(value: Any) -> bool:
    return value is None or (type(value) is str and bool(_HEADER_VALUE.fullmatch(value)))


def _etag(value: Any) -> bool:
    return value is None or (type(value) is str and bool(_ETAG.fullmatch(value)))


def _range(value: Any) -> bool:
    if value is None:
        return True
    if type(value) is not tuple:
        return False
    pair = cast("tuple[object, ...]", value)
    if len(pair) != 2:
        return False
    start, end = pair
    if type(start) is not int or start < 0:
        return False
    return end is None or (type(end) is int and end >= start)


def _expires(value: Any) -> bool:
    return type(value) is int and 1 <= value <= MAX_EXPIRY


STORAGE = field(text(non_empty=True))
KEY = field(Check(_key, f"a non-empty str of at most {MAX_KEY_BYTES} UTF-8 bytes, no NUL"))
KEYS = field(Check(_keys, "a tuple of 1 to 1000 keys (non-empty str, no NUL)"))
PREFIX = field(Check(lambda v: type(v) is str and "\x00" not in v and utf8(v), "a str"))
MAX_KEYS = field(Check(lambda v: type(v) is int and 1 <= v <= 1000, "an int from 1 to 1000"))
TOKEN = field(text(optional=True, non_empty=True))
DELIMITER = field(
    Check(
        lambda v: (
            v is None or (type(v) is str and utf8(v) and 0 < len(v.encode()) <= 64 and _plain(v))
        ),
        "None or a str of 1 to 64 UTF-8 bytes, no NUL",
    )
)
DATA = field(Check(lambda v: v is None or type(v) is bytes, "bytes or None"))
PATH = field(text(optional=True, non_empty=True))
STREAM = field(instance_of(StreamHandle, optional=True, expected="None or a StreamHandle"))
HEADER = field(Check(_header, "None or a str of printable ASCII"))
ETAG = field(Check(_etag, 'None, "*" or an ETag (printable ASCII, no spaces)'))
METADATA = field(
    Check(_metadata, "a dict of str to str: lowercase names [a-z0-9_-], ASCII values, 2 KB")
)
FLAG = field(Check(lambda v: type(v) is bool, "a bool"))
RANGE = field(Check(_range, "None or (start, end): ints, 0 <= start <= end, end None = to the end"))
EXPIRES = field(Check(_expires, f"an int of seconds from 1 to {MAX_EXPIRY} (7 days)"))
LENGTH = field(integer(optional=True, minimum=0))


def none_match(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An upload's ``if_none_match``: only ``"*"`` (no object may exist), as on S3."""
    if value is not None and value != "*":
        raise StorageInputError(label(type(inst)), attribute.name, '"*" or None', value)


def one_source(inst: object) -> None:
    """An upload has exactly one of ``data``, ``from_file`` and ``from_stream``."""
    data = getattr(inst, "data", None)
    given = [data, getattr(inst, "from_file", None), getattr(inst, "from_stream", None)]
    if sum(v is not None for v in given) != 1:
        expected = "given exactly once: data=bytes, from_file=path or from_stream=handle"
        raise StorageInputError(label(type(inst)), "data", expected, data)


def one_target(inst: object) -> None:
    """A download goes to bytes (the default), ``to_file`` or ``to_stream``, not two."""
    path = getattr(inst, "to_file", None)
    if path is not None and getattr(inst, "to_stream", False):
        expected = "None when to_stream is True (one target)"
        raise StorageInputError(label(type(inst)), "to_file", expected, path)


def conditions(inst: object) -> None:
    """``if_match`` excludes ``if_none_match`` and ``only_if_absent``."""
    if getattr(inst, "if_match", None) is None:
        return
    if getattr(inst, "only_if_absent", False) or getattr(inst, "if_none_match", None):
        expected = "None when if_none_match or only_if_absent is given (they exclude each other)"
        raise StorageInputError(label(type(inst)), "if_match", expected, inst.if_match)  # type: ignore[attr-defined]
