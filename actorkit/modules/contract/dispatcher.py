"""Contract handlers: resolve the binding, check the input, run, check the output.

Lookup and the input check happen in the handler, so a wrong call fails before any binding
runs. The binding runs as the call's work (Call) or in the background (AsyncCall), under
the caller's scope either way: the caller's timeout, cancellation or exit cancels it.
"""

from __future__ import annotations

import attrs
import trio

import actorkit
from actorkit.lowlevel import HandlerContext, HandlerTable, ProcessRef, Receiver

from . import bindings, codec
from .bindings import Binding
from .commands import AsyncCall, AsyncCancel, Call, ContractResult, Handle, Open
from .errors import BindingFailedError, ContractError
from .spec import Method
from .state import REGISTRY


@attrs.define
class _Calls:
    """Per-process AsyncCalls (kept in the handler context, dropped with the process)."""

    last: int = 0
    running: dict[int, trio.CancelScope] = attrs.field(factory=dict[int, trio.CancelScope])


@attrs.frozen
class _Job:
    node: actorkit.Node
    binding: Binding
    method: Method
    name: str
    input: object

    async def run(self) -> object:
        where = (self.binding.contract, self.name)
        try:
            raw = await bindings.run(self.node, self.binding, self.name, self.input)
        except ContractError:
            raise
        except Exception as exc:
            raise BindingFailedError(*where, self.binding.name, exc) from exc
        return codec.check(raw, self.method.output, (*where, "output"))


def _job(ctx: HandlerContext, cmd: Call | AsyncCall) -> _Job:
    registry = REGISTRY.get(ctx.node)
    binding = registry.resolve(cmd.target)
    method = registry.method(binding.contract, cmd.method)
    value = codec.check(cmd.input, method.input, (binding.contract, cmd.method, "input"))
    return _Job(ctx.node, binding, method, cmd.method, value)


def handle_open(ctx: HandlerContext, cmd: Open, tag: int, rcv: Receiver) -> None:
    """The handle of the binding ``cmd`` asks for."""
    binding = REGISTRY.get(ctx.node).find(cmd.contract, cmd.binding, cmd.where)
    rcv.complete_yield(tag, Handle(binding.contract, binding.name), None)


def handle_call(ctx: HandlerContext, cmd: Call, tag: int, rcv: Receiver) -> None:
    """Check the input, then run the binding as this call's work."""
    job = _job(ctx, cmd)
    ctx.start_soon(tag, _complete, job, tag, rcv)


async def _complete(job: _Job, tag: int, rcv: Receiver) -> None:
    rcv.complete_yield(tag, await job.run(), None)


def handle_async_call(ctx: HandlerContext, cmd: AsyncCall, tag: int, rcv: Receiver) -> None:
    """Check the input, start the binding in the background, answer with the call number."""
    job = _job(ctx, cmd)
    calls = ctx.local(_Calls)
    calls.last += 1
    number = calls.last
    calls.running[number] = ctx.start_background(_background, ctx.caller, calls, number, job)
    rcv.complete_yield(tag, number, None)


async def _background(proc: ProcessRef, calls: _Calls, number: int, job: _Job) -> None:
    try:
        outcome = ContractResult(number, await job.run(), None)
    except Exception as exc:
        outcome = ContractResult(number, None, exc)
    if calls.running.pop(number, None) is not None:  # else AsyncCancel took it
        proc.post(outcome)


def handle_async_cancel(ctx: HandlerContext, cmd: AsyncCancel, tag: int, rcv: Receiver) -> None:
    """Cancel an AsyncCall; True if it was still running."""
    calls = ctx.local(_Calls)
    if cmd.call > calls.last:
        raise ContractError(f"AsyncCancel (id=193): no call {cmd.call} in process {ctx.pid}")
    scope = calls.running.pop(cmd.call, None)
    if scope is not None:
        scope.cancel()
    rcv.complete_yield(tag, scope is not None, None)


TABLE: HandlerTable = {
    Open: handle_open,
    Call: handle_call,
    AsyncCall: handle_async_call,
    AsyncCancel: handle_async_cancel,
}
