"""The clock module (IDs 10–29): sleeps, tickers and timers on the Trio clock."""

from actorkit.lowlevel import Boot, Component

from .commands import (
    Sleep,
    Tick,
    TickerStart,
    TickerStop,
    TimerFired,
    TimerReset,
    TimerStart,
    TimerStop,
    TimerWait,
)
from .dispatcher import table
from .wheel import Wheel


def module() -> Component:
    """The clock's boot component: its handlers, and the node's timer wheel as a service."""
    wheel = Wheel()

    def load(boot: Boot) -> None:
        for cmd_type, handler in table(wheel).items():
            boot.register(cmd_type, handler)

    async def start(boot: Boot) -> None:
        await boot.services.start(wheel.run)

    return Component("clock", load=load, start=start)


__all__ = [
    "Sleep",
    "Tick",
    "TickerStart",
    "TickerStop",
    "TimerFired",
    "TimerReset",
    "TimerStart",
    "TimerStop",
    "TimerWait",
    "module",
]
