"""The clock module (IDs 10–29): sleeps, tickers and timers on the Trio clock."""

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
from .components import module

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
