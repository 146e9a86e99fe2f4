"""A response body read chunk by chunk, never past ``max_response_body``.

:class:`BodyChunks` is what a buffered request collects and what a streamed one hands the
stream module. Reading stops as soon as the limit is passed; closing it early (a stream
closed before its end, a body too large) cuts its connection off
(:class:`~.transport.CuttableStream`): the next read fails, every iterator between here and
the socket finishes, and httpcore closes the connection instead of pooling it half-read.
"""

from __future__ import annotations

import httpx

from .errors import HttpConnectionError, ResponseTooLargeError
from .transport import CuttableStream


def check_length(response: httpx.Response, limit: int) -> int | None:
    """The response's Content-Length, if it gives one.

    Raises:
        ResponseTooLargeError: it is over ``limit``.
    """
    length = response.headers.get("content-length", "")
    if not length.isdigit():
        return None
    if int(length) > limit:
        raise ResponseTooLargeError(
            f"Content-Length {length} exceeds max_response_body ({limit} bytes)"
        )
    return int(length)


class BodyChunks:
    """The decoded body of ``response``, chunk by chunk, at most ``limit`` bytes in all."""

    def __init__(self, response: httpx.Response, limit: int) -> None:
        self._response = response
        self._chunks = response.aiter_bytes()
        self._limit = limit
        self._size = 0
        self._done = False
        self._closed = False

    def __aiter__(self) -> BodyChunks:
        return self

    async def __anext__(self) -> bytes:
        """The next chunk. A checkpoint.

        Raises:
            ResponseTooLargeError: the body passed the limit (the response is closed).
            HttpConnectionError: the connection broke.
        """
        if self._closed:
            raise StopAsyncIteration
        try:
            chunk = await anext(self._chunks)
        except StopAsyncIteration:
            self._done = True
            await self.aclose()
            raise
        except httpx.HTTPError as exc:
            await self.aclose()
            raise HttpConnectionError(f"reading the body: {type(exc).__name__}: {exc}") from exc
        self._size += len(chunk)
        if self._size > self._limit:
            await self.aclose()
            raise ResponseTooLargeError(f"the body exceeds max_response_body ({self._limit} bytes)")
        return chunk

    async def aclose(self) -> None:
        """Stop reading and release the connection (closed unless the body was read to
        its end). A checkpoint; idempotent."""
        if self._closed:
            return
        self._closed = True
        if not self._done:
            _cut(self._response)
            try:
                async for _ in self._chunks:  # what was read ahead, then the failed read
                    pass
            except httpx.ReadError:
                pass  # the read that the cut made fail: expected
        await self._response.aclose()


def _cut(response: httpx.Response) -> None:
    stream = response.extensions.get("network_stream")
    if isinstance(stream, CuttableStream):
        stream.cut()


async def read_body(response: httpx.Response, limit: int) -> bytes:
    """The whole (decoded) body, refused as soon as it is known to pass ``limit`` bytes."""
    check_length(response, limit)
    body = BodyChunks(response, limit)
    try:
        return b"".join([chunk async for chunk in body])
    finally:
        await body.aclose()
