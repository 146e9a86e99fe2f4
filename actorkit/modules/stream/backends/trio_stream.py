"""Trio streams: a ``ReceiveStream`` (a pipe's read end, a socket), a ``SendStream`` (a
pipe's write end), or a full ``Stream`` / ``HalfCloseableStream`` (both)."""

from __future__ import annotations

import trio

from .base import Backend


class TrioStreamBackend(Backend):
    """Reads with ``receive_some``, writes with ``send_all``: each waits for the peer."""

    def __init__(
        self, stream: trio.abc.ReceiveStream | trio.abc.SendStream, *, kind: str = "pipe"
    ) -> None:
        self.stream = stream
        self.kind = kind
        self.readable = isinstance(stream, trio.abc.ReceiveStream)
        self.writable = isinstance(stream, trio.abc.SendStream)

    async def read(self, max_bytes: int) -> bytes:
        """``receive_some(max_bytes)``."""
        assert isinstance(self.stream, trio.abc.ReceiveStream)
        return bytes(await self.stream.receive_some(max_bytes))

    async def write(self, data: bytes) -> None:
        """``send_all(data)``."""
        assert isinstance(self.stream, trio.abc.SendStream)
        await self.stream.send_all(data)

    async def aclose(self) -> None:
        """``aclose()`` (forceful if cancelled, as Trio's streams are)."""
        await self.stream.aclose()
