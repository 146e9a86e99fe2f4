"""Clock commands (IDs 10–29, numbered as in Wippy) and the events they deliver.

Fields are checked when a command is built: durations are seconds as an ``int`` or
``float`` (never a bool), not NaN and not negative; ``0`` means now and ``math.inf`` means
never (a ``Sleep`` or a timer that only ``TimerReset`` can bring closer). A ticker's
interval must be finite and > 0. Timer and ticker IDs are ints. A wrong field raises
``CommandArgumentError`` naming the command, its ID and the field.
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from actorkit.checks import duration, integer
from actorkit.lowlevel import Command, Event, command, declare_range

declare_range("clock", 10, 29)


@command(id=10, module="clock")
class Sleep(Command[None]):
    """Wait ``seconds`` (on the Trio clock, so the autojump clock in tests)."""

    seconds: float = attrs.field(validator=duration())


@command(id=14, module="clock")
class TickerStart(Command[int]):
    """Deliver a ``Tick`` every ``interval`` seconds until stopped; returns the ticker ID.

    Ticks count against the mailbox bound like messages: a period that finds the mailbox
    full is skipped (the ``seq`` numbers show the gap), never queued without bound.
    """

    interval: float = attrs.field(validator=duration(finite=True, positive=True))


@command(id=16, module="clock")
class TickerStop(Command[bool]):
    """Stop a ticker; True if it was running."""

    ticker: int = attrs.field(validator=integer())


@command(id=18, module="clock")
class TimerStart(Command[int]):
    """Fire once after ``delay`` seconds; returns the timer ID.

    A fire goes to a pending ``TimerWait`` if there is one, else arrives as ``TimerFired``.
    """

    delay: float = attrs.field(validator=duration())


@command(id=19, module="clock")
class TimerWait(Command[None]):
    """Wait until the timer fires (returns at once if it already has)."""

    timer: int = attrs.field(validator=integer())


@command(id=20, module="clock")
class TimerStop(Command[bool]):
    """Stop a timer; True if it had not fired yet. A pending ``TimerWait`` fails."""

    timer: int = attrs.field(validator=integer())


@command(id=21, module="clock")
class TimerReset(Command[bool]):
    """Re-arm a timer to fire ``delay`` seconds from now; True if it was still pending."""

    timer: int = attrs.field(validator=integer())
    delay: float = attrs.field(validator=duration())


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
