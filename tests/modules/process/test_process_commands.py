"""The process module's commands (IDs 1-9) called directly, and scripted with fakes."""

from __future__ import annotations

import pytest
import trio
import trio.testing

import actorkit
from actorkit.modules import process


async def echo_once(proc: actorkit.Process) -> object:
    msg = await proc.receive()
    if msg.topic == "fail":
        raise RuntimeError("asked to fail")
    return msg.payload


def test_process_command_ids_are_one_to_nine() -> None:
    commands: list[type[actorkit.Command[object]]] = [
        process.Send,
        process.Spawn,
        process.Terminate,
        process.Cancel,
        process.Monitor,
        process.Unmonitor,
        process.Link,
        process.Unlink,
        process.Exec,
    ]
    assert [cmd.ID for cmd in commands] == list(range(1, 10))


async def test_process_module_is_always_booted(node: actorkit.Node) -> None:
    assert [node.registry.owner(cid) for cid in range(1, 10)] == ["process"] * 9


async def test_process_send_and_spawn_commands(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await proc.call(process.Spawn(echo_once, (), monitor=True, name="echo"))
        await proc.call(process.Send("echo", "job", {"n": 1}))
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert (exit_event.pid, exit_event.result) == (pid, {"n": 1})


async def test_process_send_nowait_command_on_a_full_mailbox(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await proc.call(process.Spawn(echo_once, (), mailbox_size=1, monitor=True))
        proc.call_nowait(process.Send(pid, "first", 1, nowait=True))
        with pytest.raises(trio.WouldBlock, match="is full"):
            proc.call_nowait(process.Send(pid, "second", 2, nowait=True))
        with pytest.raises(trio.WouldBlock):
            await proc.call(process.Send(pid, "third", 3, nowait=True))
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.result == 1


async def test_process_exec_command(node: actorkit.Node) -> None:
    async def double(proc: actorkit.Process, value: int) -> int:
        return value * 2

    async with node.process() as proc:
        assert await proc.call(process.Exec(double, (21,))) == 42
        with pytest.raises(actorkit.ProcessFailedError, match="exec failed"):
            await proc.call(process.Exec(_fail, ()))
        with pytest.raises(trio.TooSlowError):
            await proc.call(process.Exec(echo_once, ()), timeout=1.0)
        await trio.testing.wait_all_tasks_blocked()
        assert [p.pid for p in node.processes()] == [proc.pid]


async def _fail(proc: actorkit.Process) -> None:
    raise RuntimeError("exec failed")


async def test_process_link_monitor_commands(node: actorkit.Node) -> None:
    async with node.process(trap_links=True) as proc:
        pid = await proc.call(process.Spawn(echo_once))
        await proc.call(process.Link(pid))
        await proc.call(process.Monitor(pid))
        await proc.call(process.Unlink(pid))
        assert await proc.call(process.Unmonitor(pid)) is True
        await proc.call(process.Monitor(pid))
        await proc.call(process.Send(pid, "fail"))
        exit_event = await proc.receive(kind=actorkit.Exit)
        await trio.testing.wait_all_tasks_blocked()
        assert len(proc.mailbox) == 0  # unlinked: no LinkDown
    assert exit_event.reason == "error"


async def test_process_cancel_and_terminate_commands(node: actorkit.Node) -> None:
    async with node.process() as proc:
        polite = await proc.call(process.Spawn(echo_once, (), monitor=True))
        await proc.call(process.Cancel(polite, "please"))
        cancelled = await proc.receive(kind=actorkit.Exit)
        rude = await proc.call(process.Spawn(echo_once, (), monitor=True))
        assert await proc.call(process.Terminate(rude, "now")) is True
        terminated = await proc.receive(kind=actorkit.Exit)
    assert cancelled.reason == "cancelled"
    assert terminated.reason == "terminated"


async def test_process_send_can_be_faked(node: actorkit.Node) -> None:
    fake = node.fake(process.Send, lambda cmd: None)
    async with node.process() as proc:
        await proc.send(proc.pid, "captured", 1)
        proc.send_nowait("nobody", "captured", 2)
        assert len(proc.mailbox) == 0
    assert [(c.dest, c.topic, c.payload) for c in fake.calls] == [
        (proc.pid, "captured", 1),
        ("nobody", "captured", 2),
    ]
    assert node.dead_letters == 0


async def test_process_spawn_can_be_faked(node: actorkit.Node) -> None:
    ghost = actorkit.PID(node.name, 4242)
    fake = node.fake(process.Spawn, lambda cmd: ghost)
    async with node.process() as proc:
        assert await proc.spawn(echo_once, name="never-started") == ghost
    assert node.whereis("never-started") is None
    assert [c.name for c in fake.calls] == ["never-started"]


def test_process_module_factory_exists() -> None:
    factory = getattr(process, "module")  # noqa: B009
    component = factory()
    assert isinstance(component, actorkit.Component)
    assert component.name == "process"
