"""Terminate: stop a process (after an optional grace period) and cancel its handlers."""

from __future__ import annotations

import pytest
import trio
import trio.testing

import actorkit
from actorkit.modules import clock


@actorkit.command(id=40400)
class Hang(actorkit.Command[None]):
    pass


async def hang_in_call(proc: actorkit.Process) -> None:
    await proc.call(Hang())


async def clean_up_on_cancel(proc: actorkit.Process, cleanup_seconds: float) -> str:
    try:
        await proc.receive(topic="never")
    except actorkit.CancelRequested as exc:
        await proc.call(clock.Sleep(cleanup_seconds))
        return f"cleaned up: {exc.reason}"
    return "not cancelled"


def fake_hang(node: actorkit.Node) -> list[str]:
    """Script ``Hang`` to wait forever, recording when its work is cancelled."""
    seen: list[str] = []

    async def hang(cmd: Hang) -> None:
        try:
            await trio.sleep_forever()
        finally:
            seen.append("cancelled")

    node.fake(Hang, hang)
    return seen


async def test_terminate_without_grace_stops_at_once(node: actorkit.Node) -> None:
    seen = fake_hang(node)
    async with node.process() as proc:
        pid = await proc.spawn(hang_in_call, monitor=True)
        await trio.testing.wait_all_tasks_blocked()
        start = trio.current_time()
        assert await proc.terminate(pid, "now") is True
        assert trio.current_time() == start
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.reason == "terminated"
    assert seen == ["cancelled"]


async def test_terminate_with_grace_lets_the_process_clean_up(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await proc.spawn(clean_up_on_cancel, 1.0, monitor=True)
        start = trio.current_time()
        assert await proc.terminate(pid, "polite", grace=5.0) is True
        elapsed = trio.current_time() - start
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.result == "cleaned up: polite"
    assert exit_event.reason == "normal"
    assert elapsed == pytest.approx(1.0)


async def test_terminate_after_grace_expires_kills(node: actorkit.Node) -> None:
    seen = fake_hang(node)
    async with node.process() as proc:
        pid = await proc.spawn(hang_in_call, monitor=True)
        start = trio.current_time()
        assert await proc.terminate(pid, "too slow", grace=3.0) is True
        elapsed = trio.current_time() - start
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert elapsed == pytest.approx(3.0)
    assert isinstance(exit_event.error, actorkit.TerminatedError)
    assert exit_event.error.reason == "too slow"
    assert seen == ["cancelled"]


async def test_terminate_cancels_in_flight_yields(node: actorkit.Node) -> None:
    seen = fake_hang(node)

    async def many_in_flight(proc: actorkit.Process) -> None:
        for _ in range(3):
            proc.yield_(Hang())
        await proc.receive(topic="never")

    async with node.process() as proc:
        pid = await proc.spawn(many_in_flight)
        await trio.testing.wait_all_tasks_blocked()
        await proc.terminate(pid)
        await trio.testing.wait_all_tasks_blocked()
    assert seen == ["cancelled"] * 3


async def test_terminate_dead_or_unknown_target(node: actorkit.Node) -> None:
    async with node.process() as proc:
        assert await proc.terminate(actorkit.PID(node.name, 9_999)) is False
        with pytest.raises(actorkit.NoProcessError, match="cannot terminate"):
            await proc.terminate("nobody")


async def test_terminate_self(node: actorkit.Node) -> None:
    async def suicidal(proc: actorkit.Process) -> str:
        await proc.terminate(proc.pid, "self")
        return "unreachable"

    exit_event = await node.wait(node.spawn(suicidal))
    assert isinstance(exit_event.error, actorkit.TerminatedError)
    assert exit_event.error.reason == "self"
