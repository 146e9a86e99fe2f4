"""A thread that owns one SQLite connection and runs jobs from Trio, in batches.

Shared by the modules that keep data in SQLite (sql, store): one worker per database file.

Jobs go on a queue; the thread runs queued jobs back to back and wakes Trio once per
batch (``TrioToken.run_sync_soon``), which hands every finished result back: under
load, one thread switch serves many queries. A job comes either from a task that parks
until it is done (:meth:`Worker.call`) or from a command handler that returns at once
(:meth:`Worker.submit`); the thread then completes the command itself, so a query
costs no Trio task.

Cancellation: a job that has not started is dropped. A running one gets
``connection.interrupt()``, and a progress handler checks the job's flag every
``PROGRESS_OPS`` steps, for an interrupt that lands just before a statement starts.
A parked task waits until the thread has let go of the connection, then raises
``trio.Cancelled`` (or, if the job finished anyway, returns its result and raises at its
next checkpoint); a submitted command's late result is dropped by the process.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable
from time import perf_counter
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import outcome
import trio

if TYPE_CHECKING:
    from actorkit.lowlevel import Receiver

T = TypeVar("T")
A = TypeVar("A")
JobFn = Callable[[sqlite3.Connection, A], T]

BATCH = 64  # results handed back per wakeup at most
FLUSH_AFTER = 0.002  # seconds a finished result may wait for the rest of its batch
PROGRESS_OPS = 1000  # SQLite VM steps between checks of the stop flag

_PENDING, _RUNNING, _DONE, _DROPPED = range(4)


class _Job(Generic[A, T]):
    __slots__ = (
        "arg", "error", "fn", "raise_cancel", "receiver", "state", "stop", "tag", "task",
        "value", "worker",
    )  # fmt: skip

    def __init__(self, worker: Worker, fn: JobFn[A, T], arg: A) -> None:
        self.worker = worker
        self.fn = fn
        self.arg = arg
        self.state = _PENDING
        self.stop = False  # read by the progress handler
        self.value: T | None = None
        self.error: Exception | None = None
        self.task: trio.lowlevel.Task | None = None
        self.raise_cancel: Callable[[], Any] | None = None
        self.receiver: Receiver | None = None
        self.tag = 0

    def _stop(self) -> bool:
        """Stop the job: True if it will never run; a running one is interrupted."""
        worker = self.worker
        with worker.lock:
            if self.state == _PENDING:
                self.state = _DROPPED
                return True
            if self.state == _RUNNING:
                self.stop = True
                if worker.conn is not None:
                    worker.conn.interrupt()
        return False

    def abort(self, raise_cancel: Callable[[], Any]) -> trio.lowlevel.Abort:
        """``wait_task_rescheduled``'s abort: the parked task was cancelled."""
        if self._stop():
            return trio.lowlevel.Abort.SUCCEEDED
        self.raise_cancel = raise_cancel
        return trio.lowlevel.Abort.FAILED

    def cancel(self) -> None:
        """The process let go of the call (done, timed out, cancelled or exited)."""
        if self.state != _DONE:
            self._stop()


