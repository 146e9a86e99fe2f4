"""TLS options against a real HTTPS server on loopback with a test CA."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from pathlib import Path

import pytest

import actorkit
from actorkit.modules import http
from tests._certs import Certs, make_certs

from ._server import Server, serving


@pytest.fixture
def certs(tmp_path: Path) -> Certs:
    return make_certs(tmp_path)


@pytest.fixture
async def tls_server(certs: Certs) -> AsyncGenerator[Server]:
    async with serving((certs.cert_file, certs.key_file)) as running:
        yield running


async def get(hnode: actorkit.Node, url: str, tls: http.TLS | None) -> http.Response:
    async with hnode.process() as proc:
        return await proc.call(http.Request("GET", url, tls=tls))


async def test_http_tls_trusts_the_given_ca(
    hnode: actorkit.Node, tls_server: Server, certs: Certs
) -> None:
    url = f"https://localhost:{tls_server.port}/echo"
    assert (await get(hnode, url, http.TLS(ca=certs.ca_pem))).status_code == 200
    assert (await get(hnode, url, http.TLS(ca=certs.ca_file))).status_code == 200


async def test_http_tls_refuses_an_unknown_ca(hnode: actorkit.Node, tls_server: Server) -> None:
    with pytest.raises(http.HttpConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
        await get(hnode, f"https://localhost:{tls_server.port}/echo", None)


async def test_http_tls_server_name_and_skip_verify(
    hnode: actorkit.Node, tls_server: Server, certs: Certs
) -> None:
    by_ip = f"https://127.0.0.1:{tls_server.port}/echo"  # the certificate names localhost
    with pytest.raises(http.HttpConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
        await get(hnode, by_ip, http.TLS(ca=certs.ca_pem))
    named = http.TLS(ca=certs.ca_pem, server_name="localhost")
    assert (await get(hnode, by_ip, named)).status_code == 200
    assert (await get(hnode, by_ip, http.TLS(insecure_skip_verify=True))).status_code == 200


async def test_http_tls_missing_ca_file(hnode: actorkit.Node, tls_server: Server) -> None:
    with pytest.raises(http.HttpConnectionError, match="FileNotFoundError"):
        await get(hnode, f"https://localhost:{tls_server.port}/", http.TLS(ca="/nonexistent.pem"))
