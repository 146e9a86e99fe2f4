"""What a storage backend implements, and the byte sources and sinks they share.

Backends see checked commands and move bytes in chunks of at most :data:`CHUNK` (uploads
from a file, downloads to a file), so memory stays bounded whatever the object's size.
Every method is a checkpoint; cancelling one leaves no partial object visible.
"""

from __future__ import annotations

import os
import stat
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable
from typing import Protocol

import attrs
import trio

from ..commands import DeleteResult, ObjectInfo, ObjectList, UploadObject
from ..errors import InvalidRangeError

CHUNK = 1 << 20
"""Bytes moved at a time (1 MiB)."""


@attrs.frozen
class Opened:
    """A download under way: the object's info, how many bytes will come, the chunks
    (pulled on demand), and ``close`` to release the file or the connection (always call
    it, even when the chunks were not all read)."""

    info: ObjectInfo
    length: int
    chunks: AsyncIterator[bytes]
    close: Callable[[], Awaitable[None]]


class Backend(Protocol):
    """One named storage."""

    name: str

    async def open(self) -> None:
        """Get ready (make the root, open the client). A checkpoint."""
        ...

    async def close(self) -> None:
        """Release everything. A checkpoint."""
        ...

    async def list(
        self, prefix: str, max_keys: int, token: str | None, delimiter: str | None = None
    ) -> ObjectList:
        """A page of objects under ``prefix``, sorted by key; with ``delimiter``, keys
        holding it after the prefix rolled up into common prefixes (S3's semantics)."""
        ...

    async def head(self, key: str) -> ObjectInfo:
        """The object's info; ObjectNotFoundError if there is none."""
        ...

    async def open_download(
        self, key: str, byte_range: tuple[int, int | None] | None, if_match: str | None
    ) -> Opened:
        """Start sending the object's bytes (or a range of them)."""
        ...

    async def upload(self, cmd: UploadObject, source: Source) -> ObjectInfo:
        """Write the object from ``source`` if ``cmd``'s conditions hold; its info."""
        ...

    async def delete(self, keys: tuple[str, ...]) -> tuple[DeleteResult, ...]:
        """Delete each key; one result per key, in order."""
        ...

    def presign(
        self,
        method: str,
        key: str,
        expires: int,
        content_type: str | None,
        content_length: int | None,
    ) -> str:
        """A URL allowing ``method`` on ``key`` for ``expires`` seconds."""
        ...


class Source:
    """The bytes of an upload: in memory, a file read a chunk at a time, or a stream."""

    def __init__(
        self, data: bytes | None, path: str | None, stream: AsyncIterable[bytes] | None = None
    ) -> None:
        self.data = data
        self.path = path
        self.stream = stream

    async def size(self) -> int | None:
        """The length if known in advance (bytes, a regular file), else None (a pipe, a
        stream)."""
        if self.data is not None:
            return len(self.data)
        if self.path is None:
            await trio.lowlevel.checkpoint()
            return None
        st = await trio.to_thread.run_sync(os.stat, self.path)
        return st.st_size if _regular(st.st_mode) else None

    async def chunks(self, size: int = CHUNK) -> AsyncIterator[bytes]:
        """The bytes, ``size`` at a time. Each read is a checkpoint."""
        if self.data is not None:
            for start in range(0, len(self.data), size):
                await trio.lowlevel.checkpoint()
                yield self.data[start : start + size]
            return
        if self.stream is not None:
            async for chunk in self.stream:
                yield chunk
            return
        assert self.path is not None
        async with await trio.open_file(self.path, "rb") as f:
            while chunk := await f.read(size):
                yield chunk


def _regular(mode: int) -> bool:
    return stat.S_ISREG(mode)


def normal_etag(etag: str) -> str:
    """An ETag without ``W/`` and quotes, to compare two."""
    return etag.removeprefix("W/").strip('"')


def check_range(byte_range: tuple[int, int | None] | None, size: int) -> range:
    """The offsets a download sends: all of the object, or ``byte_range`` clipped to it.

    Raises:
        InvalidRangeError: the range starts at or past the end.
    """
    if byte_range is None:
        return range(size)
    start, end = byte_range
    if start >= size:
        raise InvalidRangeError(f"range starts at {start}, the object has {size} bytes")
    last = size - 1 if end is None else min(end, size - 1)
    return range(start, last + 1)
