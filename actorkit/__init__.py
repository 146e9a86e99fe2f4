"""actorkit: an actor runtime for Python on Trio's structured concurrency."""

from ._api._boot import Boot, Component, handlers
from ._api._context import HandlerContext
from ._api._node import Node
from ._api._process import Process
from ._core._command import Command, command, declare_range
from ._core._events import Cancel, Completion, Event, Exit, LinkDown, Message, Reply, Request
from ._core._handler import Receiver
from ._core._pid import PID
from ._open import open_node, run
from .errors import (
    ActorkitError,
    BootError,
    CancelRequested,
    CommandError,
    LinkedExitError,
    NameTakenError,
    NoProcessError,
    ProcessFailedError,
    RequestFailedError,
    TerminatedError,
    UnknownCommandError,
)
from .observer import observer
from .servers import Server, pool
from .supervision import (
    Backoff,
    ChildInfo,
    ChildSpec,
    RestartLimitError,
    Supervisor,
    SupervisorClient,
    SupervisorError,
    supervision_tree,
)

__all__ = [
    "PID",
    "ActorkitError",
    "Backoff",
    "Boot",
    "BootError",
    "Cancel",
    "CancelRequested",
    "ChildInfo",
    "ChildSpec",
    "Command",
    "CommandError",
    "Completion",
    "Component",
    "Event",
    "Exit",
    "HandlerContext",
    "LinkDown",
    "LinkedExitError",
    "Message",
    "NameTakenError",
    "NoProcessError",
    "Node",
    "Process",
    "ProcessFailedError",
    "Reply",
    "Request",
    "RequestFailedError",
    "Receiver",
    "RestartLimitError",
    "Server",
    "Supervisor",
    "SupervisorClient",
    "SupervisorError",
    "TerminatedError",
    "UnknownCommandError",
    "command",
    "declare_range",
    "handlers",
    "observer",
    "open_node",
    "pool",
    "run",
    "supervision_tree",
]
