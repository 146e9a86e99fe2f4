"""Checks of command fields; each raises :class:`StoreInputError` saying what was wrong."""

from __future__ import annotations

import math

from .commands import List, Put
from .errors import StoreInputError


def check_key(key: object) -> str:
    """A key: a non-empty str without NUL."""
    if type(key) is not str or not key or "\x00" in key:
        raise StoreInputError(f"key must be a non-empty str without NUL, got {_what(key)}")
    return key


def check_ttl(ttl: object) -> float | None:
    """A TTL: None or a positive finite number of seconds."""
    if ttl is None:
        return None
    if type(ttl) not in (int, float) or not 0 < ttl < math.inf:  # type: ignore[operator]
        raise StoreInputError(f"ttl must be None or seconds > 0, got {_what(ttl)}")
    return float(ttl)  # type: ignore[arg-type]


def check_list(cmd: List) -> None:
    """List's prefix (str), after (None or str) and limit (None or int >= 0)."""
    if type(cmd.prefix) is not str:
        raise StoreInputError(f"prefix must be a str, got {_what(cmd.prefix)}")
    if cmd.after is not None and type(cmd.after) is not str:
        raise StoreInputError(f"after must be None or a str, got {_what(cmd.after)}")
    limit = cmd.limit
    if limit is not None and (type(limit) is not int or limit < 0):
        raise StoreInputError(f"limit must be None or an int >= 0, got {_what(limit)}")


def check_put(cmd: Put) -> None:
    """Put's condition: only_if_absent (bool) or if_version (str), not both."""
    if type(cmd.only_if_absent) is not bool:
        raise StoreInputError(f"only_if_absent must be a bool, got {_what(cmd.only_if_absent)}")
    if cmd.if_version is not None and type(cmd.if_version) is not str:
        raise StoreInputError(f"if_version must be None or a str, got {_what(cmd.if_version)}")
    if cmd.only_if_absent and cmd.if_version is not None:
        raise StoreInputError("only_if_absent and if_version exclude each other; give one")


def _what(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"
