"""A response body read chunk by chunk, never past ``max_response_body``.

:class:`BodyChunks` is what a buffered request collects and what a streamed one hands the
stream module. Reading stops as soon as the limit is passed; closing it early (a stream
closed before its end, a body too large) cuts its connection off
(:class:`~.transport.CuttableStream`): the next read fails, every iterator between here and
the socket finishes, and httpcore closes the connection instead of pooling it half-read.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import trio

from .decoding import BodyDecoder, DecodeError
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
    """The decoded body of ``response``, chunk by chunk, at most ``limit`` bytes in all.

    The raw body is decoded a piece at a time (:class:`~.decoding.BodyDecoder`), so a
    compressed body is refused as soon as its decoded size passes the limit, having decoded
    at most one piece more: a gzip bomb costs no more memory than the limit.
    """

    def __init__(self, response: httpx.Response, limit: int) -> None:
        self._response = response
        self._raw = response.aiter_raw()
        encodings = response.headers.get_list("content-encoding", split_commas=True)
        self._decoder = BodyDecoder(encodings)
        self._pieces: Iterator[bytes] = iter(())
        self._limit = limit
        self._size = 0
        self._raw_done = False
        self._done = False
        self._closed = False

    def __aiter__(self) -> BodyChunks:
        return self

    async def __anext__(self) -> bytes:
        """The next chunk. A checkpoint.

        Raises:
            ResponseTooLargeError: the body passed the limit (the response is closed).
            HttpConnectionError: the connection broke, or the body does not decode.
        """
        if self._closed:
            raise StopAsyncIteration
        try:
            chunk = await self._next()
        except StopAsyncIteration:
            self._done = True
            await self.aclose()
            raise
        except (httpx.HTTPError, DecodeError) as exc:
            await self.aclose()
            raise HttpConnectionError(f"reading the body: {type(exc).__name__}: {exc}") from exc
        self._size += len(chunk)
        if self._size > self._limit:
            await self.aclose()
            raise ResponseTooLargeError(f"the body exceeds max_response_body ({self._limit} bytes)")
        return chunk

    async def _next(self) -> bytes:
        """The next decoded piece, reading raw chunks as they are needed."""
        read = False
        while True:
            piece = next(self._pieces, None)
            if piece is not None:
                if not read:
                    await trio.lowlevel.checkpoint()
                return piece
            if self._raw_done:
                raise StopAsyncIteration
            try:
                raw = await anext(self._raw)
            except StopAsyncIteration:
                self._raw_done = True
                self._pieces = self._decoder.flush()
            else:
                self._pieces = self._decoder.feed(raw)
            read = True

    async def aclose(self) -> None:
        """Stop reading and release the connection (closed unless the body was read to
        its end). A checkpoint; idempotent."""
        if self._closed:
            return
        self._closed = True
        if not self._done:
            # On HTTP/2 this cuts the requests sharing the connection too: httpcore cannot
            # reset one stream, and an abandoned stream would hold the connection's window.
            _cut(self._response)
            try:
                async for _ in self._raw:  # what was read ahead, then the failed read
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
