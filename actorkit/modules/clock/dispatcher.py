"""Clock handlers: sleeps, tickers and timers owned by the calling process, run by the
node's timer wheel (``wheel.py``) instead of a task each."""

from __future__ import annotations

import math
from collections.abc import Callable

import attrs
import trio

from actorkit.errors import CommandError
from actorkit.lowlevel import HandlerContext, HandlerTable, ProcessRef, Receiver, deadline_passed

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
from .wheel import Entry, Wheel


@attrs.define
class _Timer:
    deadline: float
    entry: Entry | None = None
    fired: bool = False
    waiters: list[tuple[int, Receiver]] = attrs.field(factory=list[tuple[int, Receiver]])


@attrs.define
class _Clocks:
    """Per-process clock state (kept in the handler context, dropped with the process)."""

    next_id: int = 0
    tickers: dict[int, Entry] = attrs.field(factory=dict[int, Entry])
    timers: dict[int, _Timer] = attrs.field(factory=dict[int, _Timer])

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id


@attrs.frozen
class Handlers:
    """The clock's handlers, bound to the node's wheel."""

    wheel: Wheel

    def sleep(self, ctx: HandlerContext, cmd: Sleep, tag: int, rcv: Receiver) -> None:
        """Complete after ``seconds``, or fail when the call's deadline comes first."""
        due = trio.current_time() + cmd.seconds
        limit = ctx.deadline
        if limit < due:
            entry = self.wheel.at(limit, _completer(rcv, tag, deadline_passed))
        else:
            entry = self.wheel.at(due, _completer(rcv, tag, None))
        ctx.cancel_with(tag, entry)

    def ticker_start(self, ctx: HandlerContext, cmd: TickerStart, tag: int, rcv: Receiver) -> None:
        """Start a ticker owned by the caller; it ends when the caller exits."""
        clocks = ctx.local(_Clocks)
        ticker = clocks.new_id()
        start = trio.current_time()
        fire = _ticker(ctx.caller, ticker, start, cmd.interval)
        clocks.tickers[ticker] = self.wheel.at(start + cmd.interval, fire)
        rcv.complete_yield(tag, ticker, None)

    def timer_start(self, ctx: HandlerContext, cmd: TimerStart, tag: int, rcv: Receiver) -> None:
        """Arm a one-shot timer."""
        clocks = ctx.local(_Clocks)
        timer_id = clocks.new_id()
        timer = _Timer(trio.current_time() + cmd.delay)
        clocks.timers[timer_id] = timer
        self._arm(ctx.caller, timer_id, timer)
        rcv.complete_yield(tag, timer_id, None)

    def timer_reset(self, ctx: HandlerContext, cmd: TimerReset, tag: int, rcv: Receiver) -> None:
        """Re-arm a timer from now."""
        timer = _timer(ctx, cmd.timer, "TimerReset (id=21)")
        pending = timer.entry is not None
        if timer.entry is not None:
            timer.entry.cancel()
        timer.deadline = trio.current_time() + cmd.delay
        self._arm(ctx.caller, cmd.timer, timer)
        rcv.complete_yield(tag, pending, None)

    def _arm(self, proc: ProcessRef, timer_id: int, timer: _Timer) -> None:
        timer.fired = False
        timer.entry = self.wheel.at(timer.deadline, _timer_fire(proc, timer_id, timer))


def _completer(
    rcv: Receiver, tag: int, error: Callable[[], BaseException] | None
) -> Callable[[float], None]:
    def fire(_now: float) -> None:
        rcv.complete_yield(tag, None, None if error is None else error())

    return fire


def _ticker(
    proc: ProcessRef, ticker: int, start: float, interval: float
) -> Callable[[float], float | None]:
    """A ticker's fire: deliver the period's Tick if the mailbox has room (else skip it)."""
    seq = 1

    def fire(now: float) -> float | None:
        nonlocal seq
        if not proc.alive:
            return None
        proc.offer(Tick(ticker, seq, now))
        seq = _next_seq(seq, (now - start) / interval)
        return start + seq * interval

    return fire


def _next_seq(seq: int, periods: float) -> int:
    """The next period to tick, skipping the ones that passed while the process was busy.

    ``periods`` is infinite when the interval is tiny (say ``5e-324``): count on by one.
    """
    if periods == math.inf:
        return seq + 1
    return max(seq + 1, math.floor(periods) + 1)


def _timer_fire(proc: ProcessRef, timer_id: int, timer: _Timer) -> Callable[[float], None]:
    def fire(now: float) -> None:
        timer.fired = True
        timer.entry = None
        waiters = [w for w in timer.waiters if proc.is_pending(w[0])]
        timer.waiters = []
        for tag, receiver in waiters:
            receiver.complete_yield(tag, None, None)
        if not waiters and proc.alive:
            proc.post(TimerFired(timer_id, now))

    return fire


def handle_ticker_stop(ctx: HandlerContext, cmd: TickerStop, tag: int, rcv: Receiver) -> None:
    """Stop a ticker."""
    entry = ctx.local(_Clocks).tickers.pop(cmd.ticker, None)
    if entry is not None:
        entry.cancel()
    rcv.complete_yield(tag, entry is not None, None)


def handle_timer_wait(ctx: HandlerContext, cmd: TimerWait, tag: int, rcv: Receiver) -> None:
    """Complete when the timer fires (at once if it has)."""
    timer = _timer(ctx, cmd.timer, "TimerWait (id=19)")
    if timer.fired:
        rcv.complete_yield(tag, None, None)
    elif timer.entry is None:
        raise CommandError(f"TimerWait (id=19): timer {cmd.timer} was stopped")
    else:
        timer.waiters.append((tag, rcv))


def handle_timer_stop(ctx: HandlerContext, cmd: TimerStop, tag: int, rcv: Receiver) -> None:
    """Disarm a timer; a pending wait fails."""
    timer = _timer(ctx, cmd.timer, "TimerStop (id=20)")
    pending = timer.entry is not None
    if timer.entry is not None:
        timer.entry.cancel()
        timer.entry = None
    waiters, timer.waiters = timer.waiters, []
    for waiter_tag, receiver in waiters:
        receiver.complete_yield(
            waiter_tag, None, CommandError(f"TimerWait (id=19): timer {cmd.timer} was stopped")
        )
    rcv.complete_yield(tag, pending, None)


def _timer(ctx: HandlerContext, timer_id: int, what: str) -> _Timer:
    timer = ctx.local(_Clocks).timers.get(timer_id)
    if timer is None:
        raise CommandError(f"{what}: no timer {timer_id} in process {ctx.pid}")
    return timer


def table(wheel: Wheel) -> HandlerTable:
    """Every clock handler, bound to ``wheel``."""
    bound = Handlers(wheel)
    return {
        Sleep: bound.sleep,
        TickerStart: bound.ticker_start,
        TickerStop: handle_ticker_stop,
        TimerStart: bound.timer_start,
        TimerWait: handle_timer_wait,
        TimerStop: handle_timer_stop,
        TimerReset: bound.timer_reset,
    }
