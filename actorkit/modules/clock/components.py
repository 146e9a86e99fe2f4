"""The clock's boot component: its handlers, bound to the node's timer wheel, and the
wheel as a service."""

from __future__ import annotations

from actorkit.lowlevel import Boot, Component

from .dispatcher import table
from .state import WHEEL
from .wheel import Wheel


def module() -> Component:
    """The clock's boot component: its handlers, and the node's timer wheel as a service."""

    def load(boot: Boot) -> None:
        wheel = Wheel()
        WHEEL.set(boot.node, wheel)
        boot.register_table(table(wheel))

    async def start(boot: Boot) -> None:
        await boot.services.start(WHEEL.get(boot.node).run)

    return Component("clock", load=load, start=start)
