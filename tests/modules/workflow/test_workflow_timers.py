"""Durable timers (on the autojump clock): a sleep survives a restart and fires at the time
it was first set for, not a full sleep after the restart."""

from __future__ import annotations

import math

import trio
from trio.testing import MockClock

import actorkit
from actorkit.modules import clock, workflow

from ._wf import COUNTS, Place, call, counting, node_on, result, until_journaled

HOUR = 3600.0
# While a journal write waits for the SQLite thread, the autojump clock may jump to the
# next deadlines (lease renewals, polls: seconds apart), so a time read after a write may
# be late by a few of them; a timer slept again in full would be an hour late.
SLACK = HOUR / 4


async def nap(proc: actorkit.Process) -> tuple[float, float]:
    await proc.call(workflow.Call("before"))
    set_at = await proc.call(workflow.SideEffect(trio.current_time))
    await proc.call(clock.Sleep(HOUR))
    woke_at = await proc.call(workflow.SideEffect(trio.current_time))
    await proc.call(workflow.Call("after"))
    return set_at, woke_at


NAP = {"nap": nap}
ACTS = {"before": counting("before"), "after": counting("after")}


async def test_a_timer_fires_at_its_first_time_after_a_restart(
    autojump_clock: MockClock, sqlite_place: Place
) -> None:
    autojump_clock.autojump_threshold = math.inf  # frozen until the timer is journaled
    async with node_on(sqlite_place, NAP, ACTS, clock=trio.current_time) as node:
        await call(node, workflow.Start("nap-1", "nap"))
        await until_journaled(sqlite_place, "nap-1", "Sleep")
        autojump_clock.jump(HOUR / 2)  # half the nap passes, then the node stops
    stopped_at = trio.current_time()
    autojump_clock.jump(HOUR / 4)  # the node is down for a while
    autojump_clock.autojump_threshold = 0
    async with node_on(sqlite_place, NAP, ACTS, clock=trio.current_time) as node:
        set_at, woke_at = await result(node, "nap-1")
    assert set_at + HOUR <= woke_at < set_at + HOUR + SLACK  # the original firing time
    assert woke_at < stopped_at + HOUR
    assert COUNTS["before"] == 1 and COUNTS["after"] == 1


async def test_a_timer_whose_time_passed_while_down_fires_at_once(
    autojump_clock: MockClock, sqlite_place: Place
) -> None:
    autojump_clock.autojump_threshold = math.inf
    async with node_on(sqlite_place, NAP, ACTS, clock=trio.current_time) as node:
        await call(node, workflow.Start("nap-2", "nap"))
        await until_journaled(sqlite_place, "nap-2", "Sleep")
    autojump_clock.jump(2 * HOUR)
    autojump_clock.autojump_threshold = 0
    async with node_on(sqlite_place, NAP, ACTS, clock=trio.current_time) as node:
        restarted = trio.current_time()
        set_at, woke_at = await result(node, "nap-2")
    assert set_at + HOUR < restarted <= woke_at < restarted + SLACK
