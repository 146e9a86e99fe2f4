"""The http client module (IDs 60–69): :class:`~actorkit.modules.http.Request` (60) and
:class:`~actorkit.modules.http.RequestBatch` (61).

Boot it with :func:`module`, then call it::

    actorkit.run(main, modules=[http.module()])
    ...
    response = await proc.call(http.Request("GET", "https://example.com/", timeout=5))
    if response.ok:
        data = response.json()

Every node has one connection pool (httpx on Trio), opened when the module starts and
closed when it stops. Requests go only to public addresses unless the node allows more
(``http.module(allow_networks=http.LOOPBACK)``): the check runs on the addresses the host
resolves to, just before connecting, and again on every redirect.
"""

from __future__ import annotations

from .commands import BasicAuth, BearerAuth, File, Request, RequestBatch
from .components import DEFAULT_MAX_RESPONSE_BODY, module
from .errors import (
    AddressRefusedError,
    HttpArgumentError,
    HttpConnectionError,
    HttpError,
    HttpTimeoutError,
    ResponseTooLargeError,
)
from .guard import LOOPBACK, AddressPolicy, RefusedAddress, open_guarded_tcp_stream
from .response import Response
from .tls import TLS, ssl_context

__all__ = [
    "DEFAULT_MAX_RESPONSE_BODY",
    "LOOPBACK",
    "TLS",
    "AddressPolicy",
    "AddressRefusedError",
    "BasicAuth",
    "BearerAuth",
    "File",
    "HttpArgumentError",
    "HttpConnectionError",
    "HttpError",
    "HttpTimeoutError",
    "RefusedAddress",
    "Request",
    "RequestBatch",
    "Response",
    "ResponseTooLargeError",
    "module",
    "open_guarded_tcp_stream",
    "ssl_context",
]
