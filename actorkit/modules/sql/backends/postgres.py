"""The PostgreSQL backend: psycopg 3 (blocking API) and psycopg_pool, from threads.

psycopg's async API runs only on asyncio, so statements run on the blocking API in
threads (see ``_pooled``). Connections are in autocommit mode; transactions are explicit
``BEGIN [ISOLATION LEVEL …]`` … ``COMMIT``. Cancelling a statement sends a server-side
cancel (``Connection.cancel_safe()``); the connection stays usable. An idle connection the
server dropped (``pg_terminate_backend``, a restart) is found before use and replaced; one
lost during a statement is discarded and the call fails with SqlConnectionError.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from actorkit.errors import MissingExtraError

from ..errors import SqlConnectionError, SqlError
from ..handles import Isolation
from ._alive import has_input
from .base import Op, Result, to_result

try:
    import psycopg
    import psycopg_pool
    from psycopg.pq import TransactionStatus
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise MissingExtraError("the sql PostgreSQL backend", "postgres") from exc

if TYPE_CHECKING:
    Conn = psycopg.Connection[Any]

KIND = "postgres"
_LEVELS = {
    Isolation.READ_UNCOMMITTED: "READ UNCOMMITTED",
    Isolation.READ_COMMITTED: "READ COMMITTED",
    Isolation.REPEATABLE_READ: "REPEATABLE READ",
    Isolation.SERIALIZABLE: "SERIALIZABLE",
}
_LOST = ("08", "57P01", "57P02", "57P03")  # connection exceptions, server shutting down


class PostgresDriver:
    """psycopg connections from a ``psycopg_pool.ConnectionPool``."""

    kind = KIND

    def __init__(
        self,
        db: str,
        dsn: str,
        *,
        pool_size: int,
        min_size: int,
        application_name: str,
        connect_timeout: float,
    ) -> None:
        self.db = db
        self.connect_timeout = connect_timeout
        self.max_size = pool_size
        self.pool: psycopg_pool.ConnectionPool[Conn] = psycopg_pool.ConnectionPool(
            dsn,
            min_size=min(min_size, pool_size),
            max_size=pool_size,
            kwargs={"autocommit": True, "application_name": application_name},
            open=False,
            timeout=connect_timeout,
            name=f"actorkit-sql-{db}",
        )

    def open(self) -> None:
        """Open the pool and wait for its first connections."""
        try:
            self.pool.open(wait=True, timeout=self.connect_timeout)
        except psycopg_pool.PoolTimeout as exc:
            self.pool.close()
            raise SqlConnectionError("opening", str(exc), database=self.db, backend=KIND) from exc

    def close(self) -> None:
        """Close the pool and every connection in it."""
        self.pool.close(timeout=self.connect_timeout)

    def acquire(self, op: Op) -> Conn:
        """A live connection from the pool: idle ones the server dropped are discarded
        (the pool opens new ones), without a round trip (see ``_alive``)."""
        for _ in range(self.max_size):
            conn = self._getconn(op)
            if not _dropped(conn):
                return conn
            conn.close()
            self.pool.putconn(conn)  # the pool forgets a closed connection
        return self._getconn(op)

    def _getconn(self, op: Op) -> Conn:
        try:
            return self.pool.getconn(timeout=self.connect_timeout)
        except psycopg_pool.PoolTimeout as exc:
            raise SqlConnectionError(
                op.what, str(exc), database=op.db, statement=op.sql, backend=KIND
            ) from exc

    def release(self, conn: Conn) -> None:
        """Roll back anything left open and give the connection back to the pool."""
        if not conn.closed and conn.info.transaction_status != TransactionStatus.IDLE:
            try:
                conn.execute("ROLLBACK")
            except psycopg.Error:
                conn.close()  # the pool discards a closed connection
        self.pool.putconn(conn)

    def execute(self, conn: Conn, op: Op) -> Result:
        """Run ``op`` on ``conn``."""
        try:
            # The text is passed through as the user wrote it (psycopg types ask for literals).
            execute: Callable[..., psycopg.Cursor[Any]] = conn.execute
            cur = execute(op.sql, op.params or None, prepare=op.prepare or None)
            fetched = cur.fetchall() if op.rows and cur.description else []
            return to_result(op, cur.description, fetched, cur.rowcount, None)
        except psycopg.Error as exc:
            raise _error(op, exc, conn) from exc

    def cancel(self, conn: Conn) -> None:
        """Ask the server to cancel the statement running on ``conn``."""
        conn.cancel_safe(timeout=self.connect_timeout)

    def dropped(self, conn: Conn) -> bool:
        """True if the server dropped the idle ``conn`` (no round trip)."""
        return _dropped(conn)

    def begin_statements(self, isolation: Isolation, read_only: bool) -> Sequence[str]:
        """``BEGIN [ISOLATION LEVEL …] [READ ONLY]``."""
        sql = "BEGIN"
        if isolation in _LEVELS:
            sql += f" ISOLATION LEVEL {_LEVELS[isolation]}"
        if read_only:
            sql += " READ ONLY"
        return (sql,)

    def finish(self, conn: Conn, op: Op, commit: bool) -> None:
        """COMMIT or ROLLBACK; a COMMIT of a failed transaction raises (it rolled back)."""
        failed = conn.info.transaction_status == TransactionStatus.INERROR
        self.execute(conn, Op(op.what, op.db, "COMMIT" if commit else "ROLLBACK"))
        if commit and failed:
            raise SqlError(
                op.what,
                "the transaction had failed, so it was rolled back instead of committed",
                database=op.db,
                statement="COMMIT",
                code="25P02",
                backend=KIND,
            )


def _dropped(conn: Conn) -> bool:
    return conn.closed or conn.broken or has_input(conn.fileno())


def _error(op: Op, exc: psycopg.Error, conn: Conn) -> SqlError:
    code = exc.sqlstate or type(exc).__name__
    lost = isinstance(exc, psycopg.OperationalError) and (
        conn.closed or conn.broken or code.startswith(_LOST)
    )
    cls = SqlConnectionError if lost else SqlError
    return cls(op.what, str(exc).strip(), database=op.db, statement=op.sql, code=code, backend=KIND)
