"""Replay after a restart: completed commands are not run again, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import actorkit
from actorkit.modules import workflow

from ._wf import COUNTS, Place, call, counting, node_on, result, when

ACTIVITIES = {name: counting(name) for name in ("reserve", "charge", "ready", "ship")}


async def order(proc: actorkit.Process, item: str) -> dict[str, Any]:
    key = await workflow.uuid4(proc)
    reserved = await proc.call(workflow.Call("reserve", (item,)))
    charged = await proc.call(workflow.Call("charge", (item, 5)))
    await proc.call(workflow.Call("ready"))
    go = await proc.call(workflow.Receive("go"))
    await proc.call(workflow.Call("ship", (go,)))
    return {"key": key, "reserved": reserved, "charged": charged, "go": go}


WORKFLOWS = {"order": order}


async def test_a_restarted_node_resumes_without_running_done_activities_again(
    place: Place,
) -> None:
    ready = when("ready")
    async with node_on(place, WORKFLOWS, ACTIVITIES) as node:
        info = await call(node, workflow.Start("order-1", "order", ("tea",)))
        assert (info.status, info.run, info.workflow) == ("running", 1, "order")
        await ready.wait()
    assert dict(COUNTS) == {"reserve": 1, "charge": 1, "ready": 1}

    async with node_on(place, WORKFLOWS, ACTIVITIES) as node:  # resumed at start
        await call(node, workflow.Signal("order-1", "go", "by boat"))
        done = await result(node, "order-1")
    assert done["reserved"] == ["tea"]
    assert done["charged"] == ["tea", 5]
    assert done["go"] == "by boat"
    assert COUNTS["reserve"] == 1 and COUNTS["charge"] == 1 and COUNTS["ship"] == 1
    assert COUNTS["ready"] <= 2  # its entry may not have been written when the node closed


async def test_start_is_idempotent_by_workflow_id(place: Place) -> None:
    async with node_on(place, WORKFLOWS, ACTIVITIES) as node:
        first = await call(node, workflow.Start("order-2", "order", ("cake",)))
        again = await call(node, workflow.Start("order-2", "order", ("other",)))
        assert first.workflow_id == again.workflow_id == "order-2"
        await call(node, workflow.Signal("order-2", "go", 1))
        done = await result(node, "order-2")
        after = await call(node, workflow.Start("order-2", "order", ("x",)))
    assert done["reserved"] == ["cake"]
    assert COUNTS["reserve"] == 1
    assert (after.status, after.result) == ("completed", done)
