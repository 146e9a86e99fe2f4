"""The timer wheel: every sleep, ticker and timer of a node runs on one task."""

from __future__ import annotations

from collections.abc import Callable

import trio
import trio.testing

import actorkit
from actorkit.modules import clock
from actorkit.modules.clock.wheel import Wheel


async def ticking(proc: actorkit.Process) -> int:
    await proc.call(clock.TickerStart(1.0))
    await proc.call(clock.TimerStart(30.0))
    proc.yield_(clock.Sleep(60.0))
    return (await proc.receive(kind=clock.Tick)).seq


async def test_clock_many_tickers_take_no_task_each(node: actorkit.Node) -> None:
    pids = [node.spawn(ticking) for _ in range(500)]
    await trio.testing.wait_all_tasks_blocked()
    assert len(node.dispatch_nursery.child_tasks) == 0
    exits = [await node.wait(pid) for pid in pids]
    assert {e.result for e in exits} == {1}


async def test_clock_wheel_fires_in_deadline_order(autojump_clock: trio.testing.MockClock) -> None:
    wheel = Wheel()
    fired: list[tuple[str, float]] = []
    async with trio.open_nursery() as nursery:
        await nursery.start(wheel.run)
        start = trio.current_time()

        def record(name: str) -> Callable[[float], None]:
            return lambda now: fired.append((name, now - start))

        for name, delay in [("c", 3.0), ("a", 1.0), ("b", 2.0)]:
            wheel.at(start + delay, record(name))
        stopped = wheel.at(start + 1.5, lambda now: fired.append(("stopped", now)))
        stopped.cancel()
        await trio.sleep(5)
        nursery.cancel_scope.cancel()
    assert fired == [("a", 1.0), ("b", 2.0), ("c", 3.0)]
    assert len(wheel) == 0


async def test_clock_wheel_drops_stopped_entries(autojump_clock: trio.testing.MockClock) -> None:
    wheel = Wheel()
    async with trio.open_nursery() as nursery:
        await nursery.start(wheel.run)
        entries = [wheel.at(trio.current_time() + 100 + i, lambda now: None) for i in range(200)]
        for entry in entries[:150]:
            entry.cancel()
        wheel.at(trio.current_time() + 1, lambda now: None)
        await trio.sleep(2)  # a pass of the wheel prunes once the dead outnumber the live
        assert len(wheel._heap) == 50  # pyright: ignore[reportPrivateUsage]
        nursery.cancel_scope.cancel()
