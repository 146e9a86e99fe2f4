"""Backends with a pool of blocking connections used from threads (PostgreSQL, MySQL).

Nothing is retried. Drivers hand out only connections that look alive (an idle
connection with something to read was killed or timed out: it is closed and another
taken), so a connection killed while idle costs no failed call. A connection lost after
an autocommit statement or a COMMIT was sent makes :class:`SqlOutcomeUnknownError`.

A ``CapacityLimiter`` with one token per pooled connection guards checkouts, so waiting
for a connection happens in Trio (cancellable) and a thread never blocks on an empty
pool. An autocommit statement holds a token for one thread call; a transaction holds one
from ``begin`` to ``end``. Each call is one thread hop that checks the connection out,
runs the statement and returns it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Generic, Protocol, TypeVar, cast

import outcome
import trio

from actorkit.lowlevel import Receiver

from ..errors import SqlConnectionError, outcome_unknown
from ..handles import Isolation
from ._thread_call import Running, Submitted, run_in_thread, submit_in_thread
from .base import Op, Result

C = TypeVar("C")
DRAIN = 10.0  # seconds closing waits for statements still running (being cancelled)


class Driver(Protocol[C]):
    """The blocking side of one server type; every method runs in a worker thread."""

    kind: str

    def open(self) -> None:
        """Connect the pool (at boot)."""
        ...

    def close(self) -> None:
        """Close every connection."""
        ...

    def acquire(self, op: Op) -> C:
        """A connection from the pool (one is free: the caller holds a token)."""
        ...

    def release(self, conn: C) -> None:
        """Return a connection: roll back anything open; a broken one is discarded."""
        ...

    def execute(self, conn: C, op: Op) -> Result:
        """Run ``op``, translating driver errors into SqlError."""
        ...

    def cancel(self, conn: C) -> None:
        """Stop the statement running on ``conn`` (called from another thread)."""
        ...

    def dropped(self, conn: C) -> bool:
        """True if the server dropped the idle ``conn`` (no round trip)."""
        ...

    def begin_statements(self, isolation: Isolation, read_only: bool) -> Sequence[str]:
        """The statements that begin a transaction."""
        ...

    def finish(self, conn: C, op: Op, commit: bool) -> None:
        """COMMIT or ROLLBACK the transaction on ``conn``; raise if it did not commit."""
        ...


class PooledBackend(Generic[C]):
    """A :class:`Backend` over a :class:`Driver`."""

    single_connection = False

    def __init__(self, driver: Driver[C], pool_size: int) -> None:
        if pool_size < 1:
            raise ValueError(f"pool_size must be at least 1, got {pool_size}")
        self.driver = driver
        self.kind = driver.kind
        self.slots = trio.CapacityLimiter(pool_size)

    async def open(self) -> None:
        """Open the pool in a thread. A checkpoint; waits for the connection attempt."""
        await trio.to_thread.run_sync(self.driver.open)

    async def aclose(self) -> None:
        """Wait for running statements (up to ``DRAIN`` seconds), then close every
        connection. A checkpoint; shielded from cancellation."""
        with trio.CancelScope(shield=True):
            with trio.move_on_after(DRAIN):
                for _ in range(int(self.slots.total_tokens)):
                    await self.slots.acquire_on_behalf_of(object())
            await trio.to_thread.run_sync(self.driver.close)

    async def run(self, op: Op) -> Result:
        """Run one statement on a pooled connection (autocommit). A checkpoint."""
        async with self.slots:
            return await run_in_thread(partial(self._run_once, op), self.driver.cancel)

    def _run_once(self, op: Op, running: Running[C]) -> Result:
        conn = self.driver.acquire(op)
        try:
            return _attached(self.driver, conn, op, running)
        except SqlConnectionError as exc:  # lost after it was sent: never run again
            raise outcome_unknown(exc) from exc
        finally:
            self.driver.release(conn)

    def submit(self, op: Op, receiver: Receiver, tag: int) -> Submitted[C] | None:
        """Start one statement in a thread if a connection is free now (else None).

        Not a checkpoint. The thread's result completes call ``tag``; the connection's
        token is held until the thread is done, even if the caller gave up earlier.
        """
        ticket = object()
        try:
            self.slots.acquire_on_behalf_of_nowait(ticket)
        except trio.WouldBlock:
            return None

        def done(result: outcome.Outcome[Result]) -> None:
            self.slots.release_on_behalf_of(ticket)
            if isinstance(result, outcome.Value):
                receiver.complete_yield(tag, result.value, None)
            else:
                receiver.complete_yield(tag, None, cast("outcome.Error", result).error)

        return submit_in_thread(partial(self._run_once, op), self.driver.cancel, done)

    async def begin(self, op: Op, isolation: Isolation, read_only: bool) -> PooledSession[C]:
        """Check a connection out and begin a transaction on it. A checkpoint."""
        session: PooledSession[C] = PooledSession(self)
        await self.slots.acquire_on_behalf_of(session)
        try:
            statements = self.driver.begin_statements(isolation, read_only)
            begin = partial(self._begin_once, op, statements)
            session.conn = await run_in_thread(begin, self.driver.cancel)
        except BaseException:
            self.slots.release_on_behalf_of(session)
            raise
        return session

    def _begin_once(self, op: Op, statements: Sequence[str], running: Running[C]) -> C:
        conn = self.driver.acquire(op)
        try:
            for sql in statements:
                _attached(self.driver, conn, Op(op.what, op.db, sql), running)
        except BaseException:
            self.driver.release(conn)
            raise
        return conn


class PooledSession(Generic[C]):
    """A transaction on a checked-out connection."""

    def __init__(self, backend: PooledBackend[C]) -> None:
        self.backend = backend
        self.driver = backend.driver
        self.conn: C | None = None

    async def run(self, op: Op) -> Result:
        """Run one statement in the transaction. A checkpoint; cancellation stops it."""
        assert self.conn is not None
        return await run_in_thread(
            partial(_attached, self.driver, self.conn, op), self.driver.cancel
        )

    async def end(self, op: Op, commit: bool) -> None:
        """COMMIT or ROLLBACK and return the connection (also on failure or cancel)."""
        assert self.conn is not None
        try:
            await run_in_thread(partial(self._end_once, op, commit), self.driver.cancel)
        finally:
            self.conn = None
            self.backend.slots.release_on_behalf_of(self)

    def _end_once(self, op: Op, commit: bool, running: Running[C]) -> None:
        conn = self.conn
        assert conn is not None
        try:
            if commit and self.driver.dropped(conn):
                raise _lost_before_commit(op, self.driver.kind)
            _finish(self.driver, conn, op, commit, running)
        finally:
            self.driver.release(conn)


def _finish(driver: Driver[C], conn: C, op: Op, commit: bool, running: Running[C]) -> None:
    running.attach(conn)
    try:
        driver.finish(conn, op, commit)
    except SqlConnectionError as exc:
        if commit:  # the COMMIT was sent: it may have been applied
            raise outcome_unknown(exc) from exc
        raise  # the server rolls back a transaction whose connection is gone
    finally:
        running.detach()


def _lost_before_commit(op: Op, kind: str) -> SqlConnectionError:
    detail = (
        "the connection was lost before COMMIT was sent, so the server rolled the "
        "transaction back: nothing of it was committed"
    )
    return SqlConnectionError(op.what, detail, database=op.db, statement="COMMIT", backend=kind)


def _attached(driver: Driver[C], conn: C, op: Op, running: Running[C]) -> Result:
    running.attach(conn)
    try:
        return driver.execute(conn, op)
    finally:
        running.detach()
