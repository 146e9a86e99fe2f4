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
                return await self.trio.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
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


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its pool's connections made by a :class:`GuardedBackend`."""

    def __init__(self, policy: AddressPolicy, context: ssl.SSLContext, limits: httpx.Limits):
        super().__init__(verify=context, limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(policy),
        )
