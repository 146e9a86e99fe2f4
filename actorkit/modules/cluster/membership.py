"""Joining, heartbeats, finding the nodes that went down, and leaving.

A node joins with its name (refused while another live node holds it) and gets a new
*creation*, the number of this life. It refreshes ``alive:{name}`` (TTL ``3/4`` of the
bound) every quarter of the bound; every node sweeps every quarter of the bound, and the
sweep declares down, in one atomic script, each member whose heartbeat expired. So a node
that stops heartbeating is declared down within ``down_after``. A node that finds it was
declared down (its heartbeat is refused) is fenced: it stops, and can come back only by
joining again, as a new life whose PIDs are not the old ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog
import trio

from actorkit.redis import RedisConnectionError

from .downs import node_down, node_up
from .durable import Durable
from .errors import ClusterError, FencedError

if TYPE_CHECKING:
    from actorkit.redis import Reply, Script

    from .state import ClusterState, Options

log = structlog.get_logger("actorkit.cluster")


async def join(join_script: Script, options: Options, name: str) -> tuple[int, dict[str, int]]:
    """Join the cluster as ``name``: this life's creation and the members as it found them."""
    ttl = _ttl_ms(options)
    hosted = sorted(k for k, v in options.virtual.items() if not isinstance(v, Durable))
    reply = await join_script(args=(options.prefix, name, ttl, *hosted))
    assert isinstance(reply, list)
    creation, members = reply
    if creation == -1:
        raise ClusterError(
            f"node name {name!r} is held by a live member of cluster {options.cluster!r}"
        )
    assert isinstance(creation, int)
    return creation, _members(members)


async def leave(state: ClusterState) -> None:
    """Leave on purpose: the others see this node go down (their monitors: noconnection)."""
    await state.scripts.leave(args=(state.prefix, state.name, state.creation))


async def heartbeat(state: ClusterState) -> None:
    """Refresh this node's heartbeat; fenced (raises) once the cluster has declared it down,
    or once Redis has been out of reach for the whole bound (the others will have declared
    it down by then). A shorter outage is ridden out: the heartbeat is retried."""
    period = state.options.down_after / 4
    ttl = _ttl_ms(state.options)
    last = trio.current_time()
    while True:
        try:
            alive = await state.scripts.heartbeat(
                args=(state.prefix, state.name, state.creation, ttl)
            )
        except RedisConnectionError as exc:
            if trio.current_time() - last >= state.options.down_after:
                raise FencedError(
                    f"node {state.name} could not reach Redis for {state.options.down_after}s "
                    f"(the bound): {exc}"
                ) from exc
            log.warning("redis_unreachable", node=state.name, doing="heartbeat", error=str(exc))
            await trio.sleep(period / 4)
            continue
        last = trio.current_time()
        if alive != 1:
            raise FencedError(
                f"node {state.name} (creation {state.creation}) was declared down by cluster "
                f"{state.options.cluster!r}: it missed heartbeats for {state.options.down_after}s"
            )
        await trio.sleep(period)


async def sweep(state: ClusterState) -> None:
    """Declare down the members whose heartbeat expired, and follow joins and leaves."""
    period = state.options.down_after / 4
    while True:
        try:
            reply = await state.scripts.sweep(args=(state.prefix,))
        except RedisConnectionError as exc:  # the heartbeat decides when that is too long
            log.warning("redis_unreachable", node=state.name, doing="sweep", error=str(exc))
            await trio.sleep(period)
            continue
        assert isinstance(reply, list)
        gone, members = reply
        seen = _members(members)
        for node, creation in _members(gone).items():
            node_down(state, node, creation)
        for node, creation in list(state.members.items()):
            if node not in seen:
                node_down(state, node, creation)
        for node, creation in seen.items():
            node_up(state, node, creation)
        await trio.sleep(period)


def _members(flat: Reply) -> dict[str, int]:
    assert isinstance(flat, list)
    names = flat[0::2]
    creations = flat[1::2]
    return {
        bytes(n).decode(): int(bytes(c))  # type: ignore[arg-type]
        for n, c in zip(names, creations, strict=True)
    }


def _ttl_ms(options: Options) -> int:
    return max(1, int(options.down_after * 750))
