"""The one value rule: a stored value is what ``json.loads(json.dumps(value))`` gives back.

So every backend behaves the same: dicts (string keys), lists, str, int, float, bool and
nested None are kept; tuples come back as lists and non-string dict keys as strings; a
top-level None is refused (Get returns None for a missing key), and so are NaN and the
infinities (not JSON). Values are copied on the way in: changing a dict after Set does not
change what the store holds.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import StoreInputError

_encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
_decoder = json.JSONDecoder()


def encode(value: object) -> bytes:
    """The stored form of ``value`` (UTF-8 JSON).

    Raises:
        StoreInputError: the value is None or is not JSON.
    """
    if value is None:
        raise StoreInputError("value is None; a store value cannot be None (Delete the key)")
    try:
        return _encoder.encode(value).encode()
    except (TypeError, ValueError) as exc:
        raise StoreInputError(f"value is not JSON ({exc}): {_short(value)}") from exc


def decode(data: bytes | None) -> Any:
    """The value stored as ``data``; None stays None (a missing key)."""
    if data is None:
        return None
    return _decoder.decode(data.decode())


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
