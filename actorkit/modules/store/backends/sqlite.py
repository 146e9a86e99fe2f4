"""The SQLite backend: a durable store in one table of a database file.

All work runs on the database's own thread (the shared SQLite :class:`Worker`). The file is in WAL
mode. Expiry times are wall-clock timestamps, so TTLs survive a restart; expired rows read
as missing and are deleted by a periodic sweep. Versions come from a counter row in the
same file, incremented in the write's transaction, so they are never reused.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable, Generator
from typing import Any, Literal, TypeVar

import trio

from actorkit.modules._sqlite_worker import Worker

from ..commands import StoreInfo
from .base import RawItem, prefix_end

T = TypeVar("T")

_TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_LIVE = "(expires_at IS NULL OR expires_at > ?)"

Synchronous = Literal["OFF", "NORMAL", "FULL", "EXTRA"]


class SqliteBackend:
    """A store in table ``table`` of the SQLite database at ``path``."""

    def __init__(
        self,
        name: str,
        path: str,
        *,
        table: str,
        synchronous: Synchronous,
        clock: Callable[[], float],
    ) -> None:
        self.check_table(name, table)
        self.name = name
        self.path = path
        self._t = table
        self._synchronous = synchronous
        self._clock = clock
        self._thread = Worker(name, self._connect)

    @staticmethod
    def check_table(name: str, table: str) -> None:
        """Raise ValueError unless ``table`` is a plain SQL identifier."""
        if not _TABLE_NAME.fullmatch(table):
            raise ValueError(f"store {name!r}: table {table!r} is not a plain SQL identifier")

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=True)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={self._synchronous}")
            conn.execute("PRAGMA busy_timeout=5000")
            _create(conn, self._t)
        except BaseException:
            conn.close()
            raise
        return conn

    async def open(self, nursery: trio.Nursery) -> None:
        """Start the database thread, open the file and create the tables. A checkpoint."""
        await self._thread.start()

    async def close(self) -> None:
        """Close the database and end its thread. A checkpoint."""
        await self._thread.stop()

    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """``fn(connection)`` on the database's thread. A checkpoint; on cancellation a
        queued job is dropped and a running one interrupted (and rolled back by ``fn``)."""
        return await self._thread.call(_apply, fn)

    def info(self) -> StoreInfo:
        """Durable, versioned, conditional, with TTL and List."""
        return StoreInfo(self.name, "sqlite", True, True, True, True, True, "linearizable")

    async def get(self, key: str) -> bytes | None:
        """The encoded value, or None. A checkpoint."""
        sql = f"SELECT value FROM {self._t} WHERE key = ? AND {_LIVE}"
        row = await self._one(sql, (key, self._clock()))
        return None if row is None else bytes(row[0])

    async def entry(self, key: str) -> RawItem | None:
        """Value, version and seconds left, or None. A checkpoint."""
        now = self._clock()
        sql = f"SELECT value, version, expires_at FROM {self._t} WHERE key = ? AND {_LIVE}"
        row = await self._one(sql, (key, now))
        if row is None:
            return None
        left = None if row[2] is None else row[2] - now
        return bytes(row[0]), str(row[1]), left

    async def has(self, key: str) -> bool:
        """True if the key is live. A checkpoint."""
        sql = f"SELECT 1 FROM {self._t} WHERE key = ? AND {_LIVE}"
        return await self._one(sql, (key, self._clock())) is not None

    async def delete(self, key: str) -> bool:
        """Remove the key; True if it was live. A checkpoint."""
        now = self._clock()
        return await self._run(lambda conn: _delete(conn, self._t, key, now))

    async def put(
        self, key: str, data: bytes, ttl: float | None, absent: bool, version: str | None
    ) -> str | None:
        """Write if the condition holds, in one transaction; the new version or None.

        A checkpoint. Cancelled while running, the transaction is interrupted and rolled back.
        """
        now = self._clock()
        expires = None if ttl is None else now + ttl
        return await self._run(
            lambda conn: _put(conn, self._t, (key, data, now, expires, absent, version))
        )

    async def list(self, prefix: str, after: str | None, limit: int | None) -> list[str]:
        """Live keys with ``prefix`` greater than ``after``, sorted, at most ``limit``.

        A checkpoint.
        """
        where = ["key >= ?", _LIVE]
        args: list[object] = [prefix, self._clock()]
        if after is not None:
            where.append("key > ?")
            args.append(after)
        end = prefix_end(prefix)
        if end is not None:
            where.append("key < ?")
            args.append(end)
        sql = f"SELECT key FROM {self._t} WHERE {' AND '.join(where)} ORDER BY key"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        rows = await self._run(lambda conn: conn.execute(sql, args).fetchall())
        return [str(row[0]) for row in rows]

    async def sweep(self) -> None:
        """Delete every expired row. A checkpoint."""
        sql = f"DELETE FROM {self._t} WHERE expires_at <= ?"
        now = self._clock()
        await self._run(lambda conn: conn.execute(sql, (now,)))

    async def _one(self, sql: str, args: tuple[object, ...]) -> tuple[Any, ...] | None:
        return await self._run(lambda conn: conn.execute(sql, args).fetchone())


def _create(conn: sqlite3.Connection, table: str) -> None:
    conn.executescript(
        f"""
        CREATE TABLE IF NOT EXISTS {table} (
            key TEXT PRIMARY KEY, value BLOB NOT NULL,
            version INTEGER NOT NULL, expires_at REAL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS {table}_expiry ON {table} (expires_at)
            WHERE expires_at IS NOT NULL;
        CREATE TABLE IF NOT EXISTS {table}_version (
            one INTEGER PRIMARY KEY CHECK (one = 1), version INTEGER NOT NULL
        );
        INSERT OR IGNORE INTO {table}_version VALUES (1, 0);
        """
    )


def _delete(conn: sqlite3.Connection, table: str, key: str, now: float) -> bool:
    # Not DELETE ... RETURNING: SQLite 3.40 returns NULL for expressions on the deleted row
    # of a WITHOUT ROWID table.
    with _transaction(conn):
        live = conn.execute(f"SELECT 1 FROM {table} WHERE key = ? AND {_LIVE}", (key, now))
        found = live.fetchone() is not None
        conn.execute(f"DELETE FROM {table} WHERE key = ?", (key,))
    return found


_PutArgs = tuple[str, bytes, float, "float | None", bool, "str | None"]


def _put(conn: sqlite3.Connection, table: str, args: _PutArgs) -> str | None:
    key, data, now, expires, absent, version = args
    with _transaction(conn):
        row = conn.execute(
            f"SELECT version FROM {table} WHERE key = ? AND {_LIVE}", (key, now)
        ).fetchone()
        current = None if row is None else str(row[0])
        if (absent and current is not None) or (version is not None and current != version):
            return None
        (new,) = conn.execute(
            f"UPDATE {table}_version SET version = version + 1 RETURNING version"
        ).fetchone()
        conn.execute(
            f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?, ?)", (key, data, new, expires)
        )
    return str(new)


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Generator[None]:
    """BEGIN IMMEDIATE ... COMMIT; ROLLBACK on any error (an interrupt included)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _apply(conn: sqlite3.Connection, fn: Callable[[sqlite3.Connection], T]) -> T:
    return fn(conn)
