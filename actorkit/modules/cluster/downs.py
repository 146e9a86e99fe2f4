"""A node went down: forget it, fail what waited on it, and tell the watchers and links."""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog

from .errors import NodeDownError

if TYPE_CHECKING:
    from .state import ClusterState

log = structlog.get_logger("actorkit.cluster")


def node_down(state: ClusterState, node: str, creation: int, why: str = "expired") -> None:
    """Apply ``node``'s going down (once per life: a repeated or stale notice does nothing).

    ``why`` is ``left`` when it left on purpose (it stopped), ``expired`` when it missed
    its heartbeats past the bound."""
    if state.members.get(node) != creation:
        return
    del state.members[node]
    report = log.info if why == "left" else log.warning
    report("node_down", cluster=state.options.cluster, node=node, creation=creation, why=why)
    state.node.emit("cluster", "node.down", node, {"creation": creation, "why": why})
    for ref, pending in list(state.pending.items()):
        if pending.node == node:
            del state.pending[ref]
            pending.done(None, NodeDownError(f"node {node} went down before it answered"))
    state.router.node_down(node)
    state.activations.node_down(node)


def node_up(state: ClusterState, node: str, creation: int) -> None:
    """Learn of a member (from a sweep's view of the members)."""
    if state.members.get(node) == creation:
        return
    old = state.members.get(node)
    if old is not None:
        node_down(state, node, old)
    state.members[node] = creation
    state.node.emit("cluster", "node.up", node, {"creation": creation})
