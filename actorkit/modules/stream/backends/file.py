"""Files: a binary file object (a real file, ``io.BytesIO``), its I/O run in Trio's threads."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from typing import IO, cast

import trio

from .base import Backend


class FileBackend(Backend):
    """A binary file; what it can do is what the file object says (``readable()`` …).

    Each operation runs in one of Trio's worker threads (and, once started, finishes: a
    file read is short).
    """

    kind = "file"

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.readable = file.readable()
        self.writable = file.writable()
        self.seekable = file.seekable()

    async def read(self, max_bytes: int) -> bytes:
        """``read1`` where the file has it (one system call), else ``read``."""
        read: Callable[[int], bytes] = getattr(self.file, "read1", self.file.read)
        return bytes(await trio.to_thread.run_sync(read, max_bytes))

    async def write(self, data: bytes) -> None:
        """Write all of ``data`` (a raw file may take it in pieces)."""
        await trio.to_thread.run_sync(self._write_all, data)

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = cast("int | None", self.file.write(view))  # None: a raw file is busy
            view = view[len(view) if written is None else written :]

    async def seek(self, offset: int, whence: int) -> int:
        """``file.seek``."""
        return await trio.to_thread.run_sync(self.file.seek, offset, whence)

    async def flush(self) -> None:
        """``file.flush``."""
        await trio.to_thread.run_sync(self.file.flush)

    async def position(self) -> int | None:
        """``file.tell`` (None if the file has no position)."""
        if not self.seekable:
            return await super().position()
        return await trio.to_thread.run_sync(self.file.tell)

    async def size(self) -> int | None:
        """The size of the file on disk, or of an in-memory buffer."""
        if isinstance(self.file, io.BytesIO):
            await trio.lowlevel.checkpoint()
            return self.file.getbuffer().nbytes
        try:
            fd = self.file.fileno()
        except (OSError, io.UnsupportedOperation):
            return await super().size()
        stat = await trio.to_thread.run_sync(os.fstat, fd)
        return stat.st_size

    async def aclose(self) -> None:
        """Flush and close the file."""
        await trio.to_thread.run_sync(self.file.close)
