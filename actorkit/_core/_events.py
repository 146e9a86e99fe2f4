"""The events a process finds in its inbox.

Messages are bounded by the mailbox size; every other event travels on the priority lane,
so a full mailbox never hides a completion, a crash or a cancel.
"""

from __future__ import annotations

from collections.abc import Callable
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


@attrs.frozen(init=False)
class Message(Event):
    """A message from another process (or from code outside the node: ``sender`` is None)."""

    bounded: ClassVar[bool] = True
    topic: str
    payload: object
    sender: PID | None

    def __init__(self, topic: str, payload: object, sender: PID | None) -> None:
        _topic(self, topic)
        _payload(self, payload)
        _sender(self, sender)


@attrs.frozen
class Request(Message):
    """A message that wants an answer (``proc.request``): answer it with ``proc.reply``.

    ``ref`` names this one request (a late reply to an older one is dropped); ``deadline``
    is when the caller stops waiting, on the Trio clock, so a server can skip work nobody
    will see (``trio.current_time() < msg.deadline``).
    """

    ref: int
    deadline: float

    def __init__(
        self, topic: str, payload: object, sender: PID | None, ref: int, deadline: float
    ) -> None:
        _topic(self, topic)
        _payload(self, payload)
        _sender(self, sender)
        _ref(self, ref)
        _deadline(self, deadline)


@attrs.frozen(init=False)
class Reply(Event):
    """The answer to a request: ``value``, or ``error`` to raise at the caller."""

    ref: int
    value: object
    error: BaseException | None

    def __init__(self, ref: int, value: object, error: BaseException | None) -> None:
        _reply_ref(self, ref)
        _reply_value(self, value)
        _reply_error(self, error)


@attrs.frozen(init=False)
class Completion(Event):
    """The result of a command started with ``proc.yield_``; ``error`` is set when it failed."""

    tag: int
    result: object
    error: BaseException | None

    def __init__(self, tag: int, result: object, error: BaseException | None) -> None:
        _completion_tag(self, tag)
        _completion_result(self, result)
        _completion_error(self, error)


@attrs.frozen(init=False)
class Exit(Event):
    """A monitored process exited: ``result`` is its return value, ``error`` why it failed."""

    pid: PID
    result: object
    error: BaseException | None
    reason: str = attrs.field(eq=False)
    """``normal``, ``noproc``, ``terminated``, ``linked``, ``cancelled`` or ``error``.

    The runtime sets it from how the process ended, so a process that raises, say, a
    ``NoProcessError`` of its own exits with reason ``error``, not ``noproc``. Left out,
    it is classified from ``error`` (see :func:`exit_reason`)."""

    def __init__(
        self, pid: PID, result: object, error: BaseException | None, reason: str | None = None
    ) -> None:
        _exit_pid(self, pid)
        _exit_result(self, result)
        _exit_error(self, error)
        _exit_reason(self, exit_reason(error) if reason is None else reason)


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


def _setter(cls: type, name: str) -> Callable[[object, object], None]:
    """The slot's own setter: the hot events' ``__init__`` fills their frozen slots with
    it, about half the cost of attrs' ``object.__setattr__`` per field (a message is built
    per send)."""
    setter: Callable[[object, object], None] = cls.__dict__[name].__set__
    return setter


_topic, _payload, _sender = (_setter(Message, n) for n in ("topic", "payload", "sender"))
_ref, _deadline = (_setter(Request, n) for n in ("ref", "deadline"))
_reply_ref, _reply_value, _reply_error = (_setter(Reply, n) for n in ("ref", "value", "error"))
_completion_tag, _completion_result, _completion_error = (
    _setter(Completion, n) for n in ("tag", "result", "error")
)
_exit_pid, _exit_result, _exit_error, _exit_reason = (
    _setter(Exit, n) for n in ("pid", "result", "error", "reason")
)


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
