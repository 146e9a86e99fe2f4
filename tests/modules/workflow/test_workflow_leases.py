"""Leases: one node at a time runs a workflow; when its node dies, another takes it over."""

from __future__ import annotations

import math

import pytest
import trio
from trio.testing import MockClock

import actorkit
from actorkit.modules import sql, workflow
from actorkit.modules.workflow import JournalError
from actorkit.modules.workflow.journal import Journal, Row

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


# Lease ends are wall-clock seconds (time.time is about 1.8e9). There a four-byte float
# steps by 128 s, so a lease end stored in one was rounded to the nearest multiple of 128:
# one just past the middle of a step ended about a minute late (the workflow of a dead node
# stayed stuck that long), one just short of it about a minute early (another node could
# take the workflow from a live one).
STEP = 128.0
WALL = 1_796_220_928.0  # a multiple of STEP, in December 2026
SHORT = 2.0  # the lease of the wall-clock tests: the sweep looks often


@pytest.mark.parametrize("into_step", [68.0, 60.0], ids=["past-a-middle", "short-of-a-middle"])
async def test_a_lease_in_wall_clock_seconds_is_held_until_its_end_and_no_longer(
    place: Place, into_step: float
) -> None:
    held_until = WALL + STEP + into_step
    async with node_on(place, FLOWS, ACTS, lease=300.0) as node:  # its sweep stays away
        store = Journal(sql.statements(node, "wf", what="test"))
        await store.create("l-3", "waiter", "[]")
        assert await store.claim("l-3", "dead", WALL, held_until)
        assert not await store.claim("l-3", "b", held_until - 1, held_until + 30)
        assert [r.id for r in await store.unleased(held_until - 1)] == []
        assert [r.id for r in await store.unleased(held_until + 1)] == ["l-3"]
        assert await store.claim("l-3", "b", held_until + 1, held_until + 30)


async def test_a_dead_nodes_lease_in_wall_clock_seconds_is_not_taken_before_its_end(
    autojump_clock: MockClock, place: Place
) -> None:
    def wall() -> float:
        return WALL + trio.current_time()

    ready = when("ready")
    options = {"clock": wall, "lease": SHORT, "poll": SHORT / 4}
    async with node_on(place, FLOWS, ACTS, **options) as a:
        await call(a, workflow.Start("l-4", "waiter"))
        await ready.wait()
    # as if a node that died still held it, up to a time that a step would round down far
    held_until = (math.floor(wall() / STEP) + 1) * STEP + 60.0
    text = f"UPDATE actorkit_workflows SET owner = 'dead', lease_until = {held_until!r}"
    await trio.to_thread.run_sync(execute, place, text)
    async with node_on(place, FLOWS, ACTS, **options) as b:
        await call(b, workflow.Signal("l-4", "go", "b"))
        assert await result(b, "l-4") == "b"
        assert held_until <= wall()  # not before the lease ran out
    assert COUNTS["first"] == 1


# The workflows table as journals made before lease ends were stored in eight bytes have it.
OLD_WORKFLOWS = (
    "CREATE TABLE actorkit_workflows (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
    "args TEXT NOT NULL, run INTEGER NOT NULL, status TEXT NOT NULL, result TEXT, "
    "error TEXT, attrs TEXT NOT NULL, owner TEXT, lease_until REAL, state TEXT)"
)


async def test_an_older_journal_keeps_lease_ends_exactly_once_a_node_started_on_it(
    place: Place,
) -> None:
    await trio.to_thread.run_sync(execute, place, OLD_WORKFLOWS)
    async with node_on(place, FLOWS, ACTS):
        pass
    held_until = WALL + 100.25  # a step would round it to WALL + 128
    text = (
        "INSERT INTO actorkit_workflows (id, name, args, run, status, attrs, owner, "
        f"lease_until) VALUES ('l-5', 'waiter', '[]', 1, 'running', '{{}}', 'dead', "
        f"{held_until!r})"
    )
    await trio.to_thread.run_sync(execute, place, text)
    query = "SELECT lease_until FROM actorkit_workflows WHERE id = 'l-5'"
    assert await trio.to_thread.run_sync(place.scalar, query) == held_until


async def test_the_sweep_goes_on_after_a_look_at_the_journal_failed(
    autojump_clock: MockClock, sqlite_place: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    looks: list[float] = []
    unleased = Journal.unleased

    async def failing_once(self: Journal, now: float) -> list[Row]:
        looks.append(now)
        if len(looks) == 1:
            raise JournalError("the journal is out of reach for a moment")
        return await unleased(self, now)

    monkeypatch.setattr(Journal, "unleased", failing_once)
    options = {"clock": trio.current_time, "lease": LEASE}
    async with node_on(sqlite_place, FLOWS, ACTS, **options):
        await trio.sleep(2.5 * LEASE)  # virtual: the sweep looks at LEASE and 2 * LEASE
    assert len(looks) == 2
