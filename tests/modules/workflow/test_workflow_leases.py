"""Leases: one node at a time runs a workflow; when its node dies, another takes it over."""

from __future__ import annotations

import trio
from trio.testing import MockClock

import actorkit
from actorkit.modules import workflow

from ._wf import COUNTS, Place, call, counting, execute, node_on, result, when

LEASE = 10.0


async def waiter(proc: actorkit.Process) -> str:
    await proc.call(workflow.Call("first"))
    await proc.call(workflow.Call("ready"))
    return str(await proc.call(workflow.Receive("go")))


FLOWS = {"waiter": waiter}
ACTS = {name: counting(name) for name in ("first", "ready")}


async def test_two_nodes_run_one_workflow_once(place: Place) -> None:
    ready = when("ready")
    # Real time, and a lease far longer than the test: no takeover can happen.
    options = {"lease": 300.0, "poll": 0.05}
    async with (
        node_on(place, FLOWS, ACTS, **options) as a,
        node_on(place, FLOWS, ACTS, **options) as b,
    ):
        await call(a, workflow.Start("l-1", "waiter"))
        await ready.wait()
        info = await call(b, workflow.Start("l-1", "waiter"))  # B may not run it too
        assert info.status == "running"
        await call(b, workflow.Signal("l-1", "go", "via b"))  # A's Receive sees it
        assert await result(b, "l-1") == "via b"  # and B sees A finish it
    assert COUNTS["first"] == 1 and COUNTS["ready"] == 1


async def test_a_dead_nodes_workflow_is_taken_over_when_its_lease_runs_out(
    autojump_clock: MockClock, place: Place
) -> None:
    ready = when("ready")
    options = {"clock": trio.current_time, "lease": LEASE}
    async with node_on(place, FLOWS, ACTS, **options) as a:
        await call(a, workflow.Start("l-2", "waiter"))
        await ready.wait()
    held_until = trio.current_time() + 6 * LEASE  # as if a node that died still held it
    text = f"UPDATE actorkit_workflows SET owner = 'dead', lease_until = {held_until}"
    await trio.to_thread.run_sync(execute, place, text)
    async with node_on(place, FLOWS, ACTS, **options) as b:
        await call(b, workflow.Signal("l-2", "go", "b"))
        assert await result(b, "l-2") == "b"
        assert trio.current_time() >= held_until  # not before the lease ran out
    assert COUNTS["first"] == 1
