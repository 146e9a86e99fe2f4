"""Request bodies: read whole within a limit (:func:`read_body`), or handed to a ``stream=True``
route's target as the chunks arrive (:class:`BodyStream`), the limit counted as they come."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from .errors import BodyError, BodyTooLargeError

AsgiReceive = Callable[[], Awaitable[dict[str, Any]]]
Headers = tuple[tuple[str, str], ...]


def declared_length(headers: Headers) -> int | None:
    """The request's ``content-length``, or None (chunked, or not a number)."""
    declared = next((v for k, v in headers if k == "content-length"), None)
    return int(declared) if declared is not None and declared.isdigit() else None


async def read_body(receive: AsgiReceive, headers: Headers, limit: int) -> bytes | None:
    """The whole request body, or None as soon as it is known to be over ``limit`` bytes."""
    declared = declared_length(headers)
    if declared is not None and declared > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b""  # the client went away; nobody reads the response
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


class BodyStream:
    """A request body as it arrives: ``async for chunk in request.stream: ...``.

    Each step is a checkpoint that waits for the client's next chunk (so a reader that
    falls behind makes TCP push back on the client); the gateway holds one chunk at a
    time. The iteration ends at the end of the body.

    Raises (from the iteration):
        BodyTooLargeError: the chunks passed the route's ``max_body`` (the gateway then
            answers 413, even if the handler turned it into another error).
        BodyError: the client went away before the end, or the request is over (the
            handler returned or timed out).
    """

    def __init__(self, receive: AsgiReceive, limit: int, length: int | None) -> None:
        self._receive = receive
        self.limit = limit
        self.length = length
        """The ``content-length`` the client declared, or None (a chunked body)."""
        self.received = 0
        """Bytes handed out so far."""
        self.peak = 0
        """The largest chunk handed out, in bytes."""
        self.exceeded = False
        """True once the body passed ``limit``."""
        self.done = False
        self._over = False

    def __aiter__(self) -> BodyStream:
        return self

    async def __anext__(self) -> bytes:
        while True:
            if self.done:
                raise StopAsyncIteration
            if self.exceeded:
                raise BodyTooLargeError(f"request body over {self.limit} bytes")
            if self._over:
                raise BodyError("the request is over; its body can no longer be read")
            chunk = await self._next()
            if chunk:
                return chunk

    async def _next(self) -> bytes:
        message = await self._receive()
        if message["type"] != "http.request":
            self._over = True
            raise BodyError("the client went away before the end of the body")
        chunk: bytes = message.get("body", b"")
        self.done = not message.get("more_body", False)
        self.received += len(chunk)
        self.peak = max(self.peak, len(chunk))
        if self.received > self.limit:
            self.exceeded = True
            raise BodyTooLargeError(f"request body over {self.limit} bytes")
        return chunk

    async def read(self) -> bytes:
        """The rest of the body, whole (within ``max_body``). A checkpoint."""
        return b"".join([chunk async for chunk in self])

    def finish(self) -> None:
        """The request is over: later reads raise :class:`BodyError`."""
        self._over = True
