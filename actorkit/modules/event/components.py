"""The event bus's boot component: its handlers, and the node's bus while it runs."""

from __future__ import annotations

from actorkit.lowlevel import (
    Boot,
    Component,
    add_exit_hook,
    add_listener,
    remove_exit_hook,
    remove_listener,
)

from .bus import Bus
from .dispatcher import TABLE
from .state import BUS, bus_of


def module() -> Component:
    """The event bus's boot component (named ``event``).

    It starts listening to the runtime's events when it starts and stops when it stops.
    """

    def load(boot: Boot) -> None:
        boot.register_table(TABLE)

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
