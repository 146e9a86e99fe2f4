"""Signals, attributes and lists, cancel, continue-as-new, the history limit, queries."""

from __future__ import annotations

from typing import Any

import pytest

import actorkit
from actorkit import lowlevel
from actorkit.modules import workflow

from ._wf import COUNTS, Place, call, counting, node_on, result, when


async def collector(proc: actorkit.Process, wanted: int) -> list[Any]:
    got: list[Any] = []
    for _ in range(wanted):
        got.append(await proc.call(workflow.Receive("item")))
        workflow.publish(proc, {"got": len(got)})
        await proc.call(workflow.Call("ready"))
    return got


async def tagged(proc: actorkit.Process, region: str) -> str:
    await proc.call(workflow.UpsertAttrs({"region": region, "step": 1}))
    await proc.call(workflow.UpsertAttrs({"step": 2}))
    await proc.call(workflow.Call("upserted"))
    await proc.call(workflow.Receive("never"))
    return "unreachable"


async def counter(proc: actorkit.Process, n: int) -> int:
    await proc.call(workflow.Call("tick"))
    if n < 3:
        raise workflow.ContinueAsNew(n + 1)
    return n


async def chatty(proc: actorkit.Process) -> int:
    for _ in range(20):
        await proc.call(workflow.Call("tick"))
    return 20


async def opaque(proc: actorkit.Process) -> str:
    try:
        await proc.call(workflow.SideEffect(object))
    except workflow.EncodingError as exc:
        return str(exc)
    return "encoded"


FLOWS = {
    "collector": collector,
    "tagged": tagged,
    "counter": counter,
    "chatty": chatty,
    "opaque": opaque,
}
ACTS = {name: counting(name) for name in ("ready", "tick", "upserted")}


async def test_signals_are_delivered_once_across_a_restart(place: Place) -> None:
    ready = when("ready")
    async with node_on(place, FLOWS, ACTS) as node:
        await call(node, workflow.Start("s-1", "collector", (3,)))
        await call(node, workflow.Signal("s-1", "item", "a"))
        await call(node, workflow.Signal("s-1", "item", {"b": 2}))
        await ready.wait()
    async with node_on(place, FLOWS, ACTS) as node:
        await call(node, workflow.Signal("s-1", "item", "c"))
        assert await result(node, "s-1") == ["a", {"b": 2}, "c"]
    assert place.scalar("SELECT count(*) FROM actorkit_signals WHERE consumed IS NULL") == 0


async def test_describe_shows_the_published_state(sqlite_place: Place) -> None:
    ready = when("ready")
    async with node_on(sqlite_place, FLOWS, ACTS) as node:
        await call(node, workflow.Start("q-1", "collector", (2,)))
        await call(node, workflow.Signal("q-1", "item", 1))
        await ready.wait()
        info = await call(node, workflow.Describe("q-1"))
        assert (info.status, info.state) == ("running", {"got": 1})
        await call(node, workflow.Signal("q-1", "item", 2))
        done = await call(node, workflow.Describe("q-1", wait=True))
    assert (done.status, done.result, done.state) == ("completed", [1, 2], {"got": 2})


async def test_attributes_are_merged_and_listed(sqlite_place: Place) -> None:
    async with node_on(sqlite_place, FLOWS, ACTS) as node:
        for wid, region in (("a-1", "eu"), ("a-2", "us"), ("a-3", "eu")):
            await call(node, workflow.Start(wid, "tagged", (region,)))
        while COUNTS["upserted"] < 3:
            await when("upserted").wait()
        assert len(await call(node, workflow.List({"step": 2}))) == 3
        eu = await call(node, workflow.List({"region": "eu"}))
        assert [i.workflow_id for i in eu] == ["a-1", "a-3"]
        assert eu[0].attributes == {"region": "eu", "step": 2}
        assert await call(node, workflow.List({"region": "eu"}, status="completed")) == []


async def test_cancel_stops_a_running_workflow_and_its_process(sqlite_place: Place) -> None:
    async with node_on(sqlite_place, FLOWS, ACTS) as node:
        await call(node, workflow.Start("x-1", "tagged", ("eu",)))
        before = len(lowlevel_processes(node))
        assert await call(node, workflow.Cancel("x-1")) is True
        info = await call(node, workflow.Describe("x-1"))
        assert (info.status, info.error) == ("cancelled", "Cancelled: cancelled by request")
        assert await call(node, workflow.Cancel("x-1")) is False
        assert len(lowlevel_processes(node)) == before - 1
        with pytest.raises(workflow.WorkflowFailedError, match="cancelled"):
            await result(node, "x-1")


def lowlevel_processes(node: actorkit.Node) -> list[str]:
    """The functions of the node's live processes (workflow ones are ``run_workflow``)."""
    found = [lowlevel.lookup(node, p.pid) for p in node.processes()]
    return [r.function for r in found if r is not None and "run_workflow" in r.function]


async def test_continue_as_new_starts_a_fresh_run(sqlite_place: Place) -> None:
    async with node_on(sqlite_place, FLOWS, ACTS) as node:
        await call(node, workflow.Start("n-1", "counter", (1,)))
        assert await result(node, "n-1") == 3
        info = await call(node, workflow.Describe("n-1"))
    assert info.run == 3 and COUNTS["tick"] == 3
    assert sqlite_place.scalar("SELECT count(*) FROM actorkit_journal") == 1  # last run only


async def test_the_history_limit_fails_the_command_past_it(sqlite_place: Place) -> None:
    async with node_on(sqlite_place, FLOWS, ACTS, history_limit=5) as node:
        await call(node, workflow.Start("h-1", "chatty"))
        with pytest.raises(workflow.WorkflowFailedError, match="history limit of 5"):
            await result(node, "h-1")
    assert COUNTS["tick"] == 5


async def test_a_result_that_cannot_be_journaled_is_a_clear_error(sqlite_place: Place) -> None:
    async with node_on(sqlite_place, FLOWS, ACTS) as node:
        await call(node, workflow.Start("e-1", "opaque"))
        message = await result(node, "e-1")
    assert "SideEffect (id=180)" in message and "cannot journal" in message
