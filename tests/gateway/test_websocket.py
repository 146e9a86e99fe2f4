"""Websocket routes against a real gateway on loopback, with trio-websocket as the client."""

from __future__ import annotations

import pytest
import trio
import trio.testing
from trio_websocket import ConnectionClosed

import actorkit
from actorkit.gateway import (
    RouteError,
    WebSocket,
    WebSocketClosed,
    WebSocketFrame,
    WebSocketOpened,
    websocket,
)

from .conftest import client, open_ws, serving

UPGRADE = {
    "connection": "upgrade",
    "upgrade": "websocket",
    "sec-websocket-version": "13",
    "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
}


def ws_url(base: str, path: str) -> str:
    return base.replace("http://", "ws://") + path


async def echo(proc: actorkit.Process, ws: WebSocket) -> None:
    """One process per connection: echo every frame, prefixed by the room name."""
    async for data in ws.frames(proc):
        if isinstance(data, str):
            await ws.send(f"{ws.request.params['room']}: {data}")
        else:
            await ws.send(data[::-1])


async def test_websocket_each_connection_is_an_echo_process() -> None:
    routes = [websocket("/echo/{room}", spawn=echo)]
    async with serving(routes) as (node, base), open_ws(ws_url(base, "/echo/lobby")) as conn:
        await conn.send_message("hi")
        await conn.send_message(b"\x01\x02")
        text, binary = await conn.get_message(), await conn.get_message()
        functions = [p.function for p in node.statistics().processes]
    assert (text, binary) == ("lobby: hi", b"\x02\x01")
    assert "echo" in functions


async def test_websocket_closes_when_the_process_exits() -> None:
    async def one_shot(proc: actorkit.Process, ws: WebSocket) -> None:
        await ws.send("bye")

    async def crashes(proc: actorkit.Process, ws: WebSocket) -> None:
        raise RuntimeError("handler bug")

    routes = [websocket("/once", spawn=one_shot), websocket("/crash", spawn=crashes)]
    codes: list[int | None] = []
    async with serving(routes) as (_, base):
        for path in ("/once", "/crash"):
            async with open_ws(ws_url(base, path)) as conn:
                if path == "/once":
                    assert await conn.get_message() == "bye"
                with pytest.raises(ConnectionClosed) as closed:
                    await conn.get_message()
                assert closed.value.reason is not None
                codes.append(closed.value.reason.code)
    assert codes == [1000, 1011]


async def test_websocket_process_hears_the_peer_close() -> None:
    heard: list[object] = []
    done = trio.Event()

    async def listener(proc: actorkit.Process, ws: WebSocket) -> None:
        event = await proc.receive(kind=(WebSocketFrame, WebSocketClosed))
        heard.append(event)
        event = await proc.receive(kind=(WebSocketFrame, WebSocketClosed))
        heard.append(event)
        with pytest.raises(trio.ClosedResourceError):
            await ws.send("too late")
        done.set()

    async with serving([websocket("/listen", spawn=listener)]) as (_, base):
        async with open_ws(ws_url(base, "/listen")) as conn:
            await conn.send_message("one")
        await done.wait()
    assert isinstance(heard[0], WebSocketFrame)
    assert heard[0].data == "one"
    assert isinstance(heard[1], WebSocketClosed)
    assert heard[1].code in {1000, 1006}  # hypercorn reports 1006 for an accepted one


async def hub(proc: actorkit.Process) -> None:
    """One running process serving every connection handed to it."""
    while True:
        event = await proc.receive(kind=(WebSocketOpened, WebSocketFrame, actorkit.Cancel))
        if isinstance(event, actorkit.Cancel):
            return
        if isinstance(event, WebSocketOpened):
            await event.ws.send(f"welcome {event.ws.id}")
        elif isinstance(event, WebSocketFrame):
            await event.ws.send(str(event.data).upper())
            if event.data == "quit":
                event.ws.close()


async def test_websocket_connections_handed_to_one_process() -> None:
    async with serving([websocket("/hub", process="hub")]) as (node, base):
        node.spawn(hub, name="hub")
        async with (
            open_ws(ws_url(base, "/hub")) as a,
            open_ws(ws_url(base, "/hub")) as b,
        ):
            welcome_a, welcome_b = await a.get_message(), await b.get_message()
            await b.send_message("from b")
            await a.send_message("quit")
            assert await b.get_message() == "FROM B"
            assert await a.get_message() == "QUIT"
            with pytest.raises(ConnectionClosed):  # ws.close() by the process
                await a.get_message()
    assert str(welcome_a).startswith("welcome ")
    assert welcome_a != welcome_b


async def test_websocket_frames_wait_for_a_full_mailbox() -> None:
    go = trio.Event()

    async def slow_reader(proc: actorkit.Process, ws: WebSocket) -> None:
        await go.wait()
        count = 0
        async for _ in ws.frames(proc):
            count += 1
            if count == 20:
                await ws.send(f"got {count}")

    routes = [websocket("/slow", spawn=slow_reader)]
    async with (
        serving(routes, mailbox_size=4) as (node, base),
        open_ws(ws_url(base, "/slow")) as conn,
    ):
        for i in range(20):
            await conn.send_message(str(i))
        await trio.testing.wait_all_tasks_blocked(cushion=0.05)
        depth = next(p.mailbox for p in node.statistics().processes if "slow" in p.function)
        go.set()
        assert await conn.get_message() == "got 20"
    assert depth == 4  # the bound held; the rest waited in the gateway, none was dropped


async def test_websocket_auth_refusal_is_a_401_handshake() -> None:
    async def whoami(proc: actorkit.Process, ws: WebSocket) -> None:
        await ws.send(str(ws.request.identity))

    route = websocket("/private", spawn=whoami, auth=lambda token: token == "t" or None)
    async with serving([route]) as (_, base):
        # The upgrade request through httpx: trio-websocket leaks its socket on a rejection.
        async with client(base) as http:
            rejected = await http.get("/private", headers=UPGRADE)
        async with open_ws(ws_url(base, "/private?token=t")) as conn:
            assert await conn.get_message() == "True"
    assert rejected.status_code == 401


async def test_websocket_shutdown_closes_connections_going_away() -> None:
    codes: list[int] = []

    async def hold(url: str, connected: trio.Event) -> None:
        async with open_ws(url) as conn:
            connected.set()
            with pytest.raises(ConnectionClosed) as closed:
                await conn.get_message()
            assert closed.value.reason is not None
            codes.append(closed.value.reason.code)

    routes = [websocket("/echo/{room}", spawn=echo)]
    async with trio.open_nursery() as nursery, serving(routes) as (_, base):
        connected = trio.Event()
        nursery.start_soon(hold, ws_url(base, "/echo/r"), connected)
        await connected.wait()
    assert codes == [1001]


async def test_websocket_to_a_missing_process_is_refused() -> None:
    async with serving([websocket("/hub", process="nobody")]) as (_, base), client(base) as http:
        refused = await http.get("/hub", headers=UPGRADE)
    assert refused.status_code == 403  # hypercorn's answer to a close before accept


def test_websocket_route_rejects_bad_fields() -> None:
    with pytest.raises(RouteError, match="spawn"):
        websocket("/x")
    with pytest.raises(RouteError, match="async process function"):
        websocket("/x", spawn=lambda proc, ws: None)  # type: ignore[arg-type,return-value]
    with pytest.raises(RouteError, match="queue"):
        websocket("/x", process="hub", queue=0)
