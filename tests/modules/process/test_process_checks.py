"""Process command field checks: a wrong field fails when the command is built, naming it."""

from __future__ import annotations

import math
from typing import Any

import pytest
import trio

import actorkit
from actorkit.errors import CommandArgumentError, NotAProcessFunctionError
from actorkit.modules import process


async def idle(proc: actorkit.Process) -> None:
    await proc.receive()


async def stops_when_cancelled(proc: actorkit.Process) -> str:
    await proc.receive(kind=actorkit.Cancel)
    await trio.sleep(50.0)  # cleanup that takes a while
    return "cleaned up"


def sync_function(proc: actorkit.Process) -> None:
    return None


TARGET_COMMANDS: list[type[Any]] = [
    process.Terminate,
    process.Cancel,
    process.Monitor,
    process.Unmonitor,
    process.Link,
    process.Unlink,
]
BAD_TARGETS = [None, "", 3, b"name", ("node", 1), "\ud800"]


@pytest.mark.parametrize("dest", BAD_TARGETS, ids=repr)
def test_process_send_dest_must_be_a_pid_or_name(dest: Any) -> None:
    with pytest.raises(CommandArgumentError, match=r"^Send \(id=1\): dest must be a PID or"):
        process.Send(dest, "topic")


@pytest.mark.parametrize("cls", TARGET_COMMANDS)
@pytest.mark.parametrize("pid", BAD_TARGETS, ids=repr)
def test_process_target_must_be_a_pid_or_name(cls: type[Any], pid: Any) -> None:
    with pytest.raises(CommandArgumentError, match=rf"^{cls.__name__} \(id={cls.ID}\): pid must"):
        cls(pid)


@pytest.mark.parametrize("topic", [None, 1, b"t", "\ud800"], ids=repr)
def test_process_send_topic_must_be_a_str(topic: Any) -> None:
    with pytest.raises(CommandArgumentError) as caught:
        process.Send("x", topic)
    assert str(caught.value).startswith("Send (id=1): topic must be a str, got ")


@pytest.mark.parametrize("nowait", [None, 0, 1, "yes"], ids=repr)
def test_process_send_nowait_must_be_a_bool(nowait: Any) -> None:
    with pytest.raises(CommandArgumentError, match=r"nowait must be a bool"):
        process.Send("x", "t", nowait=nowait)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("name", 123, "None or a non-empty str"),
        ("name", "", "None or a non-empty str"),
        ("mailbox_size", math.nan, "None or an int >= 1"),
        ("mailbox_size", 1.5, "None or an int >= 1"),
        ("mailbox_size", 0, "None or an int >= 1"),
        ("mailbox_size", True, "None or an int >= 1"),
        ("args", "12", "a tuple or list of arguments"),
        ("args", None, "a tuple or list of arguments"),
        ("link", 1, "a bool"),
        ("monitor", None, "a bool"),
        ("trap_links", "no", "a bool"),
    ],
)
def test_process_spawn_fields(field: str, value: object, expected: str) -> None:
    fields: dict[str, Any] = {field: value}
    with pytest.raises(CommandArgumentError) as caught:
        process.Spawn(idle, **fields)
    assert str(caught.value).startswith(f"Spawn (id=2): {field} must be {expected}, got ")


@pytest.mark.parametrize("cls", [process.Spawn, process.Exec])
@pytest.mark.parametrize("fn", [sync_function, 42, "main", None], ids=repr)
def test_process_fn_must_be_a_process_function(cls: type[Any], fn: object) -> None:
    with pytest.raises(CommandArgumentError) as caught:
        cls(fn)
    assert str(caught.value).startswith(
        f"{cls.__name__} (id={cls.ID}): fn must be an async function taking a Process"
    )
    assert isinstance(caught.value, NotAProcessFunctionError)  # what node.spawn raises
    assert isinstance(caught.value, TypeError)


def test_process_exec_args_must_be_a_tuple_or_list() -> None:
    with pytest.raises(CommandArgumentError, match=r"^Exec \(id=9\): args must be a tuple"):
        process.Exec(idle, "12")  # type: ignore[arg-type]


@pytest.mark.parametrize("grace", [-1, -0.1, math.nan, 10**400, "1", True], ids=repr)
def test_process_terminate_grace(grace: Any) -> None:
    with pytest.raises(CommandArgumentError, match=r"^Terminate \(id=3\): grace must be None or"):
        process.Terminate("x", grace=grace)


@pytest.mark.parametrize("cls", [process.Terminate, process.Cancel])
def test_process_reason_must_be_a_str(cls: type[Any]) -> None:
    with pytest.raises(CommandArgumentError, match=r"reason must be a str"):
        cls("x", None)


def test_process_valid_fields_are_accepted() -> None:
    pid = actorkit.PID("n", 1)
    listed: Any = [1]
    assert process.Spawn(idle, listed, name="n", mailbox_size=1).args is listed
    assert process.Terminate(pid, grace=0).grace == 0
    assert process.Terminate("n", grace=math.inf).grace == math.inf
    assert process.Send(pid, "", None, nowait=True).topic == ""


async def test_process_bad_spawn_leaves_the_caller_working(node: actorkit.Node) -> None:
    async with node.process() as proc:
        with pytest.raises(CommandArgumentError, match="mailbox_size"):
            await proc.spawn(idle, mailbox_size=1.5)  # type: ignore[arg-type]
        with pytest.raises(CommandArgumentError, match="name"):
            await proc.spawn(idle, name=123)  # type: ignore[arg-type]
        with pytest.raises(CommandArgumentError, match="topic"):
            proc.send_nowait(proc.pid, None)  # type: ignore[arg-type]
        with pytest.raises(CommandArgumentError, match="grace"):
            await proc.terminate(proc.pid, grace=-1)
        pid = await proc.spawn(idle, mailbox_size=1)
        assert await proc.terminate(pid) is True
    assert [p.pid for p in node.processes()] == []


async def test_process_terminate_with_infinite_grace_waits_for_cleanup(
    node: actorkit.Node,
) -> None:
    async with node.process() as proc:
        pid = await proc.spawn(stops_when_cancelled, monitor=True)
        start = trio.current_time()
        assert await proc.terminate(pid, grace=math.inf) is True
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert trio.current_time() - start == pytest.approx(50.0)
    assert exit_event.result == "cleaned up"
