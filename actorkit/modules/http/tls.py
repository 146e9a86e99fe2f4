"""TLS options (:class:`TLS`) of a request or a websocket connection, and the
:class:`ssl.SSLContext` made from them.

Files named by the options are checked when a :class:`TLS` is built: a path that is not an
existing file raises :class:`~.errors.HttpArgumentError` naming the option. Their contents
(a certificate that does not parse, a wrong key password) are checked when a context is
made from them, on the first request or connection that uses them.
"""

from __future__ import annotations

import os
import ssl

import attrs

from actorkit.checks import Check, label

from .checks import FLAG, OPTIONAL_TEXT, field
from .errors import HttpArgumentError


def _is_file(value: object) -> bool:
    return value is None or (type(value) is str and bool(value) and os.path.isfile(value))


_FILE = field(Check(_is_file, "None or the path of an existing file"))
_PASSWORD = field(Check(lambda v: v is None or type(v) is str, "None or a str"))


@attrs.frozen
class TLS:
    """TLS options of a request or a websocket connection (Wippy's ``tls``); requests with
    the same options share a connection pool of their own.

    Attributes:
        ca: the CA certificates to trust instead of the system's: a PEM file path, or PEM
            text (starting with ``-----BEGIN``).
        server_name: the name to send (SNI) and to check the server's certificate against,
            instead of the URL's host.
        insecure_skip_verify: do not check the server's certificate at all (tests only).
        cert_file: a client certificate (PEM file) to show a server that asks for one
            (mutual TLS); it may hold the private key too.
        key_file: the client certificate's private key (PEM file), when ``cert_file`` does
            not hold it.
        key_password: the password of an encrypted private key.
    """

    ca: str | None = attrs.field(default=None, kw_only=True, validator=OPTIONAL_TEXT)
    server_name: str | None = attrs.field(default=None, kw_only=True, validator=OPTIONAL_TEXT)
    insecure_skip_verify: bool = attrs.field(default=False, kw_only=True, validator=FLAG)
    cert_file: str | None = attrs.field(default=None, kw_only=True, validator=_FILE)
    key_file: str | None = attrs.field(default=None, kw_only=True, validator=_FILE)
    key_password: str | None = attrs.field(
        default=None, kw_only=True, repr=False, validator=_PASSWORD
    )

    def __attrs_post_init__(self) -> None:
        if self.cert_file is not None:
            return
        for name in ("key_file", "key_password"):
            value = getattr(self, name)
            if value is not None:
                expected = "None when cert_file is not given (it belongs to a client certificate)"
                raise HttpArgumentError(label(TLS), name, expected, value)


def ssl_context(tls: TLS | None) -> ssl.SSLContext:
    """The TLS context for ``tls``: the default one (system CAs, verified) for None.

    Raises:
        OSError: a CA file cannot be read.
        ValueError: the client certificate or its key cannot be loaded (the message names
            the files; a wrong or missing ``key_password`` is the usual cause).
    """
    if tls is None:
        return ssl.create_default_context()
    if tls.ca is not None and tls.ca.lstrip().startswith("-----BEGIN"):
        context = ssl.create_default_context(cadata=tls.ca)
    else:
        context = ssl.create_default_context(cafile=tls.ca)
    if tls.insecure_skip_verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if tls.cert_file is not None:
        _load_client_certificate(context, tls, tls.cert_file)
    return context


def _load_client_certificate(context: ssl.SSLContext, tls: TLS, cert_file: str) -> None:
    # Without a password, OpenSSL would prompt for one on the terminal: give it none.
    password = tls.key_password if tls.key_password is not None else _no_password
    try:
        context.load_cert_chain(cert_file, tls.key_file, password)
    except (OSError, ssl.SSLError) as exc:
        files = cert_file if tls.key_file is None else f"{cert_file} and {tls.key_file}"
        raise ValueError(
            f"TLS: the client certificate cannot be loaded from {files} "
            f"(not PEM, a key that does not match, or a wrong key_password): {exc}"
        ) from exc


def _no_password() -> bytes:
    return b""
