"""The per-process seam, process variables and spawn hooks of ``actorkit.lowlevel``."""

from __future__ import annotations

from typing import Any

import pytest
import trio
import trio.testing

import actorkit
from actorkit import lowlevel
from actorkit.errors import UnknownCommandError
from actorkit.modules.process import Send
from actorkit.testing import open_test_node


@actorkit.command(id=44300)
class Double(actorkit.Command[int]):
    value: int


@actorkit.command(id=44301)
class Nobody(actorkit.Command[None]):
    pass


def handle_double(ctx: lowlevel.HandlerContext, cmd: Double, tag: int, rcv: Any) -> None:
    rcv.complete_yield(tag, cmd.value * 2, None)


MODULES = [actorkit.handlers("double", {Double: handle_double})]
TRAIL = lowlevel.ProcessVar[list[str]]("trail")


def recording(label: str) -> lowlevel.Seam:
    """A seam that notes ``label`` in the caller's trail, then hands the command on."""

    def seam(
        ctx: lowlevel.HandlerContext,
        cmd: Any,
        tag: int,
        rcv: lowlevel.Receiver,
        next_: lowlevel.Handler,
    ) -> None:
        TRAIL.get(ctx.caller).append(label)
        next_(ctx, cmd, tag, rcv)

    return seam


def refuse_big(
    ctx: lowlevel.HandlerContext,
    cmd: Any,
    tag: int,
    rcv: lowlevel.Receiver,
    next_: lowlevel.Handler,
) -> None:
    if isinstance(cmd, Double) and cmd.value > 10:
        raise PermissionError(f"Double (id=44300) refused for value {cmd.value}")
    next_(ctx, cmd, tag, rcv)


class Plus1Receiver:
    """Sees the result before the process does."""

    def __init__(self, inner: lowlevel.Receiver) -> None:
        self.inner = inner

    def complete_yield(self, tag: int, data: object, error: BaseException | None) -> None:
        self.inner.complete_yield(tag, None if data is None else data + 1, error)  # type: ignore[operator]


def plus_one(
    ctx: lowlevel.HandlerContext,
    cmd: Any,
    tag: int,
    rcv: lowlevel.Receiver,
    next_: lowlevel.Handler,
) -> None:
    next_(ctx, cmd, tag, Plus1Receiver(rcv))


async def test_a_seam_refuses_one_command_of_one_process() -> None:
    async with (
        open_test_node(modules=MODULES) as node,
        node.process() as guarded,
        node.process() as free,
    ):
        lowlevel.add_seam(lowlevel.ref_of(guarded), refuse_big)
        assert await guarded.call(Double(3)) == 6
        with pytest.raises(PermissionError, match="value 11"):
            await guarded.call(Double(11))
        assert await guarded.call(Double(4)) == 8  # only that call failed
        assert await free.call(Double(11)) == 22  # other processes pass untouched


async def test_a_seam_sees_results_and_stacks_outermost_last() -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        ref = lowlevel.ref_of(proc)
        TRAIL.set(ref, [])
        lowlevel.add_seam(ref, recording("inner"))
        lowlevel.add_seam(ref, plus_one)
        lowlevel.add_seam(ref, recording("outer"))
        assert await proc.call(Double(5)) == 11
        assert TRAIL.get(ref) == ["outer", "inner"]
        lowlevel.remove_seam(ref, plus_one)
        assert await proc.call(Double(5)) == 10
        assert TRAIL.get(ref) == ["outer", "inner", "outer", "inner"]


async def test_a_seam_can_answer_without_the_handler() -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        fake = node.fake(Double, lambda cmd: -1)

        def replay(
            ctx: lowlevel.HandlerContext,
            cmd: Any,
            tag: int,
            rcv: lowlevel.Receiver,
            next_: lowlevel.Handler,
        ) -> None:
            if cmd == Double(1):
                rcv.complete_yield(tag, 42, None)
            else:
                next_(ctx, cmd, tag, rcv)

        lowlevel.add_seam(lowlevel.ref_of(proc), replay)
        assert await proc.call(Double(1)) == 42
        assert await proc.call(Double(2)) == -1  # next_ runs the test kit's fake
        assert fake.calls == [Double(2)]


async def test_a_seam_hands_on_an_unknown_id_as_unknown() -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        lowlevel.add_seam(lowlevel.ref_of(proc), refuse_big)
        with pytest.raises(UnknownCommandError, match="44301"):
            await proc.call(Nobody())


async def test_a_seam_sees_every_send_even_when_the_mailbox_has_room() -> None:
    seen: list[str] = []

    def note_sends(
        ctx: lowlevel.HandlerContext,
        cmd: Any,
        tag: int,
        rcv: lowlevel.Receiver,
        next_: lowlevel.Handler,
    ) -> None:
        if isinstance(cmd, Send):
            seen.append(cmd.topic)
        next_(ctx, cmd, tag, rcv)

    async with open_test_node() as node, node.process() as sender, node.process() as inbox:
        lowlevel.add_seam(lowlevel.ref_of(sender), note_sends)
        await sender.send(inbox.pid, "a", 1)
        await sender.send(inbox.pid, "b", 2)
        assert seen == ["a", "b"]  # the no-dispatch fast path is off for a seamed process
        assert [(await inbox.receive()).topic for _ in range(2)] == ["a", "b"]


