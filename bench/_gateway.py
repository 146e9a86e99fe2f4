"""Requests and websocket messages per second through the gateway vs hypercorn and
trio-websocket serving the same thing directly, in one run (issue 12).

HTTP: one ``httpx.AsyncClient`` on one keep-alive connection sends sequential ``GET``
requests, to a gateway route whose target is a function (``gateway_function``) or a
process answering ``Request`` with ``proc.reply`` (``gateway_process``), and, with the
same loop, to hypercorn's Trio worker serving a bare ASGI app that reads the request and
answers the same body and headers (``text/plain``, ``hello``). The gateway runs that same
hypercorn worker, so the ratio is the gateway's own share: routing, limits, the borrowed
process handle or the request/reply hop.

Websocket: one trio-websocket client connection sends a text message and waits for its
echo, sequentially, to a gateway websocket route whose handler is a process spawned for the
connection (``ws.frames`` / ``ws.send``), and, with the same loop, to trio-websocket's
``serve_websocket`` echoing each message from its handler.

Streamed bodies (MB/s): one ``httpx.AsyncClient`` PUTs :data:`STREAM_MIB` MiB from an
async generator of 1 MiB chunks to a ``stream=True`` route whose function reads
``request.stream`` to its end (``gateway_stream_upload``), or GETs them from a route
answering ``HttpResponse.streamed`` of 1 MiB chunks with a content length
(``gateway_stream_download``); the baseline is the same client against hypercorn serving a
bare ASGI app that reads every ``http.request`` message, or sends the same chunks with
``more_body``.

Run ``python -m bench._gateway [--quick]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial
from time import perf_counter
from typing import Any, cast

import httpx
import trio
from hypercorn.config import Config
from hypercorn.trio import serve as _serve  # pyright: ignore[reportUnknownVariableType]
from trio_websocket import WebSocketRequest, open_websocket_url, serve_websocket

import actorkit
from actorkit.gateway import (
    HttpRequest,
    HttpResponse,
    WebSocket,
    gateway,
    gateway_address,
    route,
    websocket,
)

from ._harness import median_rates, reps
from ._report import Result, header, row

NAME = "gateway"
HOST = "127.0.0.1"
BODY = "hello"
MESSAGE = "hello"
TEXT = (b"content-type", b"text/plain; charset=utf-8")
PROCESS = "bench_http"
MIB = 1 << 20
STREAM_MIB = 64
"""MiB in one streamed body."""
BLOCK = b"s" * MIB
serve = cast(Callable[..., Awaitable[None]], _serve)

HTTP_BASELINE = (
    "hypercorn (Trio worker) serving a bare ASGI app that reads the request and returns "
    "the same body; the same httpx.AsyncClient loop, sequential, keep-alive"
)
UPLOAD_BASELINE = (
    "hypercorn (Trio worker) serving a bare ASGI app reading each http.request message to the "
    "end; the same httpx PUT of 1 MiB generator chunks"
)
DOWNLOAD_BASELINE = (
    "hypercorn (Trio worker) serving a bare ASGI app sending the same 1 MiB chunks with "
    "more_body and a content-length; the same httpx streamed GET"
)
WS_BASELINE = (
    "trio-websocket serve_websocket echoing each message from its handler; "
    "the same trio-websocket client loop, one message at a time"
)


def _hello(proc: actorkit.Process, request: HttpRequest) -> HttpResponse:
    return HttpResponse.text(BODY)


async def _replier(proc: actorkit.Process, count: int) -> None:
    """The process route's handler: answers ``count`` requests, then exits."""
    for _ in range(count):
        msg = await proc.receive()
        proc.reply(msg, HttpResponse.text(BODY))


async def _echo(proc: actorkit.Process, ws: WebSocket) -> None:
    async for data in ws.frames(proc):
        await ws.send(data)


async def _swallow(proc: actorkit.Process, request: HttpRequest) -> HttpResponse:
    """The streamed upload route: read the body to its end, answer how much came."""
    assert request.stream is not None
    size = 0
    async for chunk in request.stream:
        size += len(chunk)
    return HttpResponse.text(str(size))


async def _blocks() -> AsyncIterator[bytes]:
    for _ in range(STREAM_MIB):
        yield BLOCK


