"""sql commands (IDs 100–119; 100–111 numbered as in Wippy, savepoints at 112–114).

``db`` names a database declared at boot (``sql.sqlite("main", ...)``). Placeholders are
passed to the driver unchanged: ``?`` or ``:name`` on SQLite, ``%s`` or ``%(name)s`` on
PostgreSQL (psycopg) and MySQL/MariaDB (PyMySQL). Parameters are always bound by the
driver, never pasted into the text. With no parameters the text is sent as is.

Every field is checked when the command is built: a wrong one raises
:class:`~.errors.SqlArgumentError` (a ``CommandArgumentError``) naming the command, its ID
and the field. Names (``db``) and statements are non-empty strings; parameters are a
sequence (not a string), a mapping with string keys, or None; ``isolation`` is an
:class:`Isolation` or its name (``"SERIALIZABLE"``, ``"read committed"``).
"""

from __future__ import annotations

import attrs

from actorkit.lowlevel import Command, command, declare_range

from .checks import (
    DB,
    ISOLATION,
    PARAMS,
    READ_ONLY,
    SAVEPOINT,
    SQL,
    STMT,
    TX,
    to_isolation,
    to_params,
)
from .handles import Isolation, Stmt, Tx
from .rows import ExecResult, ParamsIn, Rows

declare_range("sql", 100, 119)


@command(id=100, module="sql")
class Query(Command[Rows]):
    """Run a statement that returns rows, outside any transaction (autocommit)."""

    db: str = attrs.field(validator=DB)
    sql: str = attrs.field(validator=SQL)
    params: ParamsIn = attrs.field(default=(), converter=to_params, validator=PARAMS)


@command(id=101, module="sql")
class Execute(Command[ExecResult]):
    """Run a statement for its effect, outside any transaction (autocommit)."""

    db: str = attrs.field(validator=DB)
    sql: str = attrs.field(validator=SQL)
    params: ParamsIn = attrs.field(default=(), converter=to_params, validator=PARAMS)


@command(id=102, module="sql")
class Prepare(Command[Stmt]):
    """Prepare a statement to run many times with ``StmtQuery`` / ``StmtExecute``."""

    db: str = attrs.field(validator=DB)
    sql: str = attrs.field(validator=SQL)


@command(id=103, module="sql")
class Begin(Command[Tx]):
    """Begin a transaction owned by the calling process, at level ``isolation``.

    If the process exits with it open, it is rolled back and its connection returned.
    PostgreSQL and MySQL/MariaDB run the level named (``DEFAULT``: the server's default);
    SQLite runs every level as SERIALIZABLE, its only one (stricter than asked, which the
    SQL standard allows).
    """

    db: str = attrs.field(validator=DB)
    isolation: Isolation = attrs.field(
        default=Isolation.DEFAULT, converter=to_isolation, validator=ISOLATION
    )
    read_only: bool = attrs.field(default=False, validator=READ_ONLY)


@command(id=104, module="sql")
class StmtQuery(Command[Rows]):
    """Run a prepared statement that returns rows."""

    stmt: Stmt = attrs.field(validator=STMT)
    params: ParamsIn = attrs.field(default=(), converter=to_params, validator=PARAMS)


@command(id=105, module="sql")
class StmtExecute(Command[ExecResult]):
    """Run a prepared statement for its effect."""

    stmt: Stmt = attrs.field(validator=STMT)
    params: ParamsIn = attrs.field(default=(), converter=to_params, validator=PARAMS)


@command(id=106, module="sql")
class StmtClose(Command[bool]):
    """Close a prepared statement; True if it was open."""

    stmt: Stmt = attrs.field(validator=STMT)


@command(id=107, module="sql")
class TxQuery(Command[Rows]):
    """Run a statement that returns rows inside the transaction."""

    tx: Tx = attrs.field(validator=TX)
    sql: str = attrs.field(validator=SQL)
    params: ParamsIn = attrs.field(default=(), converter=to_params, validator=PARAMS)


@command(id=108, module="sql")
class TxExecute(Command[ExecResult]):
    """Run a statement for its effect inside the transaction."""

    tx: Tx = attrs.field(validator=TX)
    sql: str = attrs.field(validator=SQL)
    params: ParamsIn = attrs.field(default=(), converter=to_params, validator=PARAMS)


@command(id=109, module="sql")
class TxPrepare(Command[Stmt]):
    """Prepare a statement that runs inside the transaction (closed when it ends)."""

    tx: Tx = attrs.field(validator=TX)
    sql: str = attrs.field(validator=SQL)


@command(id=110, module="sql")
class TxCommit(Command[None]):
    """Commit the transaction and return its connection. If the commit fails, the
    transaction is rolled back and the call raises."""

    tx: Tx = attrs.field(validator=TX)


@command(id=111, module="sql")
class TxRollback(Command[None]):
    """Roll the transaction back and return its connection."""

    tx: Tx = attrs.field(validator=TX)


@command(id=112, module="sql")
class TxSavepoint(Command[None]):
    """Set a savepoint named ``name`` (letters, digits and ``_``) in the transaction."""

    tx: Tx = attrs.field(validator=TX)
    name: str = attrs.field(validator=SAVEPOINT)


@command(id=113, module="sql")
class TxRollbackTo(Command[None]):
    """Undo the work done since savepoint ``name``; the transaction stays open."""

    tx: Tx = attrs.field(validator=TX)
    name: str = attrs.field(validator=SAVEPOINT)


@command(id=114, module="sql")
class TxRelease(Command[None]):
    """Forget savepoint ``name``, keeping its work in the transaction."""

    tx: Tx = attrs.field(validator=TX)
    name: str = attrs.field(validator=SAVEPOINT)


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
