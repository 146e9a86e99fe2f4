"""Tickers (ids 14, 16): Tick events every interval; a slow receiver skips periods."""

from __future__ import annotations

import itertools
from typing import cast

import pytest
import trio
import trio.testing

import actorkit
from actorkit.modules import clock


async def test_clock_ticker_delivers_numbered_ticks(node: actorkit.Node) -> None:
    async with node.process() as proc:
        start = trio.current_time()
        ticker = await proc.call(clock.TickerStart(1.5))
        ticks = [await proc.receive(kind=clock.Tick) for _ in range(3)]
        assert await proc.call(clock.TickerStop(ticker)) is True
    assert [(t.ticker, t.seq) for t in ticks] == [(ticker, 1), (ticker, 2), (ticker, 3)]
    assert [t.time - start for t in ticks] == pytest.approx([1.5, 3.0, 4.5])


async def test_clock_ticker_stop_ends_the_ticks(node: actorkit.Node) -> None:
    async with node.process() as proc:
        ticker = await proc.call(clock.TickerStart(1.0))
        await proc.receive(kind=clock.Tick)
        assert await proc.call(clock.TickerStop(ticker)) is True
        assert await proc.call(clock.TickerStop(ticker)) is False
        with pytest.raises(trio.TooSlowError):
            await proc.receive(kind=clock.Tick, timeout=10.0)


async def test_clock_ticker_stop_of_unknown_ticker(node: actorkit.Node) -> None:
    async with node.process() as proc:
        assert await proc.call(clock.TickerStop(12345)) is False


async def test_clock_tickers_are_independent(node: actorkit.Node) -> None:
    async with node.process() as proc:
        fast = await proc.call(clock.TickerStart(1.0))
        slow = await proc.call(clock.TickerStart(2.5))
        assert fast != slow
        ticks = [await proc.receive(kind=clock.Tick) for _ in range(3)]
        await proc.call(clock.TickerStop(fast))
        await proc.call(clock.TickerStop(slow))
    assert [(t.ticker, t.seq) for t in ticks] == [(fast, 1), (fast, 2), (slow, 1)]


async def test_clock_ticker_slow_receiver_skips_periods(node: actorkit.Node) -> None:
    async def slow_reader(proc: actorkit.Process) -> list[int]:
        await proc.call(clock.TickerStart(1.0))
        await proc.call(clock.Sleep(10.5))
        assert len(proc.mailbox) == proc.mailbox.capacity  # bounded, not growing
        return [(await proc.receive(kind=clock.Tick)).seq for _ in range(5)]

    async with node.process() as proc:
        await proc.spawn(slow_reader, mailbox_size=2, monitor=True)
        exit_event = await proc.receive(kind=actorkit.Exit)
    seqs = cast("list[int]", exit_event.result)
    gaps = [later - earlier for earlier, later in itertools.pairwise(seqs)]
    assert seqs[:2] == [1, 2]
    assert min(gaps) >= 1
    assert max(gaps) >= 7  # periods 4-10 passed while the mailbox was full: skipped


async def test_clock_ticker_queues_periods_while_there_is_room(node: actorkit.Node) -> None:
    async def busy_reader(proc: actorkit.Process) -> list[int]:
        await proc.call(clock.TickerStart(1.0))
        await proc.call(clock.Sleep(3.5))
        return [(await proc.receive(kind=clock.Tick)).seq for _ in range(4)]

    assert await node.exec(busy_reader) == [1, 2, 3, 4]


async def test_clock_ticker_ends_when_its_process_exits(node: actorkit.Node) -> None:
    async def start_and_leave(proc: actorkit.Process) -> None:
        await proc.call(clock.TickerStart(1.0))
        await proc.call(clock.TickerStart(0.5))
        await proc.receive(kind=clock.Tick)

    await node.exec(start_and_leave)
    await trio.testing.wait_all_tasks_blocked()
    assert len(node.dispatch_nursery.child_tasks) == 0


async def test_clock_ticker_of_another_process_is_not_yours(node: actorkit.Node) -> None:
    async with node.process() as owner, node.process() as other:
        ticker = await owner.call(clock.TickerStart(1.0))
        assert await other.call(clock.TickerStop(ticker)) is False
        assert await owner.call(clock.TickerStop(ticker)) is True
