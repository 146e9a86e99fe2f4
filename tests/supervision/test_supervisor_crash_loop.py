"""Crash loops end: under backoff, restarts of a child that never runs for the stable period
count against the limit however far apart the backoff spreads them (issue 9)."""

from __future__ import annotations

from typing import Literal

import pytest
import structlog.testing
import trio

import actorkit

from .supervision_kit import Recorder, crasher, kill, spec

Strategy = Literal["one_for_one", "one_for_all", "rest_for_one"]


@pytest.mark.parametrize("strategy", ["one_for_one", "one_for_all", "rest_for_one"])
async def test_crash_loop_under_default_settings_ends_in_restart_limit_error(
    node: actorkit.Node, strategy: Strategy
) -> None:
    recorder = Recorder().attach(node)
    children = [spec("a"), actorkit.ChildSpec("c", crasher), spec("z")]
    sup = actorkit.Supervisor(children, strategy=strategy)
    start = trio.current_time()
    async with node.process() as proc:
        await proc.spawn(sup, name="sup", monitor=True)
        with structlog.testing.capture_logs() as logs:
            exit_event = await proc.receive(kind=actorkit.Exit)
        ended = trio.current_time() - start
    error = exit_event.error
    assert isinstance(error, actorkit.RestartLimitError)
    assert (error.child, error.max_restarts, error.stable_period) == ("c", 3, 5.0)
    assert error.limit == "in_a_row"
    assert "the in-a-row limit (3 restarts in a row without running 5.0s)" in str(error)
    assert [r.attempt for r in recorder.restarts if r.child == "c"] == [1, 2, 3]
    assert 0.9 * 7 <= ended <= 1.1 * 7  # restarts at about 1, 3 and 7 s, then it gives up
    assert (recorder.gave_up, recorder.limits) == (["sup"], ["in_a_row"])
    gave_up = [e for e in logs if e["event"] == "supervisor_gave_up"]
    assert [(e["child"], e["limit"], e["stable_period"]) for e in gave_up] == [
        ("c", "in_a_row", 5.0)
    ]


async def test_child_that_cannot_start_ends_in_restart_limit_error(node: actorkit.Node) -> None:
    async with node.process() as proc:
        await proc.spawn(actorkit.Supervisor([spec("b")]), name="sup", monitor=True)
        await actorkit.SupervisorClient(proc, "sup").which_children()
        await kill(proc, "b", "exception")
        await proc.spawn(worker_squatting, name="b")  # every restart of b now fails
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert isinstance(exit_event.error, actorkit.RestartLimitError)
    assert exit_event.error.child == "b"
    assert exit_event.error.stable_period == 5.0


async def worker_squatting(proc: actorkit.Process) -> None:
    await proc.receive(kind=actorkit.Cancel)


async def test_child_that_crashes_rarely_is_restarted_indefinitely(node: actorkit.Node) -> None:
    recorder = Recorder().attach(node)
    async with node.process() as proc:
        sup = await proc.spawn(actorkit.Supervisor([spec("w")]), name="sup", monitor=True)
        await actorkit.SupervisorClient(proc, "sup").which_children()
        for _ in range(20):
            await trio.sleep(5.5)  # runs past the stable period (5 s) before each crash
            await kill(proc, "w", "exception")
            await trio.sleep(1.5)  # the backoff (1 s ± 10 %) runs out
        assert node.resolve(sup) is not None
        assert node.whereis("w") is not None
    assert len(recorder.restarts) == 20
    assert {r.attempt for r in recorder.restarts} == {1}
    assert recorder.gave_up == []


async def test_streak_resets_after_a_stable_run(node: actorkit.Node) -> None:
    """Two quick failures, a stable run, then four quick ones: the fourth is one too many."""
    recorder = Recorder().attach(node)
    async with node.process() as proc:
        sup = await proc.spawn(actorkit.Supervisor([spec("w")]), name="sup", monitor=True)
        await actorkit.SupervisorClient(proc, "sup").which_children()
        for pause in (4.5, 10.5, 4.5, 4.5, 4.5):  # each past the backoff (at most 4.4 s)
            await kill(proc, "w", "exception")
            await trio.sleep(pause)  # 10.5: past the backoff and the stable period (5 s)
        assert node.resolve(sup) is not None
        await kill(proc, "w", "exception")  # the fourth quick failure in a row
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert [r.attempt for r in recorder.restarts] == [1, 2, 1, 2, 3]
    assert isinstance(exit_event.error, actorkit.RestartLimitError)
    assert exit_event.error.stable_period == 5.0
