"""The event module's errors (``CommandError`` subclasses, also ``ValueError``).

::

    CommandError
     ├─ PatternError        a malformed subscription pattern
     └─ CommandArgumentError
         └─ InvalidEventError   an event whose system, kind or path is not valid
"""

from __future__ import annotations

from actorkit._core._exceptions import CommandArgumentError, CommandError


class PatternError(CommandError, ValueError):
    """A subscription pattern is malformed; the message says where and why."""

    def __init__(self, command: str, what: str, pattern: object, reason: str) -> None:
        super().__init__(f"{command}: malformed {what} pattern {pattern!r}: {reason}")
        self.pattern = pattern
        self.reason = reason


class InvalidEventError(CommandArgumentError):
    """An event field is not valid (``system`` / ``kind`` must be dot-separated names)."""

    def __init__(self, command: str, what: str, value: object, expected: str) -> None:
        super().__init__(command, what, expected, value)
