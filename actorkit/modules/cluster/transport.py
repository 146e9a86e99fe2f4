"""The two tasks that move frames: the pusher (outbox -> the inboxes of other nodes, one
script call per round trip, one batch per destination) and the receiver (this node's inbox
-> the frame handlers, in order)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import structlog
import trio

from actorkit.redis import RedisConnectionError

from .codec import DecodeError
from .errors import FencedError
from .inbound import handle_batch

if TYPE_CHECKING:
    from .state import ClusterState

RECEIVE_COUNT = 64  # batches taken per round trip
log = structlog.get_logger("actorkit.cluster")


async def push(state: ClusterState) -> None:
    """Push what the outbox holds, forever; fenced if the cluster refuses this node.

    A push in flight is finished even when the node stops (its frames have left the
    outbox); the stop then pushes what is left and leaves."""
    while True:
        batches = await state.outbox.take()
        with trio.CancelScope(shield=True), trio.move_on_after(state.options.down_after):
            await _push_retrying(state, batches)


async def _push_retrying(state: ClusterState, batches: dict[tuple[str, int], bytes]) -> None:
    """Push; a push that never reached Redis is tried again, one that may have reached it
    is not (its frames would arrive twice) and counts as lost, as on a lost connection."""
    while True:
        try:
            await push_once(state, batches)
            return
        except RedisConnectionError as exc:
            if exc.sent:
                state.outbox.lost += len(batches)
                log.warning("frames_lost", node=state.name, batches=len(batches), error=str(exc))
                return
            await trio.sleep(state.options.down_after / 16)


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
    """Take batches from this node's inbox and apply them, forever; a lost connection is
    opened again (a pop whose answer it carried is lost with it)."""
    while True:
        try:
            await _receive_on_one_connection(state)
        except RedisConnectionError as exc:
            log.warning("redis_unreachable", node=state.name, doing="receive", error=str(exc))
            await trio.sleep(state.options.down_after / 16)


async def _receive_on_one_connection(state: ClusterState) -> None:
    key = f"{state.prefix}q:{state.name}"
    async with state.redis.dedicated() as conn:
        while True:
            reply = await conn.execute("BLMPOP", 0, 1, key, "LEFT", "COUNT", RECEIVE_COUNT)
            if not isinstance(reply, list):
                continue
            blobs: Any = reply[1]
            for blob in blobs:
                await handle_batch(state, _decoded(state, blob))


def _decoded(state: ClusterState, blob: bytes) -> list[list[Any]]:
    """A batch's frames; a batch that does not decode is logged and skipped."""
    frames: Any = None
    try:
        frames = state.codec.decode(blob)
    except (DecodeError, ValueError):
        log.exception("batch_undecodable", node=state.name, size=len(blob))
    if type(frames) is not list:
        state.bad_frames += 1
        return []
    return cast("list[list[Any]]", frames)
