"""The cluster module's handler table (IDs 220–239)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from actorkit import PID
from actorkit.checks import label
from actorkit.lowlevel import HandlerContext, HandlerTable, Receiver

from . import frames as f
from .broadcast import broadcast
from .commands import (
    Broadcast,
    Join,
    Leave,
    Locate,
    Members,
    Nodes,
    Register,
    SendVirtual,
    Spawn,
    Unregister,
    WhereIs,
)
from .durable import Durable, refuse_durable
from .errors import ClusterError, NodeDownError
from .state import STATE, ClusterState, Pending

if TYPE_CHECKING:
    from actorkit import Node


def _state(node: Node) -> ClusterState:
    state = STATE.find(node)
    if state is None:
        raise ClusterError(f"node {node.name} is not in a cluster (boot cluster.module)")
    return state


def handle_spawn(ctx: HandlerContext, cmd: Spawn, tag: int, receiver: Receiver) -> None:
    """Ask ``cmd.node`` to spawn; its answer completes the call."""
    state = _state(ctx.node)
    if cmd.node not in state.members:
        raise NodeDownError(f"node {cmd.node!r} is not a live member", command="Spawn (id=220)")
    caller = ctx.caller
    ref = next(state.refs)

    def done(value: object, error: BaseException | None) -> None:
        if error is None and isinstance(value, PID):
            if cmd.link:
                state.router.note_link(caller, value)
            if cmd.monitor:
                state.router.note_watch(caller, value)
        receiver.complete_yield(tag, value, error)

    frame = [f.SPAWN, caller.pid, ref, cmd.function, list(cmd.args), cmd.name]
    state.queue(cmd.node, [*frame, cmd.link, cmd.monitor], f"the arguments of {cmd.function}")
    state.pending[ref] = Pending(cmd.node, done)


async def handle_register(ctx: HandlerContext, cmd: Register) -> bool:
    """Register the caller cluster-wide."""
    return await _state(ctx.node).directory.register(ctx.caller, cmd.name)


async def handle_unregister(ctx: HandlerContext, cmd: Unregister) -> bool:
    """Release a name the caller holds."""
    return await _state(ctx.node).directory.unregister(ctx.caller, cmd.name)


async def handle_whereis(ctx: HandlerContext, cmd: WhereIs) -> PID | None:
    """Look a cluster-wide name up."""
    return await _state(ctx.node).directory.whereis(cmd.name)


async def handle_join(ctx: HandlerContext, cmd: Join) -> None:
    """The caller joins a cluster-wide group."""
    await _state(ctx.node).directory.join(ctx.caller, cmd.group)


async def handle_leave(ctx: HandlerContext, cmd: Leave) -> bool:
    """The caller leaves a cluster-wide group."""
    return await _state(ctx.node).directory.leave(ctx.caller, cmd.group)


async def handle_members(ctx: HandlerContext, cmd: Members) -> tuple[PID, ...]:
    """A group's members on every live node."""
    return await _state(ctx.node).directory.members(cmd.group)


async def handle_broadcast(ctx: HandlerContext, cmd: Broadcast) -> int:
    """Send to every member; those on other nodes go in the next batch to their node."""
    return await broadcast(_state(ctx.node), ctx, cmd)


async def handle_nodes(ctx: HandlerContext, cmd: Nodes) -> tuple[str, ...]:
    """The live members as this node sees them."""
    state = _state(ctx.node)
    return tuple(sorted({*state.members, state.name}))


async def handle_send_virtual(ctx: HandlerContext, cmd: SendVirtual) -> None:
    """Deliver to a virtual actor, activating it where it is placed."""
    if isinstance(_state(ctx.node).options.virtual.get(cmd.kind), Durable):
        raise refuse_durable(cmd.kind, label(SendVirtual))
    grain = (cmd.kind, cmd.key)
    await _state(ctx.node).activations.send(ctx.pid, grain, cmd.topic, cmd.payload)


def handle_locate(ctx: HandlerContext, cmd: Locate, tag: int, receiver: Receiver) -> None:
    """Find a virtual actor's activation (the owner node answers when it is another)."""
    state = _state(ctx.node)
    if isinstance(state.options.virtual.get(cmd.kind), Durable):
        raise refuse_durable(cmd.kind, label(Locate))

    async def locate() -> None:
        await state.activations.locate(
            (cmd.kind, cmd.key), lambda value, error: receiver.complete_yield(tag, value, error)
        )

    ctx.start_soon(tag, locate)


TABLE: HandlerTable = {
    Spawn: handle_spawn,
    Register: handle_register,
    Unregister: handle_unregister,
    WhereIs: handle_whereis,
    Join: handle_join,
    Leave: handle_leave,
    Members: handle_members,
    Broadcast: handle_broadcast,
    Nodes: handle_nodes,
    SendVirtual: handle_send_virtual,
    Locate: handle_locate,
}
