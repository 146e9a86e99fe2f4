"""The clock module (IDs 10–29): sleeps, tickers and timers on the Trio clock."""

from actorkit._core._boot import Boot, Component

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
from .dispatcher import register_all


def module() -> Component:
    """The clock's boot component."""

    def load(boot: Boot) -> None:
        register_all(boot.register)

    return Component("clock", load=load)


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
