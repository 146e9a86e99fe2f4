"""The I/O modules against the libraries they run on, in one Trio run per row.

- ``http_request``: sequential ``GET`` requests per second from one process calling
  ``http.Request`` vs an ``httpx.AsyncClient`` with the module's pool settings, awaited
  directly from a task; both against the same hypercorn (Trio) server on loopback, serving
  a tiny ASGI app that answers ``ok``.
- ``http2_request``: the same over HTTP/2: ``http.module(http2=True)`` vs an
  ``httpx.AsyncClient(http2=True)`` with the same pool settings, against the same app
  served by hypercorn over TLS (ALPN ``h2``, a self-signed certificate made for the run;
  neither side checks it, both keep one connection).
- ``exec_spawn_wait``: ``/bin/true`` started and waited for per second, ``exec.Start`` +
  ``exec.ProcessWait`` from one process vs ``trio.run_process`` from a task (stdio on
  ``/dev/null`` and an empty environment on both sides, as the module starts children).
- ``websocket_echo``: messages sent and echoed back per second on one connection,
  ``websocket.Send`` + ``websocket.Receive`` from one process vs trio-websocket's
  ``send_message`` + ``get_message`` directly, against the same trio-websocket echo server
  on loopback, with the module's queue and message-size settings.

The server runs in the same Trio run as both sides, so its cost lands on both alike.
Variants alternate, warmed up first; each figure is the median of the runs.

Run ``python -m bench._io [--quick]``.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import statistics
import subprocess
import tempfile
from collections.abc import AsyncGenerator, Awaitable, Callable, MutableMapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from time import perf_counter
from typing import Any, cast

import httpx
import trio
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypercorn.config import Config
from hypercorn.trio import serve  # pyright: ignore[reportUnknownVariableType]
from trio_websocket import (
    ConnectionClosed,
    WebSocketRequest,
    open_websocket_url,
    serve_websocket,
)

import actorkit
from actorkit.modules import exec, http, stream, websocket

from ._harness import Variant, reps
from ._report import Result, header, row

NAME = "io"
TRUE = "/bin/true"
MESSAGE = "x" * 32
"""The websocket payload: a 32-character text frame, each way."""

# The module's defaults, given to both sides.
HTTP_MAX_CONNECTIONS = 100
HTTP_CONNECT_TIMEOUT = 30.0
WS_QUEUE_SIZE = 16
WS_MAX_MESSAGE_SIZE = 1024 * 1024

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


async def _app(scope: Scope, receive: Receive, send: Send) -> None:
    """A tiny ASGI app: ``ok`` with a Content-Length for every request."""
    if scope["type"] == "lifespan":
        while True:
            kind = (await receive())["type"].rsplit(".", 1)[1]
            await send({"type": f"lifespan.{kind}.complete"})
            if kind == "shutdown":
                return
    headers = [(b"content-type", b"text/plain"), (b"content-length", b"2")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"ok"})


def _self_signed(where: Path) -> tuple[str, str]:
    """A self-signed certificate for ``localhost`` and its key, written under ``where``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = where / "cert.pem", where / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


@asynccontextmanager
async def _http_server(certs: tuple[str, str] | None = None) -> AsyncGenerator[str]:
    """hypercorn's Trio worker on 127.0.0.1 (a free port) while the block runs; its URL.
    With ``certs`` (certificate and key files) it serves HTTPS, offering h2 by ALPN, at
    ``https://localhost:<port>/``."""
    config = Config()
    config.bind = ["127.0.0.1:0"]
    config.graceful_timeout = 0.0
    config.accesslog = None
    config.loglevel = "WARNING"
    # Keep idle connections for the whole run: with hypercorn's 5 s default, a side's
    # pooled connection can be dropped while the other side runs, racing its next request.
    config.keep_alive_timeout = 3600.0
    # And for every request of the run: after hypercorn's default 1000 an HTTP/2 connection
    # gets a GOAWAY, which httpcore turns into an error for the request in flight.
    config.keep_alive_max_requests = 1_000_000
    if certs is not None:
        config.certfile, config.keyfile = certs
    async with trio.open_nursery() as nursery:
        start = cast("Callable[..., Awaitable[None]]", serve)
        binds: list[str] = await nursery.start(start, _app, config)
        url = f"{binds[0]}/"
        yield url.replace("https://127.0.0.1", "https://localhost")
        nursery.cancel_scope.cancel()


