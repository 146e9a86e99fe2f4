"""Monitors: one-way; an Exit for every exit; a gone PID gives Exit(noproc) at once."""

from __future__ import annotations

import trio
import trio.testing

import actorkit


async def finish_on_message(proc: actorkit.Process) -> object:
    msg = await proc.receive()
    if msg.topic == "fail":
        raise RuntimeError("asked to fail")
    return msg.payload


async def test_monitors_exit_for_normal_exit(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await proc.spawn(finish_on_message)
        await proc.monitor(pid)
        await proc.send(pid, "finish", "result")
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event == actorkit.Exit(pid, "result", None)


async def test_monitors_exit_for_error_and_terminate(node: actorkit.Node) -> None:
    async with node.process() as proc:
        failing = await proc.spawn(finish_on_message, monitor=True)
        stopped = await proc.spawn(finish_on_message, monitor=True)
        await proc.send(failing, "fail")
        failed = await proc.receive(kind=actorkit.Exit)
        await proc.terminate(stopped)
        terminated = await proc.receive(kind=actorkit.Exit)
    assert (failed.pid, failed.reason) == (failing, "error")
    assert (terminated.pid, terminated.reason) == (stopped, "terminated")


async def test_monitors_every_watcher_gets_the_exit(node: actorkit.Node) -> None:
    async def watch(proc: actorkit.Process, target: actorkit.PID) -> object:
        await proc.monitor(target)
        return (await proc.receive(kind=actorkit.Exit)).result

    async with node.process() as proc:
        target = await proc.spawn(finish_on_message)
        watchers = [await proc.spawn(watch, target, monitor=True) for _ in range(3)]
        await trio.testing.wait_all_tasks_blocked()
        await proc.send(target, "finish", 7)
        results = {
            e.pid: e.result for e in [await proc.receive(kind=actorkit.Exit) for _ in watchers]
        }
    assert results == dict.fromkeys(watchers, 7)


async def watch_then_fail(proc: actorkit.Process, target: actorkit.PID) -> None:
    await proc.monitor(target)
    raise RuntimeError("watcher fails")


async def test_monitors_are_one_way(node: actorkit.Node) -> None:
    async with node.process() as proc:
        target = await proc.spawn(finish_on_message, monitor=True)
        watcher = await proc.spawn(watch_then_fail, target, monitor=True)
        watcher_exit = await proc.receive(kind=actorkit.Exit)
        await proc.send(target, "finish", "unharmed")
        target_exit = await proc.receive(kind=actorkit.Exit)
    assert (watcher_exit.pid, watcher_exit.reason) == (watcher, "error")
    assert (target_exit.pid, target_exit.result) == (target, "unharmed")


async def test_monitors_dead_pid_gives_noproc_at_once(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await proc.spawn(finish_on_message, monitor=True)
        await proc.send(pid, "finish")
        await proc.receive(kind=actorkit.Exit)
        await proc.monitor(pid)
        exit_event = await proc.receive(kind=actorkit.Exit, timeout=0)
    assert exit_event.pid == pid
    assert exit_event.reason == "noproc"
    assert isinstance(exit_event.error, actorkit.NoProcessError)


async def test_monitors_never_spawned_pid_gives_noproc(node: actorkit.Node) -> None:
    ghost = actorkit.PID(node.name, 10_000)
    async with node.process() as proc:
        await proc.monitor(ghost)
        exit_event = await proc.receive(kind=actorkit.Exit, timeout=0)
    assert (exit_event.pid, exit_event.reason) == (ghost, "noproc")


async def test_monitors_unmonitor_stops_the_exit(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await proc.spawn(finish_on_message, monitor=True)
        assert await proc.unmonitor(pid) is True
        assert await proc.unmonitor(pid) is False
        await proc.send(pid, "finish")
        await trio.testing.wait_all_tasks_blocked()
        assert node.resolve(pid) is None
        assert len(proc.mailbox) == 0
