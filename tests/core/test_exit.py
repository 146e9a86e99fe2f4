"""Exit reasons: a return value or an exception; a crash never takes down anyone else."""

from __future__ import annotations

import pytest
import structlog.testing
import trio
import trio.testing

import actorkit


async def returns(proc: actorkit.Process, value: object) -> object:
    return value


async def fails(proc: actorkit.Process, message: str) -> None:
    raise ValueError(message)


async def echo(proc: actorkit.Process) -> int:
    count = 0
    async for msg in proc.messages():
        count += 1
        if msg.sender is not None:
            await proc.send(msg.sender, "echo", msg.payload)
    return count


async def test_exit_return_value_is_the_result(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await proc.spawn(returns, {"answer": 42}, monitor=True)
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event == actorkit.Exit(pid, {"answer": 42}, None)
    assert exit_event.reason == "normal"


async def test_exit_exception_is_the_error(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await proc.spawn(fails, "bad input", monitor=True)
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.pid == pid
    assert isinstance(exit_event.error, ValueError)
    assert str(exit_event.error) == "bad input"
    assert exit_event.reason == "error"


async def test_exit_crash_leaves_node_and_others_running(node: actorkit.Node) -> None:
    async with node.process() as proc:
        bystander = await proc.spawn(echo)
        for _ in range(3):
            await proc.spawn(fails, "crash")
        await trio.testing.wait_all_tasks_blocked()
        await proc.send(bystander, "ping", 1)
        reply = await proc.receive(topic="echo")
        assert reply.payload == 1
        assert await node.exec(returns, "still up") == "still up"
        assert [p.pid for p in node.processes()] == [proc.pid, bystander]
        await proc.cancel(bystander)


async def test_exit_node_exec_raises_process_failed(node: actorkit.Node) -> None:
    with pytest.raises(actorkit.ProcessFailedError, match="ValueError: nope") as info:
        await node.exec(fails, "nope")
    assert isinstance(info.value.__cause__, ValueError)
    assert isinstance(info.value.error, ValueError)


async def test_exit_failure_is_logged(node: actorkit.Node) -> None:
    with structlog.testing.capture_logs() as logs:
        exit_event = await node.wait(node.spawn(fails, "logged"))
    failed = [entry for entry in logs if entry["event"] == "process_failed"]
    assert len(failed) == 1
    assert failed[0]["pid"] == str(exit_event.pid)


async def test_exit_normal_exit_is_not_logged_as_failure(node: actorkit.Node) -> None:
    with structlog.testing.capture_logs() as logs:
        await node.wait(node.spawn(returns, 1))
    assert [entry for entry in logs if entry["event"] == "process_failed"] == []


async def link_then_fail(proc: actorkit.Process, target: actorkit.PID) -> None:
    await proc.link(target)
    raise RuntimeError("linked crash")


async def plain_receive(proc: actorkit.Process) -> None:
    await proc.receive()


async def test_exit_reason_terminated(node: actorkit.Node) -> None:
    async with node.process() as proc:
        victim = await proc.spawn(echo, monitor=True)
        assert await proc.terminate(victim, "stop")
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.reason == "terminated"
    assert isinstance(exit_event.error, actorkit.TerminatedError)
    assert exit_event.error.reason == "stop"


async def test_exit_reason_linked(node: actorkit.Node) -> None:
    async with node.process() as proc:
        victim = await proc.spawn(echo, monitor=True)
        crasher = await proc.spawn(link_then_fail, victim)
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.pid == victim
    assert exit_event.reason == "linked"
    assert isinstance(exit_event.error, actorkit.LinkedExitError)
    assert exit_event.error.pid == crasher


async def test_exit_reason_cancelled(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await proc.spawn(plain_receive, monitor=True)
        await proc.cancel(pid, "enough")
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.reason == "cancelled"
    assert isinstance(exit_event.error, actorkit.CancelRequested)
    assert exit_event.error.reason == "enough"
