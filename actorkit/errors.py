"""The exceptions actorkit raises, in one tree.

::

    ActorkitError
     ├─ CommandError                  a command could not be run
     │   ├─ UnknownCommandError       no handler for that command ID
     │   ├─ NotACommandError          the object is not a command (also a TypeError)
     │   ├─ CommandArgumentError      a field of the command is not valid (also a ValueError)
     │   └─ ModuleError               a base for a module's errors: a detail and the command
     │       └─ ModuleArgumentError   a base for a module's bad-field errors (also a
     │                                CommandArgumentError)
     ├─ RegistryError                 boot-time registration went wrong
     │   ├─ CommandTakenError         that ID already has a handler or a class
     │   ├─ RegistryFrozenError       registering after boot
     │   └─ CommandRangeError         overlapping or out-of-range ID declarations
     ├─ BootError                     components could not be ordered, loaded or started
     ├─ ProcessError                  about a process
     │   ├─ NoProcessError            no such process (dead PID, unknown name)
     │   ├─ NameTakenError            the name is registered to another process
     │   ├─ NotAProcessFunctionError  spawn was given something that is not async (also a TypeError)
     │   ├─ ProcessFailedError        a process you waited for exited with an error
     │   ├─ RequestFailedError        a process exited before it replied to a request
     │   ├─ CancelRequested           a Cancel event reached a receive that does not take it
     │   └─ ExitSignal                why a process was stopped from outside
     │       ├─ TerminatedError       terminate() stopped it
     │       └─ LinkedExitError       a linked process failed and took it down
     ├─ SupervisorError               a supervisor refused a request (unknown id, running child …)
     │   ├─ RestartLimitError         children failed more often than a restart limit allows
     │   └─ SupervisorArgumentError   a field of a Supervisor, ChildSpec or Backoff is not valid
     │                                (also a ValueError; not a CommandError)
     └─ MissingExtraError             an optional dependency is not installed (also ImportError)

Each module adds its own errors under this tree (``actorkit.modules.sql.SqlError`` …), and a
module's bad-argument error subclasses :class:`CommandArgumentError`. This module imports
nothing else of actorkit: the kernel and every layer above it build on it.

Timeouts reuse :class:`trio.TooSlowError`, a full mailbox reuses :class:`trio.WouldBlock`.
"""

from __future__ import annotations

import reprlib
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ._core._pid import PID

__all__ = [
    "ActorkitError",
    "BootError",
    "CancelRequested",
    "CommandArgumentError",
    "CommandError",
    "CommandRangeError",
    "CommandTakenError",
    "ExitSignal",
    "LinkedExitError",
    "MissingExtraError",
    "ModuleArgumentError",
    "ModuleError",
    "NameTakenError",
    "NoProcessError",
    "NotACommandError",
    "NotAProcessFunctionError",
    "ProcessError",
    "ProcessFailedError",
    "RegistryError",
    "RegistryFrozenError",
    "RequestFailedError",
    "RestartLimitError",
    "SupervisorArgumentError",
    "SupervisorError",
    "TerminatedError",
    "UnknownCommandError",
]

_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60
_short.maxlong = 40


def describe(value: object) -> str:
    """A short, always-safe ``repr`` for error messages (huge ints, broken ``__repr__``)."""
    try:
        return _short.repr(value)
    except Exception:  # a broken __repr__, or an int past Python's digit limit
        return f"<{type(value).__name__} object>"


class ActorkitError(Exception):
    """Base class of every actorkit error."""


class CommandError(ActorkitError):
    """A command could not be run."""


class UnknownCommandError(CommandError):
    """No handler is registered for the command's ID."""

    def __init__(self, name: str, command_id: int) -> None:
        super().__init__(f"no handler for {name} (id={command_id})")
        self.command_name = name
        self.command_id = command_id


class NotACommandError(CommandError, TypeError):
    """The object given to ``call`` is not a command."""

    def __init__(self, obj: object) -> None:
        super().__init__(
            f"not a command: {obj!r} ({type(obj).__name__}); "
            "commands are classes with an integer ID, declared with @actorkit.command(id=...)"
        )


class ModuleError(CommandError):
    """A base for a module's errors: ``detail`` says what went wrong and ``command`` which
    command (like ``Read (id=50)``, set by the module); ``str()`` is ``"<command>: <detail>"``.
    It pickles with its arguments, so an error crosses to a worker process and back."""

    def __init__(self, detail: str, *, command: str = "") -> None:
        CommandError.__init__(self, detail)
        self.detail = detail
        self.command = command

    def __str__(self) -> str:
        return f"{self.command}: {self.detail}" if self.command else self.detail

    def __reduce__(self) -> tuple[object, ...]:
        # The state carries what a subclass adds (a status code, a reason …).
        return (_rebuild_module_error, (type(self), self.detail, self.command), self.__dict__)


def _rebuild_module_error(cls: type[ModuleError], detail: str, command: str) -> ModuleError:
    return cls(detail, command=command)


def field_problem(field: str, expected: str, value: object) -> str:
    """The text every bad-field error uses: ``"<field> must be <expected>, got <value>"``."""
    return f"{field} must be {expected}, got {describe(value)} ({type(value).__name__})"


class CommandArgumentError(CommandError, ValueError):
    """A field of a command has the wrong type or value; the message names the command
    (with its ID), the field and the value. Modules raise their own subclasses."""

    def __init__(self, command: str, field: str, expected: str, value: object) -> None:
        super().__init__(f"{command}: {field_problem(field, expected, value)}")
        self.command = command
        self.field = field
        self.value = value
        self.expected = expected

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.command, self.field, self.expected, self.value))


