"""stream.attach: other modules hand a process a Trio stream or an async iterator of bytes;
the process reads it with Read, it is bounded, pulled on demand, and closed when the owner
exits (even by crashing)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import trio
import trio.testing

import actorkit
from actorkit.modules import stream
from actorkit.testing import open_test_node

from ._hand import Drain, Hand, Pour, consumer_module, hand_module

MODULES = [stream.module(), hand_module()]


async def test_attach_receive_stream_reads_until_eof() -> None:
    send, receive = trio.testing.memory_stream_one_way_pair()
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        handle = await proc.call(Hand(receive, name="pipe"))
        assert (handle.readable, handle.writable, handle.seekable) == (True, False, False)
        assert handle.owner == proc.pid and handle.kind == "pipe"
        await send.send_all(b"hello")
        assert await proc.call(stream.Read(handle, 3)) == b"hel"
        assert await proc.call(stream.Read(handle)) == b"lo"
        await send.aclose()
        assert await proc.call(stream.Read(handle)) == b""
        stat = await proc.call(stream.Stat(handle))
        assert (stat.bytes_read, stat.eof, stat.position) == (5, True, None)
        assert await proc.call(stream.Close(handle)) is True
        assert await proc.call(stream.Close(handle)) is False


async def test_attach_send_stream_writes() -> None:
    send, receive = trio.testing.memory_stream_one_way_pair()
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        handle = await proc.call(Hand(send))
        assert (handle.readable, handle.writable) == (False, True)
        assert await proc.call(stream.Write(handle, b"abc")) == 3
        await proc.call(stream.Flush(handle))
        assert await receive.receive_some(10) == b"abc"
        unsupported = r"^Read \(id=50\): .* not readable"
        with pytest.raises(stream.StreamUnsupportedError, match=unsupported):
            await proc.call(stream.Read(handle))


async def test_attach_iterator_is_pulled_only_when_read() -> None:
    made: list[int] = []

    async def body() -> AsyncIterator[bytes]:
        for i in range(100):
            made.append(i)
            yield b"x" * 1000

    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        handle = await proc.call(Hand(body(), size=100_000))
        assert made == []  # nothing read ahead
        assert await proc.call(stream.Read(handle, 600)) == b"x" * 600
        assert await proc.call(stream.Read(handle, 600)) == b"x" * 400
        assert made == [0]  # a slow reader holds the producer back
        assert (await proc.call(stream.Stat(handle))).size == 100_000


async def test_attach_closes_when_owner_crashes() -> None:
    closed = trio.Event()

    async def body() -> AsyncIterator[bytes]:
        try:
            while True:
                yield b"chunk"
        finally:
            closed.set()

    async def owner(proc: actorkit.Process, gen: AsyncIterator[bytes]) -> None:
        handle = await proc.call(Hand(gen))
        await proc.call(stream.Read(handle))
        raise RuntimeError("crash while holding a stream")

    async with open_test_node(modules=MODULES) as node:
        pid = node.spawn(owner, body())
        exit_ = await node.wait(pid)
        assert isinstance(exit_.error, RuntimeError)
        with trio.fail_after(5):
            await closed.wait()


async def test_attach_closes_pipe_when_owner_returns() -> None:
    send, receive = trio.testing.memory_stream_one_way_pair()

    async def owner(proc: actorkit.Process) -> None:
        await proc.call(Hand(receive))

    async with open_test_node(modules=MODULES) as node:
        await node.wait(node.spawn(owner))
        with trio.fail_after(5):
            while True:
                try:
                    await send.send_all(b"x")
                except (trio.ClosedResourceError, trio.BrokenResourceError):
                    break
                await trio.testing.wait_all_tasks_blocked()


async def test_attach_refuses_other_sources() -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        with pytest.raises(TypeError, match="cannot make a stream of int"):
            await proc.call(Hand(42))


async def test_attach_without_stream_module_names_it() -> None:
    send, receive = trio.testing.memory_stream_one_way_pair()
    async with open_test_node(modules=[hand_module()]) as node, node.process() as proc:
        with pytest.raises(stream.StreamError, match=r"stream\.module\(\)"):
            await proc.call(Hand(receive))
    await send.aclose()


async def test_module_helpers_consume_a_callers_stream() -> None:
    async def body() -> AsyncIterator[bytes]:
        yield b"abcdef"
        yield b"gh"

    send, receive = trio.testing.memory_stream_one_way_pair()
    async with (
        open_test_node(modules=[*MODULES, consumer_module()]) as node,
        node.process() as proc,
    ):
        handle = await proc.call(Hand(body()))
        assert await proc.call(Drain(handle)) == [b"abcd", b"ef", b"gh"]
        sink = await proc.call(Hand(send))
        assert await proc.call(Pour(sink, b"poured")) is True
        assert await receive.receive_some(100) == b"poured"
        assert await receive.receive_some(100) == b""  # closed: end of stream
        with pytest.raises(stream.StreamClosedError, match=r"^Drain \(id=5051\)"):
            await proc.call(Drain(sink))
        with pytest.raises(stream.StreamArgumentError, match=r"^Drain \(id=5051\): max_bytes"):
            await proc.call(Drain(handle, chunk_size=0))
        async with node.process() as other:
            with pytest.raises(stream.StreamOwnerError, match=r"^Pour \(id=5052\)"):
                await other.call(Pour(handle, b"x"))
