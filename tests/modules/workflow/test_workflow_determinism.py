"""Non-determinism is named; Version markers keep old journals replaying."""

from __future__ import annotations

import actorkit
from actorkit.modules import workflow

from ._wf import COUNTS, Place, call, counting, node_on, when

ACTS = {name: counting(name) for name in ("a", "b", "ready")}


async def old_code(proc: actorkit.Process) -> str:
    await proc.call(workflow.Call("a"))
    await proc.call(workflow.Call("ready"))
    return str(await proc.call(workflow.Receive("go")))


async def changed_code(proc: actorkit.Process) -> str:
    await proc.call(workflow.Call("b"))  # was Call("a") in the journal
    await proc.call(workflow.Call("ready"))
    return str(await proc.call(workflow.Receive("go")))


async def versioned_code(proc: actorkit.Process) -> str:
    version = await proc.call(workflow.Version("use-b", workflow.DEFAULT_VERSION, 1))
    await proc.call(workflow.Call("a" if version == workflow.DEFAULT_VERSION else "b"))
    await proc.call(workflow.Call("ready"))
    return f"v{version}:{await proc.call(workflow.Receive('go'))}"


async def too_new(proc: actorkit.Process) -> int:
    return await proc.call(workflow.Version("use-b", 1, 2))


async def _journal_old_run(place: Place, workflow_id: str) -> None:
    ready = when("ready")
    async with node_on(place, {"flow": old_code}, ACTS) as node:
        await call(node, workflow.Start(workflow_id, "flow"))
        await ready.wait()


async def test_a_changed_command_fails_naming_position_and_both_commands(place: Place) -> None:
    await _journal_old_run(place, "nd-1")
    async with node_on(place, {"flow": changed_code}, ACTS) as node:
        info = await call(node, workflow.Describe("nd-1", wait=True))
    assert info.status == "failed"
    assert info.error is not None
    assert "NonDeterminismError" in info.error
    assert "position 0" in info.error
    assert "Call (id=181)" in info.error
    assert '"target":"a"' in info.error and '"target":"b"' in info.error
    assert COUNTS["b"] == 0  # the changed command never ran


async def test_version_gives_old_runs_the_default_and_new_runs_the_newest(
    sqlite_place: Place,
) -> None:
    await _journal_old_run(sqlite_place, "v-old")
    async with node_on(sqlite_place, {"flow": versioned_code}, ACTS) as node:
        await call(node, workflow.Signal("v-old", "go", "x"))
        await call(node, workflow.Start("v-new", "flow"))
        await call(node, workflow.Signal("v-new", "go", "y"))
        old = await call(node, workflow.Describe("v-old", wait=True))
        new = await call(node, workflow.Describe("v-new", wait=True))
    assert old.result == "v-1:x"
    assert new.result == "v1:y"
    assert COUNTS["a"] == 1 and COUNTS["b"] == 1  # the old run's "a" was not run again


async def test_a_version_outside_the_supported_range_fails(sqlite_place: Place) -> None:
    await _journal_old_run(sqlite_place, "v-range")
    async with node_on(sqlite_place, {"flow": too_new}, ACTS) as node:
        info = await call(node, workflow.Describe("v-range", wait=True))
    assert info.status == "failed"
    assert info.error is not None
    assert "VersionError" in info.error and "'use-b'" in info.error and "1..2" in info.error


async def test_outside_a_workflow_version_is_the_newest(sqlite_place: Place) -> None:
    async with node_on(sqlite_place, {}) as node:
        assert await call(node, workflow.Version("x", 0, 3)) == 3
