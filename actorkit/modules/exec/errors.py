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

from actorkit.errors import ModuleArgumentError, ModuleError


class ExecError(ModuleError):
    """An exec command failed. ``command`` is like ``ProcessWait (id=150)``."""


class ExecArgumentError(ExecError, ModuleArgumentError, TypeError):
    """A field of an exec command has the wrong type or value (names command, ID, field)."""


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
