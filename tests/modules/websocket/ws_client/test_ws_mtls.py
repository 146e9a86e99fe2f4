"""Mutual TLS for wss://: client certificates in ``http.TLS``, against a real
trio-websocket server on loopback that requires one signed by the test CA."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from pathlib import Path

import pytest

import actorkit
from actorkit.modules import http
from actorkit.modules import websocket as ws
from tests._certs import CLIENT_KEY_PASSWORD, Certs, make_certs, server_context

from ._server import Server, serving

PROMPT = 30.0  # a deadline for what should happen at once, generous under load


@pytest.fixture
def certs(tmp_path: Path) -> Certs:
    return make_certs(tmp_path)


@pytest.fixture
async def mtls_server(certs: Certs) -> AsyncGenerator[Server]:
    async with serving(server_context(certs, require_client=True)) as running:
        yield running


async def echo_once(wnode: actorkit.Node, server: Server, tls: http.TLS) -> str | bytes:
    async with wnode.process() as proc:
        conn = await proc.call(ws.Connect(f"{server.url}/echo", tls=tls))
        await proc.call(ws.Send(conn, "mutual"))
        return await proc.call(ws.Receive(conn), timeout=PROMPT)


async def test_ws_mtls_shows_the_client_certificate(
    wnode: actorkit.Node, mtls_server: Server, certs: Certs
) -> None:
    tls = http.TLS(
        ca=certs.ca_pem, cert_file=certs.client_cert_file, key_file=certs.client_key_file
    )
    assert await echo_once(wnode, mtls_server, tls) == "mutual"
    assert mtls_server.opened == 1


async def test_ws_mtls_with_an_encrypted_key(
    wnode: actorkit.Node, mtls_server: Server, certs: Certs
) -> None:
    tls = http.TLS(
        ca=certs.ca_pem,
        cert_file=certs.client_cert_file,
        key_file=certs.client_key_encrypted_file,
        key_password=CLIENT_KEY_PASSWORD,
    )
    assert await echo_once(wnode, mtls_server, tls) == "mutual"


async def test_ws_mtls_without_a_client_certificate_is_refused(
    wnode: actorkit.Node, mtls_server: Server, certs: Certs
) -> None:
    with pytest.raises(ws.HandshakeFailedError):
        await echo_once(wnode, mtls_server, http.TLS(ca=certs.ca_pem))
    assert mtls_server.opened == 0


async def test_ws_mtls_wrong_key_password_fails_the_connect(
    wnode: actorkit.Node, mtls_server: Server, certs: Certs
) -> None:
    tls = http.TLS(
        ca=certs.ca_pem,
        cert_file=certs.client_cert_file,
        key_file=certs.client_key_encrypted_file,
        key_password="wrong",
    )
    with pytest.raises(ws.HandshakeFailedError, match="client certificate cannot be loaded"):
        await echo_once(wnode, mtls_server, tls)
    assert mtls_server.opened == 0


def test_ws_mtls_missing_file_is_named_when_built() -> None:
    with pytest.raises(http.HttpArgumentError, match="TLS: cert_file must be None or the path"):
        ws.Connect("wss://localhost/", tls=http.TLS(cert_file="/nonexistent/client.pem"))
