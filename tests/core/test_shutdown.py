"""Shutdown: Cancel to every process, a grace period, then cancellation; stop in reverse."""

from __future__ import annotations

import pytest
import trio
import trio.testing

import actorkit
from actorkit import lowlevel
from actorkit.lowlevel import ProcessRef
from actorkit.modules import clock


def record_exits(node: actorkit.Node) -> dict[str, tuple[object, BaseException | None]]:
    exits: dict[str, tuple[object, BaseException | None]] = {}

    def hook(state: ProcessRef, result: object, error: BaseException | None) -> None:
        exits[state.name or state.function] = (result, error)

    lowlevel.add_exit_hook(node, hook)
    return exits


async def loop_until_cancel(proc: actorkit.Process) -> str | None:
    async for _ in proc.messages():
        pass
    return proc.cancel_reason


async def ignore_cancel(proc: actorkit.Process) -> str:
    try:
        await proc.receive()
    except actorkit.CancelRequested:
        await proc.call(clock.Sleep(3600.0))
    return "outlived the grace period"


async def slow_cleanup(proc: actorkit.Process) -> str:
    try:
        await proc.receive()
    except actorkit.CancelRequested:
        await proc.call(clock.Sleep(2.0))
    return "cleaned up"


async def test_shutdown_sends_cancel_to_every_process(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with actorkit.open_node(shutdown_grace=5.0) as node:
        exits = record_exits(node)
        for index in range(3):
            node.spawn(loop_until_cancel, name=f"loop{index}")
        start = trio.current_time()
    assert trio.current_time() == start
    assert exits == {f"loop{index}": ("shutdown", None) for index in range(3)}


async def test_shutdown_waits_for_cleanup_within_grace(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with actorkit.open_node(modules=[clock.module()], shutdown_grace=5.0) as node:
        exits = record_exits(node)
        node.spawn(slow_cleanup, name="slow")
        await trio.testing.wait_all_tasks_blocked()
        start = trio.current_time()
    assert trio.current_time() - start == pytest.approx(2.0)
    assert exits == {"slow": ("cleaned up", None)}


async def test_shutdown_cancels_processes_after_grace(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with actorkit.open_node(modules=[clock.module()], shutdown_grace=5.0) as node:
        exits = record_exits(node)
        node.spawn(ignore_cancel, name="stubborn")
        node.spawn(loop_until_cancel, name="polite")
        await trio.testing.wait_all_tasks_blocked()
        start = trio.current_time()
    assert trio.current_time() - start == pytest.approx(5.0)
    assert exits["polite"] == ("shutdown", None)
    result, error = exits["stubborn"]
    assert result is None
    assert isinstance(error, actorkit.TerminatedError)


async def test_shutdown_stops_components_in_reverse_boot_order(
    autojump_clock: trio.testing.MockClock,
) -> None:
    log: list[str] = []

    def component(name: str, *deps: str) -> actorkit.Component:
        async def start(boot: actorkit.Boot) -> None:
            log.append(f"start {name}")

        async def stop(boot: actorkit.Boot) -> None:
            log.append(f"stop {name}")

        return actorkit.Component(name, depends_on=deps, start=start, stop=stop)

    modules = [component("c", "b"), component("a"), component("b", "a")]
    async with actorkit.open_node(modules=modules) as node:
        lowlevel.add_exit_hook(node, lambda state, result, error: log.append("process exited"))
        node.spawn(loop_until_cancel)
        log.append("running")
    assert log == [
        "start a",
        "start b",
        "start c",
        "running",
        "process exited",
        "stop c",
        "stop b",
        "stop a",
    ]


async def test_shutdown_with_no_processes_is_immediate(
    autojump_clock: trio.testing.MockClock,
) -> None:
    start = trio.current_time()
    async with actorkit.open_node(shutdown_grace=5.0) as node:
        assert node.processes() == []
    assert trio.current_time() == start


async def test_shutdown_body_error_propagates_unwrapped(
    autojump_clock: trio.testing.MockClock,
) -> None:
    with pytest.raises(KeyError, match="from the body"):
        async with actorkit.open_node() as node:
            node.spawn(loop_until_cancel)
            raise KeyError("from the body")


def test_shutdown_run_returns_main_result_and_stops_the_rest() -> None:
    async def main(proc: actorkit.Process) -> str:
        await proc.spawn(loop_until_cancel)
        return "main done"

    assert actorkit.run(main) == "main done"


async def fail_main(proc: actorkit.Process) -> None:
    raise LookupError("main failed")


def test_shutdown_run_raises_process_failed_for_a_failing_main() -> None:
    with pytest.raises(actorkit.ProcessFailedError, match="LookupError: main failed") as info:
        actorkit.run(fail_main)
    assert isinstance(info.value.error, LookupError)


def test_shutdown_run_keeps_the_cause_of_process_failed() -> None:
    with pytest.raises(actorkit.ProcessFailedError) as info:
        actorkit.run(fail_main)
    assert isinstance(info.value.__cause__, LookupError)