async def _echo(request: WebSocketRequest) -> None:
    ws = await request.accept()
    try:
        while True:
            await ws.send_message(await ws.get_message())
    except ConnectionClosed:
        pass


@asynccontextmanager
async def _ws_server() -> AsyncGenerator[str]:
    """A trio-websocket echo server on 127.0.0.1 (a free port); its URL."""
    async with trio.open_nursery() as nursery:
        server = await nursery.start(serve_websocket, _echo, "127.0.0.1", 0, None)
        yield f"ws://127.0.0.1:{server.port}/"
        nursery.cancel_scope.cancel()


def _raw_client(*, http2: bool = False) -> httpx.AsyncClient:
    """httpx's own client and transport with the pool settings ``http.module()`` uses
    (with ``http2``: HTTP/2 offered, the certificate not checked, as the module's side)."""
    limits = httpx.Limits(
        max_connections=HTTP_MAX_CONNECTIONS,
        max_keepalive_connections=min(HTTP_MAX_CONNECTIONS, 100),
        keepalive_expiry=90.0,
    )
    transport = httpx.AsyncHTTPTransport(
        limits=limits, trust_env=False, http2=http2, verify=not http2
    )
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(None, connect=HTTP_CONNECT_TIMEOUT),
        headers={"user-agent": "actorkit"},
        trust_env=False,
    )


async def _in_process(
    node: actorkit.Node, loop: Callable[[actorkit.Process], Awaitable[float]]
) -> float:
    """Run ``loop`` in one process; the seconds it timed."""
    elapsed = await node.exec(loop)
    assert isinstance(elapsed, float)
    return elapsed


def _http_variants(
    url: str, client: httpx.AsyncClient, *, version: str = "HTTP/1.1"
) -> dict[str, Variant]:
    tls = http.TLS(insecure_skip_verify=True) if url.startswith("https:") else None

    async def actorkit_side(node: actorkit.Node, n: int) -> float:
        async def loop(proc: actorkit.Process) -> float:
            start = perf_counter()
            for _ in range(n):
                response = await proc.call(http.Request("GET", url, tls=tls))
                assert (response.status_code, response.http_version) == (200, version)
            return perf_counter() - start

        return await _in_process(node, loop)

    async def raw_side(node: actorkit.Node, n: int) -> float:
        start = perf_counter()
        for _ in range(n):
            response = await client.get(url)
            assert (response.status_code, response.http_version) == (200, version)
        return perf_counter() - start

    return {"actorkit": actorkit_side, "raw": raw_side}


def _exec_variants() -> dict[str, Variant]:
    async def actorkit_side(node: actorkit.Node, n: int) -> float:
        async def loop(proc: actorkit.Process) -> float:
            start = perf_counter()
            for _ in range(n):
                child = await proc.call(
                    exec.Start([TRUE], stdin="null", stdout="null", stderr="null")
                )
                status = await proc.call(exec.ProcessWait(child))
                assert status.returncode == 0
            return perf_counter() - start

        return await _in_process(node, loop)

    async def raw_side(node: actorkit.Node, n: int) -> float:
        null = subprocess.DEVNULL
        start = perf_counter()
        for _ in range(n):
            await trio.run_process([TRUE], stdin=null, stdout=null, stderr=null, env={})
        return perf_counter() - start

    return {"actorkit": actorkit_side, "raw": raw_side}


