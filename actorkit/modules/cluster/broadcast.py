"""Broadcast to a cluster-wide group: local members now, remote ones in their node's batch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from actorkit.errors import NoProcessError
from actorkit.lowlevel import Message, lookup

if TYPE_CHECKING:
    from actorkit.lowlevel import HandlerContext

    from .commands import Broadcast
    from .state import ClusterState


async def broadcast(state: ClusterState, ctx: HandlerContext, cmd: Broadcast) -> int:
    """Send ``cmd``'s message to every member; how many it went to."""
    msg = Message(cmd.topic, cmd.payload, ctx.pid)
    sent = 0
    for pid in await state.directory.members(cmd.group):
        if pid.node != state.name:
            try:
                state.router.send(pid, msg)
            except NoProcessError:
                continue  # its node went down meanwhile
            sent += 1
            continue
        member = lookup(state.node, pid)
        if member is not None and (member.offer(msg) or await member.deliver(msg)):
            sent += 1
    return sent
