"""Dispatch: custom commands, raw and async handlers, errors that fail one call only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, cast

import attrs
import pytest
import trio
import trio.testing

import actorkit
from actorkit._api._process import state_of
from actorkit.errors import NotACommandError
from actorkit.testing import open_test_node


@actorkit.command(id=40200)
class Upper(actorkit.Command[str]):
    text: str


@actorkit.command(id=40201)
class Inline(actorkit.Command[int]):
    value: int


@actorkit.command(id=40202)
class Later(actorkit.Command[str]):
    seconds: float
    fail: bool = False


@actorkit.command(id=40203)
class BrokenRaw(actorkit.Command[None]):
    pass


@actorkit.command(id=40208)
class BrokenAsync(actorkit.Command[None]):
    pass


@actorkit.command(id=40204)
class Stash(actorkit.Command[str]):
    pass


@actorkit.command(id=40205)
class WhoAmI(actorkit.Command[tuple[actorkit.PID, int]]):
    pass


@actorkit.command(id=40206)
class Unhandled(actorkit.Command[None]):
    pass


@actorkit.command(id=40207)
class Background(actorkit.Command[None]):
    pass


@attrs.define
class Counter:
    calls: int = 0


@attrs.define
class Stashed:
    pending: list[tuple[int, actorkit.Receiver]] = attrs.field(
        factory=list[tuple[int, actorkit.Receiver]]
    )


async def handle_upper(ctx: actorkit.HandlerContext, cmd: Upper) -> str:
    await trio.lowlevel.checkpoint()
    return cmd.text.upper()


def handle_inline(
    ctx: actorkit.HandlerContext, cmd: Inline, tag: int, receiver: actorkit.Receiver
) -> None:
    receiver.complete_yield(tag, cmd.value * 2, None)


def handle_later(
    ctx: actorkit.HandlerContext, cmd: Later, tag: int, receiver: actorkit.Receiver
) -> None:
    async def work() -> None:
        await trio.sleep(cmd.seconds)
        if cmd.fail:
            raise OSError(f"failed after {cmd.seconds}")
        receiver.complete_yield(tag, f"after {cmd.seconds}", None)

    ctx.start_soon(tag, work)


async def handle_broken_async(ctx: actorkit.HandlerContext, cmd: BrokenAsync) -> None:
    await trio.lowlevel.checkpoint()
    raise KeyError("async handler broke")


def handle_broken_raw(
    ctx: actorkit.HandlerContext, cmd: BrokenRaw, tag: int, receiver: actorkit.Receiver
) -> None:
    raise KeyError("raw handler broke")


def handle_who(
    ctx: actorkit.HandlerContext, cmd: WhoAmI, tag: int, receiver: actorkit.Receiver
) -> None:
    counter = ctx.local(Counter)
    counter.calls += 1
    assert ctx.node.resolve(ctx.pid) is ctx.caller
    receiver.complete_yield(tag, (ctx.pid, counter.calls), None)


def handle_background(
    ctx: actorkit.HandlerContext, cmd: Background, tag: int, receiver: actorkit.Receiver
) -> None:
    async def doomed() -> None:
        await trio.sleep(2.0)
        raise ConnectionError("background work failed")

    ctx.start_background(doomed)
    receiver.complete_yield(tag, None, None)


STASH = Stashed()


def handle_stash(
    ctx: actorkit.HandlerContext, cmd: Stash, tag: int, receiver: actorkit.Receiver
) -> None:
    STASH.pending.append((tag, receiver))


def load(boot: actorkit.Boot) -> None:
    boot.register(Upper, handle_upper)
    boot.register(Inline, handle_inline)
    boot.register(Later, handle_later)
    boot.register(BrokenRaw, handle_broken_raw)
    boot.register(BrokenAsync, handle_broken_async)
    boot.register(Stash, handle_stash)
    boot.register(WhoAmI, handle_who)
    boot.register(Background, handle_background)


@pytest.fixture
async def dnode() -> AsyncIterator[actorkit.Node]:
    """A node with this file's handlers. Tests that use it must also take ``autojump_clock``
    (pytest-trio only looks for a clock among the test function's own arguments)."""
    STASH.pending.clear()
    async with open_test_node(modules=[actorkit.Component("dispatch-test", load=load)]) as node:
        yield node


async def test_dispatch_custom_command_with_async_handler(
    dnode: actorkit.Node, autojump_clock: trio.testing.MockClock
) -> None:
    async with dnode.process() as proc:
        assert await proc.call(Upper("hello")) == "HELLO"
    assert dnode.registry.owner(Upper.ID) == "dispatch-test"


async def test_dispatch_raw_handler_completing_inline(
    dnode: actorkit.Node, autojump_clock: trio.testing.MockClock
) -> None:
    async with dnode.process() as proc:
        assert await proc.call(Inline(21)) == 42
        assert proc.call_nowait(Inline(5)) == 10


async def test_dispatch_raw_handler_completing_later(
    dnode: actorkit.Node, autojump_clock: trio.testing.MockClock
) -> None:
    async with dnode.process() as proc:
        start = trio.current_time()
        assert await proc.call(Later(3.0)) == "after 3.0"
        assert trio.current_time() - start == pytest.approx(3.0)
        with pytest.raises(OSError, match=r"failed after 1\.0"):
            await proc.call(Later(1.0, fail=True))


async def test_dispatch_call_nowait_of_a_waiting_command(
    dnode: actorkit.Node, autojump_clock: trio.testing.MockClock
) -> None:
    async with dnode.process() as proc:
        with pytest.raises(trio.WouldBlock, match=r"Later \(id=40202\) would block"):
            proc.call_nowait(Later(1.0))
        await trio.testing.wait_all_tasks_blocked()
        assert state_of(proc).inflight == {}
        assert len(proc.mailbox) == 0


@pytest.mark.parametrize("cmd", [BrokenRaw(), BrokenAsync()], ids=repr)
async def test_dispatch_raising_handler_fails_only_that_call(
    dnode: actorkit.Node, autojump_clock: trio.testing.MockClock, cmd: actorkit.Command[None]
) -> None:
    async with dnode.process() as proc:
        with pytest.raises(KeyError, match="handler broke"):
            await proc.call(cmd)
        tag = proc.yield_(cmd)
        completion = await proc.receive(kind=actorkit.Completion)
        assert proc.alive
        assert await proc.call(Upper("still works")) == "STILL WORKS"
    assert completion.tag == tag
    assert isinstance(completion.error, KeyError)


async def test_dispatch_unknown_command_fails_that_call(
    dnode: actorkit.Node, autojump_clock: trio.testing.MockClock
) -> None:
    async with dnode.process() as proc:
        with pytest.raises(
            actorkit.UnknownCommandError, match=r"no handler for Unhandled \(id=40206\)"
        ):
            await proc.call(Unhandled())
        with pytest.raises(actorkit.UnknownCommandError) as info:
            proc.call_nowait(Unhandled())
        tag = proc.yield_(Unhandled())
        completion = await proc.receive(kind=actorkit.Completion)
        assert await proc.call(Inline(1)) == 2
    assert (info.value.command_name, info.value.command_id) == ("Unhandled", 40206)
    assert completion.tag == tag
    assert isinstance(completion.error, actorkit.UnknownCommandError)


@pytest.mark.parametrize("bad", [42, "Send", None, Upper], ids=repr)
async def test_dispatch_not_a_command(
    dnode: actorkit.Node, autojump_clock: trio.testing.MockClock, bad: object
) -> None:
    async with dnode.process() as proc:
        with pytest.raises(NotACommandError, match="not a command"):
            await proc.call(cast("Any", bad))
        with pytest.raises(TypeError):
            proc.yield_(cast("Any", bad))
        assert await proc.call(Inline(2)) == 4


async def test_dispatch_yield_several_in_flight(
    dnode: actorkit.Node, autojump_clock: trio.testing.MockClock
) -> None:
    async with dnode.process() as proc:
        slow = proc.yield_(Later(3.0))
        failing = proc.yield_(Later(2.0, fail=True))
        fast = proc.yield_(Later(1.0))
        inline = proc.yield_(Inline(7))
        assert len({slow, failing, fast, inline}) == 4
        events = [await proc.receive(kind=actorkit.Completion) for _ in range(4)]
    assert [e.tag for e in events] == [inline, fast, failing, slow]
    assert [e.result for e in events] == [14, "after 1.0", None, "after 3.0"]
    assert isinstance(events[2].error, OSError)
    assert [e.error for e in events if e.tag != failing] == [None, None, None]


async def test_dispatch_call_while_yields_are_in_flight(
    dnode: actorkit.Node, autojump_clock: trio.testing.MockClock
) -> None:
    async with dnode.process() as proc:
        tag = proc.yield_(Later(1.0))
        assert await proc.call(Later(2.0)) == "after 2.0"
        completion = await proc.receive(kind=actorkit.Completion, timeout=0)
    assert (completion.tag, completion.result) == (tag, "after 1.0")


async def test_dispatch_late_completion_after_death_is_dropped(
    dnode: actorkit.Node, autojump_clock: trio.testing.MockClock
) -> None:
    async def body(proc: actorkit.Process) -> None:
        proc.yield_(Stash())
        await proc.call(Stash())

    pid = dnode.spawn(body)
    await trio.testing.wait_all_tasks_blocked()
    async with dnode.process() as proc:
        await proc.terminate(pid)
    assert len(STASH.pending) == 2
    for tag, receiver in STASH.pending:
        receiver.complete_yield(tag, "too late", None)
    assert dnode.resolve(pid) is None


async def test_dispatch_death_cancels_in_flight_handlers(
    dnode: actorkit.Node, autojump_clock: trio.testing.MockClock
) -> None:
    async def body(proc: actorkit.Process) -> None:
        proc.yield_(Later(10.0))
        raise RuntimeError("dies with work in flight")

    async with dnode.process() as proc:
        pid = await proc.spawn(body, monitor=True)
        await proc.receive(kind=actorkit.Exit)
        start = trio.current_time()
        await trio.testing.wait_all_tasks_blocked()
        assert trio.current_time() == start
    assert dnode.resolve(pid) is None


async def test_dispatch_context_knows_the_caller(
    dnode: actorkit.Node, autojump_clock: trio.testing.MockClock
) -> None:
    async with dnode.process() as first, dnode.process() as second:
        assert await first.call(WhoAmI()) == (first.pid, 1)
        assert await first.call(WhoAmI()) == (first.pid, 2)
        assert await second.call(WhoAmI()) == (second.pid, 1)


async def test_dispatch_background_failure_kills_the_process(
    dnode: actorkit.Node, autojump_clock: trio.testing.MockClock
) -> None:
    async def body(proc: actorkit.Process) -> None:
        await proc.call(Background())
        await proc.receive(topic="never")

    exit_event = await dnode.wait(dnode.spawn(body))
    assert isinstance(exit_event.error, ConnectionError)


async def test_dispatch_counts_commands(
    dnode: actorkit.Node, autojump_clock: trio.testing.MockClock
) -> None:
    before = dnode.commands
    async with dnode.process() as proc:
        await proc.call(Inline(1))
        proc.yield_(Inline(2))
    assert dnode.commands == before + 2


def test_dispatch_commands_are_frozen_data() -> None:
    cmd = Later(1.0)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        cmd.seconds = 2.0  # type: ignore[misc]
    assert cmd == Later(1.0, fail=False)
    assert hash(cmd) == hash(Later(1.0))
