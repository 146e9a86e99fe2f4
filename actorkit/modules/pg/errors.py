"""The pg module's errors (``CommandError`` subclasses; messages name the command and ID).

::

    CommandError
     ├─ UnknownScopeError      no pg scope of that name was booted
     └─ CommandArgumentError
         └─ InvalidArgumentError   raised when a command is built: a group or scope name
                                   that is not a non-empty str, a topic that is not a str,
                                   a monitor ref that is not an int
"""

from __future__ import annotations

from collections.abc import Iterable

from actorkit.errors import CommandArgumentError, CommandError


class UnknownScopeError(CommandError):
    """The command names a scope no ``pg.module(scope=...)`` booted."""

    def __init__(self, command: str, scope: object, known: Iterable[str]) -> None:
        booted = ", ".join(repr(name) for name in sorted(known)) or "none"
        super().__init__(f"{command}: no pg scope {scope!r} (booted: {booted})")
        self.scope = scope


class InvalidArgumentError(CommandArgumentError):
    """A command field has the wrong type or is empty."""

    def __init__(self, command: str, what: str, expected: str, value: object) -> None:
        super().__init__(command, what, expected, value)
        self.what = what
