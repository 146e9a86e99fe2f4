"""The two tasks that move frames: the pusher (outbox -> the inboxes of other nodes, one
script call per round trip, one batch per destination) and the receiver (this node's inbox
-> the frame handlers, in order)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import trio

from .errors import FencedError
from .inbound import handle_batch

if TYPE_CHECKING:
    from .state import ClusterState

RECEIVE_COUNT = 64  # batches taken per round trip


async def push(state: ClusterState) -> None:
    """Push what the outbox holds, forever; fenced if the cluster refuses this node.

    A push in flight is finished even when the node stops (its frames have left the
    outbox); the stop then pushes what is left and leaves."""
    while True:
        batches = await state.outbox.take()
        with trio.CancelScope(shield=True), trio.move_on_after(state.options.down_after):
            await push_once(state, batches)


async def push_once(state: ClusterState, batches: dict[tuple[str, int], bytes]) -> None:
    """One push of a batch per destination; count what went to nodes that had gone."""
    if not batches:
        return
    args: list[str | bytes | int] = [state.prefix, state.name, state.creation]
    for (node, creation), data in batches.items():
        args += [node, creation, data]
    reply = await state.scripts.push(args=args)
    if reply == -1:
        raise FencedError(f"node {state.name} was declared down; its messages are refused")
    assert isinstance(reply, list)
    state.outbox.dropped += reply.count(0)


async def receive(state: ClusterState) -> None:
    """Take batches from this node's inbox and apply them, forever."""
    key = f"{state.prefix}q:{state.name}"
    async with state.redis.dedicated() as conn:
        while True:
            reply = await conn.execute("BLMPOP", 0, 1, key, "LEFT", "COUNT", RECEIVE_COUNT)
            if not isinstance(reply, list):
                continue
            blobs: Any = reply[1]
            for blob in blobs:
                frames: Any = state.codec.decode(blob)
                await handle_batch(state, frames)
