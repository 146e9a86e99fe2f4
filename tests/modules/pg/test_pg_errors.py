"""pg bad input: clear errors naming the command and its ID."""

from __future__ import annotations

import pytest
from trio.testing import MockClock

import actorkit
from actorkit.modules import pg


def group_commands(group: object) -> list[actorkit.Command[object]]:
    return [
        pg.Join(group),  # type: ignore[arg-type]
        pg.Leave(group),  # type: ignore[arg-type]
        pg.Members(group),  # type: ignore[arg-type]
        pg.LocalMembers(group),  # type: ignore[arg-type]
        pg.Broadcast(group, "t"),  # type: ignore[arg-type]
        pg.BroadcastLocal(group, "t"),  # type: ignore[arg-type]
        pg.Monitor(group),  # type: ignore[arg-type]
    ]


@pytest.mark.parametrize("group", ["", 7, None, b"g", ("g",)])
@pytest.mark.parametrize("index", range(7))
async def test_a_bad_group_name_is_a_clear_error(
    autojump_clock: MockClock, pg_node: actorkit.Node, group: object, index: int
) -> None:
    cmd = group_commands(group)[index]
    async with pg_node.process() as proc:
        with pytest.raises(pg.InvalidArgumentError) as caught:
            await proc.call(cmd)
    message = str(caught.value)
    assert message.startswith(f"{type(cmd).__name__} (id={cmd.ID}): group must be")
    assert repr(group) in message
    assert isinstance(caught.value, ValueError)


async def test_a_bad_topic_is_a_clear_error(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        with pytest.raises(pg.InvalidArgumentError, match=r"Broadcast \(id=205\): topic"):
            await proc.call(pg.Broadcast("g", 5))  # type: ignore[arg-type]


async def test_a_bad_monitor_ref_is_a_clear_error(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        with pytest.raises(pg.InvalidArgumentError, match=r"Demonitor \(id=209\): ref"):
            await proc.call(pg.Demonitor("1"))  # type: ignore[arg-type]


@pytest.mark.parametrize("scope", ["nope", 3])
async def test_an_unknown_scope_is_a_clear_error(
    autojump_clock: MockClock, pg_node: actorkit.Node, scope: object
) -> None:
    async with pg_node.process() as proc:
        with pytest.raises(pg.UnknownScopeError) as caught:
            await proc.call(pg.WhichGroups(scope=scope))  # type: ignore[arg-type]
    assert str(caught.value) == (
        f"WhichGroups (id=204): no pg scope {scope!r} (booted: 'chat', 'default')"
    )


async def test_a_failed_command_leaves_the_caller_working(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        with pytest.raises(pg.InvalidArgumentError):
            await proc.call(pg.Join(""))
        await proc.call(pg.Join("g"))
        assert await proc.call(pg.Members("g")) == (proc.pid,)


def test_a_bad_scope_name_fails_at_build() -> None:
    with pytest.raises(ValueError, match="pg scope"):
        pg.module(scope="")


def test_command_ids_follow_wippy() -> None:
    ids: dict[type[actorkit.Command[object]], int] = {
        pg.Join: 200,
        pg.Leave: 201,
        pg.Members: 202,
        pg.LocalMembers: 203,
        pg.WhichGroups: 204,
        pg.Broadcast: 205,
        pg.BroadcastLocal: 206,
        pg.WhichLocalGroups: 207,
        pg.Monitor: 208,
        pg.Demonitor: 209,
    }
    assert {cls: cls.ID for cls in ids} == ids
