"""A real websocket server on loopback for the websocket tests (trio-websocket).

Paths: ``/echo`` (every message back), ``/burst?n=N`` (N numbered messages, then a close
with 4000 "done"), ``/big?n=N`` (one message of N bytes), ``/silent`` (answers nothing),
``/reject`` (refuses the upgrade with 403), ``/headers`` (sends back its ``x-token``
header and the subprotocol it picked), ``/pinger`` (pings the client with ``from-server``,
says ``ponged`` once the pong is back, sends an unasked pong ``heartbeat``, then says
``after-pong``), ``/pongs?n=N`` (N unasked pongs ``p0`` … then says ``done``). Every
connection's end is recorded.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from urllib.parse import parse_qs, urlsplit

import attrs
import trio
from trio_websocket import (
    ConnectionClosed,
    WebSocketConnection,
    WebSocketRequest,
    WebSocketServer,
)


@attrs.define
class Server:
    """The running server: its URL and what it saw."""

    url: str = ""
    port: int = 0
    opened: int = 0
    closes: list[tuple[int, str | None]] = attrs.field(factory=list[tuple[int, str | None]])
    changed: trio.Event = attrs.field(factory=trio.Event)

    def ended(self, code: int, reason: str | None) -> None:
        self.closes.append((code, reason))
        self.changed.set()
        self.changed = trio.Event()

    async def wait_closes(self, count: int) -> None:
        while len(self.closes) < count:
            await self.changed.wait()


async def _echo(ws: WebSocketConnection, query: dict[str, str]) -> None:
    while True:
        await ws.send_message(await ws.get_message())


async def _burst(ws: WebSocketConnection, query: dict[str, str]) -> None:
    for i in range(int(query["n"])):
        await ws.send_message(f"m{i}")
    await ws.aclose(4000, "done")


async def _big(ws: WebSocketConnection, query: dict[str, str]) -> None:
    await ws.send_message(b"z" * int(query["n"]))
    await ws.get_message()


async def _silent(ws: WebSocketConnection, query: dict[str, str]) -> None:
    await ws.get_message()


async def _headers(ws: WebSocketConnection, query: dict[str, str]) -> None:
    await ws.send_message(f"{query['x-token']} {ws.subprotocol}")
    await ws.get_message()


async def _pinger(ws: WebSocketConnection, query: dict[str, str]) -> None:
    await ws.ping(b"from-server")
    await ws.send_message("ponged")
    await ws.pong(b"heartbeat")
    await ws.send_message("after-pong")
    await ws.get_message()


async def _pongs(ws: WebSocketConnection, query: dict[str, str]) -> None:
    for i in range(int(query["n"])):
        await ws.pong(f"p{i}".encode())
    await ws.send_message("done")
    await ws.get_message()


ROUTES = {
    "/pongs": _pongs,
    "/echo": _echo,
    "/burst": _burst,
    "/big": _big,
    "/silent": _silent,
    "/headers": _headers,
    "/pinger": _pinger,
}


def make_handler(server: Server):  # type: ignore[no-untyped-def]
    async def handler(request: WebSocketRequest) -> None:
        parts = urlsplit(request.path)
        if parts.path == "/reject":
            await request.reject(403, body=b"no")
            return
        offered = request.proposed_subprotocols
        ws = await request.accept(subprotocol=offered[0] if offered else None)
        server.opened += 1
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        query |= {k.decode().lower(): v.decode() for k, v in request.headers}
        try:
            await ROUTES[parts.path](ws, query)
        except ConnectionClosed as exc:
            reason = exc.reason
            server.ended(reason.code if reason else 1006, reason.reason if reason else None)
        else:
            closed = ws.closed
            server.ended(closed.code if closed else 1006, closed.reason if closed else None)

    return handler


class _HandshakingListener(trio.abc.Listener[trio.SSLStream[trio.SocketStream]]):
    """A TLS listener that finishes each handshake before handing the stream over, and
    closes the connection when it fails (as a real server does; trio-websocket alone would
    keep the socket open until its connect timeout, and the client would wait as long)."""

    def __init__(self, tcp: trio.SocketListener, context: ssl.SSLContext) -> None:
        self.tcp = tcp
        self.context = context

    async def accept(self) -> trio.SSLStream[trio.SocketStream]:
        while True:
            stream = trio.SSLStream(await self.tcp.accept(), self.context, server_side=True)
            try:
                await stream.do_handshake()
            except trio.BrokenResourceError:
                await trio.aclose_forcefully(stream.transport_stream)
                continue
            return stream

    async def aclose(self) -> None:
        await self.tcp.aclose()


@asynccontextmanager
async def serving(context: ssl.SSLContext | None = None) -> AsyncGenerator[Server]:
    """Run the server on 127.0.0.1 (a free port) while the block runs; with ``context``
    it serves wss:// (and ``url`` names ``localhost``, the certificate's name)."""
    server = Server()
    (tcp,) = await trio.open_tcp_listeners(0, host="127.0.0.1")
    listener = tcp if context is None else _HandshakingListener(tcp, context)
    async with trio.open_nursery() as nursery:
        running = WebSocketServer(make_handler(server), [listener])  # type: ignore[list-item]
        await nursery.start(running.run)
        server.port = tcp.socket.getsockname()[1]
        server.url = f"ws://127.0.0.1:{server.port}"
        if context is not None:
            server.url = f"wss://localhost:{server.port}"
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
                if fields[3] == "01" and int(fields[2].rsplit(":", 1)[1], 16) == port:
                    count += 1
    return count
