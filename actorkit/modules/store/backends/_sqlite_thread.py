"""One thread that owns one ``sqlite3`` connection and runs jobs on it in order.

Calls do not hop through Trio's thread pool: a job is queued to the database's own thread,
and the waiting task is rescheduled straight from it. Cancelling a waiting task drops its
job if it has not started; if it is running, the connection is interrupted
(``sqlite3.Connection.interrupt``) and the task waits the few microseconds until the job
has stopped and rolled back, so the thread is never left running work nobody waits for.
"""

from __future__ import annotations

import contextlib
import functools
import queue
import sqlite3
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

import outcome
import trio

T = TypeVar("T")

_QUEUED, _RUNNING, _DONE, _DROPPED = range(4)


class _Job(Generic[T]):
    __slots__ = ("fn", "interrupted", "state", "task")

    def __init__(self, fn: Callable[[], T], task: trio.lowlevel.Task) -> None:
        self.fn = fn
        self.task = task
        self.state = _QUEUED
        self.interrupted = False


class SqliteThread:
    """A dedicated thread for one database; ``open`` it before ``run``, ``close`` at the end."""

    def __init__(self, name: str, connect: Callable[[], sqlite3.Connection]) -> None:
        self._name = name
        self._connect = connect
        self._conn: sqlite3.Connection | None = None
        self._jobs: queue.SimpleQueue[_Job[object] | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._token: trio.lowlevel.TrioToken | None = None
        self._closed = False
        self._thread: threading.Thread | None = None

    async def open(self) -> None:
        """Start the thread and connect in it. A checkpoint; raises what connecting raised."""
        self._token = trio.lowlevel.current_trio_token()
        self._thread = thread = threading.Thread(
            target=self._loop, name=f"actorkit-sqlite-{self._name}", daemon=True
        )
        thread.start()
        try:
            await self._submit(self._open_in_thread)
        except BaseException:
            self._closed = True
            with trio.CancelScope(shield=True):
                await self._end_thread()
            raise

    def _open_in_thread(self) -> None:
        self._conn = self._connect()

    def _with_connection(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if self._conn is None:
            raise sqlite3.ProgrammingError(f"store {self._name!r}: the database is not open")
        return fn(self._conn)

    async def close(self) -> None:
        """Close the connection and end the thread, after the jobs queued before.

        A checkpoint; returns when the thread has ended (one hop through Trio's thread pool
        to join it).
        """
        if self._closed:
            return
        self._closed = True
        try:
            await self._submit(functools.partial(self._with_connection, _close))
        finally:
            await self._end_thread()

    async def _end_thread(self) -> None:
        self._jobs.put(None)
        if self._thread is not None:
            await trio.to_thread.run_sync(self._thread.join)

    async def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """``fn(connection)`` in the database's thread; its result or its exception.

        A checkpoint. On cancellation the job is dropped if it has not started, interrupted
        (and waited for) if it has; then ``trio.Cancelled`` is raised.

        Raises:
            trio.ClosedResourceError: the database was closed.
        """
        if self._closed:
            raise trio.ClosedResourceError(f"store {self._name!r}: the database is closed")
        return await self._submit(functools.partial(self._with_connection, fn))

    async def _submit(self, fn: Callable[[], T]) -> T:
        await trio.lowlevel.checkpoint_if_cancelled()
        job: _Job[T] = _Job(fn, trio.lowlevel.current_task())
        self._jobs.put(job)  # type: ignore[arg-type]
        try:
            result: T = await trio.lowlevel.wait_task_rescheduled(
                lambda _raise_cancel: self._abort(job)
            )
        except Exception:
            if job.interrupted:
                await trio.lowlevel.checkpoint()  # still cancelled: raises trio.Cancelled
            raise
        if job.interrupted:
            await trio.lowlevel.checkpoint()
        return result

    def _abort(self, job: _Job[T]) -> trio.lowlevel.Abort:
        with self._lock:
            if job.state == _QUEUED:
                job.state = _DROPPED
                return trio.lowlevel.Abort.SUCCEEDED
            if job.state == _RUNNING and self._conn is not None:
                job.interrupted = True
                self._conn.interrupt()
            return trio.lowlevel.Abort.FAILED

    def _loop(self) -> None:
        while (job := self._jobs.get()) is not None:
            with self._lock:
                if job.state == _DROPPED:
                    continue
                job.state = _RUNNING
            result = outcome.capture(job.fn)
            with self._lock:
                job.state = _DONE
            self._wake(job.task, result)

    def _wake(self, task: trio.lowlevel.Task, result: outcome.Outcome[object]) -> None:
        assert self._token is not None
        with contextlib.suppress(trio.RunFinishedError):  # the run is over: nobody to wake
            self._token.run_sync_soon(trio.lowlevel.reschedule, task, result)


def _close(conn: sqlite3.Connection) -> None:
    conn.close()
