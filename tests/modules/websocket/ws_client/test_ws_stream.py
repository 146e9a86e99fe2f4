"""Stream (86): a connection's messages read through the stream module, against a real
server on loopback."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from typing import cast

import pytest
import trio

import actorkit
from actorkit.modules import http, stream
from actorkit.modules import websocket as ws
from actorkit.modules.stream.state import streams
from actorkit.modules.websocket.state import state_of
from actorkit.testing import open_test_node

from ._server import Server, established_to

PROMPT = 30.0  # a deadline for what should happen at once, generous under load


@pytest.fixture
async def snode() -> AsyncGenerator[actorkit.Node]:
    """A node with the stream and websocket modules, loopback allowed."""
    modules = [stream.module(), ws.module(allow_networks=http.LOOPBACK)]
    async with open_test_node(modules=modules) as booted:
        yield booted


async def test_ws_stream_lines_through_a_scanner(snode: actorkit.Node, server: Server) -> None:
    async with snode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/echo"))
        handle = await proc.call(ws.Stream(conn))
        for part in ('{"a": 1}\n{"b"', b': "\xc3\xa9"}\n', '{"c": "é"}\n'):
            await proc.call(ws.Send(conn, part))
        scanner = await proc.call(stream.ScannerCreate(handle))
        lines = [await proc.call(stream.ScannerScan(scanner), timeout=PROMPT) for _ in range(3)]
    assert [json.loads(cast("bytes", line)) for line in lines] == [
        {"a": 1},
        {"b": "é"},
        {"c": "é"},
    ]
    assert handle.kind == "websocket"


async def test_ws_stream_read_until_the_peer_closes(snode: actorkit.Node, server: Server) -> None:
    async with snode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/burst?n=2"))
        handle = await proc.call(ws.Stream(conn))
        first = await proc.call(stream.Read(handle, 1), timeout=PROMPT)
        rest = await proc.call(stream.Read(handle), timeout=PROMPT)
        more = await proc.call(stream.Read(handle), timeout=PROMPT)
        end = await proc.call(stream.Read(handle), timeout=PROMPT)
    assert (first, rest, more, end) == (b"m", b"0", b"m1", b"")


async def test_ws_stream_reads_no_message_ahead_and_close_keeps_the_connection(
    snode: actorkit.Node, server: Server
) -> None:
    async with snode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/echo"))
        handle = await proc.call(ws.Stream(conn))
        await proc.call(ws.Send(conn, "one"))
        await proc.call(ws.Send(conn, "two"))
        assert await proc.call(stream.Read(handle), timeout=PROMPT) == b"one"
        assert await proc.call(stream.Close(handle)) is True
        assert await proc.call(ws.Receive(conn), timeout=PROMPT) == "two"
        again = await proc.call(ws.Stream(conn))  # the messages are free to stream again
        await proc.call(ws.Send(conn, "three"))
        assert await proc.call(stream.Read(again), timeout=PROMPT) == b"three"


async def test_ws_stream_refuses_mixing(snode: actorkit.Node, server: Server) -> None:
    async with snode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/echo"))
        await proc.call(ws.Stream(conn))
        url = f"{server.url}/echo"
        streamed = (
            r"the connection is read as a stream by Stream \(id=86\): read it with the stream"
        )
        which = rf"module \(connection #{conn.id} to {url}\)$"
        with pytest.raises(ws.ReadModeError, match=rf"^Receive \(id=82\): {streamed} {which}"):
            await proc.call(ws.Receive(conn))
        with pytest.raises(ws.ReadModeError, match=rf"^Subscribe \(id=85\): {streamed} {which}"):
            await proc.call(ws.Subscribe(conn))
        with pytest.raises(ws.ReadModeError, match=rf"^Stream \(id=86\): {streamed} {which}"):
            await proc.call(ws.Stream(conn))

        other = await proc.call(ws.Connect(url))
        await proc.call(ws.Subscribe(other))
        subscribed = r"^Stream \(id=86\): the connection is subscribed by Subscribe \(id=85\)"
        with pytest.raises(ws.ReadModeError, match=rf"{subscribed}.*\(connection #{other.id} to"):
            await proc.call(ws.Stream(other))


async def test_ws_stream_refused_while_a_receive_waits(
    snode: actorkit.Node, server: Server
) -> None:
    async with snode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/echo"))
        tag = proc.yield_(ws.Receive(conn))
        await trio.testing.wait_all_tasks_blocked()
        with pytest.raises(ws.ReadModeError, match=r"has a Receive \(id=82\) waiting on it"):
            await proc.call(ws.Stream(conn))
        await proc.call(ws.Send(conn, "done"))  # the waiting Receive takes it and ends
        completion = await proc.receive(kind=actorkit.Completion, timeout=PROMPT)
    assert (completion.tag, completion.result) == (tag, "done")


async def test_ws_stream_needs_the_stream_module(wnode: actorkit.Node, server: Server) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/echo"))
        with pytest.raises(ws.WebSocketError, match=r"^Stream \(id=86\): cannot make a stream"):
            await proc.call(ws.Stream(conn))
        await proc.call(ws.Send(conn, "still usable"))
        assert await proc.call(ws.Receive(conn), timeout=PROMPT) == "still usable"


def test_ws_stream_bad_field_names_command_and_field() -> None:
    with pytest.raises(ws.WebSocketArgumentError, match=r"^Stream \(id=86\): connection must"):
        ws.Stream(cast("ws.Connection", 1))


async def streamer(proc: actorkit.Process, url: str, how: str) -> None:
    conn = await proc.call(ws.Connect(url))
    handle = await proc.call(ws.Stream(conn))
    await proc.send("test", "streaming", handle)
    if how == "crash":
        raise RuntimeError("crashed reading a websocket stream")
    await proc.call(stream.Read(handle))  # waits: the server sends nothing


@pytest.mark.parametrize("how", ["crash", "terminate"])
async def test_ws_stream_owner_exit_closes_stream_and_connection(
    snode: actorkit.Node, server: Server, how: str
) -> None:
    async with snode.process(name="test") as proc:
        pid = await proc.spawn(streamer, f"{server.url}/silent", how, monitor=True)
        msg = await proc.receive(topic="streaming", timeout=PROMPT)
        if how == "terminate":
            await trio.testing.wait_all_tasks_blocked()
            await proc.terminate(pid)
        await proc.receive(kind=actorkit.Exit, timeout=PROMPT)
        with trio.fail_after(PROMPT):
            await server.wait_closes(1)
            for conn in list(state_of(snode).live):
                await conn.finished.wait()
        with pytest.raises(stream.StreamError):
            await proc.call(stream.Read(cast("stream.StreamHandle", msg.payload)))
    assert streams(snode).open == {}
    assert server.closes == [(1000, None)]
    assert established_to(server.port) == 0
