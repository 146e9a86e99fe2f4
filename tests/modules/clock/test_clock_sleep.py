"""Sleep (id=10) on the Trio clock; the autojump clock makes long sleeps instant."""

from __future__ import annotations

import pytest
import trio
import trio.testing

import actorkit
from actorkit.modules import clock


async def test_clock_sleep_advances_the_clock(node: actorkit.Node) -> None:
    async with node.process() as proc:
        start = trio.current_time()
        await proc.call(clock.Sleep(2.5))
        assert trio.current_time() - start == pytest.approx(2.5)
        await proc.call(clock.Sleep(0))
        assert trio.current_time() - start == pytest.approx(2.5)


async def test_clock_sleep_id_is_ten(node: actorkit.Node) -> None:
    assert clock.Sleep.ID == 10
    assert node.registry.owner(10) == "clock"


async def test_clock_sleep_timeout_cuts_it_short(node: actorkit.Node) -> None:
    async with node.process() as proc:
        start = trio.current_time()
        with pytest.raises(trio.TooSlowError, match=r"Sleep \(id=10\)"):
            await proc.call(clock.Sleep(60.0), timeout=1.5)
        assert trio.current_time() - start == pytest.approx(1.5)


async def test_clock_sleep_is_cancelled_with_its_process(node: actorkit.Node) -> None:
    async def sleeper(proc: actorkit.Process) -> None:
        await proc.call(clock.Sleep(3600.0))

    async with node.process() as proc:
        pid = await proc.spawn(sleeper)
        await trio.testing.wait_all_tasks_blocked()
        start = trio.current_time()
        await proc.terminate(pid)
        await trio.testing.wait_all_tasks_blocked()
        assert trio.current_time() == start
        assert len(node.dispatch_nursery.child_tasks) == 0


async def test_clock_sleeps_in_flight_together(node: actorkit.Node) -> None:
    async with node.process() as proc:
        start = trio.current_time()
        tags = [proc.yield_(clock.Sleep(float(seconds))) for seconds in (3, 1, 2)]
        done = [await proc.receive(kind=actorkit.Completion) for _ in tags]
        elapsed = trio.current_time() - start
    assert [c.tag for c in done] == [tags[1], tags[2], tags[0]]
    assert elapsed == pytest.approx(3.0)