class Worker:
    """The thread of one SQLite database; ``connect`` runs in it."""

    def __init__(self, name: str, connect: Callable[[], sqlite3.Connection]) -> None:
        self.name = name
        self.lock = threading.Lock()
        self.conn: sqlite3.Connection | None = None
        self.closed = False
        self._connect = connect
        self._queue: queue.SimpleQueue[_Job[Any, Any]] = queue.SimpleQueue()
        self._current: _Job[Any, Any] | None = None
        self._finished = False  # the connection was closed: the thread ends
        self._token: trio.lowlevel.TrioToken | None = None
        self._thread: threading.Thread | None = None

    @property
    def busy(self) -> bool:
        """True while the thread runs a job."""
        return self._current is not None

    async def start(self) -> None:
        """Start the thread and open the connection in it; raises what ``connect`` raised,
        once the thread has ended.

        A checkpoint; shielded (the connection attempt is not interruptible).
        """
        self._token = trio.lowlevel.current_trio_token()
        job = self._job(_opened, None)
        self._queue.put(job)  # queued first, so a failed connect always answers it
        thread = self._thread = threading.Thread(
            target=self._main, name=f"actorkit-sqlite-{self.name}", daemon=True
        )
        thread.start()
        with trio.CancelScope(shield=True):
            try:
                await trio.lowlevel.wait_task_rescheduled(job.abort)
            except BaseException:
                await trio.to_thread.run_sync(thread.join)  # it ends right after failing
                raise

    async def call(self, fn: JobFn[A, T], arg: A) -> T:
        """Run ``fn(connection, arg)`` in the thread and return its result.

        A checkpoint. Cancellation drops a job that has not started, or interrupts the
        running statement and waits for the thread to let go of the connection.

        Raises:
            trio.ClosedResourceError: the database was closed.
        """
        if self.closed:
            raise trio.ClosedResourceError(f"SQLite database {self.name!r} is closed")
        job = self._job(fn, arg)
        self._queue.put(job)
        return cast("T", await trio.lowlevel.wait_task_rescheduled(job.abort))

    def submit(self, fn: JobFn[A, T], arg: A, receiver: Receiver, tag: int) -> _Job[A, T]:
        """Queue ``fn(connection, arg)`` as the work of call ``tag``; not a checkpoint.

        The thread completes the call with ``receiver.complete_yield``. The returned job's
        ``cancel()`` stops it; put it where the process cancels the call's work.
        """
        if self.closed:
            raise trio.ClosedResourceError(f"SQLite database {self.name!r} is closed")
        job: _Job[A, T] = _Job(self, fn, arg)
        job.receiver = receiver
        job.tag = tag
        self._queue.put(job)
        return job

    def _job(self, fn: JobFn[A, T], arg: A) -> _Job[A, T]:
        job = _Job(self, fn, arg)
        job.task = trio.lowlevel.current_task()
        return job

    async def stop(self) -> None:
        """Close the connection after the queued jobs and wait for the thread to end.

        Idempotent. A checkpoint; shielded from cancellation (closing is quick).
        """
        with trio.CancelScope(shield=True):
            if not self.closed:
                self.closed = True
                job = self._job(_close, None)
                self._queue.put(job)
                await trio.lowlevel.wait_task_rescheduled(job.abort)
            if self._thread is not None:
                await trio.to_thread.run_sync(self._thread.join)

    # -- the thread --------------------------------------------------------------------------

    def _main(self) -> None:
        try:
            self.conn = self._connect()
            self.conn.set_progress_handler(self._stop_requested, PROGRESS_OPS)
        except Exception as exc:  # handed to the task waiting in start()
            self._fail_all(exc)
            return
        try:
            self._loop()
        except trio.RunFinishedError:  # Trio ended without closing the database
            self.conn.close()

    def _loop(self) -> None:
        get = self._queue.get
        while not self._finished:
            job: _Job[Any, Any] | None = get()
            batch: list[_Job[Any, Any]] = []
            first = 0.0
            while job is not None:
                if self._run(job):
                    if not batch:
                        first = perf_counter()
                    batch.append(job)
                if len(batch) >= BATCH or (batch and perf_counter() - first > FLUSH_AFTER):
                    self._hand_back(batch)
                    batch = []
                job = self._next()
            self._hand_back(batch)

    def _next(self) -> _Job[Any, Any] | None:
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            return None

    def _run(self, job: _Job[Any, Any]) -> bool:
        conn = cast("sqlite3.Connection", self.conn)  # set before the loop starts
        with self.lock:
            if job.state == _DROPPED:
                return False
            job.state = _RUNNING
            self._current = job
        try:
            job.value = job.fn(conn, job.arg)
        except Exception as exc:  # the job's failure, handed to whoever waits for it
            job.error = exc
        with self.lock:
            job.state = _DONE
            self._current = None
        self._finished = job.fn is _close
        return True

    def _stop_requested(self) -> bool:
        job = self._current
        return job is not None and job.stop

    def _hand_back(self, batch: list[_Job[Any, Any]]) -> None:
        if batch:
            assert self._token is not None
            self._token.run_sync_soon(_deliver, batch)

    def _fail_all(self, exc: Exception) -> None:
        self.closed = True
        failed: list[_Job[Any, Any]] = []
        while (job := self._next()) is not None:
            if job.state != _DROPPED:
                job.error = exc
                failed.append(job)
        self._hand_back(failed)


def _deliver(batch: list[_Job[Any, Any]]) -> None:
    """In the Trio thread: wake each parked task, or complete each submitted call.

    A job that was cancelled while it ran but finished anyway reports what it did (a
    COMMIT that went through is not reported as cancelled); the task's next checkpoint
    raises ``Cancelled``. One that failed (interrupted) reports the cancellation.
    """
    for job in batch:
        if job.task is not None:
            result: outcome.Outcome[Any]
            if job.error is None:
                result = outcome.Value(job.value)
            elif job.raise_cancel is not None:
                result = outcome.capture(job.raise_cancel)  # cancelled: say so
            else:
                result = outcome.Error(job.error)
            trio.lowlevel.reschedule(job.task, result)
        elif job.receiver is not None:
            job.receiver.complete_yield(job.tag, job.value, job.error)


def _opened(conn: sqlite3.Connection, _: None) -> None:
    del conn


def _close(conn: sqlite3.Connection, _: None) -> None:
    conn.close()
