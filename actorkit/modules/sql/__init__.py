"""The sql module (IDs 100–119): SQLite, PostgreSQL and MySQL/MariaDB databases.

Databases are named resources declared at boot::

    actorkit.run(main, modules=[sql.sqlite("main", "app.db")])

and used from processes by commands::

    rows = await proc.call(sql.Query("main", "SELECT id, name FROM users WHERE id = ?", (7,)))

See ``docs/guides/sql.md``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from actorkit.checks import duration, integer, text
from actorkit.lowlevel import Component

from ._component import database, handlers_only
from .commands import (
    Begin,
    Execute,
    Prepare,
    Query,
    StmtClose,
    StmtExecute,
    StmtQuery,
    TxCommit,
    TxExecute,
    TxPrepare,
    TxQuery,
    TxRelease,
    TxRollback,
    TxRollbackTo,
    TxSavepoint,
)
from .errors import SqlArgumentError, SqlConnectionError, SqlError, SqlOutcomeUnknownError
from .handles import Isolation, Stmt, Tx
from .rows import ExecResult, Rows


def sqlite(
    name: str,
    path: str | os.PathLike[str] = ":memory:",
    *,
    busy_timeout: float = 5.0,
    pragmas: Mapping[str, str | int] | None = None,
) -> Component:
    """Declare an embedded SQLite database (a file, or ``":memory:"``).

    One connection in WAL mode with foreign keys on, owned by one thread; a transaction
    takes it for itself. Placeholders: ``?`` and ``:name``.

    Args:
        name: the name commands use (``Query("main", ...)``).
        path: the database file, or ``":memory:"``.
        busy_timeout: seconds to wait for a lock held by another OS process.
        pragmas: extra ``PRAGMA name = value`` run on connect (trusted configuration).

    Raises:
        ValueError: an option is wrong (the message names it).
    """
    _NAME.option("sql.sqlite", "name", name)
    _SECONDS.option(f"sql.sqlite({name!r})", "busy_timeout", busy_timeout)
    from .backends.sqlite import SqliteBackend  # noqa: PLC0415 - the backend loads on use

    return database(
        name, lambda: SqliteBackend(name, path, busy_timeout=busy_timeout, pragmas=pragmas)
    )


def postgres(
    name: str,
    dsn: str,
    *,
    pool_size: int = 4,
    min_size: int = 1,
    application_name: str = "actorkit",
    connect_timeout: float = 10.0,
) -> Component:
    """Declare a PostgreSQL database (psycopg 3 and its pool; extra ``postgres``).

    Placeholders: ``%s`` and ``%(name)s``. Boot fails if the server cannot be reached.

    Args:
        name: the name commands use.
        dsn: a libpq connection string or URL (``postgresql://user@host:5432/db``).
        pool_size: at most this many connections (and concurrent statements).
        min_size: connections kept open when idle.
        application_name: shown in ``pg_stat_activity``.
        connect_timeout: seconds to wait for a connection, or for a cancel to be sent.

    Raises:
        ValueError: an option is wrong (the message names it).
    """
    _pool_options("sql.postgres", name, pool_size, connect_timeout)
    _NAME.option(f"sql.postgres({name!r})", "dsn", dsn)
    integer(minimum=0).option(f"sql.postgres({name!r})", "min_size", min_size)
    from .backends._pooled import PooledBackend  # noqa: PLC0415 - drivers load on use
    from .backends.postgres import PostgresDriver  # noqa: PLC0415

    def make() -> PooledBackend[object]:
        driver = PostgresDriver(
            name,
            dsn,
            pool_size=pool_size,
            min_size=min_size,
            application_name=application_name,
            connect_timeout=connect_timeout,
        )
        return PooledBackend(driver, pool_size)  # type: ignore[arg-type]

    return database(name, make)


def mysql(
    name: str,
    url: str | None = None,
    *,
    pool_size: int = 4,
    connect_timeout: float = 10.0,
    **options: object,
) -> Component:
    """Declare a MySQL or MariaDB database (PyMySQL; extra ``mysql``).

    Placeholders: ``%s`` and ``%(name)s``. Boot fails if the server cannot be reached.

    Args:
        name: the name commands use.
        url: ``mysql://user:password@host:3306/database`` (optional).
        pool_size: at most this many connections (and concurrent statements).
        connect_timeout: seconds to wait for a connection.
        **options: PyMySQL ``connect()`` options (``host``, ``port``, ``user``,
            ``password``, ``database``, ...), overriding the URL's.

    Raises:
        ValueError: an option is wrong (the message names it).
    """
    _pool_options("sql.mysql", name, pool_size, connect_timeout)
    from .backends._pooled import PooledBackend  # noqa: PLC0415 - drivers load on use
    from .backends.mysql import MysqlDriver, parse_url  # noqa: PLC0415

    settings = {**(parse_url(url) if url else {}), "connect_timeout": connect_timeout, **options}
    return database(name, lambda: PooledBackend(MysqlDriver(name, settings), pool_size))


_NAME = text(non_empty=True)
_SECONDS = duration(finite=True)


def _pool_options(factory: str, name: object, pool_size: object, timeout: object) -> None:
    _NAME.option(factory, "name", name)
    integer(minimum=1).option(f"{factory}({name!r})", "pool_size", pool_size)
    duration(finite=True, positive=True).option(f"{factory}({name!r})", "connect_timeout", timeout)


def module() -> Component:
    """Only the sql handlers, with no database (tests that fake sql commands use it)."""
    return handlers_only()


__all__ = [
    "Begin",
    "ExecResult",
    "Execute",
    "Isolation",
    "Prepare",
    "Query",
    "Rows",
    "SqlArgumentError",
    "SqlConnectionError",
    "SqlError",
    "SqlOutcomeUnknownError",
    "Stmt",
    "StmtClose",
    "StmtExecute",
    "StmtQuery",
    "Tx",
    "TxCommit",
    "TxExecute",
    "TxPrepare",
    "TxQuery",
    "TxRelease",
    "TxRollback",
    "TxRollbackTo",
    "TxSavepoint",
    "module",
    "mysql",
    "postgres",
    "sqlite",
]
