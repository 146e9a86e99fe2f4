"""AsyncStart (id=141) and AsyncCancel (id=142): runs owned by the calling process."""

from __future__ import annotations

import attrs
import pytest
import trio
import trio.testing

import actorkit
from actorkit import CommandError
from actorkit.modules import function
from actorkit.testing import open_test_node


@attrs.define
class Probe:
    """What a test function saw: its starts, whether it was cancelled, its finishes."""

    started: int = 0
    cancelled: int = 0
    finished: int = 0


probe = Probe()


@pytest.fixture(autouse=True)
def fresh_probe() -> None:
    global probe  # noqa: PLW0603
    probe = Probe()


async def slow(seconds: float, value: object) -> object:
    probe.started += 1
    try:
        await trio.sleep(seconds)
    except trio.Cancelled:
        probe.cancelled += 1
        raise
    probe.finished += 1
    return value


async def fails() -> None:
    await trio.sleep(1)
    raise ValueError("bad input")


def cheap(x: int) -> int:
    return x + 1


MODULE = function.module(
    {"slow": slow, "fails": fails}, function.Function("cheap", cheap, cheap=True)
)


async def test_async_start_returns_a_handle_at_once(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node(modules=[MODULE]) as node, node.process() as proc:
        start = trio.current_time()
        handle = await proc.call(function.AsyncStart("slow", (5.0, "done")))
        assert trio.current_time() == start
        event = await proc.receive(kind=function.FunctionResult)
        assert trio.current_time() == start + 5.0
    assert event == function.FunctionResult(handle, "done", None)


async def test_async_start_handles_tell_concurrent_runs_apart(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node(modules=[MODULE]) as node, node.process() as proc:
        first = await proc.call(function.AsyncStart("slow", (3.0, "a")))
        second = await proc.call(function.AsyncStart("slow", (1.0,), {"value": "b"}))
        third = await proc.call(function.AsyncStart("cheap", (41,)))
        events = [await proc.receive(kind=function.FunctionResult) for _ in range(3)]
    assert len({first, second, third}) == 3
    assert [(e.handle, e.result) for e in events] == [(third, 42), (second, "b"), (first, "a")]


async def test_async_start_failure_arrives_as_an_event_and_spares_the_process(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node(modules=[MODULE]) as node:

        async def owner(proc: actorkit.Process) -> object:
            handle = await proc.call(function.AsyncStart("fails"))
            event = await proc.receive(kind=function.FunctionResult)
            assert event.handle == handle
            return event.error

        error = await node.exec(owner)
    assert isinstance(error, ValueError)
    assert str(error) == "bad input"


async def test_async_start_unknown_name_fails_the_start(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node(modules=[MODULE]) as node, node.process() as proc:
        with pytest.raises(function.UnknownFunctionError, match=r"^AsyncStart \(id=141\)"):
            await proc.call(function.AsyncStart("nope"))


async def test_async_start_wrong_arguments_arrive_as_the_event_error(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node(modules=[MODULE]) as node, node.process() as proc:
        await proc.call(function.AsyncStart("slow", (1.0, 2, 3)))
        event = await proc.receive(kind=function.FunctionResult)
    assert isinstance(event.error, function.FunctionArgumentError)
    assert str(event.error).startswith("AsyncStart (id=141): bad arguments for function 'slow'")


async def test_async_result_rides_the_priority_lane(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node(modules=[MODULE], mailbox_size=1) as node, node.process() as proc:
        await proc.call(function.AsyncStart("slow", (1.0, "through")))
        node.send_nowait(proc.pid, "filler", None)  # the mailbox is now full
        event = await proc.receive(kind=function.FunctionResult)
        assert len(proc.mailbox) == 1
    assert event.result == "through"


async def test_async_cancel_running_returns_true_and_cancels_it(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node(modules=[MODULE]) as node, node.process() as proc:
        handle = await proc.call(function.AsyncStart("slow", (10.0, "never")))
        await trio.sleep(1)
        assert await proc.call(function.AsyncCancel(handle)) is True
        await trio.testing.wait_all_tasks_blocked()
        assert probe.cancelled == 1
        # No result arrives for a cancelled run.
        with pytest.raises(trio.TooSlowError):
            await proc.receive(kind=function.FunctionResult, timeout=60)
        assert await proc.call(function.AsyncCancel(handle)) is False
    assert (probe.started, probe.finished) == (1, 0)


async def test_async_cancel_finished_run_returns_false(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node(modules=[MODULE]) as node, node.process() as proc:
        handle = await proc.call(function.AsyncStart("slow", (1.0, "ok")))
        await proc.receive(kind=function.FunctionResult)
        assert await proc.call(function.AsyncCancel(handle)) is False


async def test_async_cancel_unknown_handle_fails(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node(modules=[MODULE]) as node, node.process() as proc:
        with pytest.raises(CommandError, match=r"^AsyncCancel \(id=142\): no handle 99 in"):
            await proc.call(function.AsyncCancel(99))


async def test_async_cancel_cannot_reach_another_processs_runs(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with (
        open_test_node(modules=[MODULE]) as node,
        node.process() as owner,
        node.process() as other,
    ):
        handle = await owner.call(function.AsyncStart("slow", (1.0, "mine")))
        with pytest.raises(CommandError, match="no handle"):
            await other.call(function.AsyncCancel(handle))
        event = await owner.receive(kind=function.FunctionResult)
    assert event.result == "mine"


@pytest.mark.parametrize("ending", ["return", "raise", "terminate"])
async def test_async_runs_are_cancelled_when_the_owner_exits(
    autojump_clock: trio.testing.MockClock, ending: str
) -> None:
    async def owner(proc: actorkit.Process) -> None:
        await proc.call(function.AsyncStart("slow", (100.0, 1)))
        await proc.call(function.AsyncStart("slow", (100.0, 2)))
        if ending == "raise":
            raise RuntimeError("owner crashed")
        if ending == "terminate":
            await trio.sleep_forever()

    async with open_test_node(modules=[MODULE]) as node:
        pid = node.spawn(owner)
        await trio.testing.wait_all_tasks_blocked()
        assert probe.started == 2
        if ending == "terminate":
            async with node.process() as killer:
                await killer.terminate(pid)
        await node.wait(pid)
        await trio.testing.wait_all_tasks_blocked()
        assert (probe.cancelled, probe.finished) == (2, 0)
