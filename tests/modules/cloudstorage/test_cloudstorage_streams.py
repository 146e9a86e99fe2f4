"""Large objects in chunks (files, streams, multipart on S3) and cancelled uploads."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import trio
import trio.testing

import actorkit
from actorkit.modules import stream
from actorkit.modules.cloudstorage import (
    DownloadObject,
    HeadObject,
    ListObjects,
    ObjectNotFoundError,
    UploadObject,
)
from actorkit.modules.cloudstorage.backends.base import Source
from actorkit.modules.cloudstorage.backends.s3 import PART, S3Backend
from actorkit.modules.cloudstorage.state import storage_of

from ._weed import WRITER, signed
from .conftest import Box

BIG = PART + 3 * (1 << 20) + 17  # more than one part: the S3 backend goes multipart


def _payload(size: int) -> bytes:
    return (hashlib.sha256(b"seed").digest() * (size // 32 + 1))[:size]


async def test_cloudstorage_big_file_round_trip_in_chunks(box: Box, tmp_path: Path) -> None:
    data = _payload(BIG)
    source, target = tmp_path / "in.bin", tmp_path / "out.bin"
    source.write_bytes(data)
    key = box.key("big.bin")
    async with box.node.process() as proc:
        info = await proc.call(UploadObject("box", key, from_file=str(source)))
        got = await proc.call(DownloadObject("box", key, to_file=str(target)))
        head = await proc.call(HeadObject("box", key))
    assert (info.size, got.length, got.data, head.size) == (BIG, BIG, None, BIG)
    assert target.read_bytes() == data


async def test_cloudstorage_download_to_a_stream(box: Box) -> None:
    data = _payload(3 << 20)
    key = box.key("streamed")
    async with box.node.process() as proc:
        await proc.call(UploadObject("box", key, data))
        got = await proc.call(DownloadObject("box", key, to_stream=True, byte_range=(5, None)))
        assert got.stream is not None
        assert (got.data, got.length) == (None, len(data) - 5)
        parts: list[bytes] = []
        while chunk := await proc.call(stream.Read(got.stream, 1 << 20)):
            parts.append(chunk)
        assert await proc.call(stream.Close(got.stream)) is True
    assert b"".join(parts) == data[5:]


def _open_fds_on(path: Path) -> int:
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if os.path.realpath(fd) == str(path.resolve()))


async def test_cloudstorage_stream_closed_when_its_process_crashes(box: Box) -> None:
    if box.root is None:
        return  # the file handle is what is observable; S3's connection goes the same way
    key = box.key("held")

    async def reader(proc: actorkit.Process) -> None:
        got = await proc.call(DownloadObject("box", key, to_stream=True))
        assert got.stream is not None
        await proc.call(stream.Read(got.stream, 10))
        assert _open_fds_on(box.root / key) == 1  # type: ignore[operator]
        raise RuntimeError("crash while holding the download")

    async with box.node.process() as proc:
        await proc.call(UploadObject("box", key, _payload(1 << 20)))
        await proc.spawn(reader, monitor=True)
        exit_event = await proc.receive(kind=actorkit.Exit, timeout=10)
    assert isinstance(exit_event.error, RuntimeError)
    await trio.testing.wait_all_tasks_blocked()
    assert _open_fds_on(box.root / key) == 0


async def test_cloudstorage_upload_from_a_stream(box: Box, tmp_path: Path) -> None:
    data = _payload(BIG)
    path = tmp_path / "src.bin"
    path.write_bytes(data)
    key = box.key("from-stream")
    async with box.node.process() as proc:
        handle = await proc.call(stream.Open(str(path)))
        info = await proc.call(UploadObject("box", key, from_stream=handle, content_type="x/y"))
        got = await proc.call(DownloadObject("box", key))
    assert (info.size, info.content_type) == (BIG, "x/y")
    assert got.data == data


async def test_cloudstorage_a_failed_download_to_file_leaves_no_file(
    box: Box, tmp_path: Path
) -> None:
    target = tmp_path / "never.bin"
    async with box.node.process() as proc:
        await proc.call(UploadObject("box", box.key("r"), b"abc"))
        try:
            await proc.call(
                DownloadObject("box", box.key("r"), to_file=str(target), if_match='"0"')
            )
        except Exception as exc:
            assert type(exc).__name__ == "PreconditionFailedError"
    assert not target.exists()


async def _visible(box: Box, key: str) -> bool:
    async with box.node.process() as proc:
        try:
            await proc.call(HeadObject("box", key))
        except ObjectNotFoundError:
            return False
    return True


async def test_cloudstorage_cancelled_upload_leaves_nothing(box: Box) -> None:
    """The source gives more than a part, then stalls; the upload is cancelled there."""
    stalled = trio.Event()
    key = box.key("cancelled")

    async def source() -> AsyncIterator[bytes]:
        for _ in range(PART // (1 << 20) + 2):
            yield b"x" * (1 << 20)
        stalled.set()
        await trio.sleep_forever()

    backend = storage_of(box.node, "box")
    cmd = UploadObject("box", key, b"placeholder")
    async with trio.open_nursery() as nursery:
        nursery.start_soon(backend.upload, cmd, Source(None, None, source()))
        await stalled.wait()
        if box.root is not None:  # the local temp file is there, hidden
            assert [p.name for p in box.root.rglob(".actorkit-tmp.*")]
        nursery.cancel_scope.cancel()
    assert not await _visible(box, key)
    if box.root is not None:
        assert not list(box.root.rglob(".actorkit-tmp.*"))
    else:
        assert isinstance(backend, S3Backend)
        assert box.endpoint is not None
        assert await _pending_uploads(box.endpoint, backend.bucket, box.prefix) == 0


async def _pending_uploads(endpoint: str, bucket: str, prefix: str) -> int:
    url = f"{endpoint}/{bucket}?prefix={prefix}&uploads="
    async with httpx.AsyncClient() as client:
        response = await client.send(signed("GET", url, WRITER))
    assert response.status_code == 200
    return response.text.count("<Upload>")


async def test_cloudstorage_listing_hides_unfinished_uploads(box: Box) -> None:
    async with box.node.process() as proc:
        await proc.call(UploadObject("box", box.key("done"), b"1"))
        page = await proc.call(ListObjects("box", prefix=box.prefix))
    assert [o.key for o in page.objects] == [box.key("done")]
