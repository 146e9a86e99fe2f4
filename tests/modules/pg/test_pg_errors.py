"""pg bad input: clear errors naming the command and its ID."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from trio.testing import MockClock

import actorkit
from actorkit.errors import CommandArgumentError
from actorkit.modules import pg

GROUP_COMMANDS: list[Callable[[Any], object]] = [
    pg.Join,
    pg.Leave,
    pg.Members,
    pg.LocalMembers,
    lambda group: pg.Broadcast(group, "t"),
    lambda group: pg.BroadcastLocal(group, "t"),
    pg.Monitor,
]
NAMES = ["Join", "Leave", "Members", "LocalMembers", "Broadcast", "BroadcastLocal", "Monitor"]
IDS = [200, 201, 202, 203, 205, 206, 208]


@pytest.mark.parametrize("group", ["", 7, None, b"g", ("g",), "\ud800"], ids=repr)
@pytest.mark.parametrize("index", range(7))
def test_a_bad_group_name_is_refused_at_build(group: object, index: int) -> None:
    with pytest.raises(pg.InvalidArgumentError) as caught:
        GROUP_COMMANDS[index](group)
    message = str(caught.value)
    assert message.startswith(f"{NAMES[index]} (id={IDS[index]}): group must be a non-empty str")
    assert repr(group) in message
    assert isinstance(caught.value, CommandArgumentError)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("topic", [5, None, b"t", "\ud800"], ids=repr)
def test_a_bad_topic_is_refused_at_build(topic: Any) -> None:
    with pytest.raises(pg.InvalidArgumentError, match=r"^Broadcast \(id=205\): topic"):
        pg.Broadcast("g", topic)
    with pytest.raises(pg.InvalidArgumentError, match=r"^BroadcastLocal \(id=206\): topic"):
        pg.BroadcastLocal("g", topic)


@pytest.mark.parametrize("ref", ["1", 1.0, None, True], ids=repr)
def test_a_bad_monitor_ref_is_refused_at_build(ref: Any) -> None:
    with pytest.raises(pg.InvalidArgumentError, match=r"^Demonitor \(id=212\): ref must be"):
        pg.Demonitor(ref)


@pytest.mark.parametrize("scope", [3, None, ""], ids=repr)
def test_a_bad_scope_name_is_refused_at_build(scope: Any) -> None:
    with pytest.raises(pg.InvalidArgumentError, match=r"^WhichGroups \(id=204\): scope must be"):
        pg.WhichGroups(scope=scope)
    with pytest.raises(pg.InvalidArgumentError, match=r"^Join \(id=200\): scope must be"):
        pg.Join("g", scope=scope)


async def test_an_unknown_scope_is_a_clear_error(
    autojump_clock: MockClock, pg_node: actorkit.Node
) -> None:
    async with pg_node.process() as proc:
        with pytest.raises(pg.UnknownScopeError) as caught:
            await proc.call(pg.WhichGroups(scope="nope"))
    assert str(caught.value) == (
        "WhichGroups (id=204): no pg scope 'nope' (booted: 'chat', 'default')"
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
        pg.Events: 209,
        pg.Demonitor: 212,
    }
    assert {cls: cls.ID for cls in ids} == ids
