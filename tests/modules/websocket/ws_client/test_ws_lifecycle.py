"""Subscribe (85), ownership and exit, refused connections, bad input."""

from __future__ import annotations

import socket
from typing import Any, cast

import pytest
import trio

import actorkit
from actorkit.modules import http
from actorkit.modules import websocket as ws
from actorkit.modules.websocket.state import state_of
from actorkit.testing import open_test_node

from ._server import Server, established_to

PROMPT = 30.0  # a deadline for what should happen at once, generous under load


# -- subscriptions -------------------------------------------------------------------------


async def test_ws_subscribe_delivers_every_message_then_the_close(server: Server) -> None:
    modules = [ws.module(allow_networks=http.LOOPBACK, queue_size=1)]
    async with open_test_node(modules=modules, mailbox_size=4) as wnode, wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/burst?n=100"))
        await proc.call(ws.Subscribe(conn))
        await trio.testing.wait_all_tasks_blocked()  # the mailbox is full: it waits
        kinds = (ws.WebSocketMessage, ws.WebSocketClosed)
        events = [await proc.receive(kind=kinds, timeout=PROMPT) for _ in range(101)]
    messages = [e.data for e in events[:100] if isinstance(e, ws.WebSocketMessage)]
    assert messages == [f"m{i}" for i in range(100)]  # all of them, in order
    assert events[100] == ws.WebSocketClosed(conn, 4000, "done")


async def test_ws_subscribe_backpressure_stops_reading(
    wnode: actorkit.Node, server: Server
) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/echo"))
        await proc.call(ws.Subscribe(conn))
        for i in range(3):
            await proc.call(ws.Send(conn, f"e{i}"))
        got = [await proc.receive(kind=ws.WebSocketMessage, timeout=PROMPT) for _ in range(3)]
        with pytest.raises(ws.WebSocketError, match=r"^Receive \(id=82\): the connection is sub"):
            await proc.call(ws.Receive(conn))
        with pytest.raises(ws.WebSocketError, match="already subscribed"):
            await proc.call(ws.Subscribe(conn))
        await proc.call(ws.Close(conn))
        closed = await proc.receive(kind=ws.WebSocketClosed, timeout=PROMPT)
    assert [e.data for e in got] == ["e0", "e1", "e2"]
    assert closed.connection == conn


# -- ownership and exit --------------------------------------------------------------------


async def holder(proc: actorkit.Process, url: str, how: str) -> None:
    conn = await proc.call(ws.Connect(url))
    await proc.call(ws.Subscribe(conn))
    await proc.send("test", "connected", conn)
    if how == "crash":
        raise RuntimeError("crashed holding a connection")
    await proc.receive(topic="never")


@pytest.mark.parametrize("how", ["crash", "terminate", "return"])
async def test_ws_owner_exit_closes_its_connection(
    wnode: actorkit.Node, server: Server, how: str
) -> None:
    async with wnode.process(name="test") as proc:
        pid = await proc.spawn(holder, f"{server.url}/silent", how, monitor=True)
        msg = await proc.receive(topic="connected", timeout=PROMPT)
        if how == "terminate":
            await proc.terminate(pid)
        elif how == "return":
            await proc.cancel(pid)
        await proc.receive(kind=actorkit.Exit, timeout=PROMPT)
        with trio.fail_after(PROMPT):
            await server.wait_closes(1)
            for conn in list(state_of(wnode).live):  # the close handshake, then the socket
                await conn.finished.wait()
        with pytest.raises(ws.NoConnectionError):
            await proc.call(ws.Send(cast("ws.Connection", msg.payload), "x"))
    assert server.closes == [(1000, None)]
    assert established_to(server.port) == 0


async def test_ws_node_stop_closes_connections(server: Server) -> None:
    modules = [ws.module(allow_networks=http.LOOPBACK)]
    async with open_test_node(modules=modules) as wnode, wnode.process() as proc:
        await proc.call(ws.Connect(f"{server.url}/silent"))
        await proc.call(ws.Connect(f"{server.url}/silent"))
        assert established_to(server.port) == 2
    with trio.fail_after(PROMPT):
        await server.wait_closes(2)
    assert established_to(server.port) == 0


