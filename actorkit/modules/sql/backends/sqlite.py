"""The embedded SQLite backend: stdlib ``sqlite3``, one connection, one thread, WAL.

All statements of a database run on one connection owned by one thread (the shared
worker in ``actorkit.modules._sqlite_worker``). A transaction takes that connection for
itself: statements from other processes wait until it commits or rolls back. File
databases use WAL, so other OS processes can read while this one writes.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING

import trio

from actorkit.modules._sqlite_worker import Worker

from ..errors import SqlConnectionError, SqlError
from ..handles import Isolation
from ..rows import ExecResult, Rows
from .base import Op, Result

if TYPE_CHECKING:
    from actorkit.lowlevel import Cancellable, Receiver

KIND = "sqlite"


class SqliteBackend:
    """One SQLite database file (or ``:memory:``)."""

    kind = KIND
    single_connection = True

    def __init__(
        self,
        db: str,
        path: str | os.PathLike[str],
        *,
        busy_timeout: float = 5.0,
        pragmas: Mapping[str, str | int] | None = None,
    ) -> None:
        self.db = db
        self.path = os.fspath(path)
        self.busy_timeout = busy_timeout
        self.pragmas = dict(pragmas or {})
        self._worker = Worker(db, self._connect)
        self._tx_lock = trio.Semaphore(1)  # released by whichever task ends the transaction
        self._holder: SqliteSession | None = None
        self._released = trio.Event()

    @property
    def busy(self) -> bool:
        """True while the connection runs a statement."""
        return self._worker.busy

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            for name, value in self.pragmas.items():
                conn.execute(f"PRAGMA {name} = {value}")
        except BaseException:
            conn.close()
            raise
        return conn

    async def open(self) -> None:
        """Start the thread and open the database. A checkpoint."""
        try:
            await self._worker.start()
        except sqlite3.Error as exc:
            code = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
            detail = f"{exc}: {self.path}"
            raise SqlConnectionError(
                "opening", detail, database=self.db, code=code, backend=KIND
            ) from exc

    async def aclose(self) -> None:
        """Close the connection after the statements already queued. A checkpoint."""
        await self._worker.stop()

    async def run(self, op: Op) -> Result:
        """Run one statement; waits while a transaction holds the connection.

        A checkpoint; cancellation interrupts the statement.
        """
        while self._holder is not None:
            await self._released.wait()
        return await self._worker.call(_run, op)

    def submit(self, op: Op, receiver: Receiver, tag: int) -> Cancellable | None:
        """Queue one statement as the work of call ``tag``, unless a transaction holds the
        connection (then None: use :meth:`run`). Not a checkpoint."""
        if self._holder is not None:
            return None
        return self._worker.submit(_run, op, receiver, tag)

    async def begin(self, op: Op, isolation: Isolation, read_only: bool) -> SqliteSession:
        """Take the connection (waiting for an open transaction to end) and BEGIN.

        ``BEGIN IMMEDIATE`` takes the write lock at once; a read-only transaction is a
        deferred ``BEGIN`` with ``PRAGMA query_only``. Every isolation level runs as
        SERIALIZABLE, SQLite's only level (stricter than any other level asked for).
        """
        del isolation
        await self._tx_lock.acquire()
        session = self._holder = SqliteSession(self, self._worker)
        self._released = trio.Event()
        try:
            await self._worker.call(_begin, (op, read_only))
        except BaseException:
            with trio.CancelScope(shield=True):
                await self._worker.call(_reset, op)
            self.release(session)
            raise
        return session

    def release(self, session: SqliteSession) -> None:
        """Give the connection back after ``session`` ended."""
        if self._holder is session:
            self._holder = None
            self._released.set()
            self._tx_lock.release()


class SqliteSession:
    """The transaction holding the connection."""

    def __init__(self, backend: SqliteBackend, worker: Worker) -> None:
        self._backend = backend
        self._worker = worker

    async def run(self, op: Op) -> Result:
        """Run one statement in the transaction. A checkpoint; cancellation interrupts it."""
        return await self._worker.call(_run, op)

    async def end(self, op: Op, commit: bool) -> None:
        """COMMIT or ROLLBACK, then give the connection back (also on failure or cancel)."""
        try:
            await self._worker.call(_end, (op, commit))
        except BaseException:
            with trio.CancelScope(shield=True):
                await self._worker.call(_reset, op)
            raise
        finally:
            self._backend.release(self)


# -- run in the worker thread ---------------------------------------------------------------


def _run(conn: sqlite3.Connection, op: Op) -> Result:
    try:
        cur = conn.execute(op.sql, op.params or ())
        if op.rows:  # the hot path: no generic helper, columns straight from sqlite3
            fetched = cur.fetchall()
            described = cur.description
            return Rows(tuple([col[0] for col in described]) if described else (), fetched)
        return ExecResult(max(cur.rowcount, 0), cur.lastrowid)
    except sqlite3.Error as exc:
        raise _error(op, exc) from exc


def _begin(conn: sqlite3.Connection, arg: tuple[Op, bool]) -> None:
    op, read_only = arg
    try:
        if read_only:
            conn.execute("PRAGMA query_only = ON")
        conn.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise _error(op, exc) from exc


def _end(conn: sqlite3.Connection, arg: tuple[Op, bool]) -> None:
    op, commit = arg
    try:
        conn.execute("COMMIT" if commit else "ROLLBACK")
    except sqlite3.Error as exc:
        raise _error(op, exc) from exc
    finally:
        _reset(conn, op)


def _reset(conn: sqlite3.Connection, op: Op) -> None:
    """Leave the connection as autocommit statements expect it: no transaction, writable."""
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.execute("PRAGMA query_only = OFF")
    except sqlite3.Error as exc:
        raise _error(op, exc) from exc


def _error(op: Op, exc: sqlite3.Error) -> SqlError:
    code = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
    return SqlError(op.what, str(exc), database=op.db, statement=op.sql, code=code, backend=KIND)
