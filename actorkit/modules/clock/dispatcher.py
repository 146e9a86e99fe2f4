"""Clock handlers: sleeps, tickers and timers owned by the calling process."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import attrs
import trio

from actorkit._core._exceptions import CommandError
from actorkit._core._handler import HandlerContext, Receiver
from actorkit._core._proc_state import ProcessState

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


@attrs.define
class _Timer:
    deadline: float
    scope: trio.CancelScope | None = None
    fired: bool = False
    waiters: list[tuple[int, Receiver]] = attrs.field(factory=list[tuple[int, Receiver]])


@attrs.define
class _Clocks:
    """Per-process clock state (kept in the handler context, dropped with the process)."""

    next_id: int = 0
    tickers: dict[int, trio.CancelScope] = attrs.field(factory=dict[int, trio.CancelScope])
    timers: dict[int, _Timer] = attrs.field(factory=dict[int, _Timer])

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id


async def handle_sleep(ctx: HandlerContext, cmd: Sleep) -> None:
    """Sleep on the Trio clock."""
    await trio.sleep(cmd.seconds)


def handle_ticker_start(ctx: HandlerContext, cmd: TickerStart, tag: int, rcv: Receiver) -> None:
    """Start a ticker in the background, owned by the caller."""
    clocks = ctx.local(_Clocks)
    ticker = clocks.new_id()
    clocks.tickers[ticker] = ctx.start_background(_tick, ctx.process, ticker, cmd.interval)
    rcv.complete_yield(tag, ticker, None)


async def _tick(proc: ProcessState, ticker: int, interval: float) -> None:
    start = trio.current_time()
    seq = 1
    while True:
        await trio.sleep_until(start + seq * interval)
        if not await proc.mailbox.put(Tick(ticker, seq, trio.current_time())):
            return
        seq = _next_seq(seq, (trio.current_time() - start) / interval)


def _next_seq(seq: int, periods: float) -> int:
    """The next period to tick, skipping the ones that passed while the mailbox was full.

    ``periods`` is infinite when the interval is tiny (say ``5e-324``): count on by one.
    """
    if periods == math.inf:
        return seq + 1
    return max(seq + 1, math.floor(periods) + 1)


def handle_ticker_stop(ctx: HandlerContext, cmd: TickerStop, tag: int, rcv: Receiver) -> None:
    """Stop a ticker."""
    scope = ctx.local(_Clocks).tickers.pop(cmd.ticker, None)
    if scope is not None:
        scope.cancel()
    rcv.complete_yield(tag, scope is not None, None)


def handle_timer_start(ctx: HandlerContext, cmd: TimerStart, tag: int, rcv: Receiver) -> None:
    """Arm a one-shot timer."""
    clocks = ctx.local(_Clocks)
    timer_id = clocks.new_id()
    timer = _Timer(trio.current_time() + cmd.delay)
    clocks.timers[timer_id] = timer
    _arm(ctx, timer_id, timer)
    rcv.complete_yield(tag, timer_id, None)


def _arm(ctx: HandlerContext, timer_id: int, timer: _Timer) -> None:
    timer.fired = False
    timer.scope = ctx.start_background(_fire, ctx.process, timer_id, timer)


async def _fire(proc: ProcessState, timer_id: int, timer: _Timer) -> None:
    await trio.sleep_until(timer.deadline)
    timer.fired = True
    timer.scope = None
    waiters = [w for w in timer.waiters if proc.is_pending(w[0])]
    timer.waiters = []
    for tag, receiver in waiters:
        receiver.complete_yield(tag, None, None)
    if not waiters:
        proc.deliver_priority(TimerFired(timer_id, trio.current_time()))


def handle_timer_wait(ctx: HandlerContext, cmd: TimerWait, tag: int, rcv: Receiver) -> None:
    """Complete when the timer fires (at once if it has)."""
    timer = _timer(ctx, cmd.timer, "TimerWait (id=19)")
    if timer.fired:
        rcv.complete_yield(tag, None, None)
    elif timer.scope is None:
        raise CommandError(f"TimerWait (id=19): timer {cmd.timer} was stopped")
    else:
        timer.waiters.append((tag, rcv))


def handle_timer_stop(ctx: HandlerContext, cmd: TimerStop, tag: int, rcv: Receiver) -> None:
    """Disarm a timer; a pending wait fails."""
    timer = _timer(ctx, cmd.timer, "TimerStop (id=20)")
    pending = timer.scope is not None
    if timer.scope is not None:
        timer.scope.cancel()
        timer.scope = None
    waiters, timer.waiters = timer.waiters, []
    for waiter_tag, receiver in waiters:
        receiver.complete_yield(
            waiter_tag, None, CommandError(f"TimerWait (id=19): timer {cmd.timer} was stopped")
        )
    rcv.complete_yield(tag, pending, None)


def handle_timer_reset(ctx: HandlerContext, cmd: TimerReset, tag: int, rcv: Receiver) -> None:
    """Re-arm a timer from now."""
    timer = _timer(ctx, cmd.timer, "TimerReset (id=21)")
    pending = timer.scope is not None
    if timer.scope is not None:
        timer.scope.cancel()
    timer.deadline = trio.current_time() + cmd.delay
    _arm(ctx, cmd.timer, timer)
    rcv.complete_yield(tag, pending, None)


def _timer(ctx: HandlerContext, timer_id: int, what: str) -> _Timer:
    timer = ctx.local(_Clocks).timers.get(timer_id)
    if timer is None:
        raise CommandError(f"{what}: no timer {timer_id} in process {ctx.pid}")
    return timer


HANDLERS: dict[type, Callable[..., Any]] = {
    Sleep: handle_sleep,
    TickerStart: handle_ticker_start,
    TickerStop: handle_ticker_stop,
    TimerStart: handle_timer_start,
    TimerWait: handle_timer_wait,
    TimerStop: handle_timer_stop,
    TimerReset: handle_timer_reset,
}


def register_all(register: Callable[[type, Callable[..., Any]], None]) -> None:
    """Register every clock handler."""
    for cmd_type, handler in HANDLERS.items():
        register(cmd_type, handler)
