"""Checks of http command fields, run when a command is built (attrs validators).

Each raises :class:`~.errors.HttpArgumentError` naming the command, its ID, the field and
the value. URLs are parsed with the standard library here, so building a command needs no
extra; httpx parses them again when the request runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import cast
from urllib.parse import urlsplit

from actorkit.checks import Check, duration, flag, instance_of, integer, text

from .errors import HttpArgumentError

Pairs = tuple[tuple[str, str], ...]

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_BAD_VALUE = re.compile(r"[\r\n\x00]")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def field(check: Check) -> Check:
    """``check`` (an attrs validator) raising HttpArgumentError."""
    return check.raising(HttpArgumentError)


def is_url(value: object) -> bool:
    """An absolute ``http://`` or ``https://`` URL with a host, a valid port and no spaces
    or control characters."""
    if type(value) is not str or _CONTROL.search(value):
        return False
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises ValueError for a port that is not a number in range
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def is_ws_url(value: object) -> bool:
    """An absolute ``ws://`` or ``wss://`` URL with a host and a valid port."""
    if type(value) is not str or _CONTROL.search(value):
        return False
    try:
        parts = urlsplit(value)
        _ = parts.port
    except ValueError:
        return False
    return parts.scheme in ("ws", "wss") and bool(parts.hostname)


def pairs(value: object, *, values: tuple[type, ...] = (str,)) -> Pairs | None:
    """``value`` (a mapping, or a sequence of 2-tuples) as a tuple of ``(str, str)`` pairs;
    a mapping value may also be a list of values (repeated). None if it does not fit."""
    if isinstance(value, Mapping):
        items: list[tuple[object, object]] = []
        for key, item in cast("Mapping[object, object]", value).items():
            if isinstance(item, list | tuple):
                items += [(key, one) for one in cast("Sequence[object]", item)]
            else:
                items.append((key, item))
    elif isinstance(value, list | tuple):
        given = list(cast("Sequence[object]", value))
        if not all(isinstance(i, tuple) and len(cast("tuple[object, ...]", i)) == 2 for i in given):
            return None
        items = cast("list[tuple[object, object]]", given)
    else:
        return None
    if not all(type(k) is str and type(v) in values and type(v) is not bool for k, v in items):
        return None
    return tuple((str(k), str(v)) for k, v in items)


def _header_pairs(value: object) -> bool:
    found = pairs(value)
    if found is None:
        return False
    return all(_TOKEN.fullmatch(k) and not _BAD_VALUE.search(v) for k, v in found)


def _auth(value: object) -> bool:
    from .commands import BasicAuth, BearerAuth  # noqa: PLC0415 (they use these checks)

    return value is None or isinstance(value, BasicAuth | BearerAuth)


def _files(value: object) -> bool:
    from .commands import File  # noqa: PLC0415

    if value is None:
        return True
    if not isinstance(value, Mapping):
        return False
    found = cast("Mapping[object, object]", value)
    return all(type(k) is str and k and isinstance(v, File) for k, v in found.items())


PAIRS = "a dict of str to str (or to a list of str), or a sequence of (str, str) pairs"
URL = field(Check(is_url, "an absolute http:// or https:// URL with a host"))
WS_URL = field(Check(is_ws_url, "an absolute ws:// or wss:// URL with a host"))
METHOD = field(Check(lambda v: type(v) is str and bool(_TOKEN.fullmatch(v)), "an HTTP method"))
HEADERS = field(Check(_header_pairs, f"{PAIRS}: names are HTTP tokens, values have no CR/LF"))
QUERY = field(Check(lambda v: pairs(v, values=(str, int, float)) is not None, PAIRS))
FORM = field(Check(lambda v: v is None or pairs(v) is not None, f"None or {PAIRS}"))
COOKIES = field(Check(lambda v: v is None or _header_pairs(v), f"None or {PAIRS}"))
BODY = field(instance_of(bytes, str, expected="None, bytes or str", optional=True))
TIMEOUT = field(duration(optional=True, positive=True))
FLAG = field(flag())
SIZE = field(integer(optional=True, minimum=0))
AUTH = field(Check(_auth, "None, a BasicAuth or a BearerAuth"))
FILES = field(Check(_files, "None or a dict of field name to File"))
TEXT = field(text())
OPTIONAL_TEXT = field(text(optional=True, non_empty=True))
