"""Slow subscribers: publishers wait, the runtime never blocks, nothing is lost or reordered."""

from __future__ import annotations

from typing import cast

import pytest
import trio
import trio.testing
from trio.testing import MockClock

import actorkit
from actorkit.modules import event


async def slow(
    proc: actorkit.Process, parent: actorkit.PID, system: str, count: int
) -> list[tuple[str, str, object]]:
    """Subscribe, report, then take nothing until a Cancel (the gate) arrives."""
    await proc.call(event.Subscribe(system))
    await proc.send(parent, "subscribed", proc.pid)
    await proc.receive(kind=actorkit.Cancel)
    got: list[tuple[str, str, object]] = []
    for _ in range(count):
        ev = await proc.receive(kind=event.BusEvent)
        got.append((ev.kind, ev.path, ev.data))
    return got


async def spawn_slow(
    proc: actorkit.Process, system: str, count: int, mailbox_size: int
) -> actorkit.PID:
    pid = await proc.spawn(slow, proc.pid, system, count, mailbox_size=mailbox_size, monitor=True)
    await proc.receive("subscribed")
    return pid


async def result_of(proc: actorkit.Process, pid: actorkit.PID) -> object:
    exit_event = await proc.receive(kind=actorkit.Exit, match=lambda e: e.pid == pid)
    assert exit_event.error is None, exit_event.error
    return exit_event.result


async def test_send_waits_for_a_slow_subscriber_and_loses_nothing(
    autojump_clock: MockClock, bus_node: actorkit.Node
) -> None:
    async with bus_node.process() as proc, bus_node.process() as publisher:
        pid = await spawn_slow(proc, "app", 50, mailbox_size=2)
        sent: list[int] = []

        async def publish() -> None:
            for n in range(50):
                assert await publisher.call(event.Send("app", "n", "", n)) == 1
                sent.append(n)

        async with trio.open_nursery() as nursery:
            nursery.start_soon(publish)
            await trio.testing.wait_all_tasks_blocked()
            assert sent == [0, 1]  # the third waits in the overflow: Send waits with it
            assert event.statistics(bus_node)["overflow"] == 1
            await proc.cancel(pid, "go")
        assert sent == list(range(50))
        assert await result_of(proc, pid) == [("n", "", n) for n in range(50)]
        assert event.statistics(bus_node)["overflow"] == 0


async def quick(proc: actorkit.Process) -> None:
    return None


async def test_runtime_events_never_block_and_are_never_lost(
    autojump_clock: MockClock, bus_node: actorkit.Node
) -> None:
    async with bus_node.process() as proc:
        pid = await spawn_slow(proc, "process", 60, mailbox_size=1)
        pids = [bus_node.spawn(quick) for _ in range(30)]  # sync: the listener cannot wait
        await trio.testing.wait_all_tasks_blocked()
        assert event.statistics(bus_node)["overflow"] == 59  # all exited; one fits the mailbox
        await proc.cancel(pid, "go")
        got = await result_of(proc, pid)
    assert isinstance(got, list)
    got = cast("list[tuple[str, str, str]]", got)
    assert got[:30] == [("started", str(p), "quick") for p in pids]
    # Trio runs the 30 processes in no fixed order, so they exit in no fixed order.
    assert sorted(got[30:]) == sorted(("exited", str(p), "normal") for p in pids)


async def test_sends_queue_behind_runtime_events_in_order(
    autojump_clock: MockClock, bus_node: actorkit.Node
) -> None:
    async with bus_node.process() as proc, bus_node.process() as publisher:
        pid = await spawn_slow(proc, "(process|app)", 3, mailbox_size=1)
        started = bus_node.spawn(quick)
        await trio.testing.wait_all_tasks_blocked()  # it started and exited: 2 events queued
        sent: list[int] = []

        async def publish() -> None:
            sent.append(await publisher.call(event.Send("app", "after", "", 1)))

        async with trio.open_nursery() as nursery:
            nursery.start_soon(publish)
            await trio.testing.wait_all_tasks_blocked()
            assert sent == []  # behind the runtime events in the overflow
            await proc.cancel(pid, "go")
        assert sent == [1]
        assert await result_of(proc, pid) == [
            ("started", str(started), "quick"),
            ("exited", str(started), "normal"),
            ("after", "", 1),
        ]


async def test_send_does_not_wait_for_the_callers_own_subscription(
    autojump_clock: MockClock, bus_node: actorkit.Node
) -> None:
    async def self_publisher(proc: actorkit.Process) -> list[object]:
        await proc.call(event.Subscribe("me"))
        for n in range(5):
            await proc.call(event.Send("me", "n", "", n))
        return [(await proc.receive(kind=event.BusEvent)).data for _ in range(5)]

    async with bus_node.process() as proc:
        pid = await proc.spawn(self_publisher, mailbox_size=1, monitor=True)
        assert await result_of(proc, pid) == [0, 1, 2, 3, 4]


async def test_a_timed_out_send_is_still_delivered(
    autojump_clock: MockClock, bus_node: actorkit.Node
) -> None:
    async with bus_node.process() as proc, bus_node.process() as publisher:
        pid = await spawn_slow(proc, "app", 2, mailbox_size=1)
        await publisher.call(event.Send("app", "n", "", 0))
        with pytest.raises(trio.TooSlowError, match=r"Send \(id=91\)"):
            await publisher.call(event.Send("app", "n", "", 1), timeout=5)
        await proc.cancel(pid, "go")
        assert await result_of(proc, pid) == [("n", "", 0), ("n", "", 1)]


async def test_a_send_waiting_for_a_subscriber_that_exits_completes(
    autojump_clock: MockClock, bus_node: actorkit.Node
) -> None:
    async with bus_node.process() as proc, bus_node.process() as publisher:
        pid = await spawn_slow(proc, "app", 1, mailbox_size=1)
        await publisher.call(event.Send("app", "n", "", 0))
        results: list[int] = []

        async def publish() -> None:
            results.append(await publisher.call(event.Send("app", "n", "", 1)))

        async with trio.open_nursery() as nursery:
            nursery.start_soon(publish)
            await trio.testing.wait_all_tasks_blocked()
            assert results == []
            await proc.terminate(pid)
        assert results == [1]
        assert event.statistics(bus_node) == {
            "subscriptions": 0,
            "subscribers": 0,
            "overflow": 0,
            "published": event.statistics(bus_node)["published"],
        }


async def counter(proc: actorkit.Process, parent: actorkit.PID, count: int) -> list[object]:
    await proc.call(event.Subscribe("fan"))
    await proc.send(parent, "subscribed", None)
    return [(await proc.receive(kind=event.BusEvent)).data for _ in range(count)]


async def test_fan_out_to_a_hundred_subscribers_counts_everything(
    autojump_clock: MockClock, bus_node: actorkit.Node
) -> None:
    async with bus_node.process() as proc:
        pids = [
            await proc.spawn(counter, proc.pid, 20, mailbox_size=4, monitor=True)
            for _ in range(100)
        ]
        for _ in pids:
            await proc.receive("subscribed")
        for n in range(20):
            assert await proc.call(event.Send("fan", "n", "", n)) == 100
        results = [await result_of(proc, pid) for pid in pids]
    assert results == [list(range(20))] * 100
