"""Request/reply: an answer, an error, the server's exit, timeouts, late replies, cancels."""

from __future__ import annotations

import pytest
import trio
import trio.testing

import actorkit
from actorkit.testing import open_test_node


async def echo_server(proc: actorkit.Process) -> None:
    async for msg in proc.messages():
        if msg.topic == "echo":
            proc.reply(msg, msg.payload)
        elif msg.topic == "fail":
            proc.reply(msg, error=KeyError(msg.payload))
        elif msg.topic == "deadline" and isinstance(msg, actorkit.Request):
            proc.reply(msg, msg.deadline - trio.current_time())
        elif msg.topic == "crash":
            raise RuntimeError(f"crashed on {msg.payload}")
        elif msg.topic == "slow":
            await trio.sleep(10)
            assert isinstance(msg, actorkit.Request)
            await proc.send(msg.sender or "nobody", "late-reply-sent", proc.reply(msg, "late"))


async def test_request_returns_the_reply(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node() as node, node.process() as proc:
        server = node.spawn(echo_server, name="echo")
        assert await proc.request(server, "echo", 1) == 1
        assert await proc.request("echo", "echo", [2, 3]) == [2, 3]
        assert len(proc.mailbox) == 0  # no monitor Exit, no reply left behind


async def test_request_raises_the_error_replied(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node() as node, node.process() as proc:
        server = node.spawn(echo_server)
        with pytest.raises(KeyError, match="missing"):
            await proc.request(server, "fail", "missing")
        assert await proc.request(server, "echo", "still there") == "still there"


async def test_request_deadline_travels_with_it(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node() as node, node.process() as proc:
        server = node.spawn(echo_server)
        assert await proc.request(server, "deadline", timeout=2.5) == pytest.approx(2.5)


async def test_request_to_a_server_that_dies_gives_its_reason(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node() as node, node.process() as proc:
        server = node.spawn(echo_server)
        with pytest.raises(actorkit.RequestFailedError, match=r"exited \(error\)") as info:
            await proc.request(server, "crash", "purpose")
        assert info.value.reason == "error"
        assert isinstance(info.value.__cause__, RuntimeError)
        assert len(proc.mailbox) == 0


async def test_request_to_nobody_is_a_dead_letter(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node() as node, node.process() as proc:
        with pytest.raises(actorkit.NoProcessError):
            await proc.request("nobody", "echo", 1)
        assert node.dead_letters == 1


async def test_request_late_reply_is_dropped(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node() as node, node.process() as proc:
        server = node.spawn(echo_server)
        with pytest.raises(trio.TooSlowError, match="no reply within 1"):
            await proc.request(server, "slow", timeout=1)
        # The server replies at t=10, after the caller gave up: the reply is refused ...
        note = await proc.receive(topic="late-reply-sent", timeout=20)
        assert note.payload is False
        # ... and a later request gets its own answer, not the late one.
        assert await proc.request(server, "echo", "fresh") == "fresh"
        assert len(proc.mailbox) == 0


async def test_request_cancelled_caller_drops_the_reply(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node() as node, node.process() as proc:
        server = node.spawn(echo_server)
        with trio.move_on_after(1):
            await proc.request(server, "slow", timeout=60)
        note = await proc.receive(topic="late-reply-sent", timeout=20)
        assert note.payload is False
        assert await proc.request(server, "echo", 7) == 7


async def test_request_keeps_the_callers_own_monitor(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node() as node, node.process() as proc:
        server = node.spawn(echo_server)
        await proc.monitor(server)
        assert await proc.request(server, "echo", 1) == 1
        with pytest.raises(actorkit.RequestFailedError):
            await proc.request(server, "crash", 2)
        exit_ = await proc.receive(kind=actorkit.Exit, timeout=1)  # still delivered
        assert exit_.pid == server


async def test_reply_to_a_plain_message_is_refused(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node() as node, node.process() as proc:
        await proc.send(proc.pid, "hello")
        msg = await proc.receive()
        with pytest.raises(TypeError, match="reply answers a Request"):
            proc.reply(msg, 1)


async def test_request_refuses_a_bad_timeout(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node() as node, node.process() as proc:
        server = node.spawn(echo_server)
        with pytest.raises(ValueError, match="request: timeout must be seconds >= 0"):
            await proc.request(server, "echo", timeout=-1)
