"""Requests to a supervisor whose child keeps failing to start (a restart loop).

Ported from Erlang/OTP's ``supervisor_SUITE`` (``hanging_restart_loop``,
``hanging_restart_loop_rest_for_one``): a child ``b`` cannot start (its name is taken), so
its group backs off and retries. Stopping ``b`` by hand then holds the siblings that were
stopped with it: they stay down until ``b`` is restarted, as in OTP.
"""

from __future__ import annotations

from typing import Literal

import pytest
import trio
import trio.testing

import actorkit

from .supervision_kit import Recorder, kill, live, spec, stubborn

Strategy = Literal["one_for_one", "one_for_all", "rest_for_one"]
Group = Literal["one_for_all", "rest_for_one"]
GROUPS: tuple[Group, ...] = ("one_for_all", "rest_for_one")
HELD = {"one_for_all": ["a", "c"], "rest_for_one": ["c"]}  # stopped with b, held by b
LOOP = actorkit.Backoff(initial=1.0, factor=2.0, max=4.0, jitter=0.0)


def abc(strategy: Strategy) -> actorkit.Supervisor:
    children = [spec("a"), spec("b"), spec("c")]
    return actorkit.Supervisor(children, strategy=strategy, backoff=LOOP, max_restarts=100)


async def statuses(client: actorkit.SupervisorClient) -> dict[str, str]:
    return {info.id: info.status for info in await client.which_children()}


async def restart_loop(
    node: actorkit.Node, proc: actorkit.Process, strategy: Strategy
) -> tuple[actorkit.SupervisorClient, actorkit.PID]:
    """Start a, b, c; crash b and take its name so that every restart of b fails.

    Returns the client and the PID of the process squatting b's name.
    """
    node.spawn(abc(strategy), name="sup")
    client = actorkit.SupervisorClient(proc, "sup")
    await client.which_children()
    await kill(proc, "b", "exception")
    squatter = await proc.spawn(stubborn, 0.0, name="b")
    await trio.sleep(9.5)  # b's group fails to restart at 1, 3 and 7 s; next try at 11 s
    return client, squatter


async def free_the_name(proc: actorkit.Process, squatter: actorkit.PID) -> None:
    await proc.terminate(squatter)
    await trio.testing.wait_all_tasks_blocked()


@pytest.mark.parametrize("strategy", GROUPS)
async def test_restart_loop_retries_the_group_while_answering(
    node: actorkit.Node, strategy: Group
) -> None:
    async with node.process() as proc:
        client, _ = await restart_loop(node, proc, strategy)
        status = await statuses(client)
        with pytest.raises(actorkit.SupervisorError, match="'b' is restarting"):
            await client.restart_child("b")
        with pytest.raises(actorkit.SupervisorError, match="'b' is restarting"):
            await client.delete_child("b")
    assert status == {"a": "running", "b": "restarting", "c": "restarting"} | {
        sibling: "restarting" for sibling in HELD[strategy]
    }


@pytest.mark.parametrize("strategy", GROUPS)
async def test_terminate_child_in_a_restart_loop_holds_its_siblings(
    node: actorkit.Node, strategy: Group
) -> None:
    recorder = Recorder().attach(node)
    async with node.process() as proc:
        client, squatter = await restart_loop(node, proc, strategy)
        a_before = node.whereis("a")
        before = len(recorder.restarts)  # one_for_all restarts a at every try
        await client.terminate_child("b")
        await free_the_name(proc, squatter)  # b could start now, but nobody asks it to
        await trio.sleep(100.0)  # long past every backoff
        status = await statuses(client)
        running = {node.resolve(pid).name for pid in live(node)}  # type: ignore[union-attr]
    held = HELD[strategy]
    assert status == {"a": "running", "b": "stopped", "c": "stopped"} | dict.fromkeys(
        held, "stopped"
    )
    assert running == {"sup"} | ({"a"} if "a" not in held else set())
    assert len(recorder.restarts) == before
    if "a" not in held:
        assert node.whereis("a") == a_before  # rest_for_one: a was never touched


