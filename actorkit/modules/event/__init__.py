"""The event bus (IDs 90–99): publish ``(system, kind, path, data)``, subscribe by pattern.

Processes subscribe with dot-separated patterns (``*`` one segment, ``**`` any number,
``(a|b)`` alternatives) and receive :class:`BusEvent` inbox events; publishers get
backpressure from slow subscribers, and no event is dropped (see :mod:`.bus`). When the
module is booted the runtime's own events go on the bus too:

===========  =================================  ====================  ==================
 system       kind                               path                  data
===========  =================================  ====================  ==================
 process      started / exited / dead_letter     the PID (or target)   function / exit
                                                                        reason / topic
 boot         started / stopped                  component name        None
 pg           member.joined / member.left        group                 ``pg.Membership``
 supervisor   restart ...                        (the supervisor's)
===========  =================================  ====================  ==================
"""

from __future__ import annotations

from actorkit import Node

from .bus import Bus, Tap
from .commands import BusEvent, Send, Subscribe, Unsubscribe
from .components import module
from .errors import InvalidEventError, PatternError
from .state import bus_of


def publish(node: Node, system: str, kind: str, path: str, data: object = None) -> int:
    """Publish an event on ``node``'s bus from outside any process (not to taps: for events
    that arrive from elsewhere, as the cluster's forwarding does); how many subscriptions
    matched. Never blocks: a slow subscriber's events wait in its overflow.

    Raises:
        LookupError: the event module is not running on ``node``.
    """
    bus = _running_bus(node)
    return bus.publish(system, kind, path, data, tapped=False)[0]


def add_tap(node: Node, tap: Tap) -> None:
    """Let ``tap(system, kind, path, data)`` see every event published on ``node``'s bus by
    its processes and the runtime (the cluster forwards chosen systems with one)."""
    _running_bus(node).taps.append(tap)


def remove_tap(node: Node, tap: Tap) -> None:
    """Stop ``tap`` seeing events (no error if it was not added or the bus is gone)."""
    bus = bus_of(node)
    if bus is not None and tap in bus.taps:
        bus.taps.remove(tap)


def _running_bus(node: Node) -> Bus:
    bus = bus_of(node)
    if bus is None:
        raise LookupError(f"the event module is not running on node {node.name}")
    return bus


def statistics(node: Node) -> dict[str, int]:
    """The bus's counters (subscriptions, subscribers, overflow depth, published), or {}."""
    bus = bus_of(node)
    return bus.statistics() if bus is not None else {}


__all__ = [
    "BusEvent",
    "InvalidEventError",
    "PatternError",
    "Send",
    "Subscribe",
    "Tap",
    "Unsubscribe",
    "add_tap",
    "module",
    "publish",
    "remove_tap",
    "statistics",
]
