"""Limits and failures: the response size, timeouts, cancellation, refused addresses,
batches with a failing item, and bad input. Each fails only its own call."""

from __future__ import annotations

import math
import socket

import pytest
import trio

import actorkit
from actorkit.modules import http
from actorkit.testing import open_test_node

from ._server import Server, established_to

PROMPT = 30.0  # a deadline for what should happen at once, generous under load


def free_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def left_if_started(server: Server) -> None:
    """Wait for ``/slow`` to see its connection go, if the request reached it: on a loaded
    machine a 0.05 s timeout can pass before the server has read the request at all.
    Either way the cancelled exchange has finished when this returns."""
    await trio.testing.wait_all_tasks_blocked()
    if server.slow_started.is_set():
        with trio.fail_after(PROMPT):
            await server.slow_left.wait()


# -- the response size ---------------------------------------------------------------------


async def test_http_max_size_refuses_a_long_content_length(
    hnode: actorkit.Node, server: Server
) -> None:
    url = f"{server.url}/bytes?n=2000"
    async with hnode.process() as proc:
        with pytest.raises(http.ResponseTooLargeError, match="Content-Length 2000 exceeds"):
            await proc.call(http.Request("GET", url, max_response_body=1000))
        exact = await proc.call(http.Request("GET", url, max_response_body=2000))
    assert exact.body == b"x" * 2000


async def test_http_max_size_cuts_a_chunked_body_and_its_connection(
    hnode: actorkit.Node, server: Server
) -> None:
    url = f"{server.url}/chunked?n=1000000&size=1000"
    async with hnode.process() as proc:
        with pytest.raises(http.ResponseTooLargeError) as info:
            await proc.call(http.Request("GET", url, max_response_body=5000))
        assert established_to(server.port) == 0  # cut off, not kept in the pool
        ok = await proc.call(http.Request("GET", f"{server.url}/chunked?n=3000"))
    assert str(info.value) == (
        f"Request (id=60): GET {url}: the body exceeds max_response_body (5000 bytes)"
    )
    assert ok.body == b"y" * 3000


async def test_http_node_max_size_is_the_default(server: Server) -> None:
    modules = [http.module(allow_networks=http.LOOPBACK, max_response_body=10)]
    async with open_test_node(modules=modules) as hnode, hnode.process() as proc:
        with pytest.raises(http.ResponseTooLargeError):
            await proc.call(http.Request("GET", f"{server.url}/bytes?n=11"))


# -- time and cancellation -----------------------------------------------------------------


async def test_http_request_timeout_stops_it(hnode: actorkit.Node, server: Server) -> None:
    async with hnode.process() as proc:
        with pytest.raises(http.HttpTimeoutError, match=r"no complete response within 0\.05s"):
            await proc.call(http.Request("GET", f"{server.url}/slow", timeout=0.05))
        await left_if_started(server)
    assert established_to(server.port) == 0


async def test_http_call_deadline_reaches_the_request(hnode: actorkit.Node, server: Server) -> None:
    async with hnode.process() as proc:
        with pytest.raises(trio.TooSlowError):
            await proc.call(
                http.Request("GET", f"{server.url}/slow", timeout=math.inf), timeout=0.05
            )
        await left_if_started(server)
    assert established_to(server.port) == 0


async def fetch_slow(proc: actorkit.Process, url: str) -> None:
    await proc.call(http.Request("GET", url))


@pytest.mark.parametrize("how", ["cancel", "exit"])
async def test_http_cancel_or_exit_closes_the_connection(
    hnode: actorkit.Node, server: Server, how: str
) -> None:
    url = f"{server.url}/slow"
    if how == "cancel":
        async with hnode.process() as proc, trio.open_nursery() as nursery:
            nursery.start_soon(fetch_slow, proc, url)
            with trio.fail_after(PROMPT):
                await server.slow_started.wait()
            nursery.cancel_scope.cancel()
    else:
        async with hnode.process() as proc:
            pid = await proc.spawn(fetch_slow, url, monitor=True)
            with trio.fail_after(PROMPT):
                await server.slow_started.wait()
            await proc.terminate(pid)
            await proc.receive(kind=actorkit.Exit, timeout=PROMPT)
    with trio.fail_after(PROMPT):
        await server.slow_left.wait()
    assert established_to(server.port) == 0


# -- refused addresses ---------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "10.0.0.1", "169.254.169.254"])
async def test_http_non_public_addresses_are_refused_by_default(host: str) -> None:
    async with open_test_node(modules=[http.module()]) as hnode, hnode.process() as proc:
        with pytest.raises(http.AddressRefusedError, match="which the node does not allow"):
            await proc.call(http.Request("GET", f"http://{host}:9/x"))


async def test_http_a_name_resolving_to_loopback_is_refused(server: Server) -> None:
    async with open_test_node(modules=[http.module()]) as hnode, hnode.process() as proc:
        with pytest.raises(http.AddressRefusedError) as info:
            await proc.call(http.Request("GET", f"http://localhost:{server.port}/echo"))
    assert "127.0.0.1 (a loopback address)" in str(info.value)
    assert server.seen == []


