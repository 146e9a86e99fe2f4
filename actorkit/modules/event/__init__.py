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
from actorkit.lowlevel import (
    Boot,
    Component,
    add_exit_hook,
    add_listener,
    remove_exit_hook,
    remove_listener,
)

from .bus import BUS, Bus, bus_of
from .commands import BusEvent, Send, Subscribe, Unsubscribe
from .dispatcher import register_all
from .errors import InvalidEventError, PatternError


def module() -> Component:
    """The event bus's boot component (named ``event``).

    It starts listening to the runtime's events when it starts and stops when it stops.
    """

    def load(boot: Boot) -> None:
        register_all(boot.register)

    async def start(boot: Boot) -> None:
        node = boot.node
        bus = Bus(node, boot.services)
        BUS.set(node, bus)
        add_exit_hook(node, bus.on_exit)
        add_listener(node, bus.on_runtime_event)

    async def stop(boot: Boot) -> None:
        node = boot.node
        bus = bus_of(node)
        if bus is not None:
            remove_listener(node, bus.on_runtime_event)
            remove_exit_hook(node, bus.on_exit)
            BUS.reset(node)

    return Component("event", load=load, start=start, stop=stop)


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
