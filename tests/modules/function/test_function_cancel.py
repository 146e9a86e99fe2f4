"""Functions inherit the caller's cancellation: its timeout, its cancel, its death."""

from __future__ import annotations

import threading
import time

import pytest
import trio
import trio.testing

import actorkit
from actorkit.modules import function
from actorkit.testing import open_test_node

seen: list[str] = []


@pytest.fixture(autouse=True)
def fresh_seen() -> None:
    seen.clear()


async def wait(seconds: float) -> str:
    seen.append(f"started at {trio.current_time():g}")
    try:
        await trio.sleep(seconds)
    except trio.Cancelled:
        seen.append(f"cancelled at {trio.current_time():g}")
        raise
    seen.append("finished")
    return "done"


async def deadline() -> float:
    await trio.lowlevel.checkpoint()
    return trio.current_effective_deadline()


MODULE = function.module({"wait": wait, "deadline": deadline})


async def test_cancel_caller_timeout_cancels_the_function(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node(modules=[MODULE]) as node, node.process() as proc:
        start = trio.current_time()
        with pytest.raises(trio.TooSlowError, match=r"Call \(id=140\) timed out after 3"):
            await proc.call(function.Call("wait", (100.0,)), timeout=3.0)
        await trio.testing.wait_all_tasks_blocked()
    assert seen == [f"started at {start:g}", f"cancelled at {start + 3:g}"]


async def test_cancel_function_sees_the_callers_deadline(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node(modules=[MODULE]) as node, node.process() as proc:
        start = trio.current_time()
        assert await proc.call(function.Call("deadline"), timeout=7.0) == start + 7.0


async def test_cancel_caller_cancelled_from_outside_cancels_the_function(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node(modules=[MODULE]) as node, node.process() as proc:
        start = trio.current_time()
        with trio.move_on_after(2.0):
            await proc.call(function.Call("wait", (100.0,)))
        await trio.testing.wait_all_tasks_blocked()
    assert seen == [f"started at {start:g}", f"cancelled at {start + 2:g}"]


async def test_cancel_terminated_caller_cancels_its_call(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async def caller(proc: actorkit.Process) -> object:
        return await proc.call(function.Call("wait", (100.0,)))

    async with open_test_node(modules=[MODULE]) as node:
        pid = node.spawn(caller)
        await trio.sleep(4.0)
        async with node.process() as killer:
            assert await killer.terminate(pid) is True
            stopped = trio.current_time()
        await trio.testing.wait_all_tasks_blocked()
    assert seen[1:] == [f"cancelled at {stopped:g}"]


def spin(started: threading.Event, done: threading.Event) -> str:
    """A sync function that stops when its caller gives up (polling for cancellation)."""
    started.set()
    try:
        for _ in range(5000):
            trio.from_thread.check_cancelled()
            time.sleep(0.001)
    except trio.Cancelled:
        seen.append("thread saw cancel")
        raise
    finally:
        done.set()
    return "spun to the end"


async def test_cancel_thread_function_can_poll_for_the_callers_cancel() -> None:
    started, done = threading.Event(), threading.Event()

    async def cancel_when_started(scope: trio.CancelScope) -> None:
        assert await trio.to_thread.run_sync(started.wait, 10.0)
        scope.cancel()

    async with (
        open_test_node(modules=[function.module({"spin": spin})]) as node,
        node.process() as proc,
    ):
        with trio.CancelScope() as scope:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(cancel_when_started, scope)
                await proc.call(function.Call("spin", (started, done)))
        assert scope.cancelled_caught
        assert await trio.to_thread.run_sync(done.wait, 10.0)
    assert seen == ["thread saw cancel"]
