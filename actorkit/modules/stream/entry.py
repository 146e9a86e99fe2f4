"""An open stream: its backend, its counters, and the rules every read and write follows.

One read and one write at a time (each waits its turn, first come first served). Every
read and write runs under a cancel scope the stream keeps, so Close (or the owner's exit)
stops a read blocked on a silent pipe at once: that call fails with
:class:`~.errors.StreamClosedError`. Data a scanner read past its token is kept in
``pending`` and handed out first by the next read, so scanners and reads can be mixed.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import TypeVar

import attrs
import structlog
import trio

from .backends.base import Backend
from .errors import StreamClosedError, StreamError, StreamIOError, StreamUnsupportedError
from .handles import StreamHandle, StreamStat

T = TypeVar("T")
log = structlog.get_logger(__name__)
CLOSE_GRACE = 5.0  # seconds a close may take (waiting for reads to unwind, flushing) at most


@attrs.define(eq=False)
class OpenStream:
    """A stream in the node's table (see :class:`~.table.StreamTable`)."""

    handle: StreamHandle
    backend: Backend
    pending: bytearray = attrs.field(factory=bytearray)
    eof: bool = False
    bytes_read: int = 0
    bytes_written: int = 0
    closed: str = ""  # how it was closed, once it is
    guard: trio.CancelScope | None = None
    reading: trio.StrictFIFOLock = attrs.field(factory=trio.StrictFIFOLock)
    writing: trio.StrictFIFOLock = attrs.field(factory=trio.StrictFIFOLock)
    ops: set[trio.CancelScope] = attrs.field(factory=set[trio.CancelScope])

    def require(self, ability: str, what: str) -> None:
        """StreamUnsupportedError unless the handle says it can (``readable`` …)."""
        if not getattr(self.handle, ability):
            detail = f"{self.handle.describe()} is not {ability}"
            raise StreamUnsupportedError(detail, command=what)

    async def run(self, what: str, lock: trio.StrictFIFOLock, fn: Callable[[], Awaitable[T]]) -> T:
        """``fn()`` holding ``lock``, stopped by Close; backend failures become StreamIOError."""
        with trio.CancelScope() as scope:
            self.ops.add(scope)
            try:
                async with lock:
                    self._check_open(what)
                    return await fn()
            except StreamError:
                raise
            except Exception as exc:
                if self.closed:
                    raise self._closed_error(what) from exc
                detail = f"{self.handle.describe()} failed: {type(exc).__name__}: {exc}"
                raise StreamIOError(detail, command=what) from exc
            finally:
                self.ops.discard(scope)
        raise self._closed_error(what)  # only Close cancels this scope

    def _check_open(self, what: str) -> None:
        if self.closed:
            raise self._closed_error(what)

    def _closed_error(self, what: str) -> StreamClosedError:
        return StreamClosedError(
            f"{self.handle.describe()} is closed ({self.closed})", command=what
        )

    async def read(self, max_bytes: int, what: str) -> bytes:
        """Up to ``max_bytes`` bytes, ``b""`` at the end. A checkpoint."""
        self.require("readable", what)
        return await self.run(what, self.reading, lambda: self._read(max_bytes))

    async def _read(self, max_bytes: int) -> bytes:
        if self.pending:
            await trio.lowlevel.checkpoint()
            out = bytes(self.pending[:max_bytes])
            del self.pending[:max_bytes]
            return out
        return await self.pull(max_bytes)

    async def pull(self, max_bytes: int) -> bytes:
        """Read from the backend (past ``pending``), counting. Call holding ``reading``."""
        data = await self.backend.read(max_bytes)
        self.bytes_read += len(data)
        self.eof = not data
        return data

    async def write(self, data: bytes, what: str) -> None:
        """Hand all of ``data`` on, waiting while the sink is full. A checkpoint."""
        self.require("writable", what)
        await self.run(what, self.writing, lambda: self._write(data))

    async def _write(self, data: bytes) -> None:
        await self.backend.write(data)
        self.bytes_written += len(data)

    async def seek(self, offset: int, whence: int, what: str) -> int:
        """Move the position (whence as ``os.SEEK_*``); the new position. A checkpoint."""
        self.require("seekable", what)
        return await self.run(what, self.reading, lambda: self._seek(offset, whence))

    async def _seek(self, offset: int, whence: int) -> int:
        if whence == os.SEEK_CUR:
            offset -= len(self.pending)  # the backend is ahead by what a scanner kept
        position = await self.backend.seek(offset, whence)
        self.pending.clear()
        self.eof = False
        return position

    async def flush(self, what: str) -> None:
        """Push written data on. A checkpoint."""
        self.require("writable", what)
        await self.run(what, self.writing, self.backend.flush)

    async def stat(self, what: str) -> StreamStat:
        """Counters, position and size. A checkpoint."""
        return await self.run(what, self.reading, self._stat)

    async def _stat(self) -> StreamStat:
        position = await self.backend.position()
        if position is not None:
            position -= len(self.pending)
        size = await self.backend.size()
        return StreamStat(
            self.handle, self.bytes_read, self.bytes_written, self.eof, position, size
        )

    async def close(self, why: str) -> None:
        """Stop every read and write on it, then close the backend (once; later calls return
        at once). Shielded, and bounded by ``CLOSE_GRACE``. A checkpoint.

        Raises:
            StreamIOError: the backend failed to close (it is closed as far as actorkit goes).
        """
        if self.closed:
            await trio.lowlevel.checkpoint()
            return
        self.closed = why
        for scope in self.ops:
            scope.cancel()
        if self.guard is not None:
            self.guard.cancel()
        self.pending.clear()
        with trio.CancelScope(shield=True):
            with trio.move_on_after(CLOSE_GRACE):
                await self._unwind()
            with trio.move_on_after(CLOSE_GRACE):  # a Trio stream closes forcefully then
                try:
                    await self.backend.aclose()
                except Exception as exc:
                    detail = f"{self.handle.describe()} failed to close: {exc!r}"
                    raise StreamIOError(detail) from exc

    async def _unwind(self) -> None:
        """Wait for the cancelled reads and writes to let go (a file read in a thread
        cannot be interrupted)."""
        async with self.reading:
            pass
        async with self.writing:
            pass
