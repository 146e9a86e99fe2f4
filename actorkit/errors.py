"""Every exception actorkit's core raises, in one place (the tree is drawn in
``actorkit._core._exceptions``). The common ones are also on ``actorkit`` itself; each module
exports its own errors (``actorkit.modules.sql.SqlError``, ...), all subclasses of
:class:`ActorkitError`. Supervision's errors (drawn in ``actorkit.supervision.errors``) are
here too."""

from ._core._exceptions import (
    ActorkitError,
    BootError,
    CancelRequested,
    CommandArgumentError,
    CommandError,
    CommandRangeError,
    CommandTakenError,
    ExitSignal,
    LinkedExitError,
    MissingExtraError,
    NameTakenError,
    NoProcessError,
    NotACommandError,
    NotAProcessFunctionError,
    ProcessError,
    ProcessFailedError,
    RegistryError,
    RegistryFrozenError,
    RequestFailedError,
    TerminatedError,
    UnknownCommandError,
)
from .supervision.errors import RestartLimitError, SupervisorArgumentError, SupervisorError

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
