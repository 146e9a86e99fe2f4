"""Event handlers: Subscribe and Unsubscribe complete at once; Send when delivered."""

from __future__ import annotations

from typing import Any

from actorkit.checks import label
from actorkit.errors import CommandError
from actorkit.lowlevel import Command, HandlerContext, HandlerTable, Receiver

from .bus import Bus, Waiter
from .commands import Send, Subscribe, Unsubscribe
from .patterns import compile_pattern
from .state import bus_of


def _bus(ctx: HandlerContext, cmd: Command[Any]) -> Bus:
    bus = bus_of(ctx.node)
    if bus is None:
        raise CommandError(f"{label(type(cmd))}: the event module is not running")
    return bus


def handle_subscribe(ctx: HandlerContext, cmd: Subscribe, tag: int, rcv: Receiver) -> None:
    """Compile the patterns (checked when the command was built) and add the subscription."""
    bus = _bus(ctx, cmd)
    system = compile_pattern(cmd.system)
    kind = None if cmd.kind is None else compile_pattern(cmd.kind)
    rcv.complete_yield(tag, bus.subscribe(ctx.caller, system, kind), None)


def handle_unsubscribe(ctx: HandlerContext, cmd: Unsubscribe, tag: int, rcv: Receiver) -> None:
    """Remove one of the caller's subscriptions."""
    rcv.complete_yield(tag, _bus(ctx, cmd).unsubscribe(ctx.caller, cmd.subscription), None)


def handle_send(ctx: HandlerContext, cmd: Send, tag: int, rcv: Receiver) -> None:
    """Publish; complete at once, or once the overflowed events reached their mailboxes."""
    bus = _bus(ctx, cmd)
    count, waiter = bus.publish(cmd.system, cmd.kind, cmd.path, cmd.data, ctx.caller)
    if waiter is None:
        rcv.complete_yield(tag, count, None)
    else:
        ctx.start_soon(tag, _when_delivered, waiter, count, tag, rcv)


async def _when_delivered(waiter: Waiter, count: int, tag: int, rcv: Receiver) -> None:
    await waiter.done.wait()
    rcv.complete_yield(tag, count, None)


TABLE: HandlerTable = {
    Subscribe: handle_subscribe,
    Send: handle_send,
    Unsubscribe: handle_unsubscribe,
}
