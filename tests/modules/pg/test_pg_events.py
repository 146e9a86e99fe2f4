"""pg Events (id=209, as in Wippy): a snapshot of every group, then every change of the
scope, until Demonitor or the subscriber's exit."""

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


async def changes(proc: actorkit.Process) -> list[tuple[int, str, str, tuple[actorkit.PID, ...]]]:
    """Every GroupChanged queued now, as (ref, group, kind, pids)."""
    found: list[tuple[int, str, str, tuple[actorkit.PID, ...]]] = []
    while proc.mailbox.find(pg.GroupChanged, None, None, 0) >= 0:
        event = await proc.receive(kind=pg.GroupChanged)
        found.append((event.ref, event.group, event.kind, event.pids))
    return found


def subscriptions(node: actorkit.Node, scope: str = "default") -> int:
    scopes = scopes_of(node)
    assert scopes is not None
    return scopes[scope].statistics()["monitors"]


async def test_events_returns_every_group_then_reports_every_change(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        first = await proc.spawn(joiner, proc.pid, "b", "a", "b")
        await proc.receive("joined")
        snapshot = await proc.call(pg.Events())
        assert snapshot.groups == {"a": (first,), "b": (first, first)}
        assert list(snapshot.groups) == ["a", "b"]
        await proc.call(pg.Join("c"))
        assert await proc.call(pg.Leave("c"))
        await proc.terminate(first)
        ref = snapshot.ref
        assert await changes(proc) == [
            (ref, "c", "joined", (proc.pid,)),
            (ref, "c", "left", (proc.pid,)),
            (ref, "b", "left", (first, first)),
            (ref, "a", "left", (first,)),
        ]


async def test_events_of_an_empty_scope_starts_empty(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        snapshot = await proc.call(pg.Events())
        assert snapshot.groups == {}
        await proc.call(pg.Join("g"))
        event = await proc.receive(kind=pg.GroupChanged)
        assert event == pg.GroupChanged(snapshot.ref, "g", "joined", (proc.pid,))


async def test_events_stay_in_their_scope(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        await proc.call(pg.Join("g", scope="chat"))
        snapshot = await proc.call(pg.Events())
        assert snapshot.groups == {}
        await proc.call(pg.Join("g", scope="chat"))
        await proc.call(pg.Join("h"))
        assert await changes(proc) == [(snapshot.ref, "h", "joined", (proc.pid,))]


async def churn(proc: actorkit.Process, group: str, rounds: int) -> None:
    for _ in range(rounds):
        await proc.call(pg.Join(group))
        await trio.sleep(0.001)
        await proc.call(pg.Leave(group))


def replay(
    groups: dict[str, tuple[actorkit.PID, ...]],
    events: list[tuple[int, str, str, tuple[actorkit.PID, ...]]],
) -> dict[tuple[str, actorkit.PID], int]:
    """Join counts per (group, pid) after applying ``events`` to the snapshot."""
    counts: dict[tuple[str, actorkit.PID], int] = {}
    for group, pids in groups.items():
        for pid in pids:
            counts[group, pid] = counts.get((group, pid), 0) + 1
    for _ref, group, kind, pids in events:
        for pid in pids:
            counts[group, pid] = counts.get((group, pid), 0) + (1 if kind == "joined" else -1)
    return {key: n for key, n in counts.items() if n}


async def test_events_snapshot_plus_changes_equals_the_membership(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        for group in ("g", "h", "i"):
            await proc.spawn(_churner, group)
        await trio.sleep(0.0105)
        snapshot = await proc.call(pg.Events())
        await trio.sleep(1)
        events = await changes(proc)
        assert events  # the churn went on after the snapshot
        assert replay(snapshot.groups, events) == {}
        assert await proc.call(pg.WhichGroups()) == ()


async def _churner(proc: actorkit.Process, group: str) -> None:
    await churn(proc, group, 20)


async def test_demonitor_ends_events(autojump_clock: MockClock, pg_node: actorkit.Node) -> None:
    async with pg_node.process() as proc:
        snapshot = await proc.call(pg.Events())
        await proc.call(pg.Join("g"))
        assert subscriptions(pg_node) == 1
        assert await proc.call(pg.Demonitor(snapshot.ref)) is True
        assert subscriptions(pg_node) == 0
        await proc.call(pg.Join("h"))
        assert await changes(proc) == [(snapshot.ref, "g", "joined", (proc.pid,))]
        assert await proc.call(pg.Demonitor(snapshot.ref)) is False


async def test_demonitor_of_another_process_events_returns_false(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as owner, pg_node.process() as other:
        snapshot = await owner.call(pg.Events())
        assert await other.call(pg.Demonitor(snapshot.ref)) is False
        await other.call(pg.Join("g"))
        assert await changes(owner) == [(snapshot.ref, "g", "joined", (other.pid,))]


async def subscriber(proc: actorkit.Process, parent: actorkit.PID) -> None:
    await proc.call(pg.Events())
    await proc.call(pg.Events())
    await proc.call(pg.Monitor("g"))
    await proc.send(parent, "subscribed", None)
    await proc.receive(kind=actorkit.Cancel)


async def test_events_end_when_the_subscriber_exits(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        pid = await proc.spawn(subscriber, proc.pid)
        await proc.receive("subscribed")
        assert subscriptions(pg_node) == 3
        await proc.terminate(pid)
        assert subscriptions(pg_node) == 0
        await proc.call(pg.Join("g"))
        await trio.testing.wait_all_tasks_blocked()
        assert await proc.call(pg.Members("g")) == (proc.pid,)


async def test_events_and_monitor_each_get_their_own_copy(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        everything = await proc.call(pg.Events())
        one = await proc.call(pg.Monitor("g"))
        await proc.call(pg.Join("g"))
        events = await changes(proc)
        assert sorted(ref for ref, *_ in events) == sorted([everything.ref, one.ref])


@pytest.mark.parametrize("scope", [3, None, ""], ids=repr)
def test_events_refuses_a_bad_scope_at_build(scope: object) -> None:
    with pytest.raises(pg.InvalidArgumentError, match=r"^Events \(id=209\): scope must be"):
        pg.Events(scope=scope)  # type: ignore[arg-type]
