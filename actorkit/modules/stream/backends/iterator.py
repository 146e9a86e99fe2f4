"""An async iterator of byte chunks: an HTTP response body (``response.aiter_raw()``), a
websocket's messages, a generator a module writes. Read-only.

The iterator is advanced only when a process reads, so the producer waits for the reader.
A chunk larger than the read asked for is handed out over several reads (the only bytes
kept: the rest of the chunk the producer already made).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable

from .base import Backend


class IteratorBackend(Backend):
    """Reads the chunks of an async iterator in order; ``on_close`` runs after it closes."""

    readable = True

    def __init__(
        self,
        chunks: AsyncIterable[bytes],
        *,
        kind: str = "iterator",
        size: int | None = None,
        on_close: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self.kind = kind
        self._chunks: AsyncIterator[bytes] = aiter(chunks)
        self._rest = b""
        self._done = False
        self._size = size
        self._on_close = on_close

    async def read(self, max_bytes: int) -> bytes:
        """The next bytes, pulling one chunk from the iterator when none is left over."""
        while not self._rest and not self._done:
            try:
                self._rest = bytes(await anext(self._chunks))
            except StopAsyncIteration:
                self._done = True
        out, self._rest = self._rest[:max_bytes], self._rest[max_bytes:]
        return out

    async def size(self) -> int | None:
        """The size given when the stream was attached."""
        return await super().size() if self._size is None else self._size

    async def aclose(self) -> None:
        """Close the iterator (if it can be closed), then run ``on_close``."""
        self._rest = b""
        try:
            close = getattr(self._chunks, "aclose", None)
            if close is not None:
                await close()
        finally:
            if self._on_close is not None:
                await self._on_close()
