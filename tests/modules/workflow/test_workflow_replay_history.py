"""actorkit.testing.replay_workflow: a history recorded by a real run (on SQLite), saved to
a file, replayed against the same code, changed code and versioned code. Nothing runs."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
import trio
from trio.testing import MockClock

import actorkit
from actorkit.modules import clock, workflow
from actorkit.testing import replay_workflow, saved_history

from ._wf import COUNTS, Place, call, counting, node_on, result, when
from .test_workflow_mailbox import ACTS as MAILBOX_ACTS
from .test_workflow_mailbox import HANG_GUARD, inbox, pid_of, until_calls

ACTS = {name: counting(name) for name in ("reserve", "hold", "ship", "ready")}


async def order(proc: actorkit.Process, item: str) -> dict[str, Any]:
    key = await workflow.uuid4(proc)
    reserved = await proc.call(workflow.Call("reserve", (item,)))
    workflow.publish(proc, {"step": "reserved"})
    await proc.call(clock.Sleep(60.0))
    await proc.call(workflow.Call("ready"))
    go = await proc.call(workflow.Receive("go", timeout=3600.0))
    await proc.call(workflow.Call("ship", (go,)))
    return {"key": key, "reserved": reserved, "go": go}


async def changed(proc: actorkit.Process, item: str) -> dict[str, Any]:
    key = await workflow.uuid4(proc)
    reserved = await proc.call(workflow.Call("hold", (item,)))  # was "reserve"
    await proc.call(clock.Sleep(60.0))
    await proc.call(workflow.Call("ready"))
    go = await proc.call(workflow.Receive("go", timeout=3600.0))
    await proc.call(workflow.Call("ship", (go,)))
    return {"key": key, "reserved": reserved, "go": go}


async def versioned(proc: actorkit.Process, item: str) -> dict[str, Any]:
    key = await workflow.uuid4(proc)
    version = await proc.call(workflow.Version("hold", workflow.DEFAULT_VERSION, 1))
    step = "reserve" if version == workflow.DEFAULT_VERSION else "hold"
    reserved = await proc.call(workflow.Call(step, (item,)))
    await proc.call(clock.Sleep(60.0))
    await proc.call(workflow.Call("ready"))
    go = await proc.call(workflow.Receive("go", timeout=3600.0))
    await proc.call(workflow.Call("ship", (go,)))
    return {"key": key, "reserved": reserved, "go": go}


async def shorter(proc: actorkit.Process, item: str) -> str:
    await workflow.uuid4(proc)
    await proc.call(workflow.Call("reserve", (item,)))
    return "stopped early"


async def swallowing(proc: actorkit.Process, item: str) -> str:
    await workflow.uuid4(proc)
    with contextlib.suppress(workflow.NonDeterminismError):
        await proc.call(workflow.Call("hold", (item,)))
    return "carried on"


OPTIONS = {"clock": trio.current_time}


async def _completed_history(place: Place, workflow_id: str) -> workflow.History:
    async with node_on(place, {"order": order}, ACTS, **OPTIONS) as node:
        await call(node, workflow.Start(workflow_id, "order", ("tea",)))
        await call(node, workflow.Signal(workflow_id, "go", "by boat"))
        await result(node, workflow_id)
    return await saved_history(place.database(), workflow_id)


async def test_a_saved_history_replays_against_the_same_code_running_nothing(
    autojump_clock: MockClock, sqlite_place: Place, tmp_path: Path
) -> None:
    history = await _completed_history(sqlite_place, "h-1")
    assert (history.workflow, history.status, history.run) == ("order", "completed", 1)
    path = tmp_path / "h-1.json"
    history.save(path)
    ran = dict(COUNTS)
    replayed = await replay_workflow(path, order)
    assert dict(COUNTS) == ran  # no activity ran again
    assert replayed.ended and replayed.stopped_at is None
    assert replayed.replayed == len(history.entries)
    assert replayed.result["go"] == "by boat"
    first = workflow.History.load(path).entries[0]
    assert replayed.result["key"] == json.loads(first.result or "null")


async def test_changed_code_fails_naming_the_position_and_both_commands(
    autojump_clock: MockClock, sqlite_place: Place
) -> None:
    history = await _completed_history(sqlite_place, "h-2")
    with pytest.raises(workflow.NonDeterminismError) as caught:
        await replay_workflow(history, changed)
    assert caught.value.position == 1
    assert '"target":"reserve"' in caught.value.journaled
    assert '"target":"hold"' in caught.value.replayed
    assert "position 1" in str(caught.value) and "Call (id=181)" in str(caught.value)
    assert COUNTS["hold"] == 0


async def test_changed_code_guarded_by_a_version_marker_replays(
    autojump_clock: MockClock, sqlite_place: Place
) -> None:
    history = await _completed_history(sqlite_place, "h-3")
    replayed = await replay_workflow(history, versioned)
    assert replayed.ended and replayed.result["go"] == "by boat"
    assert COUNTS["hold"] == 0 and COUNTS["reserve"] == 1


async def test_a_running_history_replays_up_to_its_end_and_stops_there(
    autojump_clock: MockClock, sqlite_place: Place
) -> None:
    ready = when("ready")
    async with node_on(sqlite_place, {"order": order}, ACTS, **OPTIONS) as node:
        await call(node, workflow.Start("h-4", "order", ("tea",)))
        await ready.wait()
    history = await saved_history(sqlite_place.database(), "h-4")
    assert history.status == "running"
    async with node_on(sqlite_place, {}) as node:  # replay in a node of the test's own
        replayed = await replay_workflow(history, order, node=node)
    assert not replayed.ended and replayed.result is None
    assert replayed.stopped_at is not None
    # the Receive's deadline may or may not have been journaled before the node closed
    assert "Receive (id=186)" in replayed.stopped_at or "ready" in replayed.stopped_at
    assert COUNTS["ship"] == 0 and COUNTS["reserve"] == 1


async def test_code_that_ends_before_its_history_is_not_deterministic(
    autojump_clock: MockClock, sqlite_place: Place
) -> None:
    history = await _completed_history(sqlite_place, "h-5")
    with pytest.raises(workflow.NonDeterminismError) as caught:
        await replay_workflow(history, shorter)
    assert caught.value.position == 2
    assert caught.value.replayed == "no command: the workflow ended"


async def test_a_caught_mismatch_still_fails_the_replay(
    autojump_clock: MockClock, sqlite_place: Place
) -> None:
    history = await _completed_history(sqlite_place, "h-6")
    with pytest.raises(workflow.NonDeterminismError):
        await replay_workflow(history, swallowing)


async def test_a_history_round_trips_through_json_and_bad_text_is_refused(
    autojump_clock: MockClock, sqlite_place: Place
) -> None:
    history = await _completed_history(sqlite_place, "h-7")
    assert workflow.History.loads(history.dumps()) == history
    with pytest.raises(workflow.WorkflowArgumentError, match=r"History\.loads"):
        workflow.History.loads('{"format": 1, "workflow_id": "x"}')
    with pytest.raises(workflow.WorkflowArgumentError, match="format must be 1"):
        workflow.History.loads("[]")


async def test_saved_history_of_an_unknown_workflow_is_not_found(sqlite_place: Place) -> None:
    with pytest.raises(workflow.WorkflowNotFoundError):
        await saved_history(sqlite_place.database(), "nobody")


async def test_mailbox_messages_replay_and_the_next_receive_stops_the_replay(
    sqlite_place: Place,
) -> None:
    async with node_on(sqlite_place, {"inbox": inbox}, MAILBOX_ACTS) as node:
        await call(node, workflow.Start("h-8", "inbox", (3,)))
        pid = await pid_of(node, "h-8")
        async with node.process() as proc:
            for payload in ("a", {"b": 2}):
                await proc.send(pid, "item", payload)
        await until_calls(sqlite_place, "h-8", 2)
    history = await saved_history(sqlite_place.database(), "h-8")
    with trio.fail_after(HANG_GUARD):  # a replay that waited for the mailbox would hang
        replayed = await replay_workflow(history, inbox)
    assert (replayed.ended, replayed.replayed) == (False, 4)
    assert replayed.stopped_at is not None and "mailbox 'item'" in replayed.stopped_at
    assert COUNTS["seen"] == 2
