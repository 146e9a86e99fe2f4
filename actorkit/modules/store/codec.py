"""The one value rule: a stored value is what ``json.loads(json.dumps(value))`` gives back.

So every backend behaves the same: dicts (string keys), lists, str, int, float, bool and
nested None are kept; tuples come back as lists and non-string dict keys as strings; a
top-level None is refused (Get returns None for a missing key), and so are NaN and the
infinities (not JSON), ints too long to write in decimal (Python's limit, 4,300 digits) and
values nested deeper than the interpreter can recurse. Values are encoded once, when the
command is built, so changing a dict after Set does not change what the store holds.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # what JSONEncoder(ensure_ascii=False) uses
from typing import Any

_encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
_decoder = json.JSONDecoder()

JSON = "JSON data (dicts with str keys, lists, str, int, finite float, bool, nested None)"


class NotStorable(ValueError):
    """The value breaks the rule; ``expected`` says what was wanted, ``cause`` why not."""

    def __init__(self, expected: str, cause: BaseException | None) -> None:
        super().__init__(expected)
        self.expected = expected
        self.cause = cause


def encode(value: object) -> bytes:
    """The stored form of ``value`` (UTF-8 JSON).

    Raises:
        NotStorable: the value is None, is not JSON, or is nested too deeply.
    """
    if value is None:
        raise NotStorable("not None (a missing key reads as None: Delete the key)", None)
    try:
        return _text(value).encode()
    except (TypeError, ValueError) as exc:
        raise NotStorable(f"{JSON}; {_reason(exc)}", exc) from exc
    except RecursionError as exc:
        raise NotStorable(f"{JSON}, nested less deeply", exc) from exc


def _text(value: object) -> str:
    if type(value) is str:  # the common scalars without the encoder's set-up (same output)
        return encode_basestring(value)
    if type(value) is int:
        return int.__repr__(value)
    return _encoder.encode(value)


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 80 else text[:77] + "..."


def decode(data: bytes | None) -> Any:
    """The value stored as ``data``; None stays None (a missing key)."""
    if data is None:
        return None
    return _decoder.decode(data.decode())
