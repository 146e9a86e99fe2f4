"""Mailbox messages a workflow takes with ``workflow.receive`` are journaled: after a
restart the replay sees the same messages in the same order, though the mailbox they came
from died with the first process."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
import trio
import trio.testing

import actorkit
from actorkit.modules import workflow
from actorkit.modules.workflow.codec import decode, encode

from ._wf import COUNTS, Place, call, counting, node_on, result


async def inbox(proc: actorkit.Process, n: int) -> list[Any]:
    got: list[Any] = []
    for _ in range(n):
        msg = await workflow.receive(proc, "item")
        got.append([msg.topic, msg.payload, isinstance(msg.sender, actorkit.PID)])
        await proc.call(workflow.Call("seen", (msg.payload,)))
    await proc.call(workflow.Receive("finish"))  # parks it: the node stops here
    return got


FLOWS = {"inbox": inbox}
HANG_GUARD = 60.0  # seconds: only a broken replay reaches it
ACTS = {"seen": counting("seen")}


async def pid_of(node: actorkit.Node, workflow_id: str) -> actorkit.PID:
    """The process running the workflow, once it runs."""
    while True:
        info: workflow.WorkflowInfo = await call(node, workflow.Describe(workflow_id))
        if info.pid is not None:
            return info.pid
        await trio.testing.wait_all_tasks_blocked()


async def until_calls(place: Place, workflow_id: str, n: int) -> None:
    """Wait until the workflow has journaled ``n`` Calls (polled in a thread)."""
    text = (
        "SELECT count(*) FROM actorkit_journal "
        f"WHERE workflow_id = '{workflow_id}' AND command LIKE 'Call%'"
    )
    status = f"SELECT status FROM actorkit_workflows WHERE id = '{workflow_id}'"
    while await trio.to_thread.run_sync(place.scalar, text) < n:
        assert await trio.to_thread.run_sync(place.scalar, status) == "running"
        await trio.lowlevel.checkpoint()


async def test_messages_are_replayed_in_order_after_a_restart(place: Place) -> None:
    async with node_on(place, FLOWS, ACTS) as node:
        await call(node, workflow.Start("w-1", "inbox", (3,)))
        pid = await pid_of(node, "w-1")
        async with node.process() as proc:
            await proc.send(pid, "noise", 0)  # another topic: left in the mailbox
            for payload in ("a", {"b": [1, 2]}, ("c",)):
                await proc.send(pid, "item", payload)
        await until_calls(place, "w-1", 3)
    assert COUNTS["seen"] == 3
    async with node_on(place, FLOWS, ACTS) as node:
        await call(node, workflow.Signal("w-1", "finish"))
        with trio.fail_after(HANG_GUARD):  # a replay that waits for the mailbox hangs
            got = await result(node, "w-1")
    items = [["item", "a", True], ["item", {"b": [1, 2]}, True], ["item", ("c",), True]]
    assert got == items
    assert COUNTS["seen"] == 3  # replayed, not run again
    mailbox = "SELECT count(*) FROM actorkit_journal WHERE command LIKE '%mailbox ''item''%'"
    assert place.scalar(mailbox) == 3


async def test_receive_outside_a_workflow_is_a_plain_receive(sqlite_place: Place) -> None:
    async with node_on(sqlite_place, FLOWS) as node, node.process() as proc:
        await proc.send(proc.pid, "item", 7)
        msg = await workflow.receive(proc, "item")
        assert (msg.topic, msg.payload, msg.sender) == ("item", 7, proc.pid)
        with pytest.raises(trio.TooSlowError):
            await workflow.receive(proc, "item", timeout=0)


def test_pids_round_trip_through_the_journal_alone_and_inside_attrs_values() -> None:
    pid = actorkit.PID("n", 3, 2)
    info = workflow.WorkflowInfo("w", "inbox", "running", 1, {}, pid=pid)
    for value in (pid, [pid, None], info, attrs.evolve(info, pid=None)):
        assert decode(encode(value, "test")) == value
