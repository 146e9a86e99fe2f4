"""sql handlers: one per command, each finding its database by name."""

from __future__ import annotations

from typing import cast

import attrs

from actorkit.checks import label
from actorkit.lowlevel import HandlerContext, HandlerTable, Receiver

from ._database import Database, TxState
from .backends.base import Op
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
from .errors import SqlError
from .handles import Stmt, Tx
from .rows import ExecResult, Rows
from .state import databases


def _what(cmd: object) -> str:
    return f"{type(cmd).__name__} (id={type(cmd).ID})"  # type: ignore[attr-defined]


def _db(ctx: HandlerContext, name: str, cmd: object) -> Database:
    db = databases(ctx.node).get(name)
    if db is None:
        known = ", ".join(repr(n) for n in databases(ctx.node)) or "none"
        what = cmd if isinstance(cmd, str) else _what(cmd)
        raise SqlError(what, f"no database named {name!r} (declared: {known})", database=name)
    return db


@attrs.define
class _Statements:
    """The prepared statements a process holds (dropped with the process)."""

    open: set[tuple[str, int]] = attrs.field(factory=set[tuple[str, int]])


# -- autocommit ---------------------------------------------------------------------------------


def handle_query(ctx: HandlerContext, cmd: Query, tag: int, rcv: Receiver) -> None:
    """Run a query outside any transaction."""
    op = Op(_QUERY, cmd.db, cmd.sql, cmd.params, rows=True)
    _db(ctx, cmd.db, cmd).start(ctx, op, tag, rcv)


def handle_execute(ctx: HandlerContext, cmd: Execute, tag: int, rcv: Receiver) -> None:
    """Run a statement for its effect outside any transaction."""
    op = Op(_EXECUTE, cmd.db, cmd.sql, cmd.params)
    _db(ctx, cmd.db, cmd).start(ctx, op, tag, rcv)


_QUERY = label(Query)
_EXECUTE = label(Execute)


# -- prepared statements ------------------------------------------------------------------------


def handle_prepare(ctx: HandlerContext, cmd: Prepare, tag: int, rcv: Receiver) -> None:
    """Name a statement for repeated use (prepared on the server on first run)."""
    db = _db(ctx, cmd.db, cmd)
    stmt = Stmt(cmd.db, db.new_id(), cmd.sql)
    ctx.local(_Statements).open.add((stmt.db, stmt.id))
    rcv.complete_yield(tag, stmt, None)


def handle_tx_prepare(ctx: HandlerContext, cmd: TxPrepare, tag: int, rcv: Receiver) -> None:
    """Name a statement for repeated use inside a transaction."""
    db, state = _tx(ctx, cmd.tx, cmd)
    stmt = Stmt(db.name, db.new_id(), cmd.sql, state.id)
    ctx.local(_Statements).open.add((stmt.db, stmt.id))
    rcv.complete_yield(tag, stmt, None)


def handle_stmt_query(ctx: HandlerContext, cmd: StmtQuery, tag: int, rcv: Receiver) -> None:
    """Run a prepared query."""
    _start_stmt(
        ctx,
        cmd,
        cmd.stmt,
        Op(_what(cmd), cmd.stmt.db, cmd.stmt.sql, cmd.params, rows=True, prepare=True),
        tag,
        rcv,
    )


def handle_stmt_execute(ctx: HandlerContext, cmd: StmtExecute, tag: int, rcv: Receiver) -> None:
    """Run a prepared statement for its effect."""
    _start_stmt(
        ctx,
        cmd,
        cmd.stmt,
        Op(_what(cmd), cmd.stmt.db, cmd.stmt.sql, cmd.params, prepare=True),
        tag,
        rcv,
    )


def _start_stmt(
    ctx: HandlerContext, cmd: object, stmt: Stmt, op: Op, tag: int, rcv: Receiver
) -> None:
    db = _db(ctx, stmt.db, cmd)
    if (stmt.db, stmt.id) not in ctx.local(_Statements).open:
        raise SqlError(
            op.what, f"statement {stmt.id} is not open in this process", database=db.name
        )
    if stmt.tx is None:
        db.start(ctx, op, tag, rcv)
    else:
        ctx.start_soon(tag, _complete_tx, db, db.state(ctx, stmt.tx, op.what), op, tag, rcv)


