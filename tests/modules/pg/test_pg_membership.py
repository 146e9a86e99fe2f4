"""pg membership: Join, Leave, Members, LocalMembers, WhichGroups, WhichLocalGroups, scopes."""

from __future__ import annotations

import pytest
from trio.testing import MockClock

import actorkit
from actorkit.modules import pg


async def joiner(proc: actorkit.Process, parent: actorkit.PID, *groups: str) -> None:
    """Join ``groups`` (in order, repeats count), tell the parent, wait for a Cancel."""
    for group in groups:
        await proc.call(pg.Join(group))
    await proc.send(parent, "joined", proc.pid)
    await proc.receive(kind=actorkit.Cancel)


async def spawn_joiner(proc: actorkit.Process, *groups: str) -> actorkit.PID:
    pid = await proc.spawn(joiner, proc.pid, *groups)
    await proc.receive("joined", match=lambda m: m.payload == pid)
    return pid


async def test_join_makes_the_caller_a_member(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        await proc.call(pg.Join("workers"))
        assert await proc.call(pg.Members("workers")) == (proc.pid,)
        assert await proc.call(pg.LocalMembers("workers")) == (proc.pid,)
        assert await proc.call(pg.WhichGroups()) == ("workers",)
        assert await proc.call(pg.WhichLocalGroups()) == ("workers",)


async def test_members_lists_every_member_in_join_order(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        first = await spawn_joiner(proc, "g")
        second = await spawn_joiner(proc, "g")
        await proc.call(pg.Join("g"))
        assert await proc.call(pg.Members("g")) == (first, second, proc.pid)


async def test_multi_join_needs_as_many_leaves(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        for _ in range(3):
            await proc.call(pg.Join("g"))
        assert await proc.call(pg.Members("g")) == (proc.pid,) * 3
        assert await proc.call(pg.Leave("g")) is True
        assert await proc.call(pg.Members("g")) == (proc.pid,) * 2
        assert await proc.call(pg.Leave("g")) is True
        assert await proc.call(pg.Leave("g")) is True
        assert await proc.call(pg.Members("g")) == ()
        assert await proc.call(pg.WhichGroups()) == ()
        assert await proc.call(pg.Leave("g")) is False


async def test_leave_of_a_group_the_caller_is_not_in_returns_false(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        other = await spawn_joiner(proc, "g")
        assert await proc.call(pg.Leave("g")) is False
        assert await proc.call(pg.Leave("never-made")) is False
        assert await proc.call(pg.Members("g")) == (other,)


async def test_unknown_group_has_no_members(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        assert await proc.call(pg.Members("nobody")) == ()
        assert await proc.call(pg.LocalMembers("nobody")) == ()


async def test_which_groups_is_sorted_and_lists_only_groups_with_members(
    autojump_clock: MockClock,
    pg_node: actorkit.Node,
) -> None:
    async with pg_node.process() as proc:
        for group in ("c", "a", "b"):
            await proc.call(pg.Join(group))
        await proc.call(pg.Leave("b"))
        assert await proc.call(pg.WhichGroups()) == ("a", "c")
        assert await proc.call(pg.WhichLocalGroups()) == ("a", "c")


async def test_scopes_are_independent(autojump_clock: MockClock, pg_node: actorkit.Node) -> None:
    async with pg_node.process() as proc:
        await proc.call(pg.Join("room", scope="chat"))
        assert await proc.call(pg.Members("room")) == ()
        assert await proc.call(pg.Members("room", scope="chat")) == (proc.pid,)
        assert await proc.call(pg.WhichGroups(scope="chat")) == ("room",)
        assert await proc.call(pg.Leave("room")) is False
        assert await proc.call(pg.Leave("room", scope="chat")) is True


async def boom(proc: actorkit.Process) -> None:
    raise RuntimeError("boom")


async def joiner_that_exits(proc: actorkit.Process, parent: actorkit.PID) -> None:
    """Join groups, then exit the way the Cancel's reason says."""
    for group in ("a", "b", "b", "c"):
        await proc.call(pg.Join(group))
    await proc.send(parent, "joined", proc.pid)
    cancel = await proc.receive(kind=actorkit.Cancel)
    if cancel.reason == "error":
        raise RuntimeError("boom")
    if cancel.reason == "linked":
        await proc.spawn(boom, link=True)
        await proc.receive(kind=actorkit.Cancel)


@pytest.mark.parametrize("how", ["normal", "error", "terminate", "linked"])
async def test_members_leave_every_group_when_they_exit(
    autojump_clock: MockClock, pg_node: actorkit.Node, how: str
) -> None:
    async with pg_node.process() as proc:
        await proc.call(pg.Join("c", scope="chat"))
        pid = await proc.spawn(joiner_that_exits, proc.pid, monitor=True)
        await proc.receive("joined")
        assert await proc.call(pg.Members("b")) == (pid, pid)
        if how == "terminate":
            await proc.terminate(pid, "stop")
        else:
            await proc.cancel(pid, how)
        exit_event = await proc.receive(kind=actorkit.Exit)
        assert exit_event.reason == {"terminate": "terminated"}.get(how, how)
        for group in ("a", "b", "c"):
            assert await proc.call(pg.Members(group)) == ()
        assert await proc.call(pg.WhichGroups()) == ()
        assert await proc.call(pg.Members("c", scope="chat")) == (proc.pid,)
