"""pg handlers: all complete at once except a Broadcast that meets a full mailbox."""

from __future__ import annotations

from typing import Protocol

from actorkit.checks import label
from actorkit.lowlevel import HandlerContext, HandlerTable, Message, ProcessRef, Receiver

from .commands import (
    Broadcast,
    BroadcastLocal,
    Demonitor,
    Events,
    Join,
    Leave,
    LocalMembers,
    Members,
    Monitor,
    WhichGroups,
    WhichLocalGroups,
)
from .errors import UnknownScopeError
from .scope import Scope
from .state import scopes_of


class _Scoped(Protocol):
    @property
    def scope(self) -> str: ...


def _scope(ctx: HandlerContext, cmd: _Scoped) -> Scope:
    scopes = scopes_of(ctx.node)
    scope = scopes.get(cmd.scope) if scopes is not None else None
    if scope is None:
        raise UnknownScopeError(label(type(cmd)), cmd.scope, scopes or ())
    return scope


def handle_join(ctx: HandlerContext, cmd: Join, tag: int, rcv: Receiver) -> None:
    """Add one join of the caller."""
    _scope(ctx, cmd).join(ctx.caller, cmd.group)
    rcv.complete_yield(tag, None, None)


def handle_leave(ctx: HandlerContext, cmd: Leave, tag: int, rcv: Receiver) -> None:
    """Undo one join of the caller; False if it was not in the group."""
    rcv.complete_yield(tag, _scope(ctx, cmd).leave(ctx.caller, cmd.group), None)


def handle_members(
    ctx: HandlerContext, cmd: Members | LocalMembers, tag: int, rcv: Receiver
) -> None:
    """The members (every member is local until clustering)."""
    rcv.complete_yield(tag, _scope(ctx, cmd).members(cmd.group), None)


def handle_which_groups(
    ctx: HandlerContext, cmd: WhichGroups | WhichLocalGroups, tag: int, rcv: Receiver
) -> None:
    """The groups that have members."""
    rcv.complete_yield(tag, _scope(ctx, cmd).which_groups(), None)


def handle_broadcast(
    ctx: HandlerContext, cmd: Broadcast | BroadcastLocal, tag: int, rcv: Receiver
) -> None:
    """Deliver to every member with room now; wait for room for the others (the caller's
    own copy is skipped when its own mailbox is full)."""
    scope = _scope(ctx, cmd)
    msg = Message(cmd.topic, cmd.payload, ctx.pid)
    sent = 0
    full: list[ProcessRef] = []
    for member in scope.distinct(cmd.group):
        if member.offer(msg):
            sent += 1
        elif member.alive and member is not ctx.caller:
            # The caller cannot make room in its own mailbox while it waits for room, so
            # its own copy is not delivered; the count it gets back says so.
            full.append(member)
    if full:
        ctx.start_soon(tag, _deliver_when_room, full, msg, sent, tag, rcv)
    else:
        rcv.complete_yield(tag, sent, None)


async def _deliver_when_room(
    full: list[ProcessRef], msg: Message, sent: int, tag: int, rcv: Receiver
) -> None:
    for member in full:
        if await member.deliver(msg):
            sent += 1
    rcv.complete_yield(tag, sent, None)


def handle_monitor(ctx: HandlerContext, cmd: Monitor, tag: int, rcv: Receiver) -> None:
    """Snapshot and subscribe in one step."""
    rcv.complete_yield(tag, _scope(ctx, cmd).monitor(ctx.caller, cmd.group), None)


def handle_events(ctx: HandlerContext, cmd: Events, tag: int, rcv: Receiver) -> None:
    """Snapshot every group and subscribe to all changes in one step."""
    rcv.complete_yield(tag, _scope(ctx, cmd).events(ctx.caller), None)


def handle_demonitor(ctx: HandlerContext, cmd: Demonitor, tag: int, rcv: Receiver) -> None:
    """End one of the caller's monitors."""
    rcv.complete_yield(tag, _scope(ctx, cmd).demonitor(ctx.caller, cmd.ref), None)


TABLE: HandlerTable = {
    Join: handle_join,
    Leave: handle_leave,
    Members: handle_members,
    LocalMembers: handle_members,
    WhichGroups: handle_which_groups,
    Broadcast: handle_broadcast,
    BroadcastLocal: handle_broadcast,
    WhichLocalGroups: handle_which_groups,
    Monitor: handle_monitor,
    Events: handle_events,
    Demonitor: handle_demonitor,
}
