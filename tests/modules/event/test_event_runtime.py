"""The runtime's own events on the bus: processes, dead letters, components, pg."""

from __future__ import annotations

import pytest
import trio
from trio.testing import MockClock

import actorkit
from actorkit.modules import event, pg
from actorkit.testing import open_test_node


async def idle(proc: actorkit.Process) -> str:
    await proc.receive(kind=actorkit.Cancel)
    return "done"


async def fail(proc: actorkit.Process) -> None:
    raise RuntimeError("boom")


def triple(ev: event.BusEvent) -> tuple[str, str, str, object]:
    return (ev.system, ev.kind, ev.path, ev.data)


async def test_process_started_and_exited_arrive_on_the_bus(
    autojump_clock: MockClock, bus_node: actorkit.Node
) -> None:
    async with bus_node.process() as proc:
        await proc.call(event.Subscribe("process", "(started|exited)"))
        pid = await proc.spawn(idle, monitor=True)
        await proc.cancel(pid)
        await proc.receive(kind=actorkit.Exit)
        failed = await proc.spawn(fail, monitor=True)
        await proc.receive(kind=actorkit.Exit)
        got = [triple(await proc.receive(kind=event.BusEvent)) for _ in range(4)]
    assert got == [
        ("process", "started", str(pid), "idle"),
        ("process", "exited", str(pid), "normal"),
        ("process", "started", str(failed), "fail"),
        ("process", "exited", str(failed), "error"),
    ]


async def test_a_dead_letter_arrives_on_the_bus(
    autojump_clock: MockClock, bus_node: actorkit.Node
) -> None:
    async with bus_node.process() as proc:
        await proc.call(event.Subscribe("process", "dead_letter"))
        pid = await proc.spawn(idle, monitor=True)
        await proc.terminate(pid)
        with pytest.raises(actorkit.NoProcessError):
            await proc.send(pid, "hello", 1)
        got = await proc.receive(kind=event.BusEvent)
    assert triple(got) == ("process", "dead_letter", str(pid), "hello")


async def test_every_component_started_after_the_subscriber_is_seen(
    autojump_clock: MockClock,
) -> None:
    subscribed = trio.Event()
    watchers: list[actorkit.PID] = []

    async def watcher(proc: actorkit.Process) -> list[str]:
        await proc.call(event.Subscribe("boot"))
        subscribed.set()
        return [(await proc.receive(kind=event.BusEvent)).path for _ in range(3)]

    async def start_watcher(boot: actorkit.Boot) -> None:
        watchers.append(boot.node.spawn(watcher))
        await subscribed.wait()

    watch = actorkit.Component("watch", depends_on=("event",), start=start_watcher)
    one = actorkit.Component("one", depends_on=("watch",))
    two = actorkit.Component("two", depends_on=("one",))
    async with open_test_node(modules=[event.module(), watch, one, two]) as node:
        exit_event = await node.wait(watchers[0])
    assert exit_event.result == ["watch", "one", "two"]


async def test_pg_membership_changes_arrive_on_the_bus(
    autojump_clock: MockClock, bus_node: actorkit.Node
) -> None:
    async with bus_node.process() as proc:
        await proc.call(event.Subscribe("pg", "member.*"))
        await proc.call(pg.Join("g"))
        await proc.call(pg.Leave("g"))
        got = [triple(await proc.receive(kind=event.BusEvent)) for _ in range(2)]
    membership = pg.Membership("default", "g", (proc.pid,))
    assert got == [("pg", "member.joined", "g", membership), ("pg", "member.left", "g", membership)]


async def test_the_bus_stops_listening_when_the_node_stops(autojump_clock: MockClock) -> None:
    async with open_test_node(modules=[event.module()]) as node:
        assert len(node._listeners) == 1  # pyright: ignore[reportPrivateUsage]
        assert len(node._exit_hooks) == 1  # pyright: ignore[reportPrivateUsage]
    assert node._listeners == []  # pyright: ignore[reportPrivateUsage]
    assert node._exit_hooks == []  # pyright: ignore[reportPrivateUsage]
    assert event.statistics(node) == {}