async def test_http_redirects_are_checked_too(server: Server) -> None:
    modules = [http.module(allow_networks=["127.0.0.1/32"])]
    to = f"http://127.0.0.2:{server.port}/echo"
    async with open_test_node(modules=modules) as hnode, hnode.process() as proc:
        with pytest.raises(http.AddressRefusedError, match=r"127\.0\.0\.2"):
            await proc.call(http.Request("GET", f"{server.url}/redirect?to={to}"))
    assert server.seen == ["/redirect"]


async def test_http_allow_private_allows_loopback(server: Server) -> None:
    modules = [http.module(allow_private=True)]
    async with open_test_node(modules=modules) as hnode, hnode.process() as proc:
        response = await proc.call(http.Request("GET", f"http://localhost:{server.port}/echo"))
    assert response.status_code == 200


async def test_http_connection_refused(hnode: actorkit.Node) -> None:
    async with hnode.process() as proc:
        with pytest.raises(http.HttpConnectionError, match="ConnectError"):
            await proc.call(http.Request("GET", f"http://127.0.0.1:{free_port()}/"))


# -- batches -------------------------------------------------------------------------------


async def test_http_batch_keeps_order_and_isolates_failures(
    hnode: actorkit.Node, server: Server
) -> None:
    requests = [
        http.Request("GET", f"{server.url}/bytes?n=3"),
        http.Request("GET", f"http://127.0.0.1:{free_port()}/"),
        http.Request("GET", f"{server.url}/bytes?n=50", max_response_body=10),
        http.Request("POST", f"{server.url}/echo", body="b"),
    ]
    async with hnode.process() as proc:
        first, refused, large, last = await proc.call(http.RequestBatch(requests))
    assert isinstance(first, http.Response)
    assert first.body == b"xxx"
    assert isinstance(refused, http.HttpConnectionError)
    assert isinstance(large, http.ResponseTooLargeError)
    assert isinstance(last, http.Response)
    assert last.json()["body"] == "b"


async def test_http_batch_runs_requests_at_once(hnode: actorkit.Node, server: Server) -> None:
    slow = [http.Request("GET", f"{server.url}/slow", timeout=0.2) for _ in range(5)]
    async with hnode.process() as proc:
        with trio.fail_after(PROMPT):
            results = await proc.call(http.RequestBatch(slow))
    assert all(isinstance(r, http.HttpTimeoutError) for r in results)


# -- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"url": "not a url"}, "url"),
        ({"url": "ftp://x/"}, "url"),
        ({"url": "http://x:99999/"}, "url"),
        ({"method": "GE T"}, "method"),
        ({"headers": {"X-A": "a\r\nb"}}, "headers"),
        ({"headers": {"bad name": "v"}}, "headers"),
        ({"timeout": -1}, "timeout"),
        ({"timeout": 0}, "timeout"),
        ({"max_response_body": -1}, "max_response_body"),
        ({"body": b"x", "json": {}}, "json"),
        ({"json": {"x": object()}}, "json"),
        ({"query": {"a": None}}, "query"),
        ({"auth": ("u", "p")}, "auth"),
    ],
)
def test_http_bad_fields_name_command_and_field(kwargs: dict[str, object], field: str) -> None:
    args = {"method": "GET", "url": "http://example.com/"} | kwargs
    with pytest.raises(http.HttpArgumentError) as info:
        http.Request(**args)  # type: ignore[arg-type]
    assert str(info.value).startswith(f"Request (id=60): {field} must be")
    assert info.value.field == field


def test_http_batch_takes_requests_only() -> None:
    with pytest.raises(http.HttpArgumentError, match=r"RequestBatch \(id=61\): requests must"):
        http.RequestBatch(["http://example.com/"])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"allow_networks": ["nonsense"]}, "allow_networks must be IP networks"),
        ({"timeout": 0}, "timeout must be"),
        ({"max_connections": 0}, "max_connections must be"),
        ({"allow_private": "yes"}, "allow_private must be"),
    ],
)
def test_http_module_options_are_checked(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=f"http.module: {message}"):
        http.module(**kwargs)  # type: ignore[arg-type]


async def test_http_node_stop_closes_the_pool(server: Server) -> None:
    async with open_test_node(modules=[http.module(allow_networks=http.LOOPBACK)]) as hnode:
        async with hnode.process() as proc:
            await proc.call(http.Request("GET", f"{server.url}/echo"))
        assert established_to(server.port) == 1
    assert established_to(server.port) == 0


async def test_http_too_many_redirects(server: Server) -> None:
    modules = [http.module(allow_networks=http.LOOPBACK, max_redirects=1)]
    hop = f"{server.url}/redirect?to={server.url}/echo"
    url = f"{server.url}/redirect?to={hop}"
    async with open_test_node(modules=modules) as hnode, hnode.process() as proc:
        with pytest.raises(http.HttpError, match="TooManyRedirects"):
            await proc.call(http.Request("GET", url))
        assert (await proc.call(http.Request("GET", hop))).status_code == 200
