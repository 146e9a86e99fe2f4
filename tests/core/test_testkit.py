"""The test kit: the ``node`` fixture on the autojump clock, fakes, exec, wait, process()."""

from __future__ import annotations

import time

import pytest
import trio
import trio.testing

import actorkit
from actorkit.modules import clock


@actorkit.command(id=40600)
class Lookup(actorkit.Command[str]):
    key: str


async def sleep_an_hour(proc: actorkit.Process) -> float:
    start = trio.current_time()
    await proc.call(clock.Sleep(3600.0))
    return trio.current_time() - start


async def test_testkit_node_runs_on_the_autojump_clock(node: actorkit.Node) -> None:
    real_start = time.perf_counter()
    assert await node.exec(sleep_an_hour) == pytest.approx(3600.0)
    assert time.perf_counter() - real_start < 5.0
    assert isinstance(trio.lowlevel.current_clock(), trio.testing.MockClock)


async def test_testkit_fake_sync_scripts_results_and_records_calls(node: actorkit.Node) -> None:
    fake = node.fake(Lookup, lambda cmd: f"value of {cmd.key}")
    async with node.process() as proc:
        assert await proc.call(Lookup("a")) == "value of a"
        assert proc.call_nowait(Lookup("b")) == "value of b"
    assert fake.calls == [Lookup("a"), Lookup("b")]
    assert fake.command is Lookup


async def test_testkit_fake_async_runs_as_handler_work(node: actorkit.Node) -> None:
    deadlines: list[float] = []

    async def slow_lookup(cmd: Lookup) -> str:
        deadlines.append(trio.current_effective_deadline())
        await trio.sleep(10.0)
        return cmd.key * 2

    fake = node.fake(Lookup, slow_lookup)
    async with node.process() as proc:
        start = trio.current_time()
        assert await proc.call(Lookup("ab"), timeout=30.0) == "abab"
        assert trio.current_time() - start == pytest.approx(10.0)
        with pytest.raises(trio.TooSlowError):
            await proc.call(Lookup("slow"), timeout=1.0)
    assert deadlines[0] == pytest.approx(start + 30.0)
    assert len(fake.calls) == 2


async def test_testkit_fake_that_raises_fails_the_call(node: actorkit.Node) -> None:
    def refuse(cmd: Lookup) -> str:
        raise PermissionError(f"no access to {cmd.key}")

    async def refuse_later(cmd: Lookup) -> str:
        await trio.sleep(1.0)
        raise LookupError(cmd.key)

    async with node.process() as proc:
        node.fake(Lookup, refuse)
        with pytest.raises(PermissionError, match="no access to x"):
            await proc.call(Lookup("x"))
        node.fake(Lookup, refuse_later)
        with pytest.raises(LookupError, match="y"):
            await proc.call(Lookup("y"))
        assert proc.alive


async def test_testkit_fake_replaces_a_built_in_command(node: actorkit.Node) -> None:
    fake = node.fake(clock.Sleep, lambda cmd: None)
    async with node.process() as proc:
        start = trio.current_time()
        await proc.call(clock.Sleep(100.0))
        assert trio.current_time() == start
    assert fake.calls == [clock.Sleep(100.0)]


async def test_testkit_fake_gives_an_unhandled_command_a_handler(node: actorkit.Node) -> None:
    async with node.process() as proc:
        with pytest.raises(actorkit.UnknownCommandError):
            await proc.call(Lookup("k"))
        node.fake(Lookup, lambda cmd: "now handled")
        assert await proc.call(Lookup("k")) == "now handled"


async def test_testkit_fake_needs_a_command_class(node: actorkit.Node) -> None:
    with pytest.raises(TypeError, match="needs a command class"):
        node.fake(int, lambda cmd: None)


async def add_one(proc: actorkit.Process, value: int) -> int:
    return value + 1


async def add_one_on_go(proc: actorkit.Process, value: int) -> int:
    await proc.receive(topic="go")
    return value + 1


async def test_testkit_exec_runs_a_process_to_its_end(node: actorkit.Node) -> None:
    assert await node.exec(add_one, 1) == 2
    assert node.processes() == []


async def test_testkit_exec_cancelled_terminates_the_process(node: actorkit.Node) -> None:
    with trio.move_on_after(5.0):
        await node.exec(add_one_on_go, 1)
    await trio.testing.wait_all_tasks_blocked()
    assert node.processes() == []


async def test_testkit_wait_returns_the_exit(node: actorkit.Node) -> None:
    pid = node.spawn(add_one_on_go, 41)
    exits: list[actorkit.Exit] = []

    async def wait() -> None:
        exits.append(await node.wait(pid))

    async with trio.open_nursery() as nursery:
        nursery.start_soon(wait)
        await trio.testing.wait_all_tasks_blocked()
        await node.send(pid, "go")
    assert exits == [actorkit.Exit(pid, 42, None)]


async def test_testkit_wait_for_a_gone_process_is_noproc(node: actorkit.Node) -> None:
    gone = await node.wait(actorkit.PID(node.name, 999))
    assert gone.reason == "noproc"
    unknown = await node.wait("nobody")
    assert unknown.reason == "noproc"


async def test_testkit_wait_after_the_exit_still_gives_the_result(node: actorkit.Node) -> None:
    pid = node.spawn(add_one, 41)
    await trio.testing.wait_all_tasks_blocked()
    exit_event = await node.wait(pid)
    assert exit_event == actorkit.Exit(pid, 42, None)


async def test_testkit_borrowed_process_is_a_real_process(node: actorkit.Node) -> None:
    async with node.process(name="shell") as proc:
        assert node.whereis("shell") == proc.pid
        assert proc.trap_links
        assert await proc.exec(add_one, 1) == 2
        child = await proc.spawn(add_one_on_go, 9, monitor=True)
        await proc.send(child, "go")
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.result == 10
    assert not proc.alive
    assert node.whereis("shell") is None


async def test_testkit_borrowed_process_exit_is_seen_by_monitors(node: actorkit.Node) -> None:
    async with node.process() as watcher:
        async with node.process() as borrowed:
            await watcher.monitor(borrowed.pid)
        normal = await watcher.receive(kind=actorkit.Exit)
        failing: list[actorkit.PID] = []
        with pytest.raises(ValueError, match="block failed"):
            async with node.process() as doomed:
                failing.append(doomed.pid)
                await watcher.monitor(doomed.pid)
                raise ValueError("block failed")
        failed = await watcher.receive(kind=actorkit.Exit)
    assert (normal.pid, normal.reason) == (borrowed.pid, "normal")
    assert [(failed.pid, failed.reason)] == [(pid, "error") for pid in failing]


async def test_testkit_borrowed_process_stopped_by_a_link(node: actorkit.Node) -> None:
    async def crash(proc: actorkit.Process) -> None:
        await proc.receive(topic="go")
        raise RuntimeError("linked crash")

    with pytest.raises(actorkit.LinkedExitError):
        async with node.process(trap_links=False) as proc:
            child = await proc.spawn(crash, link=True)
            await proc.send(child, "go")
            await proc.receive(topic="never")