# -- connections that do not open ----------------------------------------------------------


async def test_ws_loopback_refused_by_default(server: Server) -> None:
    async with open_test_node(modules=[ws.module()]) as wnode, wnode.process() as proc:
        with pytest.raises(ws.AddressRefusedError) as info:
            await proc.call(ws.Connect(f"ws://localhost:{server.port}/echo"))
    assert str(info.value).startswith("Connect (id=80): localhost resolves to 127.0.0.1")
    assert server.opened == 0


async def test_ws_rejected_upgrade(wnode: actorkit.Node, server: Server) -> None:
    async with wnode.process() as proc:
        with pytest.raises(ws.HandshakeFailedError, match="HTTP 403") as info:
            await proc.call(ws.Connect(f"{server.url}/reject"))
    assert info.value.status_code == 403


async def test_ws_connection_refused(wnode: actorkit.Node) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with wnode.process() as proc:
        with pytest.raises(ws.HandshakeFailedError, match="OSError"):
            await proc.call(ws.Connect(f"ws://127.0.0.1:{port}/"))


async def test_ws_connect_timeout_and_call_deadline(wnode: actorkit.Node) -> None:
    listeners = await trio.open_tcp_listeners(0, host="127.0.0.1")  # never accepts
    port = listeners[0].socket.getsockname()[1]
    async with wnode.process() as proc:
        with pytest.raises(ws.WebSocketTimeoutError, match=r"no connection within 0\.05s"):
            await proc.call(ws.Connect(f"ws://127.0.0.1:{port}/", timeout=0.05))
        with pytest.raises(trio.TooSlowError):
            await proc.call(ws.Connect(f"ws://127.0.0.1:{port}/"), timeout=0.05)
    await listeners[0].aclose()
    assert established_to(port) == 0


# -- bad input -----------------------------------------------------------------------------

CONN = ws.Connection(1, "ws://example.com/")
FIVE: Any = 5
NOT_A_CONN: Any = "ws://x/"
NONE: Any = None


@pytest.mark.parametrize(
    ("build", "label", "field"),
    [
        (lambda: ws.Connect("http://example.com/"), "Connect (id=80)", "url"),
        (lambda: ws.Connect("ws://x:99999/"), "Connect (id=80)", "url"),
        (lambda: ws.Connect("ws://x/", headers={"a b": "v"}), "Connect (id=80)", "headers"),
        (lambda: ws.Connect("ws://x/", subprotocols="chat"), "Connect (id=80)", "subprotocols"),
        (lambda: ws.Connect("ws://x/", timeout=0), "Connect (id=80)", "timeout"),
        (lambda: ws.Send(CONN, FIVE), "Send (id=81)", "data"),
        (lambda: ws.Send(NOT_A_CONN, "hi"), "Send (id=81)", "connection"),
        (lambda: ws.Receive(NONE), "Receive (id=82)", "connection"),
        (lambda: ws.Close(CONN, code=1001), "Close (id=83)", "code"),
        (lambda: ws.Close(CONN, reason="r" * 200), "Close (id=83)", "reason"),
        (lambda: ws.Ping(CONN, payload=b"p" * 126), "Ping (id=84)", "payload"),
    ],
)
def test_ws_bad_fields_name_command_and_field(build: object, label: str, field: str) -> None:
    with pytest.raises(ws.WebSocketArgumentError) as info:
        build()  # type: ignore[operator]
    assert str(info.value).startswith(f"{label}: {field} must be")


async def test_ws_unknown_handle(wnode: actorkit.Node) -> None:
    async with wnode.process() as proc:
        with pytest.raises(ws.NoConnectionError, match=r"^Ping \(id=84\): connection #1 to"):
            await proc.call(ws.Ping(CONN))


def test_ws_module_options_are_checked() -> None:
    with pytest.raises(ValueError, match=r"websocket\.module: queue_size must be"):
        ws.module(queue_size=0)
    with pytest.raises(ValueError, match=r"websocket\.module: allow_networks must be IP"):
        ws.module(allow_networks=["x"])
