"""Bounded mailboxes: backpressure, WouldBlock, and dead letters for gone receivers."""

from __future__ import annotations

import pytest
import trio
import trio.testing

import actorkit
from actorkit import lowlevel
from actorkit._core._events import RuntimeEvent


async def gated_drain(proc: actorkit.Process, count: int) -> list[object]:
    """Wait for a Cancel (the gate, on the priority lane), then take ``count`` messages."""
    await proc.receive(kind=actorkit.Cancel)
    return [(await proc.receive()).payload for _ in range(count)]


async def test_mailbox_default_size_is_finite(node: actorkit.Node) -> None:
    pid = node.spawn(gated_drain, 0)
    state = node.resolve(pid)
    assert state is not None
    assert state.mailbox.capacity == node.mailbox_size
    assert 0 < node.mailbox_size < 100_000


async def send_all(proc: actorkit.Process, dest: actorkit.PID, payloads: list[int]) -> int:
    for payload in payloads:
        await proc.send(dest, "n", payload)
    return len(payloads)


async def test_mailbox_full_send_waits_until_there_is_room(node: actorkit.Node) -> None:
    pid = node.spawn(gated_drain, 3, mailbox_size=2)
    sender = node.spawn(send_all, pid, [0, 1, 2])
    await trio.testing.wait_all_tasks_blocked()
    sender_state = node.resolve(sender)
    assert sender_state is not None and sender_state.alive
    receiver_state = node.resolve(pid)
    assert receiver_state is not None and len(receiver_state.mailbox) == 2
    async with node.process() as proc:
        with pytest.raises(trio.WouldBlock):
            proc.send_nowait(pid, "n", 99)
        await proc.monitor(sender)
        await proc.monitor(pid)
        node.cancel(pid, "go")
        exits = {e.pid: e for e in [await proc.receive(kind=actorkit.Exit) for _ in range(2)]}
    assert exits[sender].result == 3
    assert exits[pid].result == [0, 1, 2]


async def test_mailbox_full_node_send_waits_and_send_nowait_raises(node: actorkit.Node) -> None:
    pid = node.spawn(gated_drain, 2, mailbox_size=1)
    node.send_nowait(pid, "n", 0)
    with pytest.raises(trio.WouldBlock):
        node.send_nowait(pid, "n", 1)
    done = trio.Event()

    async def second() -> None:
        await node.send(pid, "n", 1)
        done.set()

    async with trio.open_nursery() as nursery:
        nursery.start_soon(second)
        await trio.testing.wait_all_tasks_blocked()
        assert not done.is_set()
        node.cancel(pid, "go")
        exit_event = await node.wait(pid)
    assert done.is_set()
    assert exit_event.result == [0, 1]


async def test_mailbox_send_to_dead_pid_is_a_counted_dead_letter(node: actorkit.Node) -> None:
    events: list[RuntimeEvent] = []
    lowlevel.add_listener(node, events.append)

    async def quick(proc: actorkit.Process) -> None:
        return None

    async with node.process() as proc:
        dead = await proc.spawn(quick, monitor=True)
        await proc.receive(kind=actorkit.Exit)
        before = node.dead_letters
        with pytest.raises(actorkit.NoProcessError, match="dead letter"):
            await proc.send(dead, "lost", 1)
        with pytest.raises(actorkit.NoProcessError):
            proc.send_nowait(dead, "lost", 2)
        with pytest.raises(actorkit.NoProcessError):
            await node.send(dead, "lost", 3)
        with pytest.raises(actorkit.NoProcessError):
            node.send_nowait(dead, "lost", 4)
    assert node.dead_letters == before + 4
    dead_letters = [e for e in events if e.kind == "dead_letter"]
    assert [(e.path, e.data) for e in dead_letters] == [(str(dead), "lost")] * 4


async def test_mailbox_send_to_unknown_name_is_a_dead_letter(node: actorkit.Node) -> None:
    async with node.process() as proc:
        with pytest.raises(actorkit.NoProcessError, match="nobody"):
            await proc.send("nobody", "lost")
    assert node.dead_letters == 1


async def test_mailbox_waiting_sender_fails_when_receiver_dies(node: actorkit.Node) -> None:
    pid = node.spawn(gated_drain, 0, mailbox_size=1)
    sender = node.spawn(send_all, pid, [0, 1])
    await trio.testing.wait_all_tasks_blocked()
    async with node.process() as proc:
        await proc.monitor(sender)
        assert await proc.terminate(pid)
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert isinstance(exit_event.error, actorkit.NoProcessError)
    assert "dead letter" in str(exit_event.error)
    assert node.dead_letters == 1


async def test_mailbox_size_below_one_is_rejected(node: actorkit.Node) -> None:
    async def idle(proc: actorkit.Process) -> None:
        return None

    with pytest.raises(ValueError, match="mailbox_size"):
        node.spawn(idle, mailbox_size=0)
    async with node.process() as proc:
        with pytest.raises(ValueError, match="mailbox_size"):
            await proc.spawn(idle, mailbox_size=0)


async def test_mailbox_sender_that_dies_while_waiting_delivers_nothing(
    node: actorkit.Node,
) -> None:
    pid = node.spawn(gated_drain, 1, mailbox_size=1)
    sender = node.spawn(send_all, pid, [0, 1])
    await trio.testing.wait_all_tasks_blocked()
    async with node.process() as proc:
        await proc.terminate(sender)
        await trio.testing.wait_all_tasks_blocked()
        receiver_state = node.resolve(pid)
        assert receiver_state is not None
        assert len(receiver_state.mailbox) == 1
        node.cancel(pid, "go")
        await proc.monitor(pid)
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.result == [0]
    assert node.dead_letters == 0
