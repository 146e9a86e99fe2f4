"""Restart intensity: more than max_restarts failures in period seconds and the supervisor
stops its children and exits with an error naming the child that broke the limit."""

from __future__ import annotations

import pytest
import structlog.testing
import trio

import actorkit

from .supervision_kit import KILLS, NO_BACKOFF, How, Recorder, kill, live, spec


def limited(max_restarts: int, period: float = 10.0) -> actorkit.Supervisor:
    return actorkit.Supervisor(
        [spec("a"), spec("b"), spec("c")],
        max_restarts=max_restarts,
        period=period,
        backoff=NO_BACKOFF,
    )


@pytest.mark.parametrize("how", KILLS)
async def test_intensity_exceeded_stops_the_supervisor_naming_the_child(
    node: actorkit.Node, how: How
) -> None:
    recorder = Recorder().attach(node)
    async with node.process() as proc:
        await proc.spawn(limited(2), name="sup", monitor=True)
        await actorkit.SupervisorClient(proc, "sup").which_children()
        for _ in range(2):
            await kill(proc, "b", how)
        assert recorder.restarted() == ["b", "b"]
        with structlog.testing.capture_logs() as logs:
            await kill(proc, "b", how)
        exit_event = await proc.receive(kind=actorkit.Exit)
        assert live(node) == set()
    assert isinstance(exit_event.error, actorkit.RestartLimitError)
    assert exit_event.error.child == "b"
    assert "'b'" in str(exit_event.error)
    assert "the intensity limit (2 restarts in 10.0s)" in str(exit_event.error)
    assert (exit_event.error.limit, exit_event.error.stable_period) == ("intensity", None)
    assert recorder.restarted() == ["b", "b"]
    assert recorder.gave_up == ["sup"]
    assert recorder.limits == ["intensity"]
    gave_up = [e for e in logs if e["event"] == "supervisor_gave_up"]
    assert [(e["child"], e["limit"], e["max_restarts"], e["period"]) for e in gave_up] == [
        ("b", "intensity", 2, 10.0)
    ]
    assert gave_up[0]["detail"] == "the intensity limit (2 restarts in 10.0s)"
    assert [n for n in recorder.exits if n in ("a", "b", "c")][-3:] == ["b", "c", "a"]


async def test_intensity_zero_gives_up_at_the_first_failure(node: actorkit.Node) -> None:
    async with node.process() as proc:
        await proc.spawn(limited(0), name="sup", monitor=True)
        await actorkit.SupervisorClient(proc, "sup").which_children()
        await kill(proc, "a", "exception")
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert isinstance(exit_event.error, actorkit.RestartLimitError)
    assert exit_event.error.child == "a"
    assert live(node) == set()


async def test_intensity_counts_failures_in_the_window_only(node: actorkit.Node) -> None:
    recorder = Recorder().attach(node)
    async with node.process() as proc:
        sup = await proc.spawn(limited(1, period=5.0), name="sup", monitor=True)
        await actorkit.SupervisorClient(proc, "sup").which_children()
        for _ in range(4):
            await kill(proc, "a", "exception")
            await trio.sleep(5.5)
        assert node.resolve(sup) is not None
        await kill(proc, "a", "exception")
        await kill(proc, "a", "exception")
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert recorder.restarted() == ["a"] * 5
    assert isinstance(exit_event.error, actorkit.RestartLimitError)


async def test_intensity_counts_one_per_failure_in_a_group_restart(node: actorkit.Node) -> None:
    sup_spec = actorkit.Supervisor(
        [spec("a"), spec("b"), spec("c")],
        strategy="one_for_all",
        max_restarts=2,
        backoff=NO_BACKOFF,
    )
    recorder = Recorder().attach(node)
    async with node.process() as proc:
        sup = await proc.spawn(sup_spec, name="sup", monitor=True)
        await actorkit.SupervisorClient(proc, "sup").which_children()
        await kill(proc, "a", "exception")
        await kill(proc, "c", "exception")
        assert node.resolve(sup) is not None
        assert len(recorder.restarts) == 6
        await kill(proc, "b", "exception")
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert isinstance(exit_event.error, actorkit.RestartLimitError)
    assert exit_event.error.child == "b"


async def test_failure_of_the_given_up_supervisor_reaches_its_linked_parent(
    node: actorkit.Node,
) -> None:
    async with node.process(trap_links=True) as proc:
        sup = await proc.spawn(limited(0), link=True, name="sup")
        await actorkit.SupervisorClient(proc, "sup").which_children()
        await kill(proc, "c", "exception")
        down = await proc.receive(kind=actorkit.LinkDown)
    assert down.pid == sup
    assert isinstance(down.error, actorkit.RestartLimitError)