def _stream_out(proc: actorkit.Process, request: HttpRequest) -> HttpResponse:
    """The streamed download route: :data:`STREAM_MIB` chunks of 1 MiB."""
    return HttpResponse.streamed(_blocks(), length=STREAM_MIB * MIB)


ROUTES = [
    route("GET", "/function", _hello),
    route("GET", "/process", process=PROCESS),
    route("PUT", "/upload", _swallow, stream=True, max_body=STREAM_MIB * MIB),
    route("GET", "/download", _stream_out),
    websocket("/echo", spawn=_echo),
]


async def _bare_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The bare ASGI app: read the request, answer ``BODY`` as the gateway does."""
    if scope["type"] == "http":
        message = await receive()
        while message.get("more_body", False):
            message = await receive()
        body = BODY.encode()
        headers = [TEXT, (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
    elif scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _streaming_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The bare ASGI app of the streamed rows: ``PUT`` reads the body to its end, ``GET``
    sends :data:`STREAM_MIB` chunks of 1 MiB."""
    if scope["type"] != "http":
        await _bare_app(scope, receive, send)
        return
    if scope["method"] == "PUT":
        size, message = 0, {"more_body": True}
        while message.get("more_body", False):
            message = await receive()
            size += len(message.get("body", b""))
        body = str(size).encode()
        headers = [TEXT, (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return
    length = (b"content-length", str(STREAM_MIB * MIB).encode())
    await send({"type": "http.response.start", "status": 200, "headers": [length]})
    for _ in range(STREAM_MIB):
        await send({"type": "http.response.body", "body": BLOCK, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def _upload_loop(url: str, n: int) -> float:
    """``n`` sequential streamed PUTs of :data:`STREAM_MIB` MiB (connection opened untimed)."""
    async with httpx.AsyncClient(timeout=60.0) as client:
        assert (await client.put(url, content=b"warm")).status_code == 200
        start = perf_counter()
        for _ in range(n):
            response = await client.put(url, content=_blocks())
            assert response.text == str(STREAM_MIB * MIB), response.text
        return perf_counter() - start


async def _download_loop(url: str, n: int) -> float:
    """``n`` sequential streamed GETs of :data:`STREAM_MIB` MiB (connection opened untimed)."""
    async with httpx.AsyncClient(timeout=60.0) as client:
        start = perf_counter()
        for _ in range(n):
            size = 0
            async with client.stream("GET", url) as response:
                async for part in response.aiter_raw():
                    size += len(part)
            assert size == STREAM_MIB * MIB
        return perf_counter() - start


@asynccontextmanager
async def bare_hypercorn(app: Callable[..., Awaitable[None]]) -> AsyncGenerator[str, None]:
    """hypercorn's Trio worker serving ``app`` on a free loopback port; yields
    ``host:port``."""
    config = Config()
    config.bind = [f"{HOST}:0"]
    config.accesslog = None
    config.errorlog = logging.getLogger("hypercorn.error")
    stop = trio.Event()
    async with trio.open_nursery() as nursery:
        binds: list[str] = await nursery.start(
            partial(serve, app, config, shutdown_trigger=stop.wait)
        )
        try:
            yield binds[0].rpartition("://")[2]
        finally:
            stop.set()


async def gateway_upload(node: actorkit.Node, n: int) -> float:
    """Streamed PUTs to a ``stream=True`` route."""
    return await _upload_loop(f"http://{_base(node)}/upload", n)


async def gateway_download(node: actorkit.Node, n: int) -> float:
    """Streamed GETs of an ``HttpResponse.streamed`` route."""
    return await _download_loop(f"http://{_base(node)}/download", n)


async def bare_upload(_node: actorkit.Node, n: int) -> float:
    """Streamed PUTs to the bare app."""
    async with bare_hypercorn(_streaming_app) as address:
        return await _upload_loop(f"http://{address}/", n)


async def bare_download(_node: actorkit.Node, n: int) -> float:
    """Streamed GETs of the bare app."""
    async with bare_hypercorn(_streaming_app) as address:
        return await _download_loop(f"http://{address}/", n)


def _mb(name: str, rates: dict[str, float], baseline: str) -> Result:
    """A MB/s row from bodies per second of :data:`STREAM_MIB` MiB."""
    per = STREAM_MIB * MIB / 1e6
    result = Result.rate(name, rates["gateway"] * per, rates["bare"] * per, None, baseline=baseline)
    return dataclasses.replace(result, unit="MB/s")


async def _http_loop(url: str, n: int) -> float:
    """``n`` sequential GETs of ``url`` on one keep-alive connection (opened untimed)."""
    async with httpx.AsyncClient(timeout=30.0) as client:
        assert (await client.get(url)).status_code == 200
        start = perf_counter()
        for _ in range(n):
            response = await client.get(url)
            assert response.status_code == 200
        return perf_counter() - start


async def _ws_loop(url: str, n: int) -> float:
    """``n`` sequential echoes on one connection (opened untimed)."""
    async with open_websocket_url(url) as conn:
        await conn.send_message(MESSAGE)
        assert await conn.get_message() == MESSAGE
        start = perf_counter()
        for _ in range(n):
            await conn.send_message(MESSAGE)
            await conn.get_message()
        elapsed = perf_counter() - start
        stream = conn._stream  # pyright: ignore[reportPrivateUsage]
        await conn.aclose()
        await stream.aclose()  # trio-websocket 0.12's client leaves it open otherwise
        return elapsed


def _base(node: actorkit.Node) -> str:
    host, port = gateway_address(node)
    return f"{host}:{port}"


async def gateway_function(node: actorkit.Node, n: int) -> float:
    """The client loop against a route whose target is a function."""
    return await _http_loop(f"http://{_base(node)}/function", n)


async def gateway_process(node: actorkit.Node, n: int) -> float:
    """The client loop against a route whose target is a process (request/reply)."""
    pid = node.spawn(_replier, n + 1, name=PROCESS)
    elapsed = await _http_loop(f"http://{_base(node)}/process", n)
    exit_ = await node.wait(pid)
    if exit_.error is not None:
        raise exit_.error
    return elapsed


async def hypercorn_bare(_node: actorkit.Node, n: int) -> float:
    """The client loop against hypercorn serving the bare ASGI app (started untimed)."""
    async with bare_hypercorn(_bare_app) as address:
        return await _http_loop(f"http://{address}/", n)


async def gateway_ws(node: actorkit.Node, n: int) -> float:
    """The echo loop against a websocket route whose handler is a process."""
    return await _ws_loop(f"ws://{_base(node)}/echo", n)


async def _trio_echo(request: WebSocketRequest) -> None:
    conn = await request.accept()
    while True:
        try:
            message = await conn.get_message()
        except Exception:  # ConnectionClosed: the client is done
            return
        await conn.send_message(message)


async def trio_websocket_echo(_node: actorkit.Node, n: int) -> float:
    """The echo loop against trio-websocket's ``serve_websocket`` (started untimed)."""
    async with trio.open_nursery() as nursery:
        server = await nursery.start(serve_websocket, _trio_echo, HOST, 0, None)
        try:
            return await _ws_loop(f"ws://{HOST}:{server.port}/", n)
        finally:
            nursery.cancel_scope.cancel()


def measure(quick: bool) -> list[Result]:
    """Requests/s through a function route and a process route vs bare hypercorn, and
    websocket echoes/s through a process vs trio-websocket, each pair in one run."""
    modules = [gateway(ROUTES, port=0, host=HOST)]
    http = median_rates(
        {"function": gateway_function, "process": gateway_process, "bare": hypercorn_bare},
        100 if quick else 400,
        quick,
        modules,
    )
    ws = median_rates(
        {"gateway": gateway_ws, "trio_websocket": trio_websocket_echo},
        200 if quick else 1200,
        quick,
        modules,
    )
    uploads = median_rates(
        {"gateway": gateway_upload, "bare": bare_upload}, 2 if quick else 8, quick, modules
    )
    downloads = median_rates(
        {"gateway": gateway_download, "bare": bare_download}, 2 if quick else 8, quick, modules
    )
    return [
        _mb("gateway_stream_upload", uploads, UPLOAD_BASELINE),
        _mb("gateway_stream_download", downloads, DOWNLOAD_BASELINE),
        Result.rate(
            "gateway_function", http["function"], http["bare"], None, baseline=HTTP_BASELINE
        ),
        Result.rate("gateway_process", http["process"], http["bare"], None, baseline=HTTP_BASELINE),
        Result.rate(
            "gateway_websocket_echo",
            ws["gateway"],
            ws["trio_websocket"],
            None,
            baseline=WS_BASELINE,
        ),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    print(header(reps(quick)))
    for result in measure(quick):
        print(row(result))
