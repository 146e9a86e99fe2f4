"""The errors the sql module raises.

::

    actorkit.CommandError
     └─ actorkit.errors.ModuleError
         └─ SqlError                    a statement or a transaction step failed
             ├─ SqlArgumentError        a field of the command is wrong, found when it is
             │                          built (also ModuleArgumentError, ValueError)
             └─ SqlConnectionError      the connection to the server was lost or never made
                 └─ SqlOutcomeUnknownError  lost after an autocommit statement or a COMMIT
                                            was sent: it may or may not have taken effect

Every ``SqlError`` names the command and its ID, the database, the statement and the
backend's own code: the SQLSTATE on PostgreSQL (``"23505"``), the errno on MySQL/MariaDB
(``"1062"``), the error name on SQLite (``"SQLITE_CONSTRAINT_UNIQUE"``). When the driver
rejected the call before it reached the database (a wrong number of parameters, say),
``code`` is the driver's exception class name (``"ProgrammingError"`` on all three).
Misuse found by actorkit itself (an unknown database, a finished transaction) has
``code=None``. Nothing is retried behind the caller's back: a statement that failed ran
at most once. As with every :class:`~actorkit.errors.ModuleError`, ``command`` is the
command (``Query (id=100)``) or the step (``opening``) that failed, and ``detail`` the
backend's message; ``str()`` adds the database, the code and the statement.
"""

from __future__ import annotations

from actorkit.errors import CommandError, ModuleArgumentError, ModuleError

STATEMENT_SHOWN = 200  # characters of the statement quoted in a message


class SqlError(ModuleError):
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
        # The whole message is the exception's argument (and str()), as before the base.
        CommandError.__init__(self, _message(what, detail, database, statement, code, backend))
        self.detail = detail
        self.command = self.what = what
        self.database = database
        self.statement = statement
        self.code = code
        self.backend = backend

    __str__ = CommandError.__str__

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

    The broken connection is discarded; the next call gets a fresh one. Inside a
    transaction, the server rolled the transaction back: nothing of it was committed.
    """


class SqlOutcomeUnknownError(SqlConnectionError):
    """The connection was lost after an autocommit statement (``Query``, ``Execute``,
    ``StmtQuery``, ``StmtExecute``) or a ``TxCommit`` was sent, before its answer came:
    it may or may not have taken effect. It is not run again; look at the data to find out.
    """


class SqlArgumentError(SqlError, ModuleArgumentError):
    """A field of the command has the wrong type or value (raised when it is built).

    The message names the command, its ID, the field and the value; ``database`` is the
    empty string (the command never reached one).
    """

    def __init__(self, command: str, field: str, expected: str, value: object) -> None:
        ModuleArgumentError.__init__(self, command, field, expected, value)
        self.what = command
        self.database = ""
        self.statement = self.code = self.backend = None

    def __str__(self) -> str:
        return ModuleArgumentError.__str__(self)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the constructor's arguments."""
        return ModuleArgumentError.__reduce__(self)


def outcome_unknown(lost: SqlConnectionError) -> SqlOutcomeUnknownError:
    """``lost`` (a connection lost after its statement was sent) as an outcome unknown."""
    detail = (
        "the connection was lost before the answer came, so it may or may not have taken "
        f"effect (it is not run again): {lost.detail}"
    )
    return SqlOutcomeUnknownError(
        lost.what,
        detail,
        database=lost.database,
        statement=lost.statement,
        code=lost.code,
        backend=lost.backend,
    )


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