class ModuleArgumentError(ModuleError, CommandArgumentError):
    """A base for a module's bad-field errors: a :class:`ModuleError` (``command``,
    ``detail``) that is also a :class:`CommandArgumentError` (``field``, ``expected``,
    ``value``). A module subclasses it beside its own error base::

        class StreamArgumentError(StreamError, ModuleArgumentError, TypeError): ...
    """

    def __init__(self, command: str, field: str, expected: str, value: object) -> None:
        ModuleError.__init__(self, field_problem(field, expected, value), command=command)
        self.field = field
        self.expected = expected
        self.value = value

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.command, self.field, self.expected, self.value))


class RegistryError(ActorkitError):
    """Registering a command or handler went wrong at boot."""


class CommandTakenError(RegistryError):
    """The ID is already taken; the message names both owners."""


class RegistryFrozenError(RegistryError):
    """A handler was registered after the registry was frozen at boot."""


class CommandRangeError(RegistryError):
    """A module's ID range overlaps another's, or an ID lies outside its module's range."""


class BootError(ActorkitError):
    """Boot components could not be ordered, loaded or started."""


class ProcessError(ActorkitError):
    """Something about a process."""


class NoProcessError(ProcessError):
    """No live process has that PID or name."""

    def __init__(self, target: object, doing: str = "") -> None:
        detail = f": {doing}" if doing else ""
        super().__init__(f"no process {target}{detail}")
        self.target = target


class NameTakenError(ProcessError):
    """The name is already registered to another process."""

    def __init__(self, name: str, owner: PID) -> None:
        super().__init__(f"name {name!r} is taken by {owner}")
        self.name = name
        self.owner = owner


class NotAProcessFunctionError(ProcessError, TypeError):
    """spawn was given something other than an async function."""

    def __init__(self, fn: object) -> None:
        super().__init__(
            f"spawn expects an async function taking a Process, got {fn!r} ({type(fn).__name__})"
        )


class ProcessFailedError(ProcessError):
    """A process that was waited for exited with an error (its ``__cause__``)."""

    def __init__(self, pid: PID, error: BaseException) -> None:
        super().__init__(f"process {pid} failed: {type(error).__name__}: {error}")
        self.pid = pid
        self.error = error


class RequestFailedError(ProcessError):
    """The process asked with ``request`` exited before it replied (its reason and error)."""

    def __init__(self, pid: PID, reason: str, error: BaseException | None) -> None:
        detail = f": {type(error).__name__}: {error}" if error is not None else ""
        super().__init__(f"{pid} exited ({reason}) before it replied{detail}")
        self.pid = pid
        self.reason = reason
        self.error = error


class CancelRequested(ProcessError):
    """A cooperative Cancel reached a ``receive`` that does not accept Cancel events."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"cancel requested: {reason}")
        self.reason = reason


class ExitSignal(ProcessError):
    """The process was stopped from outside; the subclass says how."""


class TerminatedError(ExitSignal):
    """The process was terminated."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"terminated: {reason}")
        self.reason = reason


class LinkedExitError(ExitSignal):
    """A linked process exited with an error, and this process did not trap links."""

    def __init__(self, pid: PID, error: BaseException | None) -> None:
        super().__init__(f"linked process {pid} failed: {error!r}")
        self.pid = pid
        self.error = error


class MissingExtraError(ActorkitError, ImportError):
    """A backend needs an optional dependency that is not installed."""

    def __init__(self, what: str, extra: str) -> None:
        super().__init__(f"{what} needs the '{extra}' extra: pip install 'actorkit[{extra}]'")
        self.extra = extra


class SupervisorError(ActorkitError):
    """A supervisor refused a request: unknown child id, duplicate id, child still running."""


class RestartLimitError(SupervisorError):
    """Children failed more often than a restart limit allows: the supervisor gave up.

    It is the supervisor's exit error. ``child`` is the id of the child whose failure broke
    the limit; ``limit`` says which one:

    - ``"intensity"``: more than ``max_restarts`` restarts within ``period`` seconds
      (OTP's restart intensity);
    - ``"in_a_row"``: one child restarted more than ``max_restarts`` times in a row without
      running for the stable period (a crash loop under backoff); ``stable_period`` is set
      only for this one.
    """

    def __init__(
        self,
        supervisor: str,
        child: str,
        max_restarts: int,
        period: float,
        *,
        stable_period: float | None = None,
    ) -> None:
        self.supervisor = supervisor
        self.child = child
        self.max_restarts = max_restarts
        self.period = period
        self.stable_period = stable_period
        self.limit: Literal["intensity", "in_a_row"] = (
            "intensity" if stable_period is None else "in_a_row"
        )
        super().__init__(f"supervisor {supervisor} gave up: child {child!r} broke {self.detail}")

    @property
    def detail(self) -> str:
        """The limit broken, in words: ``the intensity limit (3 restarts in 5.0s)``."""
        if self.stable_period is None:
            return f"the intensity limit ({self.max_restarts} restarts in {self.period}s)"
        return (
            f"the in-a-row limit ({self.max_restarts} restarts in a row"
            f" without running {self.stable_period}s)"
        )


class SupervisorArgumentError(SupervisorError, ValueError):
    """A field of a ``Supervisor``, :class:`ChildSpec` or :class:`Backoff` is not valid.

    Raised when the spec is built; the message names the class, the field and the value:
    ``Supervisor: max_restarts must be an int >= 0, got 1.5 (float)``.
    """

    def __init__(self, owner: str, field: str, expected: str, value: object) -> None:
        super().__init__(
            f"{owner}: {field} must be {expected}, got {describe(value)} ({type(value).__name__})"
        )
        self.owner = owner
        self.field = field
        self.value = value
