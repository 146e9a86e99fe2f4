"""Exec errors, under :class:`actorkit.CommandError`.

::

    CommandError
     └─ ExecError                  an exec command failed; str() names the command and ID
         ├─ ExecArgumentError      a field of the command is wrong, found when it is built
         │                         (also CommandArgumentError, TypeError and ValueError)
         ├─ ExecNotAllowedError    the executable is not on the node's allow-list
         │                         (also PermissionError)
         ├─ ExecStartError         the OS could not start it (bad working directory …);
         │                         the OSError is ``__cause__``
         ├─ ExecOwnerError         the OS process belongs to another actorkit process
         │                         (also PermissionError)
         └─ ExecGoneError          the OS process was released (its owner exited) or was
                                   never started on this node
"""

from __future__ import annotations

from actorkit.checks import describe
from actorkit.errors import CommandArgumentError, CommandError


class ExecError(CommandError):
    """An exec command failed. ``command`` is like ``ProcessWait (id=150)``."""

    def __init__(self, detail: str, *, command: str = "") -> None:
        CommandError.__init__(self, detail)
        self.detail = detail
        self.command = command

    def __str__(self) -> str:
        return f"{self.command}: {self.detail}" if self.command else self.detail

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the constructor's arguments."""
        return (_rebuild, (type(self), self.detail, self.command))


def _rebuild(cls: type[ExecError], detail: str, command: str) -> ExecError:
    return cls(detail, command=command)


class ExecArgumentError(ExecError, CommandArgumentError, TypeError):
    """A field of an exec command has the wrong type or value (names command, ID, field)."""

    def __init__(self, command: str, field: str, expected: str, value: object) -> None:
        detail = f"{field} must be {expected}, got {describe(value)} ({type(value).__name__})"
        ExecError.__init__(self, detail, command=command)
        self.field = field
        self.expected = expected
        self.value = value

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the constructor's arguments."""
        return (type(self), (self.command, self.field, self.expected, self.value))


class ExecNotAllowedError(ExecError, PermissionError):
    """The executable is not on the node's allow-list (``exec.module(allow=[...])``)."""

    def __init__(self, executable: str, *, command: str = "") -> None:
        detail = (
            f"executable {executable!r} is not allowed on this node "
            "(add it to exec.module(allow=[...]); nothing may run by default)"
        )
        ExecError.__init__(self, detail, command=command)
        self.executable = executable

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the constructor's arguments."""
        return (_rebuild_refused, (self.executable, self.command))


def _rebuild_refused(executable: str, command: str) -> ExecNotAllowedError:
    return ExecNotAllowedError(executable, command=command)


class ExecStartError(ExecError):
    """The OS refused to start the process; the ``OSError`` is ``__cause__``."""


class ExecOwnerError(ExecError, PermissionError):
    """The OS process belongs to another process: only the one that started it may use it."""


class ExecGoneError(ExecError):
    """The OS process is no longer known on this node (its owner exited and it was killed)."""
