"""The MySQL/MariaDB backend: PyMySQL (blocking, pure Python) from threads.

PyMySQL has no pool, so this module keeps a small one: idle connections are reused,
checked without a round trip before use (one the server closed, by ``KILL`` or a
timeout, has an end of stream to read: it is dropped), pinged when they sat idle a
while, and dropped when broken. Connections run in autocommit mode; transactions are
explicit ``[SET TRANSACTION ISOLATION LEVEL …;] START TRANSACTION`` … ``COMMIT``.
Cancelling a statement sends ``KILL QUERY <thread id>`` from a second connection; the
first one stays usable. PyMySQL formats parameters on the client (``%s``, escaped),
so there are no server-side prepared statements: ``Prepare`` only names the text. A
parameter of a type it has no encoder for is refused (PyMySQL itself would send its
``str()``), as SQLite and psycopg refuse it: a SqlError with code ``ProgrammingError``.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Sequence
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from actorkit.errors import MissingExtraError

from ..errors import SqlConnectionError, SqlError
from ..handles import Isolation
from ._alive import has_input
from .base import Op, Result, to_result

try:
    # PyMySQL ships no type information: it is used through the small Protocols below.
    pymysql: Any = importlib.import_module("pymysql")
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise MissingExtraError("the sql MySQL backend", "mysql") from exc

KIND = "mysql"
IN_TRANSACTION = 1  # pymysql.constants.SERVER_STATUS.SERVER_STATUS_IN_TRANS
PING_AFTER = 30.0  # seconds idle after which a pooled connection is pinged before use
_LOST = {0, 1927, 2006, 2013, 2055, 4031}  # closed, killed, gone away, lost, timed out
_LEVELS = {
    Isolation.READ_UNCOMMITTED: "READ UNCOMMITTED",
    Isolation.READ_COMMITTED: "READ COMMITTED",
    Isolation.REPEATABLE_READ: "REPEATABLE READ",
    Isolation.SERIALIZABLE: "SERIALIZABLE",
}


class Cursor(Protocol):
    """The part of a PyMySQL cursor used here."""

    description: Sequence[Sequence[Any]] | None
    rowcount: int
    lastrowid: int | None

    def __enter__(self) -> Cursor: ...
    def __exit__(self, *exc: object) -> None: ...
    def execute(self, query: str, args: object = None) -> int: ...
    def fetchall(self) -> Sequence[tuple[Any, ...]]: ...


class Conn(Protocol):
    """The part of a PyMySQL connection used here."""

    open: bool
    server_status: int
    encoders: dict[type, Any]

    def cursor(self) -> Cursor: ...
    def rollback(self) -> None: ...
    def close(self) -> None: ...
    def ping(self, reconnect: bool = True) -> None: ...
    def thread_id(self) -> int: ...


def parse_url(url: str) -> dict[str, Any]:
    """Connection options from ``mysql://user:password@host:port/database``."""
    parts = urlsplit(url)
    if parts.scheme not in ("mysql", "mariadb"):
        raise ValueError(f"not a mysql:// URL: {url!r}")
    options: dict[str, Any] = {"host": parts.hostname or "127.0.0.1", "port": parts.port or 3306}
    if parts.username:
        options["user"] = unquote(parts.username)
    if parts.password:
        options["password"] = unquote(parts.password)
    if parts.path.strip("/"):
        options["database"] = unquote(parts.path.strip("/"))
    return options


