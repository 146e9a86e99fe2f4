"""The sql module (IDs 100–119): SQLite, PostgreSQL and MySQL/MariaDB databases.

Databases are named resources declared at boot::

    actorkit.run(main, modules=[sql.sqlite("main", "app.db")])

and used from processes by commands::

    rows = await proc.call(sql.Query("main", "SELECT id, name FROM users WHERE id = ?", (7,)))

Another module that keeps tables in a declared database runs its statements through
:func:`statements` (a :class:`Statements`), the one door into a database besides the
commands.

See ``docs/guides/sql.md``.
"""

from __future__ import annotations

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
from .components import module, mysql, postgres, sqlite
from .errors import SqlArgumentError, SqlConnectionError, SqlError, SqlOutcomeUnknownError
from .handles import Isolation, Stmt, Tx
from .rows import ExecResult, Rows
from .statements import Statements, statements

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
    "Statements",
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
    "statements",
]
