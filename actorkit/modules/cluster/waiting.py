"""Waiting for the cluster to have the members a program needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import trio

from actorkit.lowlevel import RuntimeEvent, add_listener, remove_listener

from .errors import ClusterError
from .state import STATE

if TYPE_CHECKING:
    from actorkit import Node


def live_nodes(node: Node) -> tuple[str, ...]:
    """The live members ``node`` knows of, itself included, sorted."""
    state = STATE.find(node)
    if state is None:
        raise ClusterError(f"node {node.name} is not in a cluster (boot cluster.module)")
    return tuple(sorted({*state.members, state.name}))


async def wait_nodes(node: Node, count: int) -> tuple[str, ...]:
    """Block until ``node`` sees at least ``count`` live members (itself included); they
    are returned."""
    return await wait_members(node, lambda nodes: len(nodes) >= count)


async def wait_members(node: Node, ready: Callable[[tuple[str, ...]], bool]) -> tuple[str, ...]:
    """Block until ``ready(live members)`` holds on ``node``; the members it held for. Wakes
    on the cluster's node events (``node.up``, ``node.down``), so it costs nothing while it
    waits."""
    changed = trio.Event()

    def listener(event: RuntimeEvent) -> None:
        if event.system == "cluster":
            changed.set()

    add_listener(node, listener)
    try:
        while not ready(nodes := live_nodes(node)):
            await changed.wait()
            changed = trio.Event()
        return nodes
    finally:
        remove_listener(node, listener)
