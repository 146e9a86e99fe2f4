"""sql commands (IDs 100–119; 100–111 numbered as in Wippy, savepoints at 112–114).

``db`` names a database declared at boot (``sql.sqlite("main", ...)``). Placeholders are
passed to the driver unchanged: ``?`` or ``:name`` on SQLite, ``%s`` or ``%(name)s`` on
PostgreSQL (psycopg) and MySQL/MariaDB (PyMySQL). Parameters are always bound by the
driver, never pasted into the text. With no parameters the text is sent as is.
"""

from __future__ import annotations

import attrs

from actorkit._core._command import Command, command, declare_range

from .handles import Isolation, Stmt, Tx
from .rows import ExecResult, ParamsIn, Rows, to_params

declare_range("sql", 100, 119)


@command(id=100, module="sql")
class Query(Command[Rows]):
    """Run a statement that returns rows, outside any transaction (autocommit)."""

    db: str
    sql: str
    params: ParamsIn = attrs.field(default=(), converter=to_params)


@command(id=101, module="sql")
class Execute(Command[ExecResult]):
    """Run a statement for its effect, outside any transaction (autocommit)."""

    db: str
    sql: str
    params: ParamsIn = attrs.field(default=(), converter=to_params)


@command(id=102, module="sql")
class Prepare(Command[Stmt]):
    """Prepare a statement to run many times with ``StmtQuery`` / ``StmtExecute``."""

    db: str
    sql: str


@command(id=103, module="sql")
class Begin(Command[Tx]):
    """Begin a transaction owned by the calling process.

    If the process exits with it open, it is rolled back and its connection returned.
    """

    db: str
    isolation: Isolation = Isolation.DEFAULT
    read_only: bool = False


@command(id=104, module="sql")
class StmtQuery(Command[Rows]):
    """Run a prepared statement that returns rows."""

    stmt: Stmt
    params: ParamsIn = attrs.field(default=(), converter=to_params)


@command(id=105, module="sql")
class StmtExecute(Command[ExecResult]):
    """Run a prepared statement for its effect."""

    stmt: Stmt
    params: ParamsIn = attrs.field(default=(), converter=to_params)


@command(id=106, module="sql")
class StmtClose(Command[bool]):
    """Close a prepared statement; True if it was open."""

    stmt: Stmt


@command(id=107, module="sql")
class TxQuery(Command[Rows]):
    """Run a statement that returns rows inside the transaction."""

    tx: Tx
    sql: str
    params: ParamsIn = attrs.field(default=(), converter=to_params)


@command(id=108, module="sql")
class TxExecute(Command[ExecResult]):
    """Run a statement for its effect inside the transaction."""

    tx: Tx
    sql: str
    params: ParamsIn = attrs.field(default=(), converter=to_params)


@command(id=109, module="sql")
class TxPrepare(Command[Stmt]):
    """Prepare a statement that runs inside the transaction (closed when it ends)."""

    tx: Tx
    sql: str


@command(id=110, module="sql")
class TxCommit(Command[None]):
    """Commit the transaction and return its connection. If the commit fails, the
    transaction is rolled back and the call raises."""

    tx: Tx


@command(id=111, module="sql")
class TxRollback(Command[None]):
    """Roll the transaction back and return its connection."""

    tx: Tx


@command(id=112, module="sql")
class TxSavepoint(Command[None]):
    """Set a savepoint named ``name`` (letters, digits and ``_``) in the transaction."""

    tx: Tx
    name: str


@command(id=113, module="sql")
class TxRollbackTo(Command[None]):
    """Undo the work done since savepoint ``name``; the transaction stays open."""

    tx: Tx
    name: str


@command(id=114, module="sql")
class TxRelease(Command[None]):
    """Forget savepoint ``name``, keeping its work in the transaction."""

    tx: Tx
    name: str


__all__ = [
    "Begin",
    "Execute",
    "Prepare",
    "Query",
    "StmtClose",
    "StmtExecute",
    "StmtQuery",
    "TxCommit",
    "TxExecute",
    "TxPrepare",
    "TxQuery",
    "TxRelease",
    "TxRollback",
    "TxRollbackTo",
    "TxSavepoint",
]
