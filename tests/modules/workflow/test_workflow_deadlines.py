"""Receive with a durable timeout (on the autojump clock): the deadline is journaled when
the wait begins, so after a restart the wait goes on only for what is left of it, and a
timeout, once journaled, is replayed as one. Both waits: a signal's ``Receive`` and a
mailbox message's ``workflow.receive``."""

from __future__ import annotations

import math
from typing import Any

import pytest
import trio
from trio.testing import MockClock

import actorkit
from actorkit.modules import workflow
from actorkit.modules.workflow.codec import signature

from ._wf import Place, call, node_on, result, until_journaled

HOUR = 3600.0
DEADLINE = {"signal": "Deadline of Receive", "message": 'SideEffect (id=180) {"fn":"mailbox dead'}


async def wait_signal(proc: actorkit.Process) -> Any:
    return await proc.call(workflow.Receive("go", timeout=HOUR))


async def wait_message(proc: actorkit.Process) -> Any:
    return (await workflow.receive(proc, "go", timeout=HOUR)).payload


WAITS = {"signal": wait_signal, "message": wait_message}


async def waiter(proc: actorkit.Process, how: str) -> tuple[float, Any, float, Any]:
    set_at = await proc.call(workflow.SideEffect(trio.current_time))
    try:
        got = await WAITS[how](proc)
    except trio.TooSlowError:
        got = "timed out"
    woke_at = await proc.call(workflow.SideEffect(trio.current_time))
    after = await proc.call(workflow.Receive("after"))  # parks it until the test says
    return set_at, got, woke_at, after


FLOWS = {"waiter": waiter}
# The autojump clock's time; few looks at the journal while an hour passes (signals are
# sent through the same node, which wakes the wait at once).
OPTIONS: dict[str, Any] = {"clock": trio.current_time, "poll": 600.0}
HOW = pytest.mark.parametrize("how", sorted(WAITS))


async def _start_and_stop(
    clock: MockClock, place: Place, how: str, down: float, *, thaw: bool = True
) -> float:
    """Start the waiter, let half its timeout pass, stop the node, stay down ``down``
    seconds (then let the clock jump again, if ``thaw``); the time the node stopped."""
    clock.autojump_threshold = math.inf  # frozen until the deadline is journaled
    async with node_on(place, FLOWS, **OPTIONS) as node:
        await call(node, workflow.Start("w-1", "waiter", (how,)))
        await until_journaled(place, "w-1", DEADLINE[how])
        clock.jump(HOUR / 2)
    stopped_at = trio.current_time()
    clock.jump(down)
    if thaw:
        clock.autojump_threshold = 0
    return stopped_at


@HOW
async def test_the_wait_after_a_restart_is_what_was_left(
    autojump_clock: MockClock, sqlite_place: Place, how: str
) -> None:
    """Down a quarter of the timeout after half of it passed: the wait ends at the original
    deadline, a quarter after the restart (the clock frozen and moved by hand, since waits on
    the database would let an autojump clock run ahead to the polls' timers)."""
    stopped_at = await _start_and_stop(autojump_clock, sqlite_place, how, HOUR / 4, thaw=False)
    async with node_on(sqlite_place, FLOWS, **OPTIONS) as node:
        await call(node, workflow.Signal("w-1", "after", "done"))
        autojump_clock.jump(HOUR / 4)
        await until_journaled(sqlite_place, "w-1", 'Receive (id=186) {"name":"after"')
        autojump_clock.autojump_threshold = 0
        set_at, got, woke_at, _ = await result(node, "w-1")
    assert got == "timed out"
    assert woke_at == set_at + HOUR  # the original deadline
    assert woke_at < stopped_at + HOUR / 4 + HOUR  # not a fresh hour from the restart


@HOW
async def test_a_deadline_that_passed_while_down_times_out_at_once(
    autojump_clock: MockClock, sqlite_place: Place, how: str
) -> None:
    await _start_and_stop(autojump_clock, sqlite_place, how, 2 * HOUR, thaw=False)
    async with node_on(sqlite_place, FLOWS, **OPTIONS) as node:
        restarted = trio.current_time()
        await call(node, workflow.Signal("w-1", "after", "done"))
        # Frozen until it has woken: no time passes, so "at once" is exact.
        await until_journaled(sqlite_place, "w-1", 'Receive (id=186) {"name":"after"')
        autojump_clock.autojump_threshold = 0
        _, got, woke_at, _ = await result(node, "w-1")
    assert got == "timed out" and woke_at == restarted


async def test_a_signal_within_what_is_left_is_received(
    autojump_clock: MockClock, place: Place
) -> None:
    await _start_and_stop(autojump_clock, place, "signal", HOUR / 4, thaw=False)
    async with node_on(place, FLOWS, **OPTIONS) as node:
        await call(node, workflow.Signal("w-1", "go", "now"))  # sent with the clock frozen
        await call(node, workflow.Signal("w-1", "after", "done"))
        # Thawed once the signal is taken: waits on the database could let the clock run
        # past the deadline between taking it and reading the time after it.
        await until_journaled(place, "w-1", 'Receive (id=186) {"name":"after"')
        autojump_clock.autojump_threshold = 0
        set_at, got, woke_at, after = await result(node, "w-1")
    assert (got, after) == ("now", "done") and woke_at < set_at + HOUR


async def test_a_journaled_timeout_is_replayed_without_waiting(
    autojump_clock: MockClock, sqlite_place: Place
) -> None:
    """Timed out in the first life, stopped while parked on ``after``: the second life
    replays the timeout (the signal sent since does not change it) at once."""
    async with node_on(sqlite_place, FLOWS, **OPTIONS) as node:
        await call(node, workflow.Start("w-1", "waiter", ("signal",)))
        await until_journaled(sqlite_place, "w-1", 'SideEffect (id=180) {"fn":"current_time')
        await until_journaled(sqlite_place, "w-1", "Receive (id=186) {")
    async with node_on(sqlite_place, FLOWS, **OPTIONS) as node:
        await call(node, workflow.Signal("w-1", "go", "late"))
        await call(node, workflow.Signal("w-1", "after", "done"))
        set_at, got, woke_at, _ = await result(node, "w-1")
    assert got == "timed out" and set_at + HOUR <= woke_at
    unconsumed = "SELECT count(*) FROM actorkit_signals WHERE name = 'go' AND consumed IS NULL"
    assert sqlite_place.scalar(unconsumed) == 1


def test_a_receive_without_timeout_keeps_its_journal_signature() -> None:
    """Journals written before ``timeout`` existed still match."""
    assert signature(workflow.Receive("go")) == 'Receive (id=186) {"name":"go"}'
    timed = signature(workflow.Receive("go", timeout=5))
    assert timed == 'Receive (id=186) {"name":"go","timeout":5}'


async def test_bad_timeouts_are_named() -> None:
    with pytest.raises(workflow.WorkflowArgumentError, match=r"Receive \(id=186\): timeout"):
        workflow.Receive("go", timeout=-1)
    with pytest.raises(ValueError, match=r"workflow.receive: timeout"):
        await workflow.receive(NO_PROCESS, "go", timeout=-1.0)
    with pytest.raises(ValueError, match=r"workflow.receive: topic"):
        await workflow.receive(NO_PROCESS, "")


NO_PROCESS: Any = None  # the arguments are checked first
