"""Cancel: a cooperative request; the process sees a Cancel event and may clean up."""

from __future__ import annotations

import pytest
import trio
import trio.testing

import actorkit
from actorkit.modules import clock


async def counting_loop(proc: actorkit.Process) -> tuple[int, str | None]:
    count = 0
    async for _ in proc.messages():
        count += 1
    return count, proc.cancel_reason


async def test_cancel_ends_the_messages_loop(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await proc.spawn(counting_loop, monitor=True)
        await proc.send(pid, "a")
        await proc.send(pid, "b")
        await proc.cancel(pid, "done here")
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.result == (2, "done here")
    assert exit_event.reason == "normal"


async def test_cancel_plain_receive_raises_cancel_requested(node: actorkit.Node) -> None:
    async def body(proc: actorkit.Process) -> str:
        try:
            await proc.receive(topic="work")
        except actorkit.CancelRequested as exc:
            return f"cleaned up after {exc.reason}"
        return "no cancel"

    async with node.process() as proc:
        pid = await proc.spawn(body, monitor=True)
        await proc.cancel(pid, "shutdown requested")
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.result == "cleaned up after shutdown requested"


async def test_cancel_event_carries_reason_and_sender(node: actorkit.Node) -> None:
    async def body(proc: actorkit.Process) -> actorkit.Cancel:
        return await proc.receive(kind=actorkit.Cancel)

    async with node.process() as proc:
        pid = await proc.spawn(body, monitor=True)
        await proc.cancel(pid, "why")
        exit_event = await proc.receive(kind=actorkit.Exit)
        from_outside = node.spawn(body)
        node.cancel(from_outside, "outside")
        outside_exit = await node.wait(from_outside)
    assert exit_event.result == actorkit.Cancel("why", proc.pid)
    assert outside_exit.result == actorkit.Cancel("outside", None)


async def test_cancel_any_event_kind_takes_cancel(node: actorkit.Node) -> None:
    async def body(proc: actorkit.Process) -> list[str]:
        events = [await proc.receive(kind=actorkit.Event) for _ in range(2)]
        return [type(event).__name__ for event in events]

    async with node.process() as proc:
        pid = await proc.spawn(body, monitor=True)
        await proc.send(pid, "m")
        await proc.cancel(pid)
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.result == ["Message", "Cancel"]


async def test_cancel_does_not_interrupt_a_call(node: actorkit.Node) -> None:
    async def body(proc: actorkit.Process) -> float:
        start = trio.current_time()
        await proc.call(clock.Sleep(5.0))
        with pytest.raises(actorkit.CancelRequested):
            await proc.receive()
        return trio.current_time() - start

    pid = node.spawn(body)
    await trio.testing.wait_all_tasks_blocked()
    node.cancel(pid)
    exit_event = await node.wait(pid)
    assert exit_event.result == pytest.approx(5.0)


async def test_cancel_dead_pid_fails(node: actorkit.Node) -> None:
    ghost = actorkit.PID(node.name, 12_345)
    async with node.process() as proc:
        with pytest.raises(actorkit.NoProcessError, match="cannot cancel"):
            await proc.cancel(ghost)
        with pytest.raises(actorkit.NoProcessError):
            await proc.cancel("nobody")
    with pytest.raises(actorkit.NoProcessError):
        node.cancel(ghost)
