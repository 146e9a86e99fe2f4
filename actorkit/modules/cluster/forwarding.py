"""Bus events of chosen systems, forwarded to every node of the cluster.

A tap on this node's bus sees each event its processes and the runtime publish; one of a
forwarded system goes to every other live member, which publishes it on its own bus (not
to its taps, so it is not forwarded again). Events whose data cannot cross the wire are
not forwarded (and logged): the bus also carries the runtime's own events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog

from actorkit.modules import event

from . import frames as f
from .errors import PayloadEncodeError

if TYPE_CHECKING:
    from .state import ClusterState

log = structlog.get_logger("actorkit.cluster")


def start(state: ClusterState) -> event.Tap | None:
    """Tap the bus if the cluster forwards any system; the tap, to remove at stop."""
    systems = frozenset(state.options.forward_events)
    if not systems:
        return None

    def tap(system: str, kind: str, path: str, data: object) -> None:
        if system in systems:
            _forward(state, [f.EVENT, system, kind, path, data])

    event.add_tap(state.node, tap)
    return tap


def _forward(state: ClusterState, frame: list[object]) -> None:
    for node in [n for n in state.members if n != state.name]:
        try:
            state.queue(node, frame, f"event {frame[1]}.{frame[2]}")
        except PayloadEncodeError as exc:
            state.events_not_forwarded += 1
            log.warning("event_not_forwarded", error=str(exc))
            return


def arrived(state: ClusterState, system: str, kind: str, path: str, data: object) -> None:
    """Publish an event another node forwarded (dropped if this node has no bus)."""
    try:
        event.publish(state.node, system, kind, path, data)
    except LookupError:
        return
