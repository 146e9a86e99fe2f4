"""Options outside commands are checked where they are given, with one rule for durations."""

from __future__ import annotations

import math

import pytest
import trio

import actorkit
from actorkit import lowlevel
from actorkit.errors import CommandArgumentError
from actorkit.modules import clock
from actorkit.testing import open_test_node


async def idle(proc: actorkit.Process) -> None:
    await proc.receive(kind=actorkit.Cancel)


@pytest.mark.parametrize("grace", [-1, math.nan, "1", None, True])
async def test_open_node_refuses_a_bad_shutdown_grace(grace: object) -> None:
    with pytest.raises(ValueError, match=r"open_node: shutdown_grace must be seconds >= 0"):
        async with actorkit.open_node(shutdown_grace=grace):  # type: ignore[arg-type]
            pass


@pytest.mark.parametrize("size", [0, -1, 1.5, math.nan, "8", True])
async def test_open_node_refuses_a_bad_mailbox_size(size: object) -> None:
    with pytest.raises(ValueError, match=r"open_node: mailbox_size must be an int >= 1"):
        async with actorkit.open_node(mailbox_size=size):  # type: ignore[arg-type]
            pass


@pytest.mark.parametrize("name", [None, "", 123, "\ud800"])
async def test_register_refuses_a_bad_name(name: object) -> None:
    async with open_test_node() as node, node.process() as proc:
        with pytest.raises(ValueError, match=r"register: name must be a non-empty str"):
            proc.register(name)  # type: ignore[arg-type]
        assert node.whereis(name) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["", 123, b"x"])
async def test_node_spawn_refuses_a_bad_name(name: object) -> None:
    async with open_test_node() as node:
        with pytest.raises(ValueError, match=r"spawn: name must be a non-empty str"):
            node.spawn(idle, name=name)  # type: ignore[arg-type]
        assert node.statistics().process_count == 0


@pytest.mark.parametrize("size", [0, 1.5, math.nan, math.inf])
async def test_node_spawn_refuses_a_bad_mailbox_size(size: object) -> None:
    async with open_test_node() as node:
        with pytest.raises(ValueError, match=r"spawn: mailbox_size must be an int >= 1"):
            node.spawn(idle, mailbox_size=size)  # type: ignore[arg-type]


@pytest.mark.parametrize("timeout", [-1, -0.5, math.nan, "1"])
async def test_call_refuses_a_bad_timeout(
    timeout: object, autojump_clock: trio.testing.MockClock
) -> None:
    async with open_test_node() as node, node.process() as proc:
        with pytest.raises(CommandArgumentError, match=r"Sleep \(id=10\): timeout"):
            await proc.call(clock.Sleep(1), timeout=timeout)  # type: ignore[arg-type]
        await proc.call(clock.Sleep(1), timeout=2)  # the process is still usable


@pytest.mark.parametrize("timeout", [-1, math.nan])
async def test_receive_refuses_a_bad_timeout(timeout: float) -> None:
    async with open_test_node() as node, node.process() as proc:
        await node.send(proc.pid, "hello")
        with pytest.raises(ValueError, match=r"receive: timeout must be seconds >= 0"):
            await proc.receive(timeout=timeout)
        assert (await proc.receive(timeout=0)).topic == "hello"  # 0 means now


@pytest.mark.parametrize("topic", [None, 1, b"t"])
async def test_send_refuses_a_topic_that_is_not_a_str(topic: object) -> None:
    async with open_test_node() as node, node.process() as proc:
        with pytest.raises(CommandArgumentError, match=r"Send \(id=1\): topic must be a str"):
            await proc.send(proc.pid, topic)  # type: ignore[arg-type]
        with pytest.raises(CommandArgumentError, match=r"Send \(id=1\): topic must be a str"):
            await node.send(proc.pid, topic)  # type: ignore[arg-type]
        with pytest.raises(CommandArgumentError, match=r"Send \(id=1\): topic must be a str"):
            node.send_nowait(proc.pid, topic)  # type: ignore[arg-type]
        assert len(proc.mailbox) == 0


@pytest.mark.parametrize(
    "deadline",
    [10**5000, -(10**5000), math.nan, "1", None],
    ids=["10**5000", "-(10**5000)", "nan", "str", "None"],
)
def test_send_refuses_a_deadline_off_the_clock(deadline: object) -> None:
    """An int too large for a float fails the field check (it used to escape as an
    OverflowError from the NaN test) instead of reaching a cancel scope later."""
    with pytest.raises(CommandArgumentError, match=r"Send \(id=1\): deadline must be a time"):
        lowlevel.Send("p", "t", deadline=deadline)  # type: ignore[arg-type]


@pytest.mark.parametrize("deadline", [math.inf, -math.inf, 0, 12.5, 2**52])
def test_send_takes_a_deadline_on_the_clock(deadline: float) -> None:
    assert lowlevel.Send("p", "t", ref=1, deadline=deadline).deadline == deadline
