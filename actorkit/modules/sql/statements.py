"""Statements for other modules: a declared database used directly, without commands.

A module that keeps its own tables in an application's database (the workflow journal)
runs its statements here rather than through commands (it is not a process) and rather
than through the sql module's internals::

    db = sql.statements(node, "main", what="workflow journal")
    await db.execute("INSERT INTO t VALUES (?)", 1)        # autocommit
    async with db.transaction() as tx:                    # one connection, one transaction
        await tx.execute("UPDATE t SET n = n + 1")
        rows = await tx.query("SELECT n FROM t")

Statement text goes to the driver unchanged: ``?`` placeholders on SQLite, ``%s`` on
PostgreSQL and MySQL (``kind`` says which). Failures raise :class:`~.errors.SqlError`
naming ``what``, the database and the statement, as the commands' errors do.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import trio

from .backends.base import Backend, Op, Session
from .errors import SqlError
from .handles import Isolation
from .rows import ExecResult, Rows
from .state import databases

if TYPE_CHECKING:
    from actorkit import Node


class Statements:
    """Statements on one database, autocommit or (from :meth:`transaction`) in one
    transaction. Every method is a checkpoint; cancelling one stops the statement on
    the server and leaves the connection usable.

    Attributes:
        db: the database's declared name.
        kind: ``"sqlite"``, ``"postgres"`` or ``"mysql"`` (its placeholders).
        what: how errors name the caller (``"workflow journal"``).
    """

    def __init__(
        self, db: str, backend: Backend, what: str, session: Session | None = None
    ) -> None:
        self.db = db
        self.kind = backend.kind
        self.what = what
        self._backend = backend
        self._session = session

    async def execute(self, sql: str, *params: object) -> ExecResult:
        """Run a statement; its :class:`ExecResult`. A checkpoint."""
        result = await self._run(Op(self.what, self.db, sql, params, rows=False))
        assert isinstance(result, ExecResult)
        return result

    async def query(self, sql: str, *params: object) -> Rows:
        """Run a query; its :class:`Rows`. A checkpoint."""
        result = await self._run(Op(self.what, self.db, sql, params, rows=True))
        assert isinstance(result, Rows)
        return result

    async def _run(self, op: Op) -> Rows | ExecResult:
        if self._session is not None:
            return await self._session.run(op)
        return await self._backend.run(op)

    @asynccontextmanager
    async def transaction(self) -> AsyncGenerator[Statements, None]:
        """A transaction: statements on what it yields run in it; committed when the
        block ends, rolled back (shielded from cancellation) when it raises or is
        cancelled. A checkpoint on entry and exit.

        Raises:
            SqlError: already in a transaction (no nesting), or BEGIN/COMMIT failed.
        """
        if self._session is not None:
            raise SqlError(self.what, "transactions do not nest", database=self.db)
        begin = Op(self.what, self.db, "BEGIN")
        session = await self._backend.begin(begin, Isolation.DEFAULT, False)
        try:
            yield Statements(self.db, self._backend, self.what, session)
        except BaseException:
            with trio.CancelScope(shield=True):
                await session.end(Op(self.what, self.db, "ROLLBACK"), commit=False)
            raise
        await session.end(Op(self.what, self.db, "COMMIT"), commit=True)


def statements(node: Node, db: str, *, what: str) -> Statements:
    """Statements on database ``db`` of ``node`` (declared with ``sql.sqlite``,
    ``sql.postgres`` … and started: call it from a component that ``depends_on``
    ``sql.<db>``).

    Args:
        node: the node the database was declared on.
        db: its declared name.
        what: how the caller is named in errors (``"workflow journal"``).

    Raises:
        SqlError: no database has that name on the node.
    """
    found = databases(node).get(db)
    if found is None:
        known = ", ".join(sorted(databases(node))) or "none"
        raise SqlError(what, f"no database named {db!r} (declared: {known})", database=db)
    return Statements(db, found.backend, what)
