"""What a database backend provides: autocommit statements and transactions (sessions).

A backend owns its connections. ``run`` borrows one for a single statement in autocommit
mode; ``begin`` checks one out for a transaction and returns a :class:`Session` that keeps
it until ``end``. Every method is a checkpoint; cancelling one stops the statement on the
server (SQLite ``interrupt()``, PostgreSQL cancel, MySQL ``KILL QUERY``) and returns only
after the connection is idle again, so the connection stays usable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeAlias

from actorkit.lowlevel import Cancellable, Receiver

from ..handles import Isolation
from ..rows import ExecResult, ParamsIn, Rows

Result: TypeAlias = Rows | ExecResult


class Op:
    """One statement to run, with what the error messages need to say about it.

    A plain slotted class rather than attrs data: one is made per statement.

    Attributes:
        what: the command, e.g. ``"Query (id=100)"``.
        db: the database's declared name.
        sql: the statement text, passed to the driver unchanged.
        params: bound parameters.
        rows: True to return :class:`Rows`, False for an :class:`ExecResult`.
        prepare: ask the driver to prepare it on the server (PostgreSQL), when it can.
    """

    __slots__ = ("db", "params", "prepare", "rows", "sql", "what")

    def __init__(
        self,
        what: str,
        db: str,
        sql: str,
        params: ParamsIn = (),
        rows: bool = False,
        prepare: bool = False,
    ) -> None:
        self.what = what
        self.db = db
        self.sql = sql
        self.params = params
        self.rows = rows
        self.prepare = prepare

    def __repr__(self) -> str:
        return f"Op({self.what!r}, {self.db!r}, {self.sql!r}, {self.params!r})"


class Session(Protocol):
    """A connection checked out for one transaction."""

    async def run(self, op: Op) -> Result:
        """Run a statement inside the transaction."""
        ...

    async def end(self, op: Op, commit: bool) -> None:
        """Commit (or roll back) and give the connection back, whatever happens.

        If the commit fails the transaction is rolled back and the error raised.
        """
        ...


class Backend(Protocol):
    """A database engine behind the sql module."""

    kind: str
    """``"sqlite"``, ``"postgres"`` or ``"mysql"``: named in every error."""
    single_connection: bool
    """True when a transaction takes the only connection (SQLite)."""

    async def open(self) -> None:
        """Connect (at boot); raises SqlConnectionError when the server cannot be reached."""
        ...

    async def aclose(self) -> None:
        """Close every connection; idempotent."""
        ...

    async def run(self, op: Op) -> Result:
        """Run one statement in autocommit mode."""
        ...

    def submit(self, op: Op, receiver: Receiver, tag: int) -> Cancellable | None:
        """Start one autocommit statement as the work of call ``tag`` without a task, if
        the backend can now; it completes the call with ``receiver.complete_yield``.

        Returns None when it cannot (the caller then awaits :meth:`run` in a task).
        """
        ...

    async def begin(self, op: Op, isolation: Isolation, read_only: bool) -> Session:
        """Check a connection out and begin a transaction on it."""
        ...


def to_result(
    op: Op,
    description: Sequence[Sequence[Any]] | Sequence[Any] | None,
    fetched: list[tuple[Any, ...]],
    rowcount: int,
    last_id: object,
) -> Result:
    """Build the Rows or ExecResult for ``op`` from what a DB-API cursor reported."""
    if op.rows:
        columns = tuple(str(col[0]) for col in description) if description else ()
        return Rows(columns, fetched)
    return ExecResult(max(rowcount, 0), last_id if isinstance(last_id, int) else None)
