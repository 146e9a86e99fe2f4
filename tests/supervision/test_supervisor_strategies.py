"""Strategies and restart types: exactly which children restart, in which order, no leaks."""

from __future__ import annotations

from typing import Literal

import pytest
import trio.testing

import actorkit

from .supervision_kit import KILLS, NO_BACKOFF, How, Recorder, kill, live, pids, spec

Strategy = Literal["one_for_one", "one_for_all", "rest_for_one"]


def child_exits(recorder: Recorder) -> list[str]:
    return [name for name in recorder.exits if name in ("a", "b", "c")]


def abc(strategy: Strategy) -> actorkit.Supervisor:
    return actorkit.Supervisor(
        [spec("a"), spec("b"), spec("c")], strategy=strategy, backoff=NO_BACKOFF
    )


async def crash_b(
    node: actorkit.Node, strategy: Strategy, how: How
) -> tuple[dict[str, actorkit.PID | None], dict[str, actorkit.PID | None], Recorder]:
    """Start a/b/c under ``strategy``, kill b, and return the PIDs before and after."""
    node.spawn(abc(strategy), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        before = await pids(client)
        count = len(live(node))
        recorder = Recorder().attach(node)
        await kill(proc, "b", how)
        after = await pids(client)
        assert len(live(node)) == count, "a process leaked or went missing"
    return before, after, recorder


@pytest.mark.parametrize("how", KILLS)
async def test_one_for_one_restarts_only_the_failed_child(node: actorkit.Node, how: How) -> None:
    before, after, recorder = await crash_b(node, "one_for_one", how)
    assert after["a"] == before["a"]
    assert after["c"] == before["c"]
    assert after["b"] not in (None, before["b"])
    assert recorder.restarted() == ["b"]
    assert child_exits(recorder) == ["b"]


@pytest.mark.parametrize("how", KILLS)
async def test_one_for_all_restarts_every_child_in_start_order(
    node: actorkit.Node, how: How
) -> None:
    before, after, recorder = await crash_b(node, "one_for_all", how)
    assert all(after[c] not in (None, before[c]) for c in "abc")
    assert recorder.restarted() == ["a", "b", "c"]
    assert [r.cause for r in recorder.restarts] == ["b", "b", "b"]
    assert child_exits(recorder) == ["b", "c", "a"]  # siblings stopped in reverse start order


@pytest.mark.parametrize("how", KILLS)
async def test_rest_for_one_restarts_the_failed_child_and_later_ones(
    node: actorkit.Node, how: How
) -> None:
    before, after, recorder = await crash_b(node, "rest_for_one", how)
    assert after["a"] == before["a"]
    assert after["b"] not in (None, before["b"])
    assert after["c"] not in (None, before["c"])
    assert recorder.restarted() == ["b", "c"]
    assert [r.reason for r in recorder.restarts][1] == "shutdown"
    assert child_exits(recorder) == ["b", "c"]


async def test_rest_for_one_failure_of_the_last_child_restarts_only_it(
    node: actorkit.Node,
) -> None:
    node.spawn(abc("rest_for_one"), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        before = await pids(client)
        recorder = Recorder().attach(node)
        await kill(proc, "c", "exception")
        after = await pids(client)
    assert recorder.restarted() == ["c"]
    assert after["a"] == before["a"]
    assert after["b"] == before["b"]


@pytest.mark.parametrize("how", KILLS)
async def test_restart_reason_names_how_the_child_died(node: actorkit.Node, how: How) -> None:
    _, _, recorder = await crash_b(node, "one_for_one", how)
    expected = {"exception": "error", "terminate": "terminated", "linked": "linked"}
    assert recorder.restarts[0].reason == expected[how]


# -- restart types -------------------------------------------------------------------------


async def run_child(
    node: actorkit.Node, child: actorkit.ChildSpec, action: str
) -> tuple[list[actorkit.ChildInfo], Recorder]:
    """Supervise one child, make it ``crash`` / ``stop`` / ``cancel``; report the children."""
    node.spawn(actorkit.Supervisor([child], backoff=NO_BACKOFF), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        await client.which_children()
        recorder = Recorder().attach(node)
        if action == "cancel":
            await proc.cancel(child.id, "asked to stop")
        else:
            await proc.send(child.id, action)
        await trio.testing.wait_all_tasks_blocked()
        return await client.which_children(), recorder


@pytest.mark.parametrize("action", ["crash", "stop", "cancel"])
async def test_permanent_child_is_restarted_however_it_ends(
    node: actorkit.Node, action: str
) -> None:
    children, recorder = await run_child(node, spec("w", "permanent"), action)
    assert children[0].status == "running"
    assert recorder.restarted() == ["w"]


async def test_transient_child_is_restarted_after_a_crash(node: actorkit.Node) -> None:
    children, recorder = await run_child(node, spec("w", "transient"), "crash")
    assert children[0].status == "running"
    assert recorder.restarted() == ["w"]


@pytest.mark.parametrize("action", ["stop", "cancel"])
async def test_transient_child_ending_normally_stays_stopped(
    node: actorkit.Node, action: str
) -> None:
    children, recorder = await run_child(node, spec("w", "transient"), action)
    assert [(c.id, c.status, c.pid) for c in children] == [("w", "stopped", None)]
    assert recorder.restarted() == []
    assert node.whereis("w") is None


@pytest.mark.parametrize("action", ["crash", "stop", "cancel"])
async def test_temporary_child_is_never_restarted_and_is_forgotten(
    node: actorkit.Node, action: str
) -> None:
    children, recorder = await run_child(node, spec("w", "temporary"), action)
    assert children == []
    assert recorder.restarted() == []
    assert node.whereis("w") is None


async def test_temporary_sibling_is_dropped_by_a_group_restart(node: actorkit.Node) -> None:
    sup = actorkit.Supervisor(
        [spec("a"), spec("t", "temporary"), spec("c")],
        strategy="one_for_all",
        backoff=NO_BACKOFF,
    )
    node.spawn(sup, name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        await client.which_children()
        recorder = Recorder().attach(node)
        await kill(proc, "c", "exception")
        children = await client.which_children()
    assert [c.id for c in children] == ["a", "c"]
    assert recorder.restarted() == ["a", "c"]
    assert node.whereis("t") is None


async def test_stopped_sibling_stays_stopped_in_a_group_restart(node: actorkit.Node) -> None:
    sup = actorkit.Supervisor(
        [spec("a"), spec("t", "transient"), spec("c")],
        strategy="one_for_all",
        backoff=NO_BACKOFF,
    )
    node.spawn(sup, name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        await client.which_children()
        await proc.send("t", "stop")
        await trio.testing.wait_all_tasks_blocked()
        recorder = Recorder().attach(node)
        await kill(proc, "a", "exception")
        children = await client.which_children()
    assert [(c.id, c.status) for c in children] == [
        ("a", "running"),
        ("t", "stopped"),
        ("c", "running"),
    ]
    assert recorder.restarted() == ["a", "c"]
