"""Mutual TLS: client certificates in ``http.TLS``, against a real HTTPS server on loopback
that requires one signed by the test CA."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from pathlib import Path

import pytest

import actorkit
from actorkit.modules import http
from tests._certs import CLIENT_KEY_PASSWORD, Certs, make_certs

from ._server import Server, serving


@pytest.fixture
def certs(tmp_path: Path) -> Certs:
    return make_certs(tmp_path)


@pytest.fixture
async def mtls_server(certs: Certs) -> AsyncGenerator[Server]:
    async with serving((certs.cert_file, certs.key_file), client_ca=certs.ca_file) as running:
        yield running


async def get(hnode: actorkit.Node, server: Server, tls: http.TLS) -> http.Response:
    async with hnode.process() as proc:
        return await proc.call(
            http.Request("GET", f"https://localhost:{server.port}/echo", tls=tls)
        )


async def test_http_mtls_shows_the_client_certificate(
    hnode: actorkit.Node, mtls_server: Server, certs: Certs
) -> None:
    tls = http.TLS(
        ca=certs.ca_pem, cert_file=certs.client_cert_file, key_file=certs.client_key_file
    )
    assert (await get(hnode, mtls_server, tls)).status_code == 200
    assert mtls_server.seen == ["/echo"]


async def test_http_mtls_with_an_encrypted_key_and_its_password(
    hnode: actorkit.Node, mtls_server: Server, certs: Certs
) -> None:
    tls = http.TLS(
        ca=certs.ca_pem,
        cert_file=certs.client_cert_file,
        key_file=certs.client_key_encrypted_file,
        key_password=CLIENT_KEY_PASSWORD,
    )
    assert (await get(hnode, mtls_server, tls)).status_code == 200
    assert CLIENT_KEY_PASSWORD not in repr(tls)


async def test_http_mtls_without_a_client_certificate_is_refused(
    hnode: actorkit.Node, mtls_server: Server, certs: Certs
) -> None:
    with pytest.raises(http.HttpConnectionError):
        await get(hnode, mtls_server, http.TLS(ca=certs.ca_pem))
    assert mtls_server.seen == []


@pytest.mark.parametrize("password", [None, "wrong"])
async def test_http_mtls_wrong_key_password_fails_that_call(
    hnode: actorkit.Node, mtls_server: Server, certs: Certs, password: str | None
) -> None:
    tls = http.TLS(
        ca=certs.ca_pem,
        cert_file=certs.client_cert_file,
        key_file=certs.client_key_encrypted_file,
        key_password=password,
    )
    with pytest.raises(
        http.HttpConnectionError, match=r"client certificate cannot be loaded.*key_password"
    ):
        await get(hnode, mtls_server, tls)
    assert mtls_server.seen == []


def test_http_tls_files_are_checked_when_the_options_are_built(certs: Certs) -> None:
    with pytest.raises(
        http.HttpArgumentError,
        match=r"TLS: cert_file must be None or the path of an existing file, got .*client\.pem",
    ):
        http.TLS(cert_file="/nonexistent/client.pem")
    with pytest.raises(http.HttpArgumentError, match="TLS: key_file must be None or the path"):
        http.TLS(cert_file=certs.client_cert_file, key_file="/nonexistent/key.pem")
    with pytest.raises(
        http.HttpArgumentError, match="key_file must be None when cert_file is not given"
    ):
        http.TLS(key_file=certs.client_key_file)
    with pytest.raises(http.HttpArgumentError, match="key_password must be None when cert_file"):
        http.TLS(key_password="secret")
    with pytest.raises(http.HttpArgumentError, match="key_password must be None or a str"):
        http.TLS(cert_file=certs.client_cert_file, key_password=b"secret")  # type: ignore[arg-type]
