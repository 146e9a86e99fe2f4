"""What a handler gets (:class:`HttpRequest`) and gives back (:class:`HttpResponse`)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, Mapping
from typing import Any

import attrs

from ._body import BodyStream

Headers = tuple[tuple[str, str], ...]
OCTETS = "application/octet-stream"


@attrs.frozen
class HttpRequest:
    """One HTTP request, its body read whole (within the route's size limit), or, on a
    ``stream=True`` route, coming as ``stream`` while ``body`` stays empty.

    ``params`` holds the path's ``{name}`` parts; ``headers`` are lower-cased names in
    arrival order; ``identity`` is what the route's ``auth`` returned (None without auth).
    """

    method: str
    path: str
    params: Mapping[str, str] = attrs.field(factory=dict[str, str])
    query: Mapping[str, str] = attrs.field(factory=dict[str, str])
    headers: Headers = ()
    body: bytes = b""
    identity: object = None
    stream: BodyStream | None = None

    def header(self, name: str, default: str | None = None) -> str | None:
        """The first header called ``name`` (any case), or ``default``."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key == wanted), default)

    def text(self) -> str:
        """The body decoded as UTF-8."""
        return self.body.decode()

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


@attrs.frozen
class HttpResponse:
    """A response: status, body and headers (``content-type`` included if you set one).

    A streamed response (:meth:`streamed`) has ``chunks`` instead of a ``body``: the
    gateway sends each chunk as it comes, holding one at a time.
    """

    status: int = 200
    body: bytes = b""
    headers: Headers = ()
    chunks: AsyncIterable[bytes] | None = None
    length: int | None = None

    @classmethod
    def streamed(
        cls,
        chunks: AsyncIterable[bytes],
        *,
        status: int = 200,
        headers: Headers = (),
        length: int | None = None,
    ) -> HttpResponse:
        """A response whose body is ``chunks``: an async iterator of ``bytes`` or a Trio
        ``ReceiveStream``, read as the client takes it (TCP pushes back on a slow one).

        ``length``, when known, is sent as ``content-length``; without it the body is sent
        chunked (HTTP/1.1). The gateway closes ``chunks`` (its ``aclose``) when it is done,
        whether the body was sent whole, the client left, or the iterator failed; a failure
        after the first chunk breaks the connection, so the client sees a short body.
        """
        return cls(status, b"", headers, chunks, length)

    @classmethod
    def json(cls, value: object, status: int = 200) -> HttpResponse:
        """A JSON response."""
        body = json.dumps(value, separators=(",", ":")).encode()
        return cls(status, body, (("content-type", "application/json"),))

    @classmethod
    def text(cls, value: str, status: int = 200) -> HttpResponse:
        """A plain-text UTF-8 response."""
        return cls(status, value.encode(), (("content-type", "text/plain; charset=utf-8"),))


def to_response(value: object) -> HttpResponse:
    """What a handler returned as a response: an :class:`HttpResponse` as is, ``str`` as
    text, ``bytes`` as octets, an async iterable (or a Trio ``ReceiveStream``) as streamed
    octets, None as 204, anything else as JSON."""
    if isinstance(value, HttpResponse):
        return value
    if isinstance(value, AsyncIterable):
        chunks: AsyncIterable[bytes] = value  # pyright: ignore[reportUnknownVariableType]
        return HttpResponse.streamed(chunks, headers=(("content-type", OCTETS),))
    if isinstance(value, str):
        return HttpResponse.text(value)
    if isinstance(value, bytes | bytearray):
        return HttpResponse(200, bytes(value), (("content-type", OCTETS),))
    if value is None:
        return HttpResponse(204)
    return HttpResponse.json(value)


def error_response(status: int, reason: str) -> HttpResponse:
    """A small JSON error body: ``{"error": reason}``."""
    return HttpResponse.json({"error": reason}, status)
