"""The errors the sql module raises.

::

    actorkit.CommandError
     └─ SqlError                  a statement or a transaction step failed
         └─ SqlConnectionError    the connection to the server was lost or never made

Every ``SqlError`` names the command and its ID, the database, the statement and the
backend's own code: the SQLSTATE on PostgreSQL (``"23505"``), the errno on MySQL/MariaDB
(``"1062"``), the error name on SQLite (``"SQLITE_CONSTRAINT_UNIQUE"``). When the driver
rejected the call before it reached the database (a wrong number of parameters, say),
``code`` is the driver's exception class name (``"ProgrammingError"`` on all three).
Misuse found by actorkit itself (an unknown database, a finished transaction) has
``code=None``.
"""

from __future__ import annotations

from actorkit._core._exceptions import CommandError

STATEMENT_SHOWN = 200  # characters of the statement quoted in a message


class SqlError(CommandError):
    """A statement or a transaction step failed; only the call that ran it fails.

    Attributes:
        database: the name the database was declared under (``"main"``).
        statement: the SQL text, or None when no statement was involved.
        code: the backend's code (SQLSTATE, errno, SQLite error name), see the module doc.
        backend: ``"sqlite"``, ``"postgres"`` or ``"mysql"`` (None for misuse errors).
        detail: the backend's own message.
    """

    def __init__(
        self,
        what: str,
        detail: str,
        *,
        database: str,
        statement: str | None = None,
        code: str | None = None,
        backend: str | None = None,
    ) -> None:
        super().__init__(_message(what, detail, database, statement, code, backend))
        self.what = what
        self.database = database
        self.statement = statement
        self.code = code
        self.backend = backend
        self.detail = detail

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the keyword arguments (errors may cross process boundaries)."""
        keywords = {
            "database": self.database,
            "statement": self.statement,
            "code": self.code,
            "backend": self.backend,
        }
        return (_rebuild, (type(self), self.what, self.detail, keywords))


class SqlConnectionError(SqlError):
    """The connection was lost (server restart, terminated backend) or could not be made.

    The broken connection is discarded; the next call gets a fresh one.
    """


def _rebuild(
    cls: type[SqlError], what: str, detail: str, keywords: dict[str, str | None]
) -> SqlError:
    return cls(what, detail, **keywords)  # type: ignore[arg-type]


def _message(
    what: str,
    detail: str,
    database: str,
    statement: str | None,
    code: str | None,
    backend: str | None,
) -> str:
    where = f"{what} on {database!r}" + (f" ({backend})" if backend else "")
    coded = f"[{code}] {detail}" if code else detail
    if statement is None:
        return f"{where}: {coded}"
    shown = statement if len(statement) <= STATEMENT_SHOWN else statement[:STATEMENT_SHOWN] + "…"
    return f"{where}: {coded}; statement: {shown}"
