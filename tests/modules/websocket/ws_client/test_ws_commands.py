"""Connect (80), Send (81), Receive (82), Close (83), Ping (84) against a real server."""

from __future__ import annotations

import pytest
import trio

import actorkit
from actorkit.modules import websocket as ws

from ._server import Server

PROMPT = 30.0  # a deadline for what should happen at once, generous under load


async def test_ws_echo_text_and_binary(wnode: actorkit.Node, server: Server) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/echo"))
        await proc.call(ws.Send(conn, "hello"))
        await proc.call(ws.Send(conn, b"\x00\x01"))
        text = await proc.call(ws.Receive(conn), timeout=PROMPT)
        data = await proc.call(ws.Receive(conn), timeout=PROMPT)
    assert (text, data) == ("hello", b"\x00\x01")
    assert conn.url == f"{server.url}/echo"


async def test_ws_headers_and_subprotocols(wnode: actorkit.Node, server: Server) -> None:
    cmd = ws.Connect(f"{server.url}/headers", headers={"X-Token": "t1"}, subprotocols=["chat"])
    async with wnode.process() as proc:
        conn = await proc.call(cmd)
        seen = await proc.call(ws.Receive(conn), timeout=PROMPT)
    assert conn.subprotocol == "chat"
    assert seen == "t1 chat"


async def test_ws_ping_waits_for_its_pong(wnode: actorkit.Node, server: Server) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/echo"))
        await proc.call(ws.Ping(conn), timeout=PROMPT)
        await proc.call(ws.Ping(conn, payload=b"p1"), timeout=PROMPT)
        await proc.call(ws.Send(conn, "still open"))
        assert await proc.call(ws.Receive(conn), timeout=PROMPT) == "still open"


async def test_ws_close_sends_code_and_reason(wnode: actorkit.Node, server: Server) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/silent"))
        await proc.call(ws.Close(conn, code=4001, reason="bye"), timeout=PROMPT)
        with trio.fail_after(PROMPT):
            await server.wait_closes(1)
        assert server.closes == [(4001, "bye")]
        with pytest.raises(ws.NoConnectionError, match=r"^Send \(id=81\): connection #1 "):
            await proc.call(ws.Send(conn, "late"))
        with pytest.raises(ws.NoConnectionError):
            await proc.call(ws.Close(conn))


async def test_ws_peer_close_ends_receive(wnode: actorkit.Node, server: Server) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/burst?n=2"))
        got = [await proc.call(ws.Receive(conn), timeout=PROMPT) for _ in range(2)]
        with pytest.raises(ws.ConnectionClosedError) as info:
            await proc.call(ws.Receive(conn), timeout=PROMPT)
        with pytest.raises(ws.ConnectionClosedError):
            await proc.call(ws.Send(conn, "late"))
        with pytest.raises(ws.ConnectionClosedError, match=r"^Ping \(id=84\): the connection"):
            await proc.call(ws.Ping(conn))
        await proc.call(ws.Close(conn))  # the handle is still ours to drop
    assert got == ["m0", "m1"]
    assert (info.value.code, info.value.reason) == (4000, "done")
    assert str(info.value) == "Receive (id=82): the connection is closed (code 4000, 'done')"


async def test_ws_receive_timeout_leaves_the_connection_usable(
    wnode: actorkit.Node, server: Server
) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/echo"))
        with pytest.raises(trio.TooSlowError):
            await proc.call(ws.Receive(conn), timeout=0.05)
        await proc.call(ws.Send(conn, "after"))
        assert await proc.call(ws.Receive(conn), timeout=PROMPT) == "after"


async def test_ws_message_over_the_limit_closes_1009(wnode: actorkit.Node, server: Server) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/big?n=2000", max_message_size=1000))
        with pytest.raises(ws.ConnectionClosedError) as info:
            await proc.call(ws.Receive(conn), timeout=PROMPT)
    assert info.value.code == 1009


async def user(proc: actorkit.Process, conn: ws.Connection) -> None:
    await proc.call(ws.Send(conn, "not mine"))


async def test_ws_only_the_owner_may_use_a_connection(wnode: actorkit.Node, server: Server) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/echo"))
        pid = await proc.spawn(user, conn, monitor=True)
        down = await proc.receive(kind=actorkit.Exit, timeout=PROMPT)
        await proc.call(ws.Send(conn, "mine"))
        assert await proc.call(ws.Receive(conn), timeout=PROMPT) == "mine"
    assert down.pid == pid
    assert isinstance(down.error, ws.NotOwnerError)
    assert f"connection #1 belongs to {proc.pid}" in str(down.error)


async def test_ws_ping_payload_in_flight(wnode: actorkit.Node, server: Server) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/echo"))
        first = proc.yield_(ws.Ping(conn, payload=b"same"))
        second = proc.yield_(ws.Ping(conn, payload=b"same"))
        done = [await proc.receive(kind=actorkit.Completion, timeout=PROMPT) for _ in range(2)]
    errors = {event.tag: event.error for event in done}
    assert errors[first] is None
    assert isinstance(errors[second], ws.WebSocketError)
    assert "a ping with payload b'same' is in flight" in str(errors[second])
