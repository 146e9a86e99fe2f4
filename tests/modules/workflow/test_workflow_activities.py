"""Activities: retries with a stable idempotency key, timeouts, commands and child
workflows as activities, and exactly-once writes to the journal's own database."""

from __future__ import annotations

from typing import Any

import pytest
import trio
from trio.testing import MockClock

import actorkit
from actorkit.modules import clock, sql, workflow

from ._wf import COUNTS, Place, arrive, call, counting, node_on, result, until_journaled, when

SEEN: list[tuple[str, int]] = []


async def flaky(act: workflow.Activity, fails: int) -> str:
    SEEN.append((act.key, act.attempt))
    if act.attempt <= fails:
        raise ConnectionError(f"attempt {act.attempt} failed")
    return f"ok after {act.attempt}"


async def slow(act: workflow.Activity) -> str:
    await trio.sleep(10)
    return "late"


@workflow.transactional
async def record(act: workflow.Activity, item: str) -> int:
    arrive("record")
    ph = "?" if act.kind == "sqlite" else "%s"
    await act.execute(f"INSERT INTO orders (key, item) VALUES ({ph}, {ph})", act.key, item)
    rows = await act.query("SELECT count(*) FROM orders")
    return int(rows.scalar())


async def retried(proc: actorkit.Process, fails: int) -> str:
    retry = workflow.Retry(attempts=3, initial=1.0)
    return str(await proc.call(workflow.Call("flaky", (fails,), retry=retry)))


async def timed(proc: actorkit.Process) -> str:
    retry = workflow.Retry(attempts=2, initial=0.5)
    try:
        await proc.call(workflow.Call("slow", retry=retry, timeout=1.0))
    except trio.TooSlowError:
        return "timed out"
    return "no"


async def by_command(proc: actorkit.Process) -> str:
    await proc.call(workflow.Call(clock.Sleep(5)))
    return "slept"


async def parent(proc: actorkit.Process) -> list[Any]:
    child = await proc.call(workflow.Call("child", ("x",), workflow_id="child-of-p"))
    return ["parent", child]


async def child(proc: actorkit.Process, tag: str) -> str:
    await proc.call(workflow.Call("kid"))
    return f"child {tag}"


async def transfer(proc: actorkit.Process) -> int:
    count = await proc.call(workflow.Call("record", ("tea",)))
    await proc.call(workflow.Call("ready"))
    await proc.call(workflow.Receive("go"))
    return int(count)


FLOWS = {
    "retried": retried,
    "timed": timed,
    "by_command": by_command,
    "parent": parent,
    "child": child,
    "transfer": transfer,
}
ACTS = {
    "flaky": flaky,
    "slow": slow,
    "record": record,
    "kid": counting("kid"),
    "ready": counting("ready"),
}


async def test_an_activity_is_retried_with_one_key(
    autojump_clock: MockClock, sqlite_place: Place
) -> None:
    SEEN.clear()
    async with node_on(sqlite_place, FLOWS, ACTS) as node:
        await call(node, workflow.Start("r-1", "retried", (2,)))
        assert await result(node, "r-1") == "ok after 3"
        await call(node, workflow.Start("r-2", "retried", (5,)))
        with pytest.raises(workflow.WorkflowFailedError, match="attempt 3 failed"):
            await result(node, "r-2")
    keys = {key for key, _ in SEEN[:3]}
    assert len(keys) == 1 and next(iter(keys)).startswith("r-1:1:")
    assert [attempt for _, attempt in SEEN] == [1, 2, 3, 1, 2, 3]


async def test_each_attempt_has_its_timeout(autojump_clock: MockClock, sqlite_place: Place) -> None:
    async with node_on(sqlite_place, FLOWS, ACTS) as node:
        await call(node, workflow.Start("t-1", "timed"))
        assert await result(node, "t-1") == "timed out"


async def test_any_command_can_be_an_activity(
    autojump_clock: MockClock, sqlite_place: Place
) -> None:
    async with node_on(sqlite_place, FLOWS, ACTS) as node:
        await call(node, workflow.Start("c-1", "by_command"))
        assert await result(node, "c-1") == "slept"


async def test_a_child_workflow_runs_once_and_returns_its_result(sqlite_place: Place) -> None:
    async with node_on(sqlite_place, FLOWS, ACTS) as node:
        await call(node, workflow.Start("p-1", "parent"))
        assert await result(node, "p-1") == ["parent", "child x"]
        kid = await call(node, workflow.Describe("child-of-p"))
    assert (kid.status, kid.workflow) == ("completed", "child")
    assert COUNTS["kid"] == 1


async def test_a_transactional_activity_writes_exactly_once(place: Place) -> None:
    ready = when("ready")
    text = "CREATE TABLE orders (key TEXT PRIMARY KEY, item TEXT)"
    async with node_on(place, FLOWS, ACTS) as node:
        await call(node, sql.Execute("wf", text))
        await call(node, workflow.Start("tx-1", "transfer"))
        await ready.wait()
    async with node_on(place, FLOWS, ACTS) as node:
        await call(node, workflow.Signal("tx-1", "go"))
        assert await result(node, "tx-1") == 1
    assert COUNTS["record"] == 1
    assert place.scalar("SELECT count(*) FROM orders") == 1
    assert place.scalar("SELECT key FROM orders").startswith("tx-1:1:")


async def failing_activity(act: workflow.Activity) -> str:
    arrive("fails")
    raise ConnectionError(f"attempt {act.attempt} failed")


def boom() -> int:
    arrive("boom")
    raise ValueError("no value today")


async def unlucky(proc: actorkit.Process) -> str:
    caught = ""
    try:
        await proc.call(workflow.SideEffect(boom))
    except ValueError as exc:
        caught = str(exc)
    failing = workflow.Call("fails", retry=workflow.Retry(attempts=1))
    try:
        await proc.call(failing)
    except ConnectionError as exc:
        caught += f"; {exc}"
    await proc.call(workflow.Receive("go"))  # parks it: the node stops here
    return caught


async def test_failures_are_journaled_and_replayed_not_run_again(place: Place) -> None:
    flows, acts = {"unlucky": unlucky}, {"fails": failing_activity}
    async with node_on(place, flows, acts) as node:
        await call(node, workflow.Start("u-1", "unlucky"))
        await until_journaled(place, "u-1", "Call")
    async with node_on(place, flows, acts) as node:
        await call(node, workflow.Signal("u-1", "go"))
        caught = await result(node, "u-1")
    assert caught == "no value today; attempt 1 failed"
    assert COUNTS["boom"] == 1 and COUNTS["fails"] == 1
