"""wss:// against a real TLS websocket server on loopback with a test CA."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from pathlib import Path

import pytest

import actorkit
from actorkit.modules import http
from actorkit.modules import websocket as ws
from tests._certs import Certs, make_certs, server_context

from ._server import Server, serving

PROMPT = 30.0  # a deadline for what should happen at once, generous under load


@pytest.fixture
def certs(tmp_path: Path) -> Certs:
    return make_certs(tmp_path)


@pytest.fixture
async def tls_server(certs: Certs) -> AsyncGenerator[Server]:
    async with serving(server_context(certs)) as running:
        yield running


async def test_ws_wss_with_the_test_ca(
    wnode: actorkit.Node, tls_server: Server, certs: Certs
) -> None:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{tls_server.url}/echo", tls=http.TLS(ca=certs.ca_pem)))
        await proc.call(ws.Send(conn, "secret"))
        assert await proc.call(ws.Receive(conn), timeout=PROMPT) == "secret"


async def test_ws_wss_refuses_an_unknown_ca(wnode: actorkit.Node, tls_server: Server) -> None:
    async with wnode.process() as proc:
        with pytest.raises(ws.HandshakeFailedError, match="CERTIFICATE_VERIFY_FAILED"):
            await proc.call(ws.Connect(f"{tls_server.url}/echo"))
    assert tls_server.opened == 0


async def test_ws_wss_server_name(wnode: actorkit.Node, tls_server: Server, certs: Certs) -> None:
    by_ip = f"wss://127.0.0.1:{tls_server.port}/echo"  # the certificate names localhost
    tls = http.TLS(ca=certs.ca_pem, server_name="localhost")
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(by_ip, tls=tls))
        await proc.call(ws.Ping(conn), timeout=PROMPT)