@pytest.mark.parametrize("strategy", GROUPS)
async def test_restart_child_brings_back_the_held_siblings_in_start_order(
    node: actorkit.Node, strategy: Group
) -> None:
    async with node.process() as proc:
        client, squatter = await restart_loop(node, proc, strategy)
        await client.terminate_child("b")
        await free_the_name(proc, squatter)
        b = await client.restart_child("b")
        children = await client.which_children()
    assert [(c.id, c.status) for c in children] == [(k, "running") for k in "abc"]
    assert children[1].pid == b
    restarted = [c.pid for c in children if c.id in (*HELD[strategy], "b")]
    assert restarted == sorted(restarted, key=lambda pid: pid.serial)  # type: ignore[union-attr]


async def test_restart_child_that_cannot_start_a_held_sibling_changes_nothing(
    node: actorkit.Node,
) -> None:
    async with node.process() as proc:
        client, squatter = await restart_loop(node, proc, "one_for_all")
        await client.terminate_child("b")
        await free_the_name(proc, squatter)
        await proc.spawn(stubborn, 0.0, name="c")  # now c cannot start
        with pytest.raises(actorkit.NameTakenError):
            await client.restart_child("b")
        status = await statuses(client)
        assert live(node) == {node.whereis("sup"), node.whereis("c")}
        await proc.terminate("c")
        await client.restart_child("b")  # b still holds a and c
        after = await statuses(client)
    assert status == {"a": "stopped", "b": "stopped", "c": "stopped"}
    assert after == {"a": "running", "b": "running", "c": "running"}


@pytest.mark.parametrize("strategy", GROUPS)
async def test_delete_child_in_a_restart_loop_leaves_the_siblings_stopped(
    node: actorkit.Node, strategy: Group
) -> None:
    async with node.process() as proc:
        client, squatter = await restart_loop(node, proc, strategy)
        await client.terminate_child("b")
        await free_the_name(proc, squatter)
        await client.delete_child("b")
        await trio.sleep(100.0)
        status = await statuses(client)
        await client.start_child(spec("b"))  # a new b does not inherit the hold
        await client.restart_child("c")  # a held sibling can be restarted on its own
        after = await statuses(client)
    held = HELD[strategy]
    assert status == {"a": "running", "c": "stopped"} | dict.fromkeys(held, "stopped")
    assert after == {"a": "running", "b": "running", "c": "running"} | dict.fromkeys(
        [h for h in held if h != "c"], "stopped"
    )


async def test_terminate_child_during_the_first_backoff_holds_the_siblings(
    node: actorkit.Node,
) -> None:
    recorder = Recorder().attach(node)
    node.spawn(abc("rest_for_one"), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        await client.which_children()
        await kill(proc, "b", "exception")  # b and c back off for 1 s
        await client.terminate_child("b")
        await trio.sleep(10.0)
        status = await statuses(client)
    assert status == {"a": "running", "b": "stopped", "c": "stopped"}
    assert recorder.restarts == []


async def test_terminate_child_of_a_sibling_in_the_loop_holds_nothing(
    node: actorkit.Node,
) -> None:
    async with node.process() as proc:
        client, squatter = await restart_loop(node, proc, "rest_for_one")
        await client.terminate_child("c")  # c only waits for b: b keeps retrying
        await free_the_name(proc, squatter)
        await trio.sleep(10.0)
        status = await statuses(client)
    assert status == {"a": "running", "b": "running", "c": "stopped"}


async def test_one_for_one_terminate_child_in_a_restart_loop_stops_only_it(
    node: actorkit.Node,
) -> None:
    async with node.process() as proc:
        client, squatter = await restart_loop(node, proc, "one_for_one")
        assert await statuses(client) == {"a": "running", "b": "restarting", "c": "running"}
        await client.terminate_child("b")
        await free_the_name(proc, squatter)
        await trio.sleep(100.0)
        status = await statuses(client)
        b = await client.restart_child("b")
    assert status == {"a": "running", "b": "stopped", "c": "running"}
    assert node.whereis("b") == b
