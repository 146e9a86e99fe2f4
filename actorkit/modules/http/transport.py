"""The node's httpx transport: httpx's own, with every connection its pool opens guarded.

httpcore opens connections through a network backend; :class:`GuardedBackend` resolves the
host itself, checks each address against the node's :class:`~.guard.AddressPolicy` and
connects to an allowed address by number. TLS still names the URL's host (SNI and the
certificate check come from the request's origin, not from the address connected to).
Redirects go through the same pool, so each hop is checked too.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from typing import cast

import httpcore
import httpx

from .guard import AddressPolicy, allowed, resolve

SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Trio's network backend, connecting only to addresses the policy allows."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self.trio = cast("httpcore.AsyncNetworkBackend", httpcore.TrioBackend())

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve ``host``, refuse it unless an address is allowed, connect to the first
        allowed address that answers.

        Raises:
            RefusedAddress: every address ``host`` resolves to is refused.
            httpcore.ConnectError: the name does not resolve, or no address answered.
        """
        try:
            found = await resolve(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"{host} does not resolve: {exc}") from exc
        error: httpcore.ConnectError | None = None
        for address in allowed(host, found, self.policy):
            try:
                stream = await self.trio.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
                return CuttableStream(stream)
            except httpcore.ConnectError as exc:
                error = exc
        assert error is not None  # allowed() returns at least one address
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Refused: the module connects over TCP only."""
        raise httpcore.ConnectError("unix sockets are not supported")

    async def sleep(self, seconds: float) -> None:
        """Trio's sleep."""
        await self.trio.sleep(seconds)


class CuttableStream(httpcore.AsyncNetworkStream):
    """A connection's stream that can be cut off from the body it is carrying: after
    :meth:`cut`, reads fail and the pool sees the connection as expired, so httpcore closes
    it instead of reusing it, whether or not the rest of the body was already read."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self.inner = inner
        self.is_cut = False

    def cut(self) -> None:
        """Abandon the body: the next read fails with ``httpcore.ReadError``."""
        self.is_cut = True

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if self.is_cut:
            raise httpcore.ReadError("the rest of the body was abandoned")
        return await self.inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self.inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return CuttableStream(await self.inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> object:
        if self.is_cut and info == "is_readable":
            return True  # what the pool reads as "expired": it closes the connection
        return self.inner.get_extra_info(info)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its pool's connections made by a :class:`GuardedBackend`.
    With ``http2`` its connections offer HTTP/2 (ALPN ``h2``) beside HTTP/1.1 over TLS."""

    def __init__(
        self,
        policy: AddressPolicy,
        context: ssl.SSLContext,
        limits: httpx.Limits,
        *,
        http2: bool = False,
    ) -> None:
        super().__init__(verify=context, limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            http2=http2,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(policy),
        )
