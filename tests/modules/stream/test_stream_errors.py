"""Bad input, wrong owners, closed streams and cancellation: each a clear error that fails
only that call, and nothing left open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import trio
import trio.testing

import actorkit
from actorkit.errors import BootError
from actorkit.modules import stream
from actorkit.testing import open_test_node

from ._hand import Hand, hand_module

MODULES = [stream.module(), hand_module()]


def wrong(value: object) -> Any:
    """A value of the wrong type, passed on unchecked by the type checkers."""
    return value


FAKE = stream.StreamHandle(99, actorkit.PID("test", 1), "pipe", "", True, True, False)


@pytest.mark.parametrize(
    ("build", "pattern"),
    [
        (lambda: stream.Read(FAKE, 0), r"^Read \(id=50\): size must be an int from 1 to"),
        (lambda: stream.Read(FAKE, 2**30), r"^Read \(id=50\): size must be"),
        (lambda: stream.Read(wrong("h")), r"^Read \(id=50\): stream must be a StreamHandle"),
        (lambda: stream.Write(FAKE, wrong("text")), r"^Write \(id=52\): data must be bytes"),
        (lambda: stream.Seek(FAKE, 0, 7), r"^Seek \(id=53\): whence must be 0, 1 or 2"),
        (lambda: stream.Close(wrong(None)), r"^Close \(id=51\): stream must be"),
        (lambda: stream.Flush(wrong(1)), r"^Flush \(id=54\): stream must be"),
        (lambda: stream.Stat(wrong(1)), r"^Stat \(id=55\): stream must be"),
        (
            lambda: stream.ScannerCreate(FAKE, delimiter=b""),
            r"^ScannerCreate \(id=56\): delimiter must be",
        ),
        (
            lambda: stream.ScannerCreate(FAKE, max_token_size=0),
            r"^ScannerCreate \(id=56\): max_token_size must be",
        ),
        (lambda: stream.ScannerScan(wrong(FAKE)), r"^ScannerScan \(id=57\): scanner must be a"),
        (lambda: stream.Open(""), r"^Open \(id=58\): path must be"),
        (lambda: stream.Open("f", "rw"), r"^Open \(id=58\): mode must be one of"),
    ],
)
def test_stream_bad_fields_name_command_id_and_field(build: object, pattern: str) -> None:
    with pytest.raises(stream.StreamArgumentError, match=pattern):
        build()  # type: ignore[operator]


async def test_stream_of_another_process_is_refused() -> None:
    send, receive = trio.testing.memory_stream_one_way_pair()
    async with open_test_node(modules=MODULES) as node, node.process() as owner:
        handle = await owner.call(Hand(receive, name="body"))
        async with node.process() as other:
            for cmd in [stream.Read(handle), stream.Stat(handle), stream.Close(handle)]:
                with pytest.raises(stream.StreamOwnerError, match=r"stream \d+ \(body\) belongs"):
                    await other.call(cmd)
            with pytest.raises(stream.StreamOwnerError, match=r"^ScannerCreate \(id=56\)"):
                await other.call(stream.ScannerCreate(handle))
        await send.send_all(b"still mine")
        assert await owner.call(stream.Read(handle)) == b"still mine"


async def test_stream_closed_or_unknown_handle() -> None:
    send, receive = trio.testing.memory_stream_one_way_pair()
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        handle = await proc.call(Hand(receive))
        scanner = await proc.call(stream.ScannerCreate(handle))
        await proc.call(stream.Close(handle))
        closed = r"^Read \(id=50\): stream \d+ is closed \(closed by Close \(id=51\)\)"
        with pytest.raises(stream.StreamClosedError, match=closed):
            await proc.call(stream.Read(handle))
        with pytest.raises(stream.StreamClosedError, match=r"^ScannerScan \(id=57\)"):
            await proc.call(stream.ScannerScan(scanner))
        unknown = stream.StreamHandle(12345, proc.pid, "pipe", "", True, False, False)
        with pytest.raises(stream.StreamClosedError, match="never open on this node"):
            await proc.call(stream.Stat(unknown))
        with pytest.raises(trio.BrokenResourceError):
            await send.send_all(b"x")  # the reading end was closed


async def test_stream_unsupported_operations() -> None:
    send, receive = trio.testing.memory_stream_one_way_pair()
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        handle = await proc.call(Hand(receive))
        with pytest.raises(stream.StreamUnsupportedError, match=r"^Seek \(id=53\): .*seekable"):
            await proc.call(stream.Seek(handle, 0))
        with pytest.raises(stream.StreamUnsupportedError, match=r"^Write \(id=52\): .*writable"):
            await proc.call(stream.Write(handle, b"x"))
    await send.aclose()


async def test_stream_read_timeout_leaves_stream_usable() -> None:
    send, receive = trio.testing.memory_stream_one_way_pair()
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        handle = await proc.call(Hand(receive))
        with pytest.raises(trio.TooSlowError):
            await proc.call(stream.Read(handle), timeout=0.01)
        await send.send_all(b"late")
        assert await proc.call(stream.Read(handle)) == b"late"


async def test_stream_close_stops_a_pending_read() -> None:
    send, receive = trio.testing.memory_stream_one_way_pair()
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        handle = await proc.call(Hand(receive))
        tag = proc.yield_(stream.Read(handle))
        await trio.testing.wait_all_tasks_blocked()
        assert await proc.call(stream.Close(handle)) is True
        done = await proc.receive(kind=actorkit.Completion, match=lambda c: c.tag == tag)
        assert isinstance(done.error, stream.StreamClosedError)
    await send.aclose()


async def test_stream_owner_terminated_mid_read_closes_it() -> None:
    send, receive = trio.testing.memory_stream_one_way_pair()

    async def reader(proc: actorkit.Process) -> None:
        handle = await proc.call(Hand(receive))
        await proc.call(stream.Read(handle))

    async with open_test_node(modules=MODULES) as node, node.process() as me:
        pid = node.spawn(reader)
        await trio.testing.wait_all_tasks_blocked()
        assert await me.terminate(pid) is True
        with trio.fail_after(5), pytest.raises(trio.BrokenResourceError):
            while True:
                await send.send_all(b"x")
                await trio.testing.wait_all_tasks_blocked()


async def test_stream_node_stop_closes_streams() -> None:
    send, receive = trio.testing.memory_stream_one_way_pair()
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        await proc.call(Hand(receive))
    with pytest.raises(trio.BrokenResourceError):
        await send.send_all(b"x")


def test_stream_module_options_are_checked(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="allow_dirs must hold paths"):
        stream.module(allow_dirs=[42])  # type: ignore[list-item]


async def test_stream_allow_dirs_must_exist(tmp_path: Path) -> None:
    with pytest.raises(BootError, match="is not a directory"):
        async with open_test_node(modules=[stream.module(allow_dirs=[tmp_path / "nope"])]):
            pass
