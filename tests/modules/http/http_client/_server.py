"""A real HTTP server on loopback for the http tests: hypercorn's Trio worker serving a
small ASGI app.

Routes: ``/echo`` (the request back as JSON), ``/bytes?n=N`` (N bytes with a
Content-Length), ``/chunked?n=N&size=S`` (N bytes in chunks of S, no Content-Length),
``/redirect?to=URL`` (a 302), ``/status?code=C``, ``/slow`` (never answers; records that it
was left), ``/dribble`` (headers and 5 bytes, then nothing; records that it was left),
``/cookie`` (sets one), ``/bomb?mib=N`` (a gzip bomb: N MiB of compressed zeros, about a
thousand times that decoded; records how much it sent).
"""

from __future__ import annotations

import json
import ssl
import zlib
from collections.abc import AsyncGenerator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any, cast
from urllib.parse import parse_qs

import attrs
import trio
from hypercorn.config import Config
from hypercorn.trio import serve  # pyright: ignore[reportUnknownVariableType]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


@attrs.define
class Server:
    """The running server: its base URL and what it saw."""

    url: str = ""
    port: int = 0
    slow_started: trio.Event = attrs.field(factory=trio.Event)
    slow_left: trio.Event = attrs.field(factory=trio.Event)
    seen: list[str] = attrs.field(factory=list[str])
    versions: list[str] = attrs.field(factory=list[str])
    """The HTTP version of each request (``1.1``, ``2``)."""
    bomb_sent: int = 0
    """Compressed bytes ``/bomb`` handed to the server so far."""


async def _body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _answer(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def make_app(server: Server) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """The ASGI app, recording into ``server``."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        query = {k: v[0] for k, v in parse_qs(scope["query_string"].decode()).items()}
        server.seen.append(scope["path"])
        server.versions.append(scope["http_version"])
        route = ROUTES.get(scope["path"], _not_found)
        await route(server, scope, query, receive, send)

    return app


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        kind = message["type"].rsplit(".", 1)[1]  # startup or shutdown
        await send({"type": f"lifespan.{kind}.complete"})
        if kind == "shutdown":
            return


Route = Callable[[Server, Scope, dict[str, str], Receive, Send], Awaitable[None]]


async def _echo(
    server: Server, scope: Scope, query: dict[str, str], rcv: Receive, send: Send
) -> None:
    body = await _body(rcv)
    data = {
        "method": scope["method"],
        "path": scope["path"],
        "query": scope["query_string"].decode(),
        "headers": [[k.decode(), v.decode()] for k, v in scope["headers"]],
        "body": body.decode("latin-1"),
    }
    await _answer(send, 200, json.dumps(data).encode(), [(b"content-type", b"application/json")])


async def _bytes(
    server: Server, scope: Scope, query: dict[str, str], rcv: Receive, send: Send
) -> None:
    n = int(query["n"])
    await _answer(send, 200, b"x" * n, [(b"content-length", str(n).encode())])


async def _chunked(
    server: Server, scope: Scope, query: dict[str, str], rcv: Receive, send: Send
) -> None:
    n, size = int(query["n"]), int(query.get("size", "1024"))
    await send({"type": "http.response.start", "status": 200, "headers": []})
    sent = 0
    while sent < n:
        part = min(size, n - sent)
        sent += part
        await send({"type": "http.response.body", "body": b"y" * part, "more_body": sent < n})


async def _redirect(
    server: Server, scope: Scope, query: dict[str, str], rcv: Receive, send: Send
) -> None:
    await _answer(send, 302, b"", [(b"location", query["to"].encode())])


async def _status(
    server: Server, scope: Scope, query: dict[str, str], rcv: Receive, send: Send
) -> None:
    await _answer(send, int(query["code"]), b"status", [])


async def _slow(
    server: Server, scope: Scope, query: dict[str, str], rcv: Receive, send: Send
) -> None:
    server.slow_started.set()
    try:
        while (await rcv())["type"] != "http.disconnect":
            pass
    finally:
        server.slow_left.set()


async def _dribble(
    server: Server, scope: Scope, query: dict[str, str], rcv: Receive, send: Send
) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"first", "more_body": True})
    await _slow(server, scope, query, rcv, send)


async def _cookie(
    server: Server, scope: Scope, query: dict[str, str], rcv: Receive, send: Send
) -> None:
    await _answer(send, 200, b"", [(b"set-cookie", b"session=abc; Path=/")])


MIB = 1024 * 1024


def _bomb_parts() -> tuple[bytes, bytes]:
    """A gzip header with a first MiB of zeros, and a block that decodes to one more MiB
    (after a full flush each block stands alone, so it can be repeated)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    head = packer.compress(bytes(MIB)) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(bytes(MIB)) + packer.flush(zlib.Z_FULL_FLUSH)
    return head, block


HEAD, BLOCK = _bomb_parts()


async def _bomb(
    server: Server, scope: Scope, query: dict[str, str], rcv: Receive, send: Send
) -> None:
    """``mib`` MiB of blocks in 64-block sends (each about 64 MiB decoded); no trailer:
    a client that read it all would fail to decode it."""
    total = int(query["mib"]) * MIB
    headers = [(b"content-encoding", b"gzip"), (b"content-type", b"application/octet-stream")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": HEAD, "more_body": True})
    server.bomb_sent = len(HEAD)
    part = BLOCK * 64
    while server.bomb_sent < total:
        await send({"type": "http.response.body", "body": part, "more_body": True})
        server.bomb_sent += len(part)
    await send({"type": "http.response.body", "body": b""})


async def _not_found(
    server: Server, scope: Scope, query: dict[str, str], rcv: Receive, send: Send
) -> None:
    await _answer(send, 404, b"no such route", [])


ROUTES: dict[str, Route] = {
    "/echo": _echo,
    "/bytes": _bytes,
    "/chunked": _chunked,
    "/redirect": _redirect,
    "/status": _status,
    "/slow": _slow,
    "/cookie": _cookie,
    "/dribble": _dribble,
    "/bomb": _bomb,
}


@asynccontextmanager
async def serving(
    certs: tuple[str, str] | None = None, *, client_ca: str | None = None
) -> AsyncGenerator[Server]:
    """Run the server on 127.0.0.1 (a free port) while the block runs; with ``certs``
    (certificate and key files) it serves HTTPS, offering HTTP/2 and HTTP/1.1 (ALPN), and
    with ``client_ca`` it requires a client certificate signed by that CA (mutual TLS)."""
    server = Server()
    config = Config()
    config.bind = ["127.0.0.1:0"]
    config.graceful_timeout = 0.0
    if certs is not None:
        config.certfile, config.keyfile = certs
    if client_ca is not None:
        config.ca_certs = client_ca
        config.verify_mode = ssl.CERT_REQUIRED
    async with trio.open_nursery() as nursery:
        start = cast("Callable[..., Awaitable[None]]", serve)
        binds: list[str] = await nursery.start(start, make_app(server), config)
        server.url = binds[0]
        server.port = int(server.url.rsplit(":", 1)[1])
        yield server
        nursery.cancel_scope.cancel()


def established_to(port: int) -> int:
    """How many TCP connections of this machine to ``port`` are open (from /proc)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                remote, state = fields[2], fields[3]
                if state == "01" and int(remote.rsplit(":", 1)[1], 16) == port:
                    count += 1
    return count
