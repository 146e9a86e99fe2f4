"""Streamed responses (``stream=True``): the body as a stream owned by the caller."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import pytest
import trio

import actorkit
from actorkit.modules import http, stream
from actorkit.testing import open_test_node

from ._server import Server, established_to

PROMPT = 30.0  # a deadline for what should happen at once, generous under load


@pytest.fixture
async def snode() -> AsyncGenerator[actorkit.Node]:
    """A node with the stream and http modules, loopback allowed."""
    modules = [stream.module(), http.module(allow_networks=http.LOOPBACK)]
    async with open_test_node(modules=modules) as booted:
        yield booted


async def read_all(proc: actorkit.Process, handle: stream.StreamHandle) -> bytes:
    chunks: list[bytes] = []
    while chunk := await proc.call(stream.Read(handle, 4096), timeout=PROMPT):
        chunks.append(chunk)
    return b"".join(chunks)


async def test_http_stream_reads_the_body_through_the_stream_module(
    snode: actorkit.Node, server: Server
) -> None:
    url = f"{server.url}/chunked?n=100000&size=1000"
    async with snode.process() as proc:
        response = await proc.call(http.Request("GET", url, stream=True))
        assert response.body == b""
        assert response.stream is not None
        assert response.stream.kind == "http"
        assert await read_all(proc, response.stream) == b"y" * 100000
        assert established_to(server.port) == 1  # read to its end: back in the pool


async def test_http_stream_closed_early_cuts_the_connection(
    snode: actorkit.Node, server: Server
) -> None:
    url = f"{server.url}/chunked?n=1000000&size=1000"
    async with snode.process() as proc:
        response = await proc.call(http.Request("GET", url, stream=True))
        assert response.stream is not None
        assert len(await proc.call(stream.Read(response.stream, 10))) == 10
        await proc.call(stream.Close(response.stream))
        assert established_to(server.port) == 0


async def take_stream(proc: actorkit.Process, url: str) -> None:
    response = await proc.call(http.Request("GET", url, stream=True))
    assert response.stream is not None
    await proc.call(stream.Read(response.stream, 5))
    raise RuntimeError("crashed holding a response stream")


async def test_http_stream_closed_when_its_owner_crashes(
    snode: actorkit.Node, server: Server
) -> None:
    async with snode.process() as proc:
        await proc.spawn(take_stream, f"{server.url}/dribble", monitor=True)
        down = await proc.receive(kind=actorkit.Exit, timeout=PROMPT)
        assert isinstance(down.error, RuntimeError)
        with trio.fail_after(PROMPT):
            await server.slow_left.wait()
    assert established_to(server.port) == 0


async def test_http_stream_keeps_to_max_response_body(snode: actorkit.Node, server: Server) -> None:
    url = f"{server.url}/chunked?n=1000000&size=1000"
    async with snode.process() as proc:
        response = await proc.call(http.Request("GET", url, stream=True, max_response_body=5000))
        assert response.stream is not None
        with pytest.raises(stream.StreamIOError, match="exceeds max_response_body") as info:
            await read_all(proc, response.stream)  # the stream module's error, with its cause
        assert isinstance(info.value.__cause__, http.ResponseTooLargeError)
        too_long = f"{server.url}/bytes?n=6000"
        with pytest.raises(http.ResponseTooLargeError, match="Content-Length 6000 exceeds"):
            await proc.call(http.Request("GET", too_long, stream=True, max_response_body=5000))
    assert established_to(server.port) == 0


async def test_http_stream_needs_the_stream_module(hnode: actorkit.Node, server: Server) -> None:
    async with hnode.process() as proc:
        with pytest.raises(http.HttpError, match="stream=True needs the stream module"):
            await proc.call(http.Request("GET", f"{server.url}/echo", stream=True))


def test_http_batch_refuses_streamed_items() -> None:
    with pytest.raises(http.HttpArgumentError, match="none with stream=True"):
        http.RequestBatch([http.Request("GET", "http://example.com/", stream=True)])


async def test_http_stream_closed_after_a_short_body_arrived(
    snode: actorkit.Node, server: Server
) -> None:
    async with snode.process() as proc:
        for _ in range(3):  # the whole body may or may not be read ahead: both are fine
            response = await proc.call(http.Request("GET", f"{server.url}/bytes?n=15", stream=True))
            assert response.stream is not None
            assert await proc.call(stream.Read(response.stream, 5)) == b"xxxxx"
            assert await proc.call(stream.Close(response.stream)) is True
            assert established_to(server.port) == 0  # abandoned: not pooled
        again = await proc.call(http.Request("GET", f"{server.url}/bytes?n=3"))
    assert again.body == b"xxx"


async def test_http_stream_of_a_gzip_bomb_stops_at_the_limit(
    snode: actorkit.Node, server: Server
) -> None:
    url = f"{server.url}/bomb?mib=64"
    async with snode.process() as proc:
        response = await proc.call(http.Request("GET", url, stream=True, max_response_body=1 << 20))
        assert response.stream is not None
        first = await proc.call(stream.Read(response.stream, 1 << 20))
        assert 0 < len(first) <= 64 * 1024 and not any(first)  # one decoded piece at most
        with pytest.raises(stream.StreamIOError, match="exceeds max_response_body") as info:
            await read_all(proc, response.stream)
        assert isinstance(info.value.__cause__, http.ResponseTooLargeError)
    assert 0 < server.bomb_sent < 64 << 20
    assert established_to(server.port) == 0
