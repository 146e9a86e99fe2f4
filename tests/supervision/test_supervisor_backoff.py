"""Backoff before restarts, on the autojump clock; the stable period; staying responsive."""

from __future__ import annotations

import random

import pytest
import trio

import actorkit

from .supervision_kit import Recorder, crasher, kill, live, spec, stubborn

STEADY = actorkit.Backoff(initial=1.0, factor=2.0, max=5.0, jitter=0.0)


def crash_loop(backoff: actorkit.Backoff, stable: float = 100.0) -> actorkit.Supervisor:
    return actorkit.Supervisor(
        [actorkit.ChildSpec("c", crasher)],
        backoff=backoff,
        stable_period=stable,
        max_restarts=100,
        period=1.0,
    )


async def test_backoff_grows_exponentially_up_to_its_max(node: actorkit.Node) -> None:
    recorder = Recorder().attach(node)
    start = trio.current_time()
    node.spawn(crash_loop(STEADY), name="sup")
    await trio.sleep(30.0)
    times = [round(r.time - start, 6) for r in recorder.restarts]
    assert times[:6] == [1.0, 3.0, 7.0, 12.0, 17.0, 22.0]
    assert [r.delay for r in recorder.restarts[:5]] == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert [r.attempt for r in recorder.restarts[:4]] == [1, 2, 3, 4]


async def test_backoff_jitter_stays_within_its_fraction(node: actorkit.Node) -> None:
    recorder = Recorder().attach(node)
    backoff = actorkit.Backoff(initial=1.0, factor=2.0, max=90.0, jitter=0.1)
    node.spawn(crash_loop(backoff), name="sup")
    await trio.sleep(200.0)
    delays = [r.delay for r in recorder.restarts]
    assert len(delays) >= 6
    for attempt, delay in enumerate(delays, start=1):  # attempts count from 1
        base = min(90.0, 2.0 ** (attempt - 1))
        assert base * 0.9 <= delay <= min(90.0, base * 1.1)
    assert len(set(delays)) == len(delays)  # jittered, not a fixed schedule


async def test_wippy_defaults_first_restart_after_about_a_second(node: actorkit.Node) -> None:
    recorder = Recorder().attach(node)
    start = trio.current_time()
    node.spawn(actorkit.Supervisor([spec("w")]), name="sup")
    async with node.process() as proc:
        await actorkit.SupervisorClient(proc, "sup").which_children()
        await kill(proc, "w", "exception")
        assert recorder.restarts == []
        await trio.sleep(1.2)
    assert len(recorder.restarts) == 1
    assert 0.9 <= recorder.restarts[0].time - start <= 1.1


async def test_stable_period_resets_the_backoff(node: actorkit.Node) -> None:
    recorder = Recorder().attach(node)
    sup = actorkit.Supervisor([spec("w")], backoff=STEADY, stable_period=5.0, max_restarts=10)
    node.spawn(sup, name="sup")
    async with node.process() as proc:
        await actorkit.SupervisorClient(proc, "sup").which_children()
        for _ in range(3):  # quick failures: 1, 2, 4 s
            await kill(proc, "w", "exception")
            await trio.sleep(4.5)
        await trio.sleep(6.0)  # runs longer than the stable period
        await kill(proc, "w", "exception")
        await trio.sleep(1.5)
    assert [r.delay for r in recorder.restarts] == [1.0, 2.0, 4.0, 1.0]
    assert [r.attempt for r in recorder.restarts] == [1, 2, 3, 1]


async def test_supervisor_answers_requests_while_backing_off(node: actorkit.Node) -> None:
    sup = actorkit.Supervisor([spec("w")], backoff=actorkit.Backoff(initial=30.0, jitter=0))
    node.spawn(sup, name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        await client.which_children()
        await kill(proc, "w", "exception")
        before = trio.current_time()
        children = await client.which_children()
        extra = await client.start_child(spec("x"))
        assert trio.current_time() == before
        assert [(c.id, c.status) for c in children] == [("w", "restarting")]
        assert node.resolve(extra) is not None
        await trio.sleep(30.0)
        children = await client.which_children()
    assert [(c.id, c.status) for c in children] == [("w", "running"), ("x", "running")]


async def test_cancel_during_backoff_stops_at_once_without_restarting(
    node: actorkit.Node,
) -> None:
    recorder = Recorder().attach(node)
    sup_spec = actorkit.Supervisor(
        [spec("a"), spec("b")], backoff=actorkit.Backoff(initial=30.0, jitter=0)
    )
    async with node.process() as proc:
        sup = await proc.spawn(sup_spec, name="sup", monitor=True)
        await actorkit.SupervisorClient(proc, "sup").which_children()
        await kill(proc, "a", "exception")
        before = trio.current_time()
        await proc.cancel(sup, "stop now")
        exit_event = await proc.receive(kind=actorkit.Exit)
        assert trio.current_time() == before
    assert exit_event.reason == "normal"
    assert recorder.restarts == []
    assert live(node) == set()


async def test_terminate_child_drops_a_pending_restart(node: actorkit.Node) -> None:
    recorder = Recorder().attach(node)
    sup = actorkit.Supervisor([spec("w")], backoff=actorkit.Backoff(initial=10.0, jitter=0))
    node.spawn(sup, name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        await client.which_children()
        await kill(proc, "w", "exception")
        await client.terminate_child("w")
        await trio.sleep(20.0)
        children = await client.which_children()
    assert [(c.id, c.status) for c in children] == [("w", "stopped")]
    assert recorder.restarts == []


# -- Backoff on its own --------------------------------------------------------------------


def test_backoff_delay_without_jitter() -> None:
    rng = random.Random(1)
    assert [STEADY.delay(n, rng) for n in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert STEADY.delay(10_000, rng) == 5.0


def test_backoff_disabled_with_initial_zero() -> None:
    assert actorkit.Backoff(initial=0).delay(7, random.Random()) == 0.0


def test_backoff_defaults_are_wippys() -> None:
    assert actorkit.Backoff() == actorkit.Backoff(initial=1.0, max=90.0, factor=2.0, jitter=0.1)


@pytest.mark.parametrize(
    "kwargs", [{"initial": -1.0}, {"max": -1.0}, {"jitter": 1.5}, {"jitter": -0.1}]
)
def test_backoff_rejects_bad_values(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must be"):
        actorkit.Backoff(**kwargs)


async def test_child_that_cannot_start_keeps_growing_its_backoff(node: actorkit.Node) -> None:
    recorder = Recorder().attach(node)
    sup = actorkit.Supervisor([spec("w")], backoff=STEADY, stable_period=5.0, max_restarts=100)
    node.spawn(sup, name="sup")
    async with node.process() as proc:
        await actorkit.SupervisorClient(proc, "sup").which_children()
        await kill(proc, "w", "exception")
        squatter = await proc.spawn(stubborn, 0.0, name="w")  # w fails to start ...
        await trio.sleep(13.5)  # ... at 1, 3, 7 and 12 s: waits never reset by the stable period
        await proc.terminate(squatter)
        await trio.sleep(10.0)
    assert [(r.time, r.delay, r.attempt) for r in recorder.restarts] == [(17.0, 5.0, 5)]
