"""The process module's commands (IDs 1–9): the node itself is their backend."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from ._command import Command, command, declare_range
from ._pid import PID

declare_range("process", 1, 9)

Target = PID | str
ProcessFunction = Callable[..., Awaitable[object]]
"""An async function whose first argument is the :class:`Process` handle."""


@command(id=1, module="process")
class Send(Command[None]):
    """Send ``payload`` under ``topic`` to ``dest`` (a PID or a registered name).

    Waits while the receiver's mailbox is full; ``nowait=True`` raises ``trio.WouldBlock``
    instead. A dead or unknown receiver fails the call with ``NoProcessError``.
    """

    dest: Target
    topic: str
    payload: object = None
    nowait: bool = False


@command(id=2, module="process")
class Spawn(Command[PID]):
    """Start ``fn(process, *args)``; links, monitors and the name are set up before it runs."""

    fn: ProcessFunction
    args: tuple[Any, ...] = ()
    link: bool = False
    monitor: bool = False
    name: str | None = None
    mailbox_size: int | None = None
    trap_links: bool = False


@command(id=3, module="process")
class Terminate(Command[bool]):
    """Stop ``pid``: after ``grace`` seconds of a cooperative Cancel (if given), cancel it.

    Completes once the process has exited; True if it was alive.
    """

    pid: Target
    reason: str = "terminated"
    grace: float | None = None


@command(id=4, module="process")
class Cancel(Command[None]):
    """Ask ``pid`` to stop: it receives a ``Cancel`` event with ``reason``."""

    pid: Target
    reason: str = "cancelled"


@command(id=5, module="process")
class Monitor(Command[None]):
    """Watch ``pid``: an ``Exit`` event arrives when it exits (at once if it is gone)."""

    pid: Target


@command(id=6, module="process")
class Unmonitor(Command[bool]):
    """Stop watching ``pid``; True if a monitor was removed."""

    pid: Target


@command(id=7, module="process")
class Link(Command[None]):
    """Link the caller and ``pid`` both ways; fails with ``NoProcessError`` if it is gone."""

    pid: Target


@command(id=8, module="process")
class Unlink(Command[None]):
    """Remove the link between the caller and ``pid``."""

    pid: Target


@command(id=9, module="process")
class Exec(Command[object]):
    """Spawn ``fn(process, *args)`` and wait for it: its return value is the result.

    If it fails, the call fails with ``ProcessFailedError``; if the call is cancelled or
    times out, the child is terminated.
    """

    fn: ProcessFunction
    args: tuple[Any, ...] = ()


def is_process_function(fn: object) -> bool:
    """True for async functions (and callables whose ``__call__`` is async)."""
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004
    )
