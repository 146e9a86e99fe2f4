"""Call deadlines: ``timeout=`` is the handler's deadline; timeouts and cancellation stop it."""

from __future__ import annotations

import math

import attrs
import pytest
import trio
import trio.testing

import actorkit
from actorkit._api._process import state_of
from actorkit.testing import open_test_node


@actorkit.command(id=40100)
class Work(actorkit.Command[str]):
    seconds: float


@actorkit.command(id=40101)
class Stash(actorkit.Command[str]):
    pass


@attrs.define
class Seen:
    deadlines: list[float] = attrs.field(factory=list[float])
    cancelled: int = 0
    finished: int = 0
    stashed: list[tuple[int, actorkit.Receiver]] = attrs.field(
        factory=list[tuple[int, actorkit.Receiver]]
    )


def handlers(seen: Seen) -> actorkit.Component:
    async def handle_work(ctx: actorkit.HandlerContext, cmd: Work) -> str:
        seen.deadlines.append(trio.current_effective_deadline())
        try:
            await trio.sleep(cmd.seconds)
        except trio.Cancelled:
            seen.cancelled += 1
            raise
        seen.finished += 1
        return "done"

    def handle_stash(
        ctx: actorkit.HandlerContext, cmd: Stash, tag: int, receiver: actorkit.Receiver
    ) -> None:
        seen.stashed.append((tag, receiver))

    def load(boot: actorkit.Boot) -> None:
        boot.register(Work, handle_work)
        boot.register(Stash, handle_stash)

    return actorkit.Component("deadline-test", load=load)


async def test_call_timeout_is_the_handler_deadline(autojump_clock: trio.testing.MockClock) -> None:
    seen = Seen()
    async with open_test_node(modules=[handlers(seen)]) as node, node.process() as proc:
        start = trio.current_time()
        assert await proc.call(Work(1.0), timeout=3.0) == "done"
    assert seen.deadlines == [pytest.approx(start + 3.0)]
    assert (seen.cancelled, seen.finished) == (0, 1)


async def test_call_without_timeout_has_no_deadline(autojump_clock: trio.testing.MockClock) -> None:
    seen = Seen()
    async with open_test_node(modules=[handlers(seen)]) as node, node.process() as proc:
        assert await proc.call(Work(5.0)) == "done"
    assert seen.deadlines == [math.inf]


async def test_call_timeout_cancels_the_handler(autojump_clock: trio.testing.MockClock) -> None:
    seen = Seen()
    async with open_test_node(modules=[handlers(seen)]) as node, node.process() as proc:
        start = trio.current_time()
        with pytest.raises(trio.TooSlowError, match=r"Work \(id=40100\) timed out"):
            await proc.call(Work(60.0), timeout=2.0)
        assert trio.current_time() == pytest.approx(start + 2.0)
        await trio.testing.wait_all_tasks_blocked()
    assert (seen.cancelled, seen.finished) == (1, 0)


async def test_call_caller_deadline_reaches_the_handler(
    autojump_clock: trio.testing.MockClock,
) -> None:
    seen = Seen()

    async def body(proc: actorkit.Process) -> bool:
        with trio.move_on_after(4.0) as scope:
            await proc.call(Work(60.0))
        return scope.cancelled_caught

    async with open_test_node(modules=[handlers(seen)]) as node:
        start = trio.current_time()
        assert await node.exec(body) is True
        await trio.testing.wait_all_tasks_blocked()
    assert seen.deadlines == [pytest.approx(start + 4.0)]
    assert (seen.cancelled, seen.finished) == (1, 0)


async def test_call_caller_cancellation_cancels_the_handler(
    autojump_clock: trio.testing.MockClock,
) -> None:
    seen = Seen()
    async with open_test_node(modules=[handlers(seen)]) as node, node.process() as proc:
        with trio.CancelScope() as scope:
            proc.yield_(Work(1.0))  # a sibling call that must not be disturbed
            async with trio.open_nursery() as nursery:
                nursery.start_soon(proc.call, Work(60.0))
                await trio.testing.wait_all_tasks_blocked()
                scope.cancel()
        completion = await proc.receive(kind=actorkit.Completion)
    assert completion.result == "done"
    assert (seen.cancelled, seen.finished) == (1, 1)


async def test_call_late_completion_after_timeout_is_dropped(
    autojump_clock: trio.testing.MockClock,
) -> None:
    seen = Seen()
    async with open_test_node(modules=[handlers(seen)]) as node, node.process() as proc:
        with pytest.raises(trio.TooSlowError):
            await proc.call(Stash(), timeout=1.0)
        [(tag, receiver)] = seen.stashed
        receiver.complete_yield(tag, "late", None)
        assert len(proc.mailbox) == 0
        assert await proc.call(Work(0.5)) == "done"
        receiver.complete_yield(tag, "later", None)
        with pytest.raises(trio.TooSlowError):
            await proc.receive(kind=actorkit.Event, timeout=1.0)


async def test_call_yield_under_a_deadline_still_completes(
    autojump_clock: trio.testing.MockClock,
) -> None:
    seen = Seen()
    async with open_test_node(modules=[handlers(seen)]) as node, node.process() as proc:
        tags: list[int] = []
        with trio.move_on_after(1.0):
            tags.append(proc.yield_(Work(5.0)))  # the work inherits the enclosing deadline
            await proc.call(Work(0.5))
        completion = await proc.receive(kind=actorkit.Completion, timeout=10.0)
        assert state_of(proc).inflight == {}
    assert [completion.tag] == tags
    assert isinstance(completion.error, trio.TooSlowError)
