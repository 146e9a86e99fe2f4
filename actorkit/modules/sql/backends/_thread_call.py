"""Running one blocking driver call in a thread, with a way to stop it from Trio.

The function gets a :class:`Running` and calls ``attach(conn)`` just before it sends a
statement on ``conn`` (and ``detach()`` after). If the calling task is cancelled, a
helper thread calls ``cancel(conn)`` on the attached connection (psycopg ``cancel_safe``,
MySQL ``KILL QUERY``), repeating every ``RETRY`` seconds in case the request raced the
statement's start; a function that attaches after the cancel raises :class:`Stopped`
instead. The task waits until the function has returned, so the connection is idle
again, then raises ``trio.Cancelled``, unless the function completed anyway, in which
case its value is returned and the caller's next checkpoint raises.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

import outcome
import structlog
import trio

T = TypeVar("T")
C = TypeVar("C")
RETRY = 0.5  # seconds between cancel requests while the statement keeps running

log = structlog.get_logger(__name__)


class Stopped(Exception):
    """The call was cancelled before its statement was sent."""


class Running(Generic[C]):
    """The thread side of one call: which connection is busy, and whether to stop."""

    __slots__ = ("_conn", "_lock", "cancelled", "cancelling", "finished")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.cancelling = threading.Lock()  # held while a cancel request is under way
        self._conn: C | None = None
        self.cancelled = False
        self.finished = threading.Event()

    def attach(self, conn: C) -> None:
        """Mark ``conn`` busy with this call; raises Stopped if the call was cancelled."""
        with self._lock:
            if self.cancelled:
                raise Stopped
            self._conn = conn

    def detach(self) -> None:
        """The statement on the attached connection has finished.

        Waits for a cancel request under way, so none can reach the connection after it
        is handed to someone else.
        """
        with self.cancelling, self._lock:
            self._conn = None

    def request_cancel(self) -> C | None:
        """Flag the call cancelled; the connection to cancel, if a statement is running."""
        with self._lock:
            self.cancelled = True
            return self._conn

    def busy(self) -> C | None:
        """The attached connection, if any."""
        with self._lock:
            return self._conn


async def run_in_thread(fn: Callable[[Running[C]], T], cancel: Callable[[C], None]) -> T:
    """Run ``fn(running)`` in a thread and return its result.

    A checkpoint. On cancellation the running statement is cancelled on the server and
    the call waits for ``fn`` to return (see the module docstring).
    """
    running: Running[C] = Running()
    task = trio.lowlevel.current_task()
    token = trio.lowlevel.current_trio_token()
    stop: list[Callable[[], Any]] = []

    def deliver(result: outcome.Outcome[T]) -> None:
        running.finished.set()
        token.run_sync_soon(_resume, task, result, stop)

    def abort(raise_cancel: Callable[[], Any]) -> trio.lowlevel.Abort:
        stop.append(raise_cancel)
        Submitted(running, cancel).cancel()
        return trio.lowlevel.Abort.FAILED

    trio.lowlevel.start_thread_soon(lambda: fn(running), deliver)
    return cast("T", await trio.lowlevel.wait_task_rescheduled(abort))


def submit_in_thread(
    fn: Callable[[Running[C]], T],
    cancel: Callable[[C], None],
    done: Callable[[outcome.Outcome[T]], object],
) -> Submitted[C]:
    """Run ``fn(running)`` in a thread; ``done(outcome)`` gets its result in Trio.

    Not a checkpoint, and no task waits: for command handlers that complete the call
    from ``done``. The returned object's ``cancel()`` stops the statement as above.
    """
    running: Running[C] = Running()
    token = trio.lowlevel.current_trio_token()

    def deliver(result: outcome.Outcome[T]) -> None:
        running.finished.set()
        with contextlib.suppress(trio.RunFinishedError):  # Trio ended: nobody waits
            token.run_sync_soon(done, result)

    trio.lowlevel.start_thread_soon(lambda: fn(running), deliver)
    return Submitted(running, cancel)


class Submitted(Generic[C]):
    """A call started by :func:`submit_in_thread`."""

    __slots__ = ("_cancel", "_running")

    def __init__(self, running: Running[C], cancel: Callable[[C], None]) -> None:
        self._running = running
        self._cancel = cancel

    def cancel(self) -> None:
        """Stop the statement (a no-op once the call has finished). Not a checkpoint."""
        running = self._running
        if not running.finished.is_set() and running.request_cancel() is not None:
            cancel = self._cancel
            trio.lowlevel.start_thread_soon(lambda: _cancel_until_done(running, cancel), _ignore)


def _resume(
    task: trio.lowlevel.Task, result: outcome.Outcome[T], stop: list[Callable[[], Any]]
) -> None:
    if stop and isinstance(result, outcome.Error):
        result = outcome.capture(stop[0])  # the call was cancelled: say so, not how it died
    trio.lowlevel.reschedule(task, result)


def _cancel_until_done(running: Running[C], cancel: Callable[[C], None]) -> None:
    while True:
        with running.cancelling:
            conn = running.busy()
            if conn is None:
                return
            try:
                cancel(conn)
            except Exception as exc:
                log.warning("sql_cancel_failed", error=repr(exc))
        if running.finished.wait(RETRY):
            return


def _ignore(result: outcome.Outcome[None]) -> None:
    result.unwrap()
