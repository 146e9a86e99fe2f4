"""The node's deadline heap: the timeouts of waiting ``receive(timeout=)`` and ``request``."""

from __future__ import annotations

import pytest
import trio
import trio.testing

import actorkit
from actorkit.testing import open_test_node


async def test_timed_receives_expire_in_deadline_order_whatever_the_order_they_began(
    autojump_clock: trio.testing.MockClock,
) -> None:
    expired: list[tuple[str, float]] = []

    async def waiter(proc: actorkit.Process, label: str, timeout: float) -> None:
        start = trio.current_time()
        with pytest.raises(trio.TooSlowError, match=f"within {timeout}s"):
            await proc.receive(timeout=timeout)
        expired.append((label, trio.current_time() - start))

    async with open_test_node() as node:
        pids: list[actorkit.PID] = []
        for label, timeout in [("late", 30.0), ("early", 1.0), ("middle", 5.0)]:
            pids.append(node.spawn(waiter, label, timeout))
            await trio.testing.wait_all_tasks_blocked()
        for pid in pids:
            assert (await node.wait(pid)).error is None
    assert [label for label, _ in expired] == ["early", "middle", "late"]
    assert [round(waited, 6) for _, waited in expired] == [1.0, 5.0, 30.0]


async def test_a_wait_answered_in_time_leaves_no_timer_behind(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node() as node, node.process() as proc:
        got: list[object] = []

        async def waiter(inner: actorkit.Process) -> None:
            got.append((await inner.receive(timeout=10)).payload)
            got.append((await inner.receive()).payload)  # no timeout: must not expire

        pid = node.spawn(waiter)
        await trio.testing.wait_all_tasks_blocked()
        assert len(node.timers) == 1
        await proc.send(pid, "first", 1)
        await trio.testing.wait_all_tasks_blocked()
        assert len(node.timers) == 0
        await trio.sleep(60)  # far past the first wait's deadline
        assert node.resolve(pid) is not None  # still waiting, not woken by a stale entry
        await proc.send(pid, "second", 2)
        await node.wait(pid)
    assert got == [1, 2]


async def test_the_heap_is_compacted_under_a_stream_of_answered_requests() -> None:
    async def echo(proc: actorkit.Process) -> None:
        async for msg in proc.messages():
            proc.reply(msg, msg.payload)

    async with open_test_node() as node, node.process() as proc:
        server = node.spawn(echo)
        for i in range(2000):
            assert await proc.request(server, "echo", i, timeout=60) == i
        assert len(node.timers) == 0
        assert node.timers.stored <= 600  # dead entries are dropped, not kept for 60 s


async def test_a_cancelled_timed_wait_forgets_its_entry(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node() as node, node.process() as proc:
        with trio.move_on_after(1):
            await proc.receive(timeout=100)
        assert len(node.timers) == 0
        with pytest.raises(trio.TooSlowError):  # a later timed wait still works
            await proc.receive(timeout=2)
