"""pg Broadcast / BroadcastLocal: once per distinct member, with backpressure."""

from __future__ import annotations

import contextlib

import pytest
import trio
import trio.testing
from trio.testing import MockClock

import actorkit
from actorkit.modules import pg
from actorkit.testing import open_test_node

BROADCASTS = [pg.Broadcast, pg.BroadcastLocal]


async def finish(proc: actorkit.Process, pid: actorkit.PID) -> object:
    """Cancel a monitored child and return its result."""
    await proc.cancel(pid, "done")
    exit_event = await proc.receive(kind=actorkit.Exit, match=lambda e: e.pid == pid)
    return exit_event.result


async def member(proc: actorkit.Process, parent: actorkit.PID, joins: int) -> list[object]:
    """Join ``g`` ``joins`` times, report, then collect messages until a Cancel."""
    for _ in range(joins):
        await proc.call(pg.Join("g"))
    await proc.send(parent, "joined", proc.pid)
    return [(msg.topic, msg.payload, msg.sender) async for msg in proc.messages()]


@pytest.mark.parametrize("broadcast", BROADCASTS)
async def test_broadcast_reaches_each_member_once(
    autojump_clock: MockClock, pg_node: actorkit.Node, broadcast: type[pg.Broadcast]
) -> None:
    async with pg_node.process() as proc:
        pids = [await proc.spawn(member, proc.pid, n, monitor=True) for n in (1, 2, 3)]
        for _ in pids:
            await proc.receive("joined")
        assert await proc.call(broadcast("g", "news", 42)) == 3
        assert await proc.call(broadcast("nobody", "news", 0)) == 0
        for pid in pids:
            assert await finish(proc, pid) == [("news", 42, proc.pid)]


async def test_broadcast_includes_the_caller_when_it_is_a_member(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        await proc.call(pg.Join("g"))
        await proc.call(pg.Join("g"))
        assert await proc.call(pg.Broadcast("g", "hi")) == 1
        msg = await proc.receive("hi", timeout=1)
        assert msg.sender == proc.pid
        with pytest.raises(trio.TooSlowError):
            await proc.receive("hi", timeout=1)


async def test_broadcast_skips_the_callers_own_copy_when_its_mailbox_is_full(
    autojump_clock: MockClock,
) -> None:
    async with (
        open_test_node(modules=[pg.module()], mailbox_size=1) as node,
        node.process() as proc,
    ):
        await proc.call(pg.Join("g"))
        await proc.send(proc.pid, "filler")
        assert await proc.call(pg.Broadcast("g", "hi"), timeout=1) == 0
        assert (await proc.receive()).topic == "filler"
        with pytest.raises(trio.TooSlowError):
            await proc.receive("hi", timeout=1)


async def slow_member(proc: actorkit.Process, parent: actorkit.PID) -> list[object]:
    """Join ``g``, then take nothing until a Cancel (on the priority lane) says go."""
    await proc.call(pg.Join("g"))
    await proc.send(parent, "joined", proc.pid)
    await proc.receive(kind=actorkit.Cancel)
    return [(await proc.receive()).payload for _ in range(3)]


async def test_broadcast_waits_for_room_and_loses_nothing(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        fast = await proc.spawn(member, proc.pid, 1, monitor=True)
        slow = await proc.spawn(slow_member, proc.pid, mailbox_size=1, monitor=True)
        for _ in range(2):
            await proc.receive("joined")
        assert await proc.call(pg.Broadcast("g", "n", 0)) == 2  # fills the slow mailbox
        done: list[int] = []

        async def broadcast_more() -> None:
            for n in (1, 2):
                done.append(await proc.call(pg.Broadcast("g", "n", n)))

        async with trio.open_nursery() as nursery:
            nursery.start_soon(broadcast_more)
            await trio.testing.wait_all_tasks_blocked()
            assert done == []  # waiting for room in the slow mailbox
            pg_node.cancel(slow, "go")
        assert done == [2, 2]
        slow_exit = await proc.receive(kind=actorkit.Exit, match=lambda e: e.pid == slow)
        assert slow_exit.result == [0, 1, 2]
        assert await finish(proc, fast) == [("n", n, proc.pid) for n in (0, 1, 2)]


async def test_broadcast_skips_a_member_that_exits_while_it_waits(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        await proc.spawn(member, proc.pid, 1)
        slow = await proc.spawn(slow_member, proc.pid, mailbox_size=1)
        for _ in range(2):
            await proc.receive("joined")
        assert await proc.call(pg.Broadcast("g", "n", 0)) == 2
        async with trio.open_nursery() as nursery:
            result: list[int] = []

            async def broadcast() -> None:
                result.append(await proc.call(pg.Broadcast("g", "n", 1)))

            nursery.start_soon(broadcast)
            await trio.testing.wait_all_tasks_blocked()
            assert result == []
            async with pg_node.process() as killer:  # one call at a time per process
                await killer.terminate(slow)
        assert result == [1]


async def test_broadcast_times_out_while_a_mailbox_stays_full(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        await proc.spawn(slow_member, proc.pid, mailbox_size=1)
        await proc.receive("joined")
        await proc.call(pg.Broadcast("g", "n", 0))
        with pytest.raises(trio.TooSlowError, match=r"Broadcast \(id=205\)"):
            await proc.call(pg.Broadcast("g", "n", 1), timeout=5)


async def test_a_second_concurrent_call_on_one_process_fails_clearly(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        slow = await proc.spawn(slow_member, proc.pid, mailbox_size=1)
        await proc.receive("joined")
        await proc.call(pg.Broadcast("g", "n", 0))  # the slow mailbox is full now
        first: list[int] = []

        async def broadcast() -> None:
            first.append(await proc.call(pg.Broadcast("g", "n", 1)))  # waits for room

        with trio.move_on_after(60):
            async with trio.open_nursery() as nursery:
                nursery.start_soon(broadcast)
                await trio.testing.wait_all_tasks_blocked()
                with contextlib.suppress(RuntimeError):  # the clear error the fix would raise
                    await proc.call(pg.Members("g"))
                pg_node.cancel(slow, "go")  # room: the first call must now return
        assert first == [1]