def _ws_variants(url: str) -> dict[str, Variant]:
    async def actorkit_side(node: actorkit.Node, n: int) -> float:
        async def loop(proc: actorkit.Process) -> float:
            conn = await proc.call(websocket.Connect(url))
            start = perf_counter()
            for _ in range(n):
                await proc.call(websocket.Send(conn, MESSAGE))
                reply = await proc.call(websocket.Receive(conn))
                assert reply == MESSAGE
            elapsed = perf_counter() - start
            await proc.call(websocket.Close(conn))
            return elapsed

        return await _in_process(node, loop)

    async def raw_side(node: actorkit.Node, n: int) -> float:
        async with open_websocket_url(
            url, message_queue_size=WS_QUEUE_SIZE, max_message_size=WS_MAX_MESSAGE_SIZE
        ) as ws:
            start = perf_counter()
            for _ in range(n):
                await ws.send_message(MESSAGE)
                reply = await ws.get_message()
                assert reply == MESSAGE
            return perf_counter() - start

    return {"actorkit": actorkit_side, "raw": raw_side}


async def _median(
    node: actorkit.Node, variants: dict[str, Variant], n: int, rounds: int
) -> dict[str, float]:
    """Operations per second of each variant, as ``_harness.median_rates`` takes them
    (warmed up with a tenth of ``n``, alternating, the garbage collected before each run,
    ``n`` over the median time), but inside this Trio run, beside the servers."""
    names = list(variants)
    times: dict[str, list[float]] = {name: [] for name in names}
    for name in names:
        await variants[name](node, max(1, n // 10))
    for turn in range(rounds):
        for name in names[turn % len(names) :] + names[: turn % len(names)]:
            gc.collect()
            times[name].append(await variants[name](node, n))
    return {name: n / statistics.median(runs) for name, runs in times.items()}


BASELINES = {
    "http_request": (
        "httpx.AsyncClient.get awaited in a task, same pool settings, same hypercorn server"
    ),
    "http2_request": (
        "httpx.AsyncClient(http2=True).get awaited in a task, same pool settings,"
        " same hypercorn server over TLS"
    ),
    "exec_spawn_wait": "trio.run_process(['/bin/true']) in a task, stdio /dev/null, empty env",
    "websocket_echo": (
        "trio-websocket send_message + get_message on one connection, same queue/size limits"
    ),
}


async def _measure(quick: bool) -> list[Result]:
    rounds = reps(quick)
    counts: dict[str, int] = (
        {"http_request": 100, "http2_request": 100, "exec_spawn_wait": 60, "websocket_echo": 400}
        if quick
        else {
            "http_request": 250,
            "http2_request": 250,
            "exec_spawn_wait": 250,
            "websocket_echo": 1200,
        }
    )
    modules: Sequence[actorkit.Component] = [
        stream.module(),
        exec.module(allow=[TRUE]),
        http.module(allow_networks=http.LOOPBACK),
        websocket.module(allow_networks=http.LOOPBACK),
    ]
    h2_modules = [http.module(allow_networks=http.LOOPBACK, http2=True)]
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as where:
        certs = _self_signed(Path(where))
        async with (
            _http_server() as http_url,
            _http_server(certs) as https_url,
            _ws_server() as ws_url,
            actorkit.open_node(modules=modules, name="bench") as node,
            actorkit.open_node(modules=h2_modules, name="bench-h2") as h2_node,
            _raw_client() as client,
            _raw_client(http2=True) as h2_client,
        ):
            pairs = {
                "http_request": (node, _http_variants(http_url, client)),
                "http2_request": (
                    h2_node,
                    _http_variants(https_url, h2_client, version="HTTP/2"),
                ),
                "exec_spawn_wait": (node, _exec_variants()),
                "websocket_echo": (node, _ws_variants(ws_url)),
            }
            results = [
                await _row(name, *pair, counts[name], rounds) for name, pair in pairs.items()
            ]
    return results


async def _row(
    name: str, node: actorkit.Node, variants: dict[str, Variant], n: int, rounds: int
) -> Result:
    """One measure's result line."""
    rates = await _median(node, variants, n, rounds)
    return Result.rate(name, rates["actorkit"], rates["raw"], None, baseline=BASELINES[name])


def measure(quick: bool) -> list[Result]:
    """Requests, spawns and echoes per second through the modules vs the libraries."""
    return trio.run(_measure, quick)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    print(header(reps(quick)))
    for result in measure(quick):
        print(row(result))