class MysqlDriver:
    """PyMySQL connections in a small pool of idle ones."""

    kind = KIND

    def __init__(self, db: str, options: dict[str, Any]) -> None:
        self.db = db
        self.options = {"charset": "utf8mb4", **options, "autocommit": True}
        self._idle: list[tuple[Conn, float]] = []
        self._lock = threading.Lock()

    def open(self) -> None:
        """Make the first connection, to fail at boot when the server is unreachable."""
        self.release(self.acquire(Op("opening", self.db, "")))

    def close(self) -> None:
        """Close every idle connection."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn, _ in idle:
            conn.close()

    def acquire(self, op: Op) -> Conn:
        """A live idle connection (pinged if it sat idle long), or a new one."""
        try:
            conn = self._idle_conn()
            if conn is None:
                return self._connect()
            return conn
        except pymysql.MySQLError as exc:
            raise _error(op, exc, None) from exc

    def _idle_conn(self) -> Conn | None:
        while True:
            with self._lock:
                if not self._idle:
                    return None
                conn, since = self._idle.pop()
            if _dropped(conn):
                conn.close()
                continue
            if time.monotonic() - since > PING_AFTER:
                conn.ping(reconnect=True)
            return conn

    def _connect(self) -> Conn:
        conn: Conn = pymysql.connect(**self.options)
        conn.encoders = _Encoders(conn.encoders)
        return conn

    def release(self, conn: Conn) -> None:
        """Roll back anything left open and keep the connection, unless it is broken."""
        if conn.open and conn.server_status & IN_TRANSACTION:
            try:
                conn.rollback()
            except pymysql.MySQLError:
                conn.close()
        if not conn.open:
            return
        with self._lock:
            self._idle.append((conn, time.monotonic()))

    def execute(self, conn: Conn, op: Op) -> Result:
        """Run ``op`` on ``conn``."""
        try:
            with conn.cursor() as cur:
                cur.execute(op.sql, op.params or None)
                fetched = list(cur.fetchall()) if op.rows and cur.description else []
                return to_result(op, cur.description, fetched, cur.rowcount, cur.lastrowid)
        except pymysql.MySQLError as exc:
            raise _error(op, exc, conn) from exc
        except TypeError as exc:  # a parameter without an encoder; nothing was sent
            raise SqlError(
                op.what,
                str(exc),
                database=op.db,
                statement=op.sql,
                code="ProgrammingError",
                backend=KIND,
            ) from exc

    def cancel(self, conn: Conn) -> None:
        """``KILL QUERY`` the statement running on ``conn``, from a new connection."""
        killer: Conn = pymysql.connect(**self.options)
        try:
            with killer.cursor() as cur:
                cur.execute("KILL QUERY %s", (conn.thread_id(),))
        finally:
            killer.close()

    def dropped(self, conn: Conn) -> bool:
        """True if the server dropped the idle ``conn`` (no round trip)."""
        return _dropped(conn)

    def begin_statements(self, isolation: Isolation, read_only: bool) -> Sequence[str]:
        """``SET TRANSACTION ISOLATION LEVEL …`` then ``START TRANSACTION [READ ONLY]``."""
        start = "START TRANSACTION READ ONLY" if read_only else "START TRANSACTION"
        if isolation in _LEVELS:
            return (f"SET TRANSACTION ISOLATION LEVEL {_LEVELS[isolation]}", start)
        return (start,)

    def finish(self, conn: Conn, op: Op, commit: bool) -> None:
        """COMMIT or ROLLBACK."""
        self.execute(conn, Op(op.what, op.db, "COMMIT" if commit else "ROLLBACK"))


class _Encoders(dict[type, Any]):
    """PyMySQL's encoders, looked up along the value's class hierarchy (an ``IntEnum`` is
    an ``int``); a type with none is refused instead of sent as its ``str()``."""

    def get(self, key: type, default: Any = None) -> Any:
        for base in key.__mro__:
            if base in self:
                return self[base]
        return _refuse


def _refuse(value: object, *args: object) -> str:
    raise TypeError(f"type {type(value).__name__!r} is not supported as a parameter")


def _dropped(conn: Conn) -> bool:
    sock = getattr(conn, "_sock", None)  # PyMySQL's socket; None once closed
    return sock is None or has_input(sock.fileno())


def _error(op: Op, exc: Exception, conn: Conn | None) -> SqlError:
    errno = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
    detail = str(exc.args[1]) if errno is not None and len(exc.args) > 1 else str(exc)
    code = str(errno) if errno is not None else type(exc).__name__
    lost = isinstance(exc, pymysql.OperationalError | pymysql.InterfaceError) and (
        errno in _LOST or errno == 2003 or (conn is not None and not conn.open)
    )
    cls = SqlConnectionError if lost else SqlError
    return cls(op.what, detail, database=op.db, statement=op.sql or None, code=code, backend=KIND)
