"""pg Monitor / Demonitor: atomic snapshot, change events, cleanup at exit."""

from __future__ import annotations

import pytest
import trio
import trio.testing
from trio.testing import MockClock

import actorkit
from actorkit.modules import pg
from actorkit.modules.pg.state import scopes_of


async def joiner(proc: actorkit.Process, parent: actorkit.PID, *groups: str) -> None:
    for group in groups:
        await proc.call(pg.Join(group))
    await proc.send(parent, "joined", proc.pid)
    await proc.receive(kind=actorkit.Cancel)


async def changes(proc: actorkit.Process) -> list[tuple[str, tuple[actorkit.PID, ...]]]:
    """Every GroupChanged queued now, as (kind, pids)."""
    found: list[tuple[str, tuple[actorkit.PID, ...]]] = []
    while proc.mailbox.find(pg.GroupChanged, None, None, 0) >= 0:
        event = await proc.receive(kind=pg.GroupChanged)
        found.append((event.kind, event.pids))
    return found


def monitor_count(node: actorkit.Node) -> int:
    scopes = scopes_of(node)
    assert scopes is not None
    return scopes["default"].statistics()["monitors"]


async def test_monitor_returns_the_members_then_reports_joins_and_leaves(
    autojump_clock: MockClock,
    pg_node: actorkit.Node,
) -> None:
    async with pg_node.process() as proc:
        first = await proc.spawn(joiner, proc.pid, "g")
        await proc.receive("joined")
        watching = await proc.call(pg.Monitor("g"))
        assert watching.members == (first,)
        await proc.call(pg.Join("g"))
        await proc.call(pg.Join("g"))
        assert await proc.call(pg.Leave("g"))
        await proc.terminate(first)
        event = await proc.receive(kind=pg.GroupChanged)
        assert event == pg.GroupChanged(watching.ref, "g", "joined", (proc.pid,))
        assert await changes(proc) == [
            ("joined", (proc.pid,)),
            ("left", (proc.pid,)),
            ("left", (first,)),
        ]


async def test_monitor_reports_a_multi_joined_member_leaving_once_per_join(
    autojump_clock: MockClock,
    pg_node: actorkit.Node,
) -> None:
    async with pg_node.process() as proc:
        await proc.call(pg.Monitor("g"))
        pid = await proc.spawn(joiner, proc.pid, "g", "g", "other")
        await proc.receive("joined")
        await proc.terminate(pid)
        assert await changes(proc) == [
            ("joined", (pid,)),
            ("joined", (pid,)),
            ("left", (pid, pid)),
        ]


async def test_monitor_of_an_unknown_group_starts_empty(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        watching = await proc.call(pg.Monitor("later"))
        assert watching.members == ()
        await proc.call(pg.Join("later"))
        assert await changes(proc) == [("joined", (proc.pid,))]


async def churn(proc: actorkit.Process, rounds: int) -> None:
    """Join and leave ``g`` with checkpoints in between (to interleave with a Monitor)."""
    for n in range(rounds):
        await proc.call(pg.Join("g"))
        await trio.lowlevel.checkpoint()
        if n % 2:
            await proc.call(pg.Leave("g"))
        await trio.lowlevel.checkpoint()


def replay(
    members: tuple[actorkit.PID, ...], events: list[tuple[str, tuple[actorkit.PID, ...]]]
) -> dict[actorkit.PID, int]:
    """Apply the events to the snapshot; a count below zero means they overlap."""
    counts: dict[actorkit.PID, int] = {}
    for pid in members:
        counts[pid] = counts.get(pid, 0) + 1
    for kind, pids in events:
        for pid in pids:
            counts[pid] = counts.get(pid, 0) + (1 if kind == "joined" else -1)
            assert counts[pid] >= 0, "a leave without a join: the snapshot and events overlap"
    return {pid: n for pid, n in counts.items() if n}


@pytest.mark.parametrize("delay", [0, 1, 3, 7, 15])
async def test_monitor_snapshot_plus_events_equals_the_membership(
    autojump_clock: MockClock, pg_node: actorkit.Node, delay: int
) -> None:
    async with pg_node.process() as proc:
        pids: list[actorkit.PID] = []
        for _ in range(10):  # each child gets to start before the next is spawned
            pids.append(await proc.spawn(churn, 8, monitor=True))
            await trio.lowlevel.checkpoint()
        for _ in range(delay):
            await trio.lowlevel.checkpoint()
        # Both run inline, back to back: Members is the truth at the Monitor's instant.
        monitor_tag = proc.yield_(pg.Monitor("g"))
        members_tag = proc.yield_(pg.Members("g"))
        results: dict[int, object] = {}
        for _ in range(2):
            done = await proc.receive(kind=actorkit.Completion)
            results[done.tag] = done.result
        watching = results[monitor_tag]
        assert isinstance(watching, pg.Monitoring)
        assert watching.members == results[members_tag]
        assert len(watching.members) > 0 or delay == 0
        for _ in pids:
            await proc.receive(kind=actorkit.Exit)
        events = await changes(proc)
        assert events  # the churn went on after the snapshot
        assert replay(watching.members, events) == {}
        assert await proc.call(pg.Members("g")) == ()


async def test_demonitor_stops_the_events(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        watching = await proc.call(pg.Monitor("g"))
        await proc.call(pg.Join("g"))
        assert await proc.call(pg.Demonitor(watching.ref)) is True
        await proc.call(pg.Leave("g"))
        await proc.call(pg.Join("g"))
        assert await changes(proc) == [("joined", (proc.pid,))]
        assert await proc.call(pg.Demonitor(watching.ref)) is False
        assert monitor_count(pg_node) == 0


async def test_demonitor_of_another_process_monitor_returns_false(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as owner, pg_node.process() as other:
        watching = await owner.call(pg.Monitor("g"))
        assert await other.call(pg.Demonitor(watching.ref)) is False
        assert await other.call(pg.Demonitor(12345)) is False
        await other.call(pg.Join("g"))
        assert await changes(owner) == [("joined", (other.pid,))]


async def watcher(proc: actorkit.Process, parent: actorkit.PID) -> None:
    await proc.call(pg.Monitor("g"))
    await proc.call(pg.Monitor("g"))
    await proc.call(pg.Monitor("h"))
    await proc.send(parent, "watching", None)
    await proc.receive(kind=actorkit.Cancel)


async def test_monitors_end_when_the_monitoring_process_exits(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        pid = await proc.spawn(watcher, proc.pid)
        await proc.receive("watching")
        assert monitor_count(pg_node) == 3
        await proc.terminate(pid)
        assert monitor_count(pg_node) == 0
        await proc.call(pg.Join("g"))
        await trio.testing.wait_all_tasks_blocked()
        assert await proc.call(pg.Members("g")) == (proc.pid,)


async def test_each_monitor_of_the_same_group_gets_its_own_events(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        one = await proc.call(pg.Monitor("g"))
        two = await proc.call(pg.Monitor("g"))
        await proc.call(pg.Join("g"))
        refs = {(await proc.receive(kind=pg.GroupChanged)).ref for _ in range(2)}
        assert refs == {one.ref, two.ref}
