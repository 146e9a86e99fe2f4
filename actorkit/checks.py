"""Field checks for commands, yours and the built-in modules' alike.

Each factory returns an attrs validator for ``attrs.field(validator=...)`` on a command
class; a wrong value raises :class:`~actorkit.errors.CommandArgumentError` naming the command,
its ID, the field and the value when the command is built::

    @actorkit.command(id=300)
    class Translate(actorkit.Command[str]):
        text: str = attrs.field(validator=checks.text())
        timeout: float = attrs.field(default=5.0, validator=checks.duration(finite=True))

Durations follow one rule everywhere: an ``int`` or ``float`` (never a ``bool``), not NaN,
not negative; ``0`` means now, and ``math.inf`` means no limit where a field allows it.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import Any, cast

import attrs

from .errors import CommandArgumentError, describe

__all__ = [
    "Check",
    "argument_error",
    "arguments",
    "describe",
    "duration",
    "flag",
    "function",
    "instance_of",
    "integer",
    "is_number",
    "keywords",
    "label",
    "text",
    "utf8",
]

Test = Callable[[Any], bool]


def label(cls: type) -> str:
    """How errors name a command class: ``Sleep (id=10)``."""
    cid = getattr(cls, "ID", None)
    return f"{cls.__name__} (id={cid})" if cid is not None else cls.__name__


def argument_error(
    cmd: object,
    field: str,
    expected: str,
    value: object,
    error: type[CommandArgumentError] = CommandArgumentError,
) -> CommandArgumentError:
    """The error for a wrong ``field`` of ``cmd`` (an instance or a command class).

    ``error`` is the class to raise: a module's own ``CommandArgumentError`` subclass, whose
    ``__init__`` takes the same ``(command, field, expected, value)``.
    """
    cls = cmd if isinstance(cmd, type) else type(cmd)
    return error(label(cls), field, expected, value)


@attrs.frozen
class Check:
    """An attrs validator: ``test(value)`` must hold, else ``expected`` is what was wanted.

    A wrong value raises ``error`` (``CommandArgumentError`` unless a module gives its own
    subclass, see :meth:`raising`).
    """

    test: Test
    expected: str
    error: type[CommandArgumentError] = CommandArgumentError

    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not self.test(value):
            raise argument_error(inst, attribute.name, self.expected, value, self.error)

    def check(self, cmd: object, field: str, value: object) -> None:
        """Run the check outside attrs (for a method argument such as ``timeout``)."""
        if not self.test(value):
            raise argument_error(cmd, field, self.expected, value, self.error)

    def option(self, owner: str, field: str, value: object) -> None:
        """Check an option that is not a command field: a plain ``ValueError`` naming
        ``owner`` (``open_node``, ``spawn``…) and the field."""
        if not self.test(value):
            raise ValueError(
                f"{owner}: {field} must be {self.expected}, got {describe(value)} "
                f"({type(value).__name__})"
            )

    def raising(self, error: type[CommandArgumentError]) -> Check:
        """The same check raising ``error``, a subclass with the same ``__init__``."""
        return attrs.evolve(self, error=error)


def _optional(check: Check, optional: bool) -> Check:
    if not optional:
        return check
    test = check.test
    return Check(lambda v: v is None or test(v), f"None or {check.expected}", check.error)


_FLOAT_MAX = sys.float_info.max


def is_number(value: object) -> bool:
    """An int or float that is not a bool and not NaN."""
    return type(value) in (int, float) and value == value  # noqa: PLR0124 (NaN != NaN)


def duration(*, optional: bool = False, finite: bool = False, positive: bool = False) -> Check:
    """Seconds: ``>= 0`` (``> 0`` if ``positive``), not NaN; ``inf`` unless ``finite``."""

    def test(v: Any) -> bool:
        if not is_number(v) or v < 0 or (positive and v == 0):
            return False
        if v > _FLOAT_MAX:  # inf, or an int too large to add to the clock's float time
            return not finite and v == math.inf
        return True

    sign = "> 0" if positive else ">= 0"
    extra = ", finite" if finite else ""
    return _optional(Check(test, f"seconds {sign} (int or float{extra}, not NaN)"), optional)


def integer(*, optional: bool = False, minimum: int | None = None) -> Check:
    """An ``int`` (never a ``bool``), at least ``minimum`` when given."""

    def test(v: Any) -> bool:
        return type(v) is int and (minimum is None or v >= minimum)

    expected = "an int" if minimum is None else f"an int >= {minimum}"
    return _optional(Check(test, expected), optional)


def text(*, optional: bool = False, non_empty: bool = False) -> Check:
    """A ``str`` (non-empty if asked) that encodes as UTF-8 (no lone surrogates)."""

    def test(v: Any) -> bool:
        return type(v) is str and (not non_empty or v != "") and utf8(v)

    expected = "a non-empty str" if non_empty else "a str"
    return _optional(Check(test, expected), optional)


def utf8(value: str) -> bool:
    """True if ``value`` encodes as UTF-8 (no lone surrogates); ASCII text skips the encode."""
    if value.isascii():
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def flag() -> Check:
    """A ``bool``."""
    return Check(lambda v: type(v) is bool, "a bool")


def instance_of(*types: type, expected: str, optional: bool = False) -> Check:
    """An instance of one of ``types``; ``expected`` says it in words."""
    return _optional(Check(lambda v: isinstance(v, types), expected), optional)


def arguments() -> Check:
    """Positional arguments: a tuple or a list (never a str, which would unpack)."""
    return Check(lambda v: type(v) in (tuple, list), "a tuple or list of arguments")


def keywords(*, optional: bool = False) -> Check:
    """Keyword arguments: a dict with str keys."""

    def test(v: Any) -> bool:
        return isinstance(v, dict) and all(type(k) is str for k in cast("dict[object, object]", v))

    return _optional(Check(test, "a dict of keyword arguments with str keys"), optional)


def function() -> Check:
    """Something callable."""
    return Check(callable, "a callable")
