"""Boot components: each declared database is one component, named ``sql.<name>``.

The first sql component to load registers the module's handlers (``TABLE``); the database
is put in the node's table at load, opened at start and closed at stop (after every process
has exited and rolled back). ``module()`` is the handlers with no database.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from actorkit.checks import duration, integer, text
from actorkit.errors import BootError
from actorkit.lowlevel import Boot, Component, handlers

from ._database import Database
from .backends.base import Backend
from .dispatcher import TABLE
from .state import databases

if TYPE_CHECKING:
    from .backends._pooled import Driver


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
    from .backends.postgres import PostgresDriver  # noqa: PLC0415 - the driver loads on use

    driver = partial(
        PostgresDriver,
        name,
        dsn,
        pool_size=pool_size,
        min_size=min_size,
        application_name=application_name,
        connect_timeout=connect_timeout,
    )
    return _pooled(name, pool_size, driver)


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
    from .backends.mysql import MysqlDriver, parse_url  # noqa: PLC0415 - the driver loads on use

    settings = {**(parse_url(url) if url else {}), "connect_timeout": connect_timeout, **options}
    return _pooled(name, pool_size, partial(MysqlDriver, name, settings))


_NAME = text(non_empty=True)
_SECONDS = duration(finite=True)


def _pool_options(factory: str, name: object, pool_size: object, timeout: object) -> None:
    _NAME.option(factory, "name", name)
    integer(minimum=1).option(f"{factory}({name!r})", "pool_size", pool_size)
    duration(finite=True, positive=True).option(f"{factory}({name!r})", "connect_timeout", timeout)


def module() -> Component:
    """Only the sql handlers, with no database (tests that fake sql commands use it)."""
    return handlers("sql", TABLE)


def database(name: str, make_backend: Callable[[], Backend]) -> Component:
    """The component of one database; ``make_backend`` runs at load."""

    def load(boot: Boot) -> None:
        boot.register_table(TABLE)
        table = databases(boot.node)
        if name in table:
            raise BootError(f"two sql databases are named {name!r}")
        table[name] = Database(name, make_backend())

    async def start(boot: Boot) -> None:
        await databases(boot.node)[name].open()

    async def stop(boot: Boot) -> None:
        await databases(boot.node).pop(name).close()

    return Component(f"sql.{name}", load=load, start=start, stop=stop)


def _pooled(name: str, pool_size: int, driver: Callable[[], Driver[Any]]) -> Component:
    from .backends._pooled import PooledBackend  # noqa: PLC0415 - drivers load on use

    return database(name, lambda: PooledBackend(driver(), pool_size))
