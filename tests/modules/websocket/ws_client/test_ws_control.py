"""Pings and pongs as events (``Connect(control_events=True)``) and pings sent without
waiting (``Ping(wait=False)``), against a real trio-websocket server on loopback."""

from __future__ import annotations

import pytest
import trio

import actorkit
from actorkit.modules import http
from actorkit.modules import websocket as ws
from actorkit.testing import open_test_node

from ._server import Server

PROMPT = 30.0  # a deadline for what should happen at once, generous under load
CONTROL = (ws.WebSocketPing, ws.WebSocketPong)


async def test_ws_control_events_deliver_the_servers_ping_and_pong(
    wnode: actorkit.Node, server: Server
) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/pinger", control_events=True))
        ping = await proc.receive(kind=ws.WebSocketPing, timeout=PROMPT)
        assert await proc.call(ws.Receive(conn), timeout=PROMPT) == "ponged"  # answered
        pong = await proc.receive(kind=ws.WebSocketPong, timeout=PROMPT)
        assert await proc.call(ws.Receive(conn), timeout=PROMPT) == "after-pong"
    assert ping == ws.WebSocketPing(conn, b"from-server")
    assert pong == ws.WebSocketPong(conn, b"heartbeat")


async def test_ws_control_events_deliver_the_pong_of_a_ping(
    wnode: actorkit.Node, server: Server
) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/echo", control_events=True))
        await proc.call(ws.Ping(conn, payload=b"waited"), timeout=PROMPT)
        waited = await proc.receive(kind=ws.WebSocketPong, timeout=PROMPT)
        await proc.call(ws.Ping(conn, payload=b"sent", wait=False), timeout=PROMPT)
        sent = await proc.receive(kind=ws.WebSocketPong, timeout=PROMPT)
        await proc.call(ws.Ping(conn, wait=False), timeout=PROMPT)  # an empty payload
        empty = await proc.receive(kind=ws.WebSocketPong, timeout=PROMPT)
    assert [e.payload for e in (waited, sent, empty)] == [b"waited", b"sent", b""]


async def test_ws_control_events_are_lossless(server: Server) -> None:
    modules = [ws.module(allow_networks=http.LOOPBACK)]
    async with open_test_node(modules=modules, mailbox_size=4) as wnode, wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/pongs?n=50", control_events=True))
        await trio.testing.wait_all_tasks_blocked()  # the mailbox is full: the reader waits
        pongs = [await proc.receive(kind=ws.WebSocketPong, timeout=PROMPT) for _ in range(50)]
        assert await proc.call(ws.Receive(conn), timeout=PROMPT) == "done"
    assert [p.payload for p in pongs] == [f"p{i}".encode() for i in range(50)]


async def test_ws_control_events_are_off_by_default(wnode: actorkit.Node, server: Server) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/pinger"))
        assert await proc.call(ws.Receive(conn), timeout=PROMPT) == "ponged"  # still answered
        assert await proc.call(ws.Receive(conn), timeout=PROMPT) == "after-pong"
        await proc.call(ws.Ping(conn, payload=b"quiet"), timeout=PROMPT)
        # the events would have come before the messages and the pong's completion
        with pytest.raises(trio.TooSlowError):
            await proc.receive(kind=CONTROL, timeout=0)


async def test_ws_ping_without_wait_on_a_closed_connection(
    wnode: actorkit.Node, server: Server
) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/burst?n=0", control_events=True))
        with pytest.raises(ws.ConnectionClosedError, match=r"Receive \(id=82\)"):
            await proc.call(ws.Receive(conn), timeout=PROMPT)
        with pytest.raises(ws.ConnectionClosedError, match=r"Ping \(id=84\).*code 4000"):
            await proc.call(ws.Ping(conn, payload=b"late", wait=False), timeout=PROMPT)


def test_ws_control_options_are_checked() -> None:
    with pytest.raises(ws.WebSocketArgumentError, match="control_events must be a bool"):
        ws.Connect("ws://example.com/", control_events="yes")  # type: ignore[arg-type]
    conn = ws.Connection(1, "ws://example.com/")
    with pytest.raises(ws.WebSocketArgumentError, match=r"Ping \(id=84\): wait must be a bool"):
        ws.Ping(conn, wait=None)  # type: ignore[arg-type]
