"""Checks of command fields, run when a command is built (attrs validators).

Each raises :class:`StoreInputError` naming the command, its ID, the field and the value.
They are the core's checks (:mod:`actorkit.checks`) with the store's own error.
"""

from __future__ import annotations

from typing import Any

import attrs

from actorkit.checks import Check, duration, integer, label, text, utf8

from . import codec
from .errors import StoreInputError


def field(check: Check) -> Check:
    """``check`` (an attrs validator) raising StoreInputError."""
    return check.raising(StoreInputError)


def _key(value: Any) -> bool:
    if type(value) is not str or not value or "\x00" in value:
        return False
    return utf8(value)


STORE = field(text(non_empty=True))
KEY = field(Check(_key, "a non-empty str without NUL or lone surrogates"))
PREFIX = field(text())
AFTER = field(text(optional=True))
LIMIT = field(integer(optional=True, minimum=0))
TTL = field(duration(optional=True, finite=True, positive=True))
ABSENT = field(Check(lambda v: type(v) is bool, "a bool"))
VERSION = field(text(optional=True, non_empty=True))


def exclusive(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """``if_version`` (checked as VERSION) and ``only_if_absent`` exclude each other."""
    VERSION(inst, attribute, value)
    if value is not None and getattr(inst, "only_if_absent", False):
        expected = "None when only_if_absent=True (the two exclude each other; give one)"
        raise StoreInputError(label(type(inst)), attribute.name, expected, value)


def encoded(cmd: object, value: object) -> bytes:
    """``value`` encoded by the store's one rule (:mod:`.codec`).

    Raises:
        StoreInputError: the value is None, not JSON or nested too deeply.
    """
    try:
        return codec.encode(value)
    except codec.NotStorable as exc:
        raise StoreInputError(label(type(cmd)), "value", exc.expected, value) from exc.cause
