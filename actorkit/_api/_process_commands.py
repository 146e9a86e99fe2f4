"""The process module's commands (IDs 1–9): the node itself is their backend.

Every field is checked when the command is built (see :mod:`actorkit.checks`): a wrong one raises
``CommandArgumentError`` naming the command, its ID and the field, before anything runs.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import attrs

from .._core._command import Command, command, declare_range
from .._core._lifecycle import is_process_function
from .._core._pid import PID
from ..checks import Check, arguments, duration, flag, integer, is_number, text
from ..errors import CommandArgumentError, NotAProcessFunctionError

declare_range("process", 1, 9)

Target = PID | str
ProcessFunction = Callable[..., Awaitable[object]]
"""An async function whose first argument is the :class:`Process` handle."""


class ProcessFunctionArgumentError(NotAProcessFunctionError, CommandArgumentError):
    """``Spawn`` or ``Exec`` was given an ``fn`` that is not an async function.

    Both a ``CommandArgumentError`` (it names the command, its ID and the field) and the
    ``NotAProcessFunctionError`` (a ``TypeError``) that ``node.spawn`` raises.
    """

    def __init__(self, command: str, field: str, expected: str, value: object) -> None:
        CommandArgumentError.__init__(self, command, field, expected, value)


def _is_target(value: object) -> bool:
    return isinstance(value, PID) or _NAME.test(value)


_NAME = text(non_empty=True)
_DEADLINE = Check(
    lambda v: is_number(v) and (abs(v) <= sys.float_info.max or v in (math.inf, -math.inf)),
    "a time on the Trio clock (an int or float, not NaN)",
)
_TARGET = Check(_is_target, "a PID or a non-empty str name")
_FUNCTION = Check(is_process_function, "an async function taking a Process").raising(
    ProcessFunctionArgumentError
)


@command(id=1, module="process")
class Send(Command[None]):
    """Send ``payload`` under ``topic`` to ``dest`` (a PID or a registered name).

    Waits while the receiver's mailbox is full; ``nowait=True`` raises ``trio.WouldBlock``
    instead. A dead or unknown receiver fails the call with ``NoProcessError``.

    ``ref`` (an int >= 1) and ``deadline`` make it a request: the receiver gets a
    ``Request`` that ``proc.reply`` answers. ``proc.request`` sends one of these when the
    caller has a seam or the Send handler is replaced, so they see requests too.
    """

    dest: Target = attrs.field(validator=_TARGET)
    topic: str = attrs.field(validator=text())
    payload: object = None
    nowait: bool = attrs.field(default=False, validator=flag())
    ref: int = attrs.field(default=0, validator=integer(minimum=0))
    deadline: float = attrs.field(default=math.inf, validator=_DEADLINE)


@command(id=2, module="process")
class Spawn(Command[PID]):
    """Start ``fn(process, *args)``; links, monitors and the name are set up before it runs.

    ``mailbox_size`` is None (the node's default) or an int >= 1; ``name`` is None or a
    non-empty str.
    """

    fn: ProcessFunction = attrs.field(validator=_FUNCTION)
    args: tuple[Any, ...] = attrs.field(default=(), validator=arguments())
    link: bool = attrs.field(default=False, validator=flag())
    monitor: bool = attrs.field(default=False, validator=flag())
    name: str | None = attrs.field(default=None, validator=text(optional=True, non_empty=True))
    mailbox_size: int | None = attrs.field(
        default=None, validator=integer(optional=True, minimum=1)
    )
    trap_links: bool = attrs.field(default=False, validator=flag())


@command(id=3, module="process")
class Terminate(Command[bool]):
    """Stop ``pid``: after ``grace`` seconds of a cooperative Cancel (if given), cancel it.

    ``grace`` is None or 0 (cancel at once), seconds, or ``math.inf`` (wait for the process
    to stop by itself). Completes once the process has exited; True if it was alive.
    """

    pid: Target = attrs.field(validator=_TARGET)
    reason: str = attrs.field(default="terminated", validator=text())
    grace: float | None = attrs.field(default=None, validator=duration(optional=True))


@command(id=4, module="process")
class Cancel(Command[None]):
    """Ask ``pid`` to stop: it receives a ``Cancel`` event with ``reason``."""

    pid: Target = attrs.field(validator=_TARGET)
    reason: str = attrs.field(default="cancelled", validator=text())


@command(id=5, module="process")
class Monitor(Command[None]):
    """Watch ``pid``: an ``Exit`` event arrives when it exits (at once if it is gone)."""

    pid: Target = attrs.field(validator=_TARGET)


@command(id=6, module="process")
class Unmonitor(Command[bool]):
    """Stop watching ``pid``; True if a monitor was removed."""

    pid: Target = attrs.field(validator=_TARGET)


@command(id=7, module="process")
class Link(Command[None]):
    """Link the caller and ``pid`` both ways; fails with ``NoProcessError`` if it is gone."""

    pid: Target = attrs.field(validator=_TARGET)


@command(id=8, module="process")
class Unlink(Command[None]):
    """Remove the link between the caller and ``pid``."""

    pid: Target = attrs.field(validator=_TARGET)


@command(id=9, module="process")
class Exec(Command[object]):
    """Spawn ``fn(process, *args)`` and wait for it: its return value is the result.

    If it fails, the call fails with ``ProcessFailedError``; if the call is cancelled or
    times out, the child is terminated.
    """

    fn: ProcessFunction = attrs.field(validator=_FUNCTION)
    args: tuple[Any, ...] = attrs.field(default=(), validator=arguments())
