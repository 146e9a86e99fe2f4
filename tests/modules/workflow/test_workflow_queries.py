"""Queries across nodes: the published state is written to the workflow's row in the
background (a burst of publishes costs one write), so ``Describe`` on any node sharing the
journal returns it."""

from __future__ import annotations

import json

import trio

import actorkit
from actorkit.modules import workflow

from ._wf import Place, call, counting, execute, node_on, result, when

ACTS = {"ready": counting("ready")}
# Real time, and a lease far longer than the test: node A keeps the workflow throughout.
TWO_NODES = {"lease": 300.0, "poll": 0.05}
BURST = 50


async def publisher(proc: actorkit.Process) -> int:
    for count in range(1, BURST + 1):  # no checkpoint between: one write
        workflow.publish(proc, {"count": count})
    await proc.call(workflow.Call("ready"))
    await proc.call(workflow.Receive("go"))
    workflow.publish(proc, {"count": "done"})
    return BURST


async def opaque(proc: actorkit.Process) -> str:
    try:
        workflow.publish(proc, object())
    except workflow.EncodingError as exc:
        return str(exc)
    return "published"


FLOWS = {"publisher": publisher, "opaque": opaque}


async def until_state(
    node: actorkit.Node, workflow_id: str, state: object
) -> workflow.WorkflowInfo:
    """Describe on ``node`` until it returns ``state``: a bounded poll of the workflow's row
    (the write is another node's background work; nothing in this node can wait on it)."""
    with trio.fail_after(60):
        while True:
            info: workflow.WorkflowInfo = await call(node, workflow.Describe(workflow_id))
            if info.state == state:
                return info


async def test_describe_on_another_node_returns_the_published_state(place: Place) -> None:
    ready = when("ready")
    async with (
        node_on(place, FLOWS, ACTS, **TWO_NODES) as a,
        node_on(place, FLOWS, ACTS, **TWO_NODES) as b,
    ):
        await call(a, workflow.Start("q-1", "publisher"))
        await ready.wait()
        local = await call(a, workflow.Describe("q-1"))
        assert (local.state, local.pid is not None) == ({"count": BURST}, True)
        remote = await until_state(b, "q-1", {"count": BURST})
        assert (remote.status, remote.pid) == ("running", None)
        await call(b, workflow.Signal("q-1", "go"))
        assert await result(b, "q-1") == BURST
        ended = await call(b, workflow.Describe("q-1"))
    assert ended.state == {"count": "done"}  # written before the workflow ended


async def test_a_burst_of_publishes_costs_one_write_and_the_latest_wins(
    sqlite_place: Place,
) -> None:
    async with node_on(sqlite_place, FLOWS, ACTS):  # creates the tables
        pass
    execute(sqlite_place, "CREATE TABLE state_writes (state TEXT)")
    execute(
        sqlite_place,
        "CREATE TRIGGER count_writes AFTER UPDATE OF state ON actorkit_workflows "
        "BEGIN INSERT INTO state_writes VALUES (new.state); END",
    )
    async with node_on(sqlite_place, FLOWS, ACTS) as node:
        await call(node, workflow.Start("q-2", "publisher"))
        await call(node, workflow.Signal("q-2", "go"))
        assert await result(node, "q-2") == BURST
    in_order = "SELECT json_group_array(state) FROM (SELECT state FROM state_writes ORDER BY rowid)"
    writes = [json.loads(w) for w in json.loads(sqlite_place.scalar(in_order))]
    assert writes == [{"$d": {"count": BURST}}, {"$d": {"count": "done"}}]


async def test_a_state_that_cannot_be_journaled_is_refused_at_publish(
    sqlite_place: Place,
) -> None:
    async with node_on(sqlite_place, FLOWS, ACTS) as node:
        await call(node, workflow.Start("q-3", "opaque"))
        message = await result(node, "q-3")
    assert "the published state" in message and "object" in message


async def test_a_journal_made_before_states_were_stored_gains_the_column(place: Place) -> None:
    execute(
        place,
        "CREATE TABLE actorkit_workflows (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
        "args TEXT NOT NULL, run INTEGER NOT NULL, status TEXT NOT NULL, result TEXT, "
        "error TEXT, attrs TEXT NOT NULL, owner TEXT, lease_until REAL)",
    )
    async with node_on(place, FLOWS, ACTS) as node:
        await call(node, workflow.Start("q-4", "publisher"))
        await call(node, workflow.Signal("q-4", "go"))
        assert await result(node, "q-4") == BURST
        info = await call(node, workflow.Describe("q-4"))
    assert info.state == {"count": "done"}


async def test_the_last_state_stays_on_the_row_once_ended(sqlite_place: Place) -> None:
    async with node_on(sqlite_place, FLOWS, ACTS) as node:
        await call(node, workflow.Start("q-5", "publisher"))
        await call(node, workflow.Signal("q-5", "go"))
        await result(node, "q-5")
    async with node_on(sqlite_place, FLOWS, ACTS) as node:  # another node, later
        info = await call(node, workflow.Describe("q-5"))
    assert (info.status, info.state) == ("completed", {"count": "done"})


async def refused_first(proc: actorkit.Process) -> int:
    workflow.publish(proc, {"count": "refused"})
    await proc.call(workflow.Call("ready"))
    await proc.call(workflow.Receive("go"))
    workflow.publish(proc, {"count": "kept"})
    return 1


async def test_a_failed_state_write_does_not_stop_the_workflow(sqlite_place: Place) -> None:
    flows = {"refused_first": refused_first}
    async with node_on(sqlite_place, flows, ACTS):  # creates the tables
        pass
    execute(
        sqlite_place,
        "CREATE TRIGGER refuse BEFORE UPDATE OF state ON actorkit_workflows "
        "WHEN new.state LIKE '%refused%' BEGIN SELECT RAISE(ABORT, 'refused'); END",
    )
    ready = when("ready")
    async with node_on(sqlite_place, flows, ACTS, poll=0.05) as node:
        await call(node, workflow.Start("q-6", "refused_first"))
        await ready.wait()
        await call(node, workflow.Signal("q-6", "go"))
        with trio.fail_after(60):  # a run stopped by the failed write would never end
            assert await result(node, "q-6") == 1
    async with node_on(sqlite_place, flows, ACTS) as node:
        info = await call(node, workflow.Describe("q-6"))
    assert (info.status, info.state) == ("completed", {"count": "kept"})
