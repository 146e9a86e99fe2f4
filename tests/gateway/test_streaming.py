"""Streamed bodies both ways and catch-all path parameters, on a real gateway on loopback.

Each "it streams" test makes the two ends wait for each other mid-body (a ``trio.Event``
one side sets when it has seen the first chunk, the other awaits before sending the
rest), so a gateway that buffered the whole body would never finish: the test's deadline
fails it instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import structlog.testing
import trio

import actorkit
from actorkit.gateway import (
    BodyError,
    BodyStream,
    BodyTooLargeError,
    HttpRequest,
    HttpResponse,
    RouteError,
    gateway_address,
    gateway_stats,
    route,
)
from actorkit.modules import stream

from .conftest import client, serving

DEADLINE = 30.0
"""How long a step may take before the test calls it stuck (never reached when it works)."""


def key_of(proc: actorkit.Process, request: HttpRequest) -> object:
    return {"key": request.params["key"], "id": request.params.get("id")}


async def test_a_path_parameter_spans_slashes() -> None:
    routes = [
        route("GET", "/files/{key:path}", key_of),
        route("GET", "/one/{id}/{key:path}", key_of),
        route("GET", "/seg/{key}", key_of),
    ]
    async with serving(routes) as (_, base), client(base) as http:
        deep = await http.get("/files/a/b/c.txt")
        mixed = await http.get("/one/7/x/y")
        single = await http.get("/seg/a/b")
        empty = await http.get("/files/")
    assert deep.json() == {"key": "a/b/c.txt", "id": None}
    assert mixed.json() == {"key": "x/y", "id": "7"}
    assert single.status_code == 404  # {name} stays one segment
    assert empty.status_code == 404  # {name:path} needs at least one character


def test_an_unknown_converter_is_a_route_error() -> None:
    with pytest.raises(RouteError, match=r"path has \{key:int\}"):
        route("GET", "/files/{key:int}", key_of)
    with pytest.raises(RouteError, match="stream must be a bool"):
        route("PUT", "/f", key_of, stream="yes")  # type: ignore[arg-type]


async def test_a_streamed_request_body_reaches_the_handler_before_it_ends() -> None:
    first_seen = trio.Event()
    sizes: list[int] = []

    async def upload(proc: actorkit.Process, request: HttpRequest) -> object:
        assert request.stream is not None and request.body == b""
        async for chunk in request.stream:
            sizes.append(len(chunk))
            first_seen.set()
        return {"received": request.stream.received}

    async def body() -> AsyncIterator[bytes]:
        yield b"a" * 1000
        with trio.fail_after(DEADLINE):
            await first_seen.wait()  # a buffering gateway never hands the handler a chunk
        yield b"b" * 2000

    routes = [route("PUT", "/up", upload, stream=True, max_body=10_000)]
    async with serving(routes) as (node, base), client(base) as http:
        put = await http.put("/up", content=body())
        stats = gateway_stats(node)
    assert put.json() == {"received": 3000}
    assert sum(sizes) == 3000
    assert stats.streamed_requests == 1
    assert stats.peak_request_body <= 2000  # one chunk at a time


async def test_max_body_is_a_limit_counted_while_streaming() -> None:
    calls: list[str] = []

    async def upload(proc: actorkit.Process, request: HttpRequest) -> object:
        calls.append(request.path)
        assert request.stream is not None
        return len(await request.stream.read())

    async def hides_it(proc: actorkit.Process, request: HttpRequest) -> object:
        assert request.stream is not None
        try:
            await request.stream.read()
        except BodyTooLargeError as exc:
            raise RuntimeError("storage failed") from exc  # the 413 survives this
        return "read"

    async def chunked(n: int) -> AsyncIterator[bytes]:
        for _ in range(n):
            yield b"x" * 100

    routes = [
        route("PUT", "/up", upload, stream=True, max_body=1000),
        route("PUT", "/hide", hides_it, stream=True, max_body=1000),
    ]
    async with serving(routes) as (_, base), client(base) as http:
        declared = await http.put("/up", content=b"x" * 1001)  # refused before the handler
        counted = await http.put("/up", content=chunked(11))
        hidden = await http.put("/hide", content=chunked(11))
        fits = await http.put("/up", content=chunked(10))
    assert (declared.status_code, counted.status_code, hidden.status_code) == (413, 413, 413)
    assert (fits.status_code, fits.json()) == (200, 1000)
    assert calls == ["/up", "/up"]  # the declared-too-large one never reached the handler


async def test_a_process_route_reads_a_streamed_body_too() -> None:
    async def counter(proc: actorkit.Process) -> None:
        async for msg in proc.messages():
            if isinstance(msg, actorkit.Request) and isinstance(msg.payload, HttpRequest):
                stream = msg.payload.stream
                assert stream is not None
                total = sum([len(chunk) async for chunk in stream])
                proc.reply(msg, {"total": total})

    async def body() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"y" * 4096

    routes = [route("POST", "/count", process="counter", stream=True)]
    async with serving(routes) as (node, base), client(base) as http:
        node.spawn(counter, name="counter")
        posted = await http.post("/count", content=body())
    assert posted.json() == {"total": 5 * 4096}


async def test_a_body_read_after_the_request_is_over_fails() -> None:
    kept: list[BodyStream] = []

    def keep(proc: actorkit.Process, request: HttpRequest) -> None:
        assert request.stream is not None
        kept.append(request.stream)

    async with serving([route("PUT", "/keep", keep, stream=True)]) as (_, base):
        async with client(base) as http:
            put = await http.put("/keep", content=b"unread")
        with pytest.raises(BodyError, match="request is over"):
            await kept[0].read()
    assert put.status_code == 204


async def test_a_streamed_response_is_sent_as_it_is_made() -> None:
    client_saw_first: list[trio.Event] = []

    async def chunks(seen: trio.Event) -> AsyncIterator[bytes]:
        yield b"first;"
        with trio.fail_after(DEADLINE):
            await seen.wait()  # a buffering gateway never sends the first chunk
        yield b"second"

    def download(proc: actorkit.Process, request: HttpRequest) -> HttpResponse:
        headers = (("content-type", "text/plain"),)
        length = 12 if request.query.get("sized") else None
        return HttpResponse.streamed(chunks(client_saw_first[-1]), headers=headers, length=length)

    async def read(http: httpx.AsyncClient, url: str) -> tuple[bytes, httpx.Headers]:
        client_saw_first.append(trio.Event())
        got = b""
        async with http.stream("GET", url) as response:
            async for part in response.aiter_raw():
                got += part
                if got.startswith(b"first;"):
                    client_saw_first[-1].set()
            return got, response.headers

    async with serving([route("GET", "/down", download)]) as (node, base), client(base) as http:
        chunked, chunked_headers = await read(http, "/down")
        sized, sized_headers = await read(http, "/down?sized=1")
        stats = gateway_stats(node)
    assert chunked == sized == b"first;second"
    assert chunked_headers["transfer-encoding"] == "chunked"
    assert sized_headers["content-length"] == "12"
    assert sized_headers["content-type"] == "text/plain"
    assert (stats.streamed_responses, stats.peak_response_body) == (2, 6)


async def test_a_returned_async_iterator_is_a_streamed_octet_body() -> None:
    async def numbers(proc: actorkit.Process, request: HttpRequest) -> AsyncIterator[bytes]:
        for i in range(3):
            yield str(i).encode()

    async with serving([route("GET", "/n", numbers)]) as (_, base), client(base) as http:
        got = await http.get("/n")
    assert (got.content, got.headers["content-type"]) == (b"012", "application/octet-stream")


async def test_a_failing_stream_cuts_the_body_short_and_is_closed() -> None:
    closed: list[str] = []

    async def breaks() -> AsyncIterator[bytes]:
        try:
            yield b"partial"
            raise OSError("disk gone")
        finally:
            closed.append("closed")

    def download(proc: actorkit.Process, request: HttpRequest) -> HttpResponse:
        return HttpResponse.streamed(breaks(), length=100)

    routes = [route("GET", "/broken", download)]
    async with serving(routes) as (_, base), client(base) as http:
        with structlog.testing.capture_logs() as logs, pytest.raises(httpx.RemoteProtocolError):
            await http.get("/broken")
    assert closed == ["closed"]
    assert any(e["event"] == "gateway_stream_failed" for e in logs)


async def test_a_client_that_leaves_closes_the_stream() -> None:
    closed = trio.Event()

    async def endless() -> AsyncIterator[bytes]:
        try:
            while True:
                yield b"z" * 65536
        finally:
            closed.set()

    def download(proc: actorkit.Process, request: HttpRequest) -> HttpResponse:
        return HttpResponse.streamed(endless())

    async with serving([route("GET", "/endless", download)]) as (node, _):
        host, port = gateway_address(node)
        async with await trio.open_tcp_stream(host, port) as sock:  # a bare client
            await sock.send_all(b"GET /endless HTTP/1.1\r\nhost: x\r\n\r\n")
            assert (await sock.receive_some(1024)).startswith(b"HTTP/1.1 200")
        with trio.fail_after(DEADLINE):
            await closed.wait()  # the gateway saw the client leave and closed the stream


async def test_a_client_that_leaves_mid_body_is_a_body_error_not_an_end() -> None:
    failed: list[BaseException] = []
    done = trio.Event()

    async def upload(proc: actorkit.Process, request: HttpRequest) -> None:
        assert request.stream is not None
        try:
            await request.stream.read()
        except BodyError as exc:
            failed.append(exc)
            raise
        finally:
            done.set()

    async with serving([route("PUT", "/up", upload, stream=True)]) as (node, _):
        host, port = gateway_address(node)
        async with await trio.open_tcp_stream(host, port) as sock:
            head = b"PUT /up HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n"
            await sock.send_all(head + b"only ten b")
        with trio.fail_after(DEADLINE):
            await done.wait()
    assert len(failed) == 1
    assert "went away" in str(failed[0])  # an upload reading it stores nothing


async def test_a_stream_handle_of_the_handler_is_sent_as_the_body(tmp_path: Path) -> None:
    """The borrowed process lives until the body is sent, so a stream it owns (a file
    opened with the stream module) can be the body, read with ``stream.Read``."""
    (tmp_path / "report.csv").write_bytes(b"a,b\n" * 50_000)

    async def body(proc: actorkit.Process, handle: stream.StreamHandle) -> AsyncIterator[bytes]:
        while data := await proc.call(stream.Read(handle, 65536)):
            yield data

    async def report(proc: actorkit.Process, request: HttpRequest) -> HttpResponse:
        handle = await proc.call(stream.Open(str(tmp_path / "report.csv")))
        return HttpResponse.streamed(body(proc, handle), headers=(("content-type", "text/csv"),))

    extra = [stream.module(allow_dirs=[tmp_path])]
    routes = [route("GET", "/report", report)]
    async with serving(routes, extra=extra) as (_, base), client(base) as http:
        got = await http.get("/report")
    assert (got.status_code, got.content) == (200, b"a,b\n" * 50_000)
