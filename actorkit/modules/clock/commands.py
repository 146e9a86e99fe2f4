"""Clock commands (IDs 10–29, numbered as in Wippy) and the events they deliver."""

from __future__ import annotations

from typing import ClassVar

import attrs

from actorkit._core._command import Command, command, declare_range
from actorkit._core._events import Event

declare_range("clock", 10, 29)


@command(id=10, module="clock")
class Sleep(Command[None]):
    """Wait ``seconds`` (on the Trio clock, so the autojump clock in tests)."""

    seconds: float


@command(id=14, module="clock")
class TickerStart(Command[int]):
    """Deliver a ``Tick`` every ``interval`` seconds until stopped; returns the ticker ID.

    Ticks are messages: they wait for mailbox room, and periods missed meanwhile are
    skipped (the ``seq`` numbers show the gap), never queued without bound.
    """

    interval: float


@command(id=16, module="clock")
class TickerStop(Command[bool]):
    """Stop a ticker; True if it was running."""

    ticker: int


@command(id=18, module="clock")
class TimerStart(Command[int]):
    """Fire once after ``delay`` seconds; returns the timer ID.

    A fire goes to a pending ``TimerWait`` if there is one, else arrives as ``TimerFired``.
    """

    delay: float


@command(id=19, module="clock")
class TimerWait(Command[None]):
    """Wait until the timer fires (returns at once if it already has)."""

    timer: int


@command(id=20, module="clock")
class TimerStop(Command[bool]):
    """Stop a timer; True if it had not fired yet. A pending ``TimerWait`` fails."""

    timer: int


@command(id=21, module="clock")
class TimerReset(Command[bool]):
    """Re-arm a timer to fire ``delay`` seconds from now; True if it was still pending."""

    timer: int
    delay: float


@attrs.frozen
class Tick(Event):
    """A ticker period: ``seq`` counts periods since the start (gaps are skipped ones)."""

    bounded: ClassVar[bool] = True
    ticker: int
    seq: int
    time: float


@attrs.frozen
class TimerFired(Event):
    """A timer fired while nobody waited for it with ``TimerWait``."""

    timer: int
    time: float
