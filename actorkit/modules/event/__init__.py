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

from .commands import BusEvent, Send, Subscribe, Unsubscribe
from .components import module
from .errors import InvalidEventError, PatternError
from .state import bus_of


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
    "Unsubscribe",
    "module",
    "statistics",
]
