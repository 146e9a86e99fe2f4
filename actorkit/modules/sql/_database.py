"""A named database: its backend, its open transactions, and who owns them.

A transaction belongs to the process that began it. Each one has a guard running as
background work of that process (``ctx.start_background``): when the process exits
with the transaction still open, the guard rolls it back and returns the connection.
A statement inside a transaction that is cancelled rolls the whole transaction back
(PostgreSQL would leave it failed anyway), so the connection is never left mid-way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import structlog
import trio

from .backends.base import Backend, Op, Result, Session
from .errors import SqlConnectionError, SqlError, SqlOutcomeUnknownError
from .handles import Isolation, Tx

if TYPE_CHECKING:
    from actorkit import PID
    from actorkit.lowlevel import HandlerContext, Receiver

log = structlog.get_logger(__name__)
ROLLBACK_GRACE = 10.0  # seconds a cleanup rollback may take before the connection is dropped
ENDED_KEPT = 1024  # how many ended transactions keep their story for late calls


@attrs.define(eq=False)
class TxState:
    """An open transaction."""

    id: int
    owner: PID
    session: Session
    lock: trio.Lock = attrs.field(factory=trio.Lock)
    guard: trio.CancelScope | None = None
    open: bool = True
    ended: str = ""  # how it ended, for the error of a late call


class Database:
    """One database declared at boot (``sql.sqlite("main", ...)``)."""

    def __init__(self, name: str, backend: Backend) -> None:
        self.name = name
        self.backend = backend
        self.kind = backend.kind
        self.txs: dict[int, TxState] = {}
        self._ended: dict[int, str] = {}  # recently ended transaction -> how it ended
        self._next_id = 0
        self._holder: PID | None = None  # owner of the transaction on a single connection

    def new_id(self) -> int:
        """A fresh ID for a transaction or a statement."""
        self._next_id += 1
        return self._next_id

    async def open(self) -> None:
        """Connect (at boot). A checkpoint."""
        await self.backend.open()
        log.debug("sql_database_opened", database=self.name, backend=self.kind)

    async def close(self) -> None:
        """Roll back what is still open and close every connection. A checkpoint."""
        with trio.CancelScope(shield=True):
            for state in list(self.txs.values()):
                await self._abort(state, "the database is closing")
            await self.backend.aclose()
        log.debug("sql_database_closed", database=self.name, backend=self.kind)

    # -- autocommit -------------------------------------------------------------------------

    async def run(self, ctx: HandlerContext, op: Op) -> Result:
        """Run one statement outside any transaction. A checkpoint."""
        if self._holder is not None and self._holder == ctx.pid:
            raise self._self_deadlock(op.what)
        return await self.backend.run(op)

    def start(self, ctx: HandlerContext, op: Op, tag: int, receiver: Receiver) -> None:
        """Start one statement outside any transaction as the work of call ``tag``.

        Without a task when the backend can (SQLite with no open transaction), else as a
        task running :meth:`run`. Not a checkpoint.
        """
        if self._holder is not None and self._holder == ctx.pid:
            raise self._self_deadlock(op.what)
        work = self.backend.submit(op, receiver, tag)
        if work is None:
            ctx.start_soon(tag, self._complete, op, tag, receiver)
        else:
            ctx.cancel_with(tag, work)  # stops it if the call times out, is cancelled, ...

    async def _complete(self, op: Op, tag: int, receiver: Receiver) -> None:
        receiver.complete_yield(tag, await self.backend.run(op), None)

    def _self_deadlock(self, what: str) -> SqlError:
        held = next(s.id for s in self.txs.values() if s.owner == self._holder)
        return SqlError(
            what,
            f"this process holds transaction {held}, which has the database's only "
            "connection; run the statement inside it or end it first",
            database=self.name,
            backend=self.kind,
        )

    # -- transactions -----------------------------------------------------------------------

    async def begin(
        self, ctx: HandlerContext, what: str, isolation: Isolation, read_only: bool
    ) -> Tx:
        """Begin a transaction owned by the caller. A checkpoint."""
        if self._holder is not None and self._holder == ctx.pid:
            raise self._self_deadlock(what)
        op = Op(what, self.name, "BEGIN")
        session = await self.backend.begin(op, isolation, read_only)
        try:
            await trio.lowlevel.checkpoint_if_cancelled()  # the caller may have gone meanwhile
        except trio.Cancelled:
            with trio.CancelScope(shield=True):
                await session.end(Op(what, self.name, "ROLLBACK"), commit=False)
            raise
        state = TxState(self.new_id(), ctx.pid, session)
        self.txs[state.id] = state
        if self.backend.single_connection:
            self._holder = ctx.pid
        state.guard = ctx.start_background(self._guard, state)
        return Tx(self.name, state.id, ctx.pid)

    def state(self, ctx: HandlerContext, tx_id: int, what: str) -> TxState:
        """The open transaction ``tx_id``; SqlError unless the caller owns it."""
        state = self.txs.get(tx_id)
        if state is None:
            how = self._ended.get(tx_id, "ended, or never began")
            detail = f"transaction {tx_id} is not open (it was {how})"
        elif state.owner != ctx.pid:
            detail = f"transaction {tx_id} belongs to process {state.owner}, not {ctx.pid}"
        else:
            return state
        raise SqlError(what, detail, database=self.name, backend=self.kind)

    async def tx_run(self, state: TxState, op: Op) -> Result:
        """Run a statement in the transaction. A checkpoint.

        Cancellation stops the statement and rolls the transaction back; a lost connection
        ends the transaction too.
        """
        async with state.lock:
            self._check_open(state, op.what)
            try:
                return await state.session.run(op)
            except trio.Cancelled:
                await self._end_quietly(state, op, f"rolled back when {op.what} was cancelled")
                raise
            except SqlConnectionError:
                await self._end_quietly(state, op, "lost with its connection")
                raise

    async def _end_quietly(self, state: TxState, op: Op, why: str) -> None:
        """End the transaction after a failure that is already being raised."""
        with trio.CancelScope(shield=True):
            try:
                await self._end(state, Op(op.what, self.name, "ROLLBACK"), False, why)
            except SqlError as exc:  # the connection is gone: the first error tells it
                log.warning("sql_rollback_failed", database=self.name, tx=state.id, error=repr(exc))

    async def finish(self, state: TxState, what: str, commit: bool) -> None:
        """Commit or roll back, and give the connection back. A checkpoint."""
        async with state.lock:
            self._check_open(state, what)
            sql = "COMMIT" if commit else "ROLLBACK"
            why = "committed" if commit else "rolled back"
            await self._end(state, Op(what, self.name, sql), commit, why)

    def _check_open(self, state: TxState, what: str) -> None:
        if not state.open:
            detail = f"transaction {state.id} is not open (it was {state.ended})"
            raise SqlError(what, detail, database=self.name, backend=self.kind)

    async def _end(self, state: TxState, op: Op, commit: bool, why: str) -> None:
        if not state.open:
            return
        state.open = False
        state.ended = why
        try:
            await state.session.end(op, commit)
        except SqlOutcomeUnknownError:
            state.ended = "lost with its connection during COMMIT (committed or not: unknown)"
            raise
        except BaseException:
            if commit:
                state.ended = "rolled back: its COMMIT failed"
            raise
        finally:
            self.txs.pop(state.id, None)
            self._remember(state)
            if self._holder == state.owner and self.backend.single_connection:
                self._holder = None
            if state.guard is not None:
                state.guard.cancel()

    def _remember(self, state: TxState) -> None:
        ended = self._ended
        ended[state.id] = state.ended
        if len(ended) > ENDED_KEPT:
            del ended[next(iter(ended))]  # the oldest (dicts keep insertion order)

    async def _guard(self, state: TxState) -> None:
        try:
            await trio.sleep_forever()
        finally:
            if state.open:
                with trio.CancelScope(shield=True):
                    await self._abort(state, "its process exited")

    async def _abort(self, state: TxState, why: str) -> None:
        op = Op("rollback", self.name, "ROLLBACK")
        with trio.move_on_after(ROLLBACK_GRACE):
            try:
                async with state.lock:
                    await self._end(state, op, False, f"rolled back: {why}")
            except Exception as exc:
                log.warning(
                    "sql_rollback_failed", database=self.name, tx=state.id, why=why, error=repr(exc)
                )
