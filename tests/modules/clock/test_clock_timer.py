"""Timers (ids 18-21): start, wait, stop, reset, and TimerFired when nobody waits."""

from __future__ import annotations

import pytest
import trio
import trio.testing

import actorkit
from actorkit.errors import CommandError
from actorkit.modules import clock


async def test_clock_timer_wait_returns_when_it_fires(node: actorkit.Node) -> None:
    async with node.process() as proc:
        start = trio.current_time()
        timer = await proc.call(clock.TimerStart(5.0))
        await proc.call(clock.TimerWait(timer))
        assert trio.current_time() - start == pytest.approx(5.0)
        await trio.testing.wait_all_tasks_blocked()
        assert len(proc.mailbox) == 0  # the waiter took the fire; no TimerFired event


async def test_clock_timer_wait_after_the_fire_returns_at_once(node: actorkit.Node) -> None:
    async with node.process() as proc:
        timer = await proc.call(clock.TimerStart(1.0))
        fired = await proc.receive(kind=clock.TimerFired)
        now = trio.current_time()
        await proc.call(clock.TimerWait(timer))
        assert trio.current_time() == now
    assert fired.timer == timer


async def test_clock_timer_fired_event_when_nobody_waits(node: actorkit.Node) -> None:
    async with node.process() as proc:
        start = trio.current_time()
        first = await proc.call(clock.TimerStart(2.0))
        second = await proc.call(clock.TimerStart(1.0))
        events = [await proc.receive(kind=clock.TimerFired) for _ in range(2)]
    assert [e.timer for e in events] == [second, first]
    assert [e.time - start for e in events] == pytest.approx([1.0, 2.0])


async def test_clock_timer_stop_before_the_fire(node: actorkit.Node) -> None:
    async with node.process() as proc:
        timer = await proc.call(clock.TimerStart(2.0))
        assert await proc.call(clock.TimerStop(timer)) is True
        with pytest.raises(trio.TooSlowError):
            await proc.receive(kind=clock.TimerFired, timeout=10.0)
        with pytest.raises(CommandError, match=r"TimerWait \(id=19\): timer \d+ was stopped"):
            await proc.call(clock.TimerWait(timer))
        assert await proc.call(clock.TimerStop(timer)) is False


async def test_clock_timer_stop_fails_a_pending_wait(node: actorkit.Node) -> None:
    async with node.process() as proc:
        timer = await proc.call(clock.TimerStart(5.0))
        tag = proc.yield_(clock.TimerWait(timer))
        assert await proc.call(clock.TimerStop(timer)) is True
        completion = await proc.receive(kind=actorkit.Completion)
    assert completion.tag == tag
    assert isinstance(completion.error, CommandError)


async def test_clock_timer_stop_after_the_fire(node: actorkit.Node) -> None:
    async with node.process() as proc:
        timer = await proc.call(clock.TimerStart(1.0))
        await proc.call(clock.TimerWait(timer))
        assert await proc.call(clock.TimerStop(timer)) is False


async def test_clock_timer_reset_moves_the_fire(node: actorkit.Node) -> None:
    async with node.process() as proc:
        start = trio.current_time()
        timer = await proc.call(clock.TimerStart(2.0))
        await proc.call(clock.Sleep(1.0))
        assert await proc.call(clock.TimerReset(timer, 5.0)) is True
        await proc.call(clock.TimerWait(timer))
        assert trio.current_time() - start == pytest.approx(6.0)
        await trio.testing.wait_all_tasks_blocked()
        assert len(proc.mailbox) == 0  # the old deadline did not fire too


async def test_clock_timer_reset_after_the_fire_rearms_it(node: actorkit.Node) -> None:
    async with node.process() as proc:
        timer = await proc.call(clock.TimerStart(1.0))
        await proc.receive(kind=clock.TimerFired)
        start = trio.current_time()
        assert await proc.call(clock.TimerReset(timer, 3.0)) is False
        fired = await proc.receive(kind=clock.TimerFired)
    assert fired.time - start == pytest.approx(3.0)


async def test_clock_timer_reset_after_stop_rearms_it(node: actorkit.Node) -> None:
    async with node.process() as proc:
        timer = await proc.call(clock.TimerStart(1.0))
        await proc.call(clock.TimerStop(timer))
        assert await proc.call(clock.TimerReset(timer, 2.0)) is False
        await proc.call(clock.TimerWait(timer), timeout=5.0)


@pytest.mark.parametrize(
    "cmd",
    [clock.TimerWait(99), clock.TimerStop(99), clock.TimerReset(99, 1.0)],
    ids=lambda cmd: type(cmd).__name__,
)
async def test_clock_timer_unknown_id_fails(
    node: actorkit.Node, cmd: actorkit.Command[object]
) -> None:
    async with node.process() as proc:
        with pytest.raises(CommandError, match="no timer 99"):
            await proc.call(cmd)
        assert proc.alive


async def test_clock_timer_wait_timeout_leaves_a_fired_event(node: actorkit.Node) -> None:
    async with node.process() as proc:
        timer = await proc.call(clock.TimerStart(5.0))
        with pytest.raises(trio.TooSlowError):
            await proc.call(clock.TimerWait(timer), timeout=1.0)
        fired = await proc.receive(kind=clock.TimerFired)
    assert fired.timer == timer


async def test_clock_timers_end_when_their_process_exits(node: actorkit.Node) -> None:
    async def arm_and_leave(proc: actorkit.Process) -> int:
        await proc.call(clock.TimerStart(100.0))
        return await proc.call(clock.TimerStart(200.0))

    async with node.process() as proc:
        await proc.spawn(arm_and_leave, monitor=True)
        await proc.receive(kind=actorkit.Exit)
        await trio.testing.wait_all_tasks_blocked()
        assert len(node.dispatch_nursery.child_tasks) == 0
        start = trio.current_time()
        with pytest.raises(trio.TooSlowError):
            await proc.receive(kind=actorkit.Event, timeout=300.0)
        assert trio.current_time() - start == pytest.approx(300.0)


async def test_clock_timer_ids_in_range(node: actorkit.Node) -> None:
    ids = [clock.TimerStart.ID, clock.TimerWait.ID, clock.TimerStop.ID, clock.TimerReset.ID]
    assert ids == [18, 19, 20, 21]
    assert (clock.TickerStart.ID, clock.TickerStop.ID) == (14, 16)


async def test_clock_timer_two_pending_waits_both_complete(node: actorkit.Node) -> None:
    async with node.process() as proc:
        timer = await proc.call(clock.TimerStart(2.0))
        first = proc.yield_(clock.TimerWait(timer))
        second = proc.yield_(clock.TimerWait(timer))
        done = [await proc.receive(kind=actorkit.Completion, timeout=5.0) for _ in range(2)]
    assert sorted(c.tag for c in done) == [first, second]
    assert [c.error for c in done] == [None, None]
