"""permessage-deflate: ``Connect(compression=True)`` against real servers that negotiate
it (wsproto on a Trio socket, counting the bytes on the wire; hypercorn), and against one
that does not (trio-websocket)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, MutableMapping
from typing import Any, cast

import pytest
import trio
from hypercorn.config import Config
from hypercorn.trio import serve  # pyright: ignore[reportUnknownVariableType]

import actorkit
from actorkit.modules import websocket as ws

from ._deflate import DeflateServer, serving_deflate
from ._server import Server

PROMPT = 30.0  # a deadline for what should happen at once, generous under load
TEXT = "all work and no play makes jack a dull boy\n" * 2500  # 110,000 characters


@pytest.fixture
async def deflate_server() -> AsyncGenerator[DeflateServer]:
    async with serving_deflate() as running:
        yield running


Scope = MutableMapping[str, Any]
AsgiReceive = Callable[[], Awaitable[MutableMapping[str, Any]]]
AsgiSend = Callable[[MutableMapping[str, Any]], Awaitable[None]]


async def _asgi_echo(scope: Scope, receive: AsgiReceive, send: AsgiSend) -> None:
    """An ASGI app echoing every websocket message (hypercorn offers permessage-deflate)."""
    if scope["type"] == "lifespan":
        while (kind := (await receive())["type"].rsplit(".", 1)[1]) != "shutdown":
            await send({"type": f"lifespan.{kind}.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    while (message := await receive())["type"] == "websocket.receive":
        await send(
            {"type": "websocket.send", "text": message.get("text"), "bytes": message.get("bytes")}
        )


@pytest.fixture
async def hypercorn_url() -> AsyncGenerator[str]:
    config = Config()
    config.bind = ["127.0.0.1:0"]
    config.graceful_timeout = 0.0
    async with trio.open_nursery() as nursery:
        start = cast("Callable[..., Awaitable[None]]", serve)
        binds: list[str] = await nursery.start(start, _asgi_echo, config)
        yield binds[0].replace("http://", "ws://")
        nursery.cancel_scope.cancel()


async def echo(proc: actorkit.Process, conn: ws.Connection, data: str | bytes) -> str | bytes:
    await proc.call(ws.Send(conn, data))
    return await proc.call(ws.Receive(conn), timeout=PROMPT)


async def test_ws_compression_is_negotiated_and_compresses(
    wnode: actorkit.Node, deflate_server: DeflateServer
) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{deflate_server.url}/echo", compression=True))
        assert conn.extensions == ("permessage-deflate",)
        assert await echo(proc, conn, TEXT) == TEXT  # the server's answer came compressed too
        assert await echo(proc, conn, TEXT.encode()) == TEXT.encode()
    assert deflate_server.offered == [["permessage-deflate"]]
    assert deflate_server.accepted == [["permessage-deflate"]]
    assert deflate_server.received < len(TEXT) // 10  # two messages, each well compressed


async def test_ws_compression_with_hypercorn(wnode: actorkit.Node, hypercorn_url: str) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{hypercorn_url}/echo", compression=True))
        assert await echo(proc, conn, TEXT) == TEXT
        assert await echo(proc, conn, b"\x00\x01" * 5000) == b"\x00\x01" * 5000
    assert conn.extensions == ("permessage-deflate",)


async def test_ws_compression_is_off_by_default(
    wnode: actorkit.Node, deflate_server: DeflateServer
) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{deflate_server.url}/echo"))
        assert await echo(proc, conn, TEXT) == TEXT
    assert (conn.extensions, deflate_server.offered) == ((), [[]])
    assert deflate_server.received > len(TEXT)


async def test_ws_compression_refused_by_the_server_leaves_it_plain(
    wnode: actorkit.Node, deflate_server: DeflateServer, server: Server
) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{deflate_server.url}/plain/echo", compression=True))
        assert await echo(proc, conn, TEXT) == TEXT
        other = await proc.call(ws.Connect(f"{server.url}/echo", compression=True))
        assert await echo(proc, other, "hi") == "hi"  # trio-websocket ignores the offer
    assert (conn.extensions, other.extensions) == ((), ())
    assert deflate_server.received > len(TEXT)


async def test_ws_compression_bomb_stops_at_max_message_size(
    wnode: actorkit.Node, deflate_server: DeflateServer
) -> None:
    url = f"{deflate_server.url}/bomb?n={64 * 1024 * 1024}"  # 64 MiB of zeros, ~64 KiB sent
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(url, compression=True, max_message_size=1024 * 1024))
        with pytest.raises(ws.ConnectionClosedError) as info:
            await proc.call(ws.Receive(conn), timeout=PROMPT)
    assert info.value.code == 1009


def test_ws_compression_option_is_checked() -> None:
    with pytest.raises(ws.WebSocketArgumentError, match="compression must be a bool"):
        ws.Connect("ws://example.com/", compression=1)  # type: ignore[arg-type]