async def _complete_tx(db: Database, state: TxState, op: Op, tag: int, rcv: Receiver) -> None:
    rcv.complete_yield(tag, await db.tx_run(state, op), None)


def handle_stmt_close(ctx: HandlerContext, cmd: StmtClose, tag: int, rcv: Receiver) -> None:
    """Forget a prepared statement."""
    held = ctx.local(_Statements).open
    key = (cmd.stmt.db, cmd.stmt.id)
    was_open = key in held
    held.discard(key)
    rcv.complete_yield(tag, was_open, None)


# -- transactions --------------------------------------------------------------------------------


def _tx(ctx: HandlerContext, tx: Tx, cmd: object) -> tuple[Database, TxState]:
    db = _db(ctx, tx.db, cmd)
    return db, db.state(ctx, tx.id, _what(cmd))


async def handle_begin(ctx: HandlerContext, cmd: Begin) -> Tx:
    """Begin a transaction owned by the caller."""
    return await _db(ctx, cmd.db, cmd).begin(ctx, _what(cmd), cmd.isolation, cmd.read_only)


async def handle_tx_query(ctx: HandlerContext, cmd: TxQuery) -> Rows:
    """Run a query inside the transaction."""
    db, state = _tx(ctx, cmd.tx, cmd)
    op = Op(_what(cmd), db.name, cmd.sql, cmd.params, rows=True)
    return cast("Rows", await db.tx_run(state, op))


async def handle_tx_execute(ctx: HandlerContext, cmd: TxExecute) -> ExecResult:
    """Run a statement for its effect inside the transaction."""
    db, state = _tx(ctx, cmd.tx, cmd)
    op = Op(_what(cmd), db.name, cmd.sql, cmd.params)
    return cast("ExecResult", await db.tx_run(state, op))


async def handle_tx_commit(ctx: HandlerContext, cmd: TxCommit) -> None:
    """Commit and return the connection."""
    db, state = _tx(ctx, cmd.tx, cmd)
    await db.finish(state, _what(cmd), commit=True)


async def handle_tx_rollback(ctx: HandlerContext, cmd: TxRollback) -> None:
    """Roll back and return the connection."""
    db, state = _tx(ctx, cmd.tx, cmd)
    await db.finish(state, _what(cmd), commit=False)


async def handle_tx_savepoint(ctx: HandlerContext, cmd: TxSavepoint) -> None:
    """``SAVEPOINT name``."""
    await _savepoint(ctx, cmd, cmd.tx, "SAVEPOINT {}", cmd.name)


async def handle_tx_rollback_to(ctx: HandlerContext, cmd: TxRollbackTo) -> None:
    """``ROLLBACK TO SAVEPOINT name``."""
    await _savepoint(ctx, cmd, cmd.tx, "ROLLBACK TO SAVEPOINT {}", cmd.name)


async def handle_tx_release(ctx: HandlerContext, cmd: TxRelease) -> None:
    """``RELEASE SAVEPOINT name``."""
    await _savepoint(ctx, cmd, cmd.tx, "RELEASE SAVEPOINT {}", cmd.name)


async def _savepoint(ctx: HandlerContext, cmd: object, tx: Tx, template: str, name: str) -> None:
    db, state = _tx(ctx, tx, cmd)
    await db.tx_run(state, Op(_what(cmd), db.name, template.format(name)))  # checked at build


TABLE: HandlerTable = {
    Query: handle_query,
    Execute: handle_execute,
    Prepare: handle_prepare,
    Begin: handle_begin,
    StmtQuery: handle_stmt_query,
    StmtExecute: handle_stmt_execute,
    StmtClose: handle_stmt_close,
    TxQuery: handle_tx_query,
    TxExecute: handle_tx_execute,
    TxPrepare: handle_tx_prepare,
    TxCommit: handle_tx_commit,
    TxRollback: handle_tx_rollback,
    TxSavepoint: handle_tx_savepoint,
    TxRollbackTo: handle_tx_rollback_to,
    TxRelease: handle_tx_release,
}
