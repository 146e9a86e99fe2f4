"""The events a process finds in its inbox.

Messages are bounded by the mailbox size; every other event travels on the priority lane,
so a full mailbox never hides a completion, a crash or a cancel.
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from ..errors import (
    CancelRequested,
    ExitSignal,
    LinkedExitError,
    NoProcessError,
    TerminatedError,
)
from ._pid import PID


@attrs.frozen
class Event:
    """Base class of inbox events. ``bounded`` events count against the mailbox size."""

    bounded: ClassVar[bool] = False


@attrs.frozen
class Message(Event):
    """A message from another process (or from code outside the node: ``sender`` is None)."""

    bounded: ClassVar[bool] = True
    topic: str
    payload: object
    sender: PID | None


@attrs.frozen
class Request(Message):
    """A message that wants an answer (``proc.request``): answer it with ``proc.reply``.

    ``ref`` names this one request (a late reply to an older one is dropped); ``deadline``
    is when the caller stops waiting, on the Trio clock, so a server can skip work nobody
    will see (``trio.current_time() < msg.deadline``).
    """

    ref: int
    deadline: float


@attrs.frozen
class Reply(Event):
    """The answer to a request: ``value``, or ``error`` to raise at the caller."""

    ref: int
    value: object
    error: BaseException | None


@attrs.frozen
class Completion(Event):
    """The result of a command started with ``proc.yield_``; ``error`` is set when it failed."""

    tag: int
    result: object
    error: BaseException | None


@attrs.frozen
class Exit(Event):
    """A monitored process exited: ``result`` is its return value, ``error`` why it failed."""

    pid: PID
    result: object
    error: BaseException | None
    reason: str = attrs.field(
        default=attrs.Factory(lambda exit_: exit_reason(exit_.error), takes_self=True),
        eq=False,
    )
    """``normal``, ``noproc``, ``terminated``, ``linked``, ``cancelled`` or ``error``.

    The runtime sets it from how the process ended, so a process that raises, say, a
    ``NoProcessError`` of its own exits with reason ``error``, not ``noproc``."""


@attrs.frozen
class LinkDown(Event):
    """A linked process exited with an error; only trapping processes see this event."""

    pid: PID
    error: BaseException | None


@attrs.frozen
class Cancel(Event):
    """A cooperative request to stop, with a reason; the process may clean up and return."""

    reason: str
    sender: PID | None = None


@attrs.frozen
class RuntimeEvent:
    """Something the runtime reports about itself: ``(system, kind, path, data)``.

    For example ``("process", "exited", "<local.7>", "error")`` or
    ``("boot", "started", "clock", None)``. The event module publishes these on its bus.
    """

    system: str
    kind: str
    path: str
    data: object = None


def exit_reason(error: BaseException | None) -> str:
    """Classify an exit error the way Erlang names exit reasons."""
    if error is None:
        return "normal"
    if isinstance(error, NoProcessError):
        return "noproc"
    if isinstance(error, TerminatedError):
        return "terminated"
    if isinstance(error, LinkedExitError):
        return "linked"
    if isinstance(error, ExitSignal | CancelRequested):
        return "cancelled"
    return "error"
