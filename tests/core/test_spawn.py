"""Spawn: link, monitor and name are in place before the child runs; bad functions fail."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any, cast

import pytest
import trio
import trio.testing

import actorkit
from actorkit.errors import NotAProcessFunctionError


async def crash_at_once(proc: actorkit.Process) -> None:
    raise RuntimeError("died at once")


async def return_at_once(proc: actorkit.Process, value: object) -> object:
    return value


async def own_name(proc: actorkit.Process) -> tuple[str | None, actorkit.PID | None, bool]:
    assert proc.name is not None
    seen = proc.name, proc.whereis(proc.name), proc.trap_links
    await proc.receive(topic="go")
    return seen


async def test_spawn_link_is_set_before_the_child_runs(node: actorkit.Node) -> None:
    async with node.process(trap_links=True) as proc:
        child = await proc.spawn(crash_at_once, link=True)
        down = await proc.receive(kind=actorkit.LinkDown)
    assert down.pid == child


async def test_spawn_link_stops_a_non_trapping_parent(node: actorkit.Node) -> None:
    async def parent(proc: actorkit.Process) -> None:
        await proc.spawn(crash_at_once, link=True)
        await proc.receive(topic="never")

    exit_event = await node.wait(node.spawn(parent))
    assert exit_event.reason == "linked"


async def test_spawn_monitor_is_set_before_the_child_runs(node: actorkit.Node) -> None:
    async with node.process() as proc:
        quick = await proc.spawn(return_at_once, "bye", monitor=True)
        crashed = await proc.spawn(crash_at_once, monitor=True)
        exits = {e.pid: e for e in [await proc.receive(kind=actorkit.Exit) for _ in range(2)]}
    # both exits arrive (in either order: the children run after both spawns)
    assert {pid: e.reason for pid, e in exits.items()} == {quick: "normal", crashed: "error"}
    assert exits[quick].result == "bye"


async def test_spawn_name_is_registered_before_the_child_runs(node: actorkit.Node) -> None:
    async with node.process() as proc:
        child = await proc.spawn(own_name, name="worker", monitor=True, trap_links=True)
        assert proc.whereis("worker") == child
        await proc.send(child, "go")
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.result == ("worker", child, True)
    assert node.whereis("worker") is None


async def test_spawn_taken_name_fails_without_starting(node: actorkit.Node) -> None:
    async with node.process(name="taken") as proc:
        spawned = node.spawned
        with pytest.raises(actorkit.NameTakenError, match="'taken' is taken by"):
            await proc.spawn(return_at_once, 1, name="taken")
        with pytest.raises(actorkit.NameTakenError):
            node.spawn(return_at_once, 1, name="taken")
        assert node.spawned == spawned
        assert [p.pid for p in node.processes()] == [proc.pid]


def not_async(proc: actorkit.Process) -> None:
    return None


class AsyncCallable:
    async def __call__(self, proc: actorkit.Process) -> str:
        return "called"


def returns_coroutine(proc: actorkit.Process) -> Coroutine[object, object, None]:
    return return_at_once(proc, None)  # type: ignore[return-value]


@pytest.mark.parametrize("fn", [not_async, returns_coroutine, 42, "main"], ids=repr)
async def test_spawn_non_async_function_is_rejected(node: actorkit.Node, fn: object) -> None:
    bad = cast("Any", fn)
    with pytest.raises(NotAProcessFunctionError, match="spawn expects an async function"):
        node.spawn(bad)
    async with node.process() as proc:
        with pytest.raises(TypeError):
            await proc.spawn(bad)
        assert await proc.exec(return_at_once, "still fine") == "still fine"


async def test_spawn_async_callable_object_is_accepted(node: actorkit.Node) -> None:
    assert await node.exec(AsyncCallable()) == "called"


async def test_spawn_passes_arguments_and_mailbox_size(node: actorkit.Node) -> None:
    async def body(proc: actorkit.Process, a: int, b: str) -> tuple[int, str, int]:
        return a, b, proc.mailbox.capacity

    async with node.process() as proc:
        await proc.spawn(body, 1, "two", mailbox_size=3, monitor=True)
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.result == (1, "two", 3)


async def test_spawn_exec_returns_or_raises(node: actorkit.Node) -> None:
    async with node.process() as proc:
        assert await proc.exec(return_at_once, [1, 2]) == [1, 2]
        with pytest.raises(actorkit.ProcessFailedError, match="died at once") as info:
            await proc.exec(crash_at_once)
    assert isinstance(info.value.__cause__, RuntimeError)


async def test_spawn_exec_timeout_terminates_the_child(node: actorkit.Node) -> None:
    async def slow(proc: actorkit.Process) -> None:
        await proc.receive(topic="never")

    async with node.process() as proc:
        with pytest.raises(trio.TooSlowError):
            await proc.exec(slow, timeout=5.0)
        await trio.testing.wait_all_tasks_blocked()
        assert [p.pid for p in node.processes()] == [proc.pid]