async def test_a_seam_sees_a_request_as_a_send_and_may_refuse_it() -> None:
    def no_requests_to_the_vault(
        ctx: lowlevel.HandlerContext,
        cmd: Any,
        tag: int,
        rcv: lowlevel.Receiver,
        next_: lowlevel.Handler,
    ) -> None:
        if isinstance(cmd, Send) and cmd.ref and cmd.dest == "vault":
            raise PermissionError("requests to the vault are refused")
        next_(ctx, cmd, tag, rcv)

    async def echo(proc: actorkit.Process) -> None:
        async for msg in proc.messages():
            proc.reply(msg, msg.payload)

    async with open_test_node() as node, node.process() as proc:
        node.spawn(echo, name="vault")
        node.spawn(echo, name="desk")
        lowlevel.add_seam(lowlevel.ref_of(proc), no_requests_to_the_vault)
        assert await proc.request("desk", "echo", 1) == 1  # through the seam, answered
        with pytest.raises(PermissionError, match="vault"):
            await proc.request("vault", "echo", 2)
        assert await proc.request("desk", "echo", 3) == 3


async def test_a_fake_send_sees_requests_too(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node() as node, node.process() as proc:
        fake = node.fake(Send, lambda cmd: None)  # swallows every send
        async with node.process() as server:
            with pytest.raises(trio.TooSlowError):
                await proc.request(server.pid, "echo", 1, timeout=0.5)
        assert [(cmd.topic, cmd.payload, cmd.ref > 0) for cmd in fake.calls] == [("echo", 1, True)]


async def test_remove_seam_of_a_seam_never_added_raises() -> None:
    async with open_test_node() as node, node.process() as proc:
        with pytest.raises(ValueError):
            lowlevel.remove_seam(lowlevel.ref_of(proc), refuse_big)


async def test_spawn_hooks_copy_state_from_parent_to_child() -> None:
    seen: list[tuple[actorkit.PID | None, actorkit.PID]] = []

    def inherit(parent: lowlevel.ProcessRef | None, child: lowlevel.ProcessRef) -> None:
        seen.append((None if parent is None else parent.pid, child.pid))
        trail = None if parent is None else TRAIL.find(parent)
        TRAIL.set(child, [*(trail or []), "child"])

    async def child(proc: actorkit.Process) -> list[str]:
        await trio.lowlevel.checkpoint()
        return TRAIL.get(lowlevel.ref_of(proc))

    async with open_test_node() as node:
        lowlevel.add_spawn_hook(node, inherit)
        async with node.process() as parent:
            assert seen == [(None, parent.pid)]
            TRAIL.set(lowlevel.ref_of(parent), ["parent"])
            pid = await parent.spawn(child)
            assert (await node.wait(pid)).result == ["parent", "child"]
        lowlevel.remove_spawn_hook(node, inherit)
        exit_ = await node.wait(node.spawn(child))  # the hook is gone: nothing was copied
        assert isinstance(exit_.error, LookupError)
        assert len(seen) == 2


async def test_process_var_names_itself_when_missing() -> None:
    async with open_test_node() as node, node.process() as proc:
        ref = lowlevel.ref_of(proc)
        assert TRAIL.find(ref) is None
        with pytest.raises(LookupError, match="trail"):
            TRAIL.get(ref)
        TRAIL.set(ref, ["x"])
        TRAIL.reset(ref)
        assert TRAIL.find(ref) is None


@actorkit.command(id=44302)
class Fail(actorkit.Command[None]):
    pass


async def handle_fail(ctx: lowlevel.HandlerContext, cmd: Fail) -> None:
    await trio.lowlevel.checkpoint()
    raise ValueError("the handler failed")


class Recorder:
    """Notes each outcome it hands on."""

    def __init__(self, inner: lowlevel.Receiver, seen: list[object]) -> None:
        self.inner = inner
        self.seen = seen

    def complete_yield(self, tag: int, data: object, error: BaseException | None) -> None:
        self.seen.append(error if error is not None else data)
        self.inner.complete_yield(tag, data, error)


async def test_a_seam_sees_an_async_handlers_failure_as_it_sees_results() -> None:
    seen: list[object] = []

    def record(
        ctx: lowlevel.HandlerContext,
        cmd: Any,
        tag: int,
        rcv: lowlevel.Receiver,
        next_: lowlevel.Handler,
    ) -> None:
        next_(ctx, cmd, tag, Recorder(rcv, seen))

    modules = [actorkit.handlers("fail", {Fail: handle_fail})]
    async with open_test_node(modules=modules) as node, node.process() as proc:
        lowlevel.add_seam(lowlevel.ref_of(proc), record)
        with pytest.raises(ValueError, match="the handler failed"):
            await proc.call(Fail())
    assert len(seen) == 1
    assert isinstance(seen[0], ValueError)
