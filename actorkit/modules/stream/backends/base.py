"""The backend interface: one object per open stream, adapting a source to reads and writes.

The stream module calls a backend only for what it declared it can do (``readable``,
``writable``, ``seekable``), one read and one write at a time, and ``aclose`` exactly once.
Backends never buffer more than the chunk they were last handed: reads pull from the
source only when a process asks, so a slow reader backpressures the producer.
"""

from __future__ import annotations

import trio


class Backend:
    """A stream's source or sink. Subclasses override what their flags say they can do."""

    kind = "stream"
    readable = False
    writable = False
    seekable = False

    async def read(self, max_bytes: int) -> bytes:
        """Up to ``max_bytes`` bytes (at least one), or ``b""`` at the end. A checkpoint."""
        raise NotImplementedError

    async def write(self, data: bytes) -> None:
        """Hand all of ``data`` on, waiting while the sink is full. A checkpoint."""
        raise NotImplementedError

    async def seek(self, offset: int, whence: int) -> int:
        """Move the position as ``io.IOBase.seek`` does; the new position. A checkpoint."""
        raise NotImplementedError

    async def flush(self) -> None:
        """Push written data on (a file's buffer to the OS). A checkpoint."""
        await trio.lowlevel.checkpoint()

    async def position(self) -> int | None:
        """The current position, if the source has one. A checkpoint."""
        await trio.lowlevel.checkpoint()
        return None

    async def size(self) -> int | None:
        """The total size, if known. A checkpoint."""
        await trio.lowlevel.checkpoint()
        return None

    async def aclose(self) -> None:
        """Release the source (called once). A checkpoint."""
        raise NotImplementedError
