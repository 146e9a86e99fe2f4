"""Cooperative scheduling: a process draining a full mailbox yields every N events."""

from __future__ import annotations

import itertools
from typing import cast

import trio

import actorkit
from actorkit._core._proc_state import REDUCTIONS
from actorkit.testing import open_test_node

COUNT = 1000


async def drain_with_receive(proc: actorkit.Process, progress: list[int]) -> list[int]:
    seen: list[int] = []
    for _ in range(COUNT):
        await proc.receive()
        seen.append(progress[0])
    return seen


async def drain_with_messages(proc: actorkit.Process, progress: list[int]) -> list[int]:
    seen: list[int] = []
    async for msg in proc.messages():
        seen.append(progress[0])
        if msg.topic == "last":
            break
    return seen


async def count_forever(progress: list[int]) -> None:
    while True:
        progress[0] += 1
        await trio.lowlevel.checkpoint()


def fill(node: actorkit.Node, pid: actorkit.PID) -> None:
    for number in range(COUNT - 1):
        node.send_nowait(pid, "n", number)
    node.send_nowait(pid, "last", None)


async def test_scheduling_receive_loop_lets_others_run(node: actorkit.Node) -> None:
    progress = [0]
    pid = node.spawn(drain_with_receive, progress, mailbox_size=COUNT)
    seen = await _run_beside_counter(node, pid, progress)
    assert_counter_kept_running(seen)


async def test_scheduling_messages_loop_lets_others_run(node: actorkit.Node) -> None:
    progress = [0]
    pid = node.spawn(drain_with_messages, progress, mailbox_size=COUNT)
    seen = await _run_beside_counter(node, pid, progress)
    assert_counter_kept_running(seen)


def assert_counter_kept_running(seen: list[int]) -> None:
    """The other task ran at least once every two budgets of events.

    Trio runs each batch of runnable tasks in a random order, so the counter may run just
    before one budget and just after the next: the same value can cover 2 x REDUCTIONS events.
    Without the budget a single value would cover all of them.
    """
    assert len(seen) == COUNT
    longest = max(len(list(run)) for _, run in itertools.groupby(seen))
    assert longest <= 2 * REDUCTIONS
    assert seen[-1] > seen[0]


async def _run_beside_counter(
    node: actorkit.Node, pid: actorkit.PID, progress: list[int]
) -> list[int]:
    fill(node, pid)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(count_forever, progress)
        exit_event = await node.wait(pid)
        nursery.cancel_scope.cancel()
    return cast("list[int]", exit_event.result)


async def test_scheduling_two_busy_processes_interleave(node: actorkit.Node) -> None:
    log: list[str] = []

    async def busy(proc: actorkit.Process, label: str) -> None:
        for _ in range(COUNT):
            await proc.receive()
            log.append(label)

    first = node.spawn(busy, "a", mailbox_size=COUNT)
    second = node.spawn(busy, "b", mailbox_size=COUNT)
    fill(node, first)
    fill(node, second)
    await node.wait(first)
    await node.wait(second)
    longest = max(len(list(run)) for _, run in itertools.groupby(log))
    assert longest <= 2 * REDUCTIONS


@actorkit.command(id=65010)
class Nop(actorkit.Command[int]):
    """Completes inline (the handler answers at once)."""


def _nop(ctx: actorkit.HandlerContext, cmd: Nop, tag: int, receiver: actorkit.Receiver) -> None:
    receiver.complete_yield(tag, 1, None)


NOP = actorkit.handlers("nop", {Nop: _nop})


async def call_in_a_loop(proc: actorkit.Process, progress: list[int]) -> list[int]:
    seen: list[int] = []
    for _ in range(COUNT):
        await proc.call(Nop())
        seen.append(progress[0])
    return seen


async def test_scheduling_inline_calls_let_others_run_once_per_budget() -> None:
    """A call that completes inline spends a reduction: a loop of them lets the others run
    at least once every two budgets, and not on every call."""
    progress = [0]
    async with open_test_node(modules=[NOP]) as node:
        pid = node.spawn(call_in_a_loop, progress)
        async with trio.open_nursery() as nursery:
            nursery.start_soon(count_forever, progress)
            seen = cast("list[int]", (await node.wait(pid)).result)
            nursery.cancel_scope.cancel()
    assert_counter_kept_running(seen)
    # it yielded about once per budget (COUNT / REDUCTIONS times), not on every call
    assert len(set(seen)) < COUNT // 8


async def test_scheduling_an_inline_call_is_a_cancel_point_every_time() -> None:
    """Cancelled while its budget is far from spent, the next call still raises Cancelled."""
    async with (
        open_test_node(modules=[NOP]) as node,
        node.process() as proc,
    ):
        await proc.call(Nop())  # the budget is now REDUCTIONS - 1, no yield due
        with trio.CancelScope() as scope:
            scope.cancel()
            await proc.call(Nop())
            raise AssertionError("a cancelled call returned")
        assert scope.cancelled_caught
