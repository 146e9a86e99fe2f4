"""Test certificates, made with cryptography: a CA, a server certificate for ``localhost``
and a client certificate, both signed by the CA. The http and websocket tests share them.

Import it as ``from tests._certs import Certs, make_certs`` (the suite runs as
``python -m pytest`` from the repository, which puts it on the path).
"""

from __future__ import annotations

import datetime
import ssl
from pathlib import Path

import attrs
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CLIENT_KEY_PASSWORD = "client key password"
"""The password of ``Certs.client_key_encrypted_file``."""


@attrs.frozen
class Certs:
    """The CA (PEM text and file), the server's certificate and key files, and the
    client's certificate with its key in clear and encrypted with ``CLIENT_KEY_PASSWORD``."""

    ca_pem: str
    ca_file: str
    cert_file: str
    key_file: str
    client_cert_file: str
    client_key_file: str
    client_key_encrypted_file: str


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _builder(subject: str, issuer: str, key: ec.EllipticCurvePrivateKey) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
    )


def _key_pem(key: ec.EllipticCurvePrivateKey, password: str | None = None) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.NoEncryption()
        if password is None
        else serialization.BestAvailableEncryption(password.encode())
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def _signed(
    subject: str, ca_key: ec.EllipticCurvePrivateKey, extension: x509.ExtensionType
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        _builder(subject, "actorkit test CA", key)
        .add_extension(extension, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


def make_certs(where: Path) -> Certs:
    """Write a CA, a ``localhost`` server certificate and a client certificate (both
    signed by the CA), with their keys, under ``where``."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        _builder("actorkit test CA", "actorkit test CA", ca_key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    server, server_key = _signed(
        "localhost", ca_key, x509.SubjectAlternativeName([x509.DNSName("localhost")])
    )
    client, client_key = _signed(
        "actorkit test client", ca_key, x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH])
    )
    pem = serialization.Encoding.PEM
    files: dict[str, bytes] = {
        "ca": ca.public_bytes(pem),
        "cert": server.public_bytes(pem),
        "key": _key_pem(server_key),
        "client": client.public_bytes(pem),
        "client_key": _key_pem(client_key),
        "client_key_encrypted": _key_pem(client_key, CLIENT_KEY_PASSWORD),
    }
    paths = {name: where / f"{name}.pem" for name in files}
    for name, data in files.items():
        paths[name].write_bytes(data)
    return Certs(
        ca_pem=files["ca"].decode(),
        ca_file=str(paths["ca"]),
        cert_file=str(paths["cert"]),
        key_file=str(paths["key"]),
        client_cert_file=str(paths["client"]),
        client_key_file=str(paths["client_key"]),
        client_key_encrypted_file=str(paths["client_key_encrypted"]),
    )


def server_context(certs: Certs, *, require_client: bool = False) -> ssl.SSLContext:
    """A server's TLS context for ``localhost``; with ``require_client`` the handshake
    fails unless the client shows a certificate signed by the test CA (mutual TLS)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certs.cert_file, certs.key_file)
    if require_client:
        context.load_verify_locations(cafile=certs.ca_file)
        context.verify_mode = ssl.CERT_REQUIRED
    return context
