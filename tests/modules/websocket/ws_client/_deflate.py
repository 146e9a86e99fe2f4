"""A websocket server on loopback that negotiates permessage-deflate: wsproto on a Trio
socket (what hypercorn runs), so the tests can count the bytes that cross the wire.

Paths: ``/echo`` (every message back), ``/bomb?n=N`` (one message of N zero bytes, which
compresses to about a thousandth of that). ``/plain/...`` does the same without accepting
the extension.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from functools import partial
from urllib.parse import parse_qs, urlsplit

import attrs
import trio
from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    BytesMessage,
    CloseConnection,
    Event,
    Ping,
    Request,
    TextMessage,
)
from wsproto.extensions import Extension, PerMessageDeflate


@attrs.define
class DeflateServer:
    """The running server: its URL and what it saw."""

    url: str = ""
    received: int = 0
    """Bytes read off the sockets after the handshakes."""
    offered: list[list[str]] = attrs.field(factory=list[list[str]])
    """The extensions each client offered (their names)."""
    accepted: list[list[str]] = attrs.field(factory=list[list[str]])
    """The extensions accepted for each connection."""


@attrs.define
class _Peer:
    server: DeflateServer
    stream: trio.SocketStream
    ws: WSConnection = attrs.field(factory=lambda: WSConnection(ConnectionType.SERVER))
    path: str = ""
    texts: list[str] = attrs.field(factory=list[str])
    blobs: list[bytes] = attrs.field(factory=list[bytes])
    open: bool = False

    async def send(self, event: Event) -> None:
        await self.stream.send_all(self.ws.send(event))


async def _on_request(peer: _Peer, event: Request) -> None:
    peer.path = event.target
    offered = [(e if isinstance(e, str) else e.name).split(";")[0] for e in event.extensions]
    peer.server.offered.append(offered)
    plain = urlsplit(event.target).path.startswith("/plain")
    extensions: list[Extension] = [] if plain else [PerMessageDeflate()]
    await peer.send(AcceptConnection(extensions=extensions))
    peer.server.accepted.append([e.name for e in extensions if e.enabled()])
    peer.open = True
    if urlsplit(event.target).path.endswith("/bomb"):
        n = int(parse_qs(urlsplit(event.target).query)["n"][0])
        await peer.send(BytesMessage(data=bytes(n)))


async def _on_message(peer: _Peer, event: TextMessage | BytesMessage) -> None:
    if isinstance(event, TextMessage):
        peer.texts.append(event.data)
    else:
        peer.blobs.append(bytes(event.data))
    if not event.message_finished:
        return
    if isinstance(event, TextMessage):
        await peer.send(TextMessage(data="".join(peer.texts)))
    else:
        await peer.send(BytesMessage(data=b"".join(peer.blobs)))
    peer.texts.clear()
    peer.blobs.clear()


async def _on_event(peer: _Peer, event: Event) -> bool:
    """Handle one event; False once the connection is over."""
    if isinstance(event, Request):
        await _on_request(peer, event)
    elif isinstance(event, TextMessage | BytesMessage):
        await _on_message(peer, event)
    elif isinstance(event, Ping):
        await peer.send(event.response())
    elif isinstance(event, CloseConnection):
        await peer.send(event.response())
        return False
    return True


async def _serve(server: DeflateServer, stream: trio.SocketStream) -> None:
    peer = _Peer(server, stream)
    async with stream:
        while data := await stream.receive_some(65536):
            if peer.open:
                server.received += len(data)
            peer.ws.receive_data(data)
            for event in peer.ws.events():
                if not await _on_event(peer, event):
                    return


@asynccontextmanager
async def serving_deflate() -> AsyncGenerator[DeflateServer]:
    """Run the server on 127.0.0.1 (a free port) while the block runs."""
    server = DeflateServer()
    async with trio.open_nursery() as nursery:
        listeners = await nursery.start(
            partial(trio.serve_tcp, partial(_serve, server), 0, host="127.0.0.1")
        )
        server.url = f"ws://127.0.0.1:{listeners[0].socket.getsockname()[1]}"
        yield server
        nursery.cancel_scope.cancel()
