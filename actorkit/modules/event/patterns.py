"""Dot-separated patterns for event systems and kinds, compiled once into matchers.

A pattern is segments joined by ``.``; each segment is

- a literal name (``process``), matching that segment exactly;
- ``*``, matching exactly one segment;
- ``**``, matching any number of segments, zero included (``a.**.b`` matches ``a.b``);
- ``(x|y|z)``, matching one segment that is one of the literals (as in Wippy).

Malformed: an empty pattern or segment (``a..b``, ``.a``), ``*`` inside a segment
(``a*``, ``***``, ``a**b``), two ``**`` in a row (``**.**``), a bad alternation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Matcher = Callable[[str], bool]

_SPECIAL = frozenset("*()|")
_NAME = re.compile(r"[^.*()|]+(?:\.[^.*()|]+)*")
_ANY_SEGMENTS = r"(?:\.[^.]+)*"


class PatternSyntaxError(ValueError):
    """Why a pattern is malformed (the handler names the command around it)."""


def is_name(text: object) -> bool:
    """True for a dot-separated name with no empty segment and no pattern characters."""
    return type(text) is str and _NAME.fullmatch(text) is not None


def compile_pattern(pattern: object) -> Matcher:
    """A fast ``name -> bool`` for ``pattern``.

    Raises:
        PatternSyntaxError: the pattern is malformed (the message says why).
    """
    if type(pattern) is not str:
        raise PatternSyntaxError(f"a pattern is a str, not {type(pattern).__name__}")
    segments = pattern.split(".")
    parts = [_segment(segment, index, segments) for index, segment in enumerate(segments)]
    if pattern == "**":
        return _always
    if not any(_SPECIAL.intersection(segment) for segment in segments):
        return pattern.__eq__
    regex = re.compile("".join(parts))
    return lambda name: regex.fullmatch("." + name) is not None


def _always(_name: str) -> bool:
    return True


def _segment(segment: str, index: int, segments: list[str]) -> str:
    """The regex of one segment, which matches it with its leading dot."""
    where = f"segment {index + 1}"
    if not segment:
        raise PatternSyntaxError(f"{where} is empty")
    if segment == "*":
        return r"\.[^.]+"
    if segment == "**":
        if index and segments[index - 1] == "**":
            raise PatternSyntaxError(f"{where}: '**' follows '**'")
        return _ANY_SEGMENTS
    if "*" in segment:
        raise PatternSyntaxError(f"{where} {segment!r}: '*' and '**' must be whole segments")
    if segment.startswith("(") and segment.endswith(")"):
        return r"\." + _alternation(segment, where)
    if _SPECIAL.intersection(segment):
        raise PatternSyntaxError(f"{where} {segment!r}: '(', '|', ')' only in '(a|b)'")
    return r"\." + re.escape(segment)


def _alternation(segment: str, where: str) -> str:
    options = segment[1:-1].split("|")
    if not all(options) or any(_SPECIAL.intersection(option) for option in options):
        raise PatternSyntaxError(f"{where} {segment!r}: an alternation is '(name|name|...)'")
    return "(?:" + "|".join(re.escape(option) for option in options) + ")"
