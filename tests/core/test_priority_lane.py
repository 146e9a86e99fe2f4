"""The priority lane: completions and lifecycle events get past a full mailbox."""

from __future__ import annotations

import pytest
import trio
import trio.testing

import actorkit
from actorkit.modules import clock


def fill_own_mailbox(proc: actorkit.Process) -> None:
    """Fill a mailbox of size 1 and prove it is full."""
    proc.send_nowait(proc.pid, "filler", None)
    with pytest.raises(trio.WouldBlock):
        proc.send_nowait(proc.pid, "filler", None)


async def crash(proc: actorkit.Process) -> None:
    raise RuntimeError("boom")


async def test_priority_lane_call_completes_with_full_mailbox(node: actorkit.Node) -> None:
    async def body(proc: actorkit.Process) -> str:
        fill_own_mailbox(proc)
        await proc.call(clock.Sleep(1.0))
        return "slept"

    pid = node.spawn(body, mailbox_size=1)
    assert (await node.wait(pid)).result == "slept"


async def test_priority_lane_yield_completion_with_full_mailbox(node: actorkit.Node) -> None:
    async def body(proc: actorkit.Process) -> int:
        fill_own_mailbox(proc)
        tag = proc.yield_(clock.Sleep(1.0))
        completion = await proc.receive(kind=actorkit.Completion)
        assert completion.error is None
        return completion.tag - tag

    pid = node.spawn(body, mailbox_size=1)
    assert (await node.wait(pid)).result == 0


async def test_priority_lane_exit_with_full_mailbox(node: actorkit.Node) -> None:
    async def body(proc: actorkit.Process) -> str:
        fill_own_mailbox(proc)
        child = await proc.spawn(crash, monitor=True)
        exit_event = await proc.receive(kind=actorkit.Exit)
        assert exit_event.pid == child
        return exit_event.reason

    pid = node.spawn(body, mailbox_size=1)
    assert (await node.wait(pid)).result == "error"


async def test_priority_lane_link_down_with_full_mailbox(node: actorkit.Node) -> None:
    async def body(proc: actorkit.Process) -> str:
        fill_own_mailbox(proc)
        await proc.spawn(crash, link=True)
        down = await proc.receive(kind=actorkit.LinkDown)
        return repr(down.error)

    pid = node.spawn(body, mailbox_size=1, trap_links=True)
    assert (await node.wait(pid)).result == "RuntimeError('boom')"


async def test_priority_lane_cancel_with_full_mailbox(node: actorkit.Node) -> None:
    async def body(proc: actorkit.Process) -> str:
        fill_own_mailbox(proc)
        parent = await proc.receive(kind=actorkit.Cancel)  # the go signal
        assert parent.sender is None
        try:
            await proc.receive(topic="never")
        except actorkit.CancelRequested as exc:
            return exc.reason
        return "not cancelled"

    pid = node.spawn(body, mailbox_size=1)
    await trio.testing.wait_all_tasks_blocked()
    node.cancel(pid, "first")
    async with node.process() as proc:
        await proc.monitor(pid)
        await proc.cancel(pid, "second")
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.result == "second"
