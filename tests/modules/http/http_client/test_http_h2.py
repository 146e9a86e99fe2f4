"""HTTP/2: ``http.module(http2=True)`` against a real HTTPS server on loopback (hypercorn,
which offers ``h2`` by ALPN)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from pathlib import Path

import pytest

import actorkit
from actorkit.modules import http
from actorkit.testing import open_test_node
from tests._certs import Certs, make_certs

from ._server import Server, established_to, serving


@pytest.fixture
def certs(tmp_path: Path) -> Certs:
    return make_certs(tmp_path)


@pytest.fixture
async def tls_server(certs: Certs) -> AsyncGenerator[Server]:
    async with serving((certs.cert_file, certs.key_file)) as running:
        yield running


@pytest.fixture
async def h2node() -> AsyncGenerator[actorkit.Node]:
    """A node whose http module offers HTTP/2, loopback allowed."""
    modules = [http.module(allow_networks=http.LOOPBACK, http2=True)]
    async with open_test_node(modules=modules) as booted:
        yield booted


async def test_http2_is_negotiated_over_tls(
    h2node: actorkit.Node, tls_server: Server, certs: Certs
) -> None:
    url = f"https://localhost:{tls_server.port}/echo"
    async with h2node.process() as proc:
        response = await proc.call(
            http.Request("POST", url, json={"a": 1}, tls=http.TLS(ca=certs.ca_pem))
        )
    assert response.http_version == "HTTP/2"
    assert tls_server.versions == ["2"]
    assert response.json()["body"] == '{"a":1}'


async def test_http2_is_off_by_default(
    hnode: actorkit.Node, tls_server: Server, certs: Certs
) -> None:
    url = f"https://localhost:{tls_server.port}/echo"
    async with hnode.process() as proc:
        response = await proc.call(http.Request("GET", url, tls=http.TLS(ca=certs.ca_pem)))
    assert (response.http_version, tls_server.versions) == ("HTTP/1.1", ["1.1"])


async def test_http2_batch_shares_one_connection(
    h2node: actorkit.Node, tls_server: Server, certs: Certs
) -> None:
    tls = http.TLS(ca=certs.ca_pem)
    url = f"https://localhost:{tls_server.port}/bytes?n=1000"
    async with h2node.process() as proc:
        first = await proc.call(http.Request("GET", url, tls=tls))
        batch = [http.Request("GET", f"{url}&i={i}", tls=tls) for i in range(8)]
        results = await proc.call(http.RequestBatch(batch))
        assert established_to(tls_server.port) == 1
    assert first.http_version == "HTTP/2"
    assert all(isinstance(r, http.Response) and r.body == b"x" * 1000 for r in results)
    assert tls_server.versions == ["2"] * 9


async def test_http2_plain_http_stays_http1(h2node: actorkit.Node, server: Server) -> None:
    async with h2node.process() as proc:
        response = await proc.call(http.Request("GET", f"{server.url}/echo"))
    assert response.http_version == "HTTP/1.1"


async def test_http2_bad_option_is_named() -> None:
    with pytest.raises(ValueError, match=r"http\.module: http2 must be a bool, got 'yes'"):
        http.module(http2="yes")  # type: ignore[arg-type]


async def test_http2_body_over_the_limit_is_cut_and_the_next_request_works(
    h2node: actorkit.Node, tls_server: Server, certs: Certs
) -> None:
    tls = http.TLS(ca=certs.ca_pem)
    base = f"https://localhost:{tls_server.port}"
    async with h2node.process() as proc:
        with pytest.raises(http.ResponseTooLargeError):
            await proc.call(
                http.Request("GET", f"{base}/bomb?mib=64", tls=tls, max_response_body=1 << 20)
            )
        assert 0 < tls_server.bomb_sent < 64 << 20
        response = await proc.call(http.Request("GET", f"{base}/bytes?n=10", tls=tls))
    assert (response.http_version, response.body) == ("HTTP/2", b"x" * 10)
