"""Function handlers: Call runs under the caller's scope, AsyncStart runs in the background."""

from __future__ import annotations

import attrs
import trio

from actorkit.errors import CommandError
from actorkit.lowlevel import HandlerContext, HandlerTable, ProcessRef, Receiver

from .commands import AsyncCancel, AsyncStart, Call, FunctionResult
from .runners import Entry, invoke, run_inline
from .table import FunctionTable


@attrs.define
class _Runs:
    """Per-process AsyncStart runs (kept in the handler context, dropped with the process)."""

    last: int = 0
    running: dict[int, trio.CancelScope] = attrs.field(factory=dict[int, trio.CancelScope])


class Handlers:
    """The handlers of one node's function table."""

    def __init__(self, table: FunctionTable) -> None:
        self.table = table

    def call(self, ctx: HandlerContext, cmd: Call, tag: int, rcv: Receiver) -> None:
        """Run the function as the work of this call (inline if it is cheap)."""
        entry = self.table.lookup(cmd)
        if entry.inline:
            rcv.complete_yield(tag, run_inline(entry, cmd), None)
        else:
            ctx.start_soon(tag, _call, entry, cmd, tag, rcv)

    def async_start(self, ctx: HandlerContext, cmd: AsyncStart, tag: int, rcv: Receiver) -> None:
        """Start the function as work owned by the caller; complete with its handle."""
        entry = self.table.lookup(cmd)
        runs = ctx.local(_Runs)
        runs.last += 1
        handle = runs.last
        runs.running[handle] = ctx.start_background(
            _background, ctx.caller, runs, handle, entry, cmd
        )
        rcv.complete_yield(tag, handle, None)

    def async_cancel(self, ctx: HandlerContext, cmd: AsyncCancel, tag: int, rcv: Receiver) -> None:
        """Cancel a run; True if it was still running."""
        runs = ctx.local(_Runs)
        if not 0 < cmd.handle <= runs.last:
            raise CommandError(f"AsyncCancel (id=142): no handle {cmd.handle} in process {ctx.pid}")
        scope = runs.running.pop(cmd.handle, None)
        if scope is not None:
            scope.cancel()
        rcv.complete_yield(tag, scope is not None, None)


async def _call(entry: Entry, cmd: Call, tag: int, rcv: Receiver) -> None:
    rcv.complete_yield(tag, await invoke(entry, cmd), None)


async def _background(
    proc: ProcessRef, runs: _Runs, handle: int, entry: Entry, cmd: AsyncStart
) -> None:
    try:
        outcome = FunctionResult(handle, await invoke(entry, cmd), None)
    except Exception as exc:
        outcome = FunctionResult(handle, None, exc)
    # Gone from ``running`` means AsyncCancel took it: its caller expects no result.
    if runs.running.pop(handle, None) is not None:
        proc.post(outcome)


def table(functions: FunctionTable) -> HandlerTable:
    """Every function handler, bound to the node's ``functions``."""
    bound = Handlers(functions)
    return {Call: bound.call, AsyncStart: bound.async_start, AsyncCancel: bound.async_cancel}
