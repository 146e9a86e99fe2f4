"""The event module's errors (``CommandArgumentError`` subclasses, also ``ValueError``).

::

    CommandError
     └─ CommandArgumentError     raised when the command is built
         ├─ PatternError         a malformed subscription pattern
         └─ InvalidEventError    an event whose system, kind or path is not valid
"""

from __future__ import annotations

from actorkit.errors import CommandArgumentError


class PatternError(CommandArgumentError):
    """A subscription pattern is malformed; the message says where and why."""

    def __init__(self, command: str, what: str, pattern: object, reason: str) -> None:
        super().__init__(command, what, f"a valid pattern ({reason})", pattern)
        self.pattern = pattern
        self.reason = reason


class InvalidEventError(CommandArgumentError):
    """An event field is not valid (``system`` / ``kind`` must be dot-separated names)."""
