"""The http module's per-node state: the address policy, the defaults and the clients.

One :class:`httpx.AsyncClient` (one connection pool) serves every request of the node; a
request with TLS options of its own gets a client for those options, made on first use and
kept until the module stops, so requests with the same options share its pool.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import httpx

from actorkit.lowlevel import NodeVar

from .decoding import ACCEPT_ENCODING
from .guard import AddressPolicy
from .tls import TLS, ssl_context
from .transport import GuardedTransport

if TYPE_CHECKING:
    from actorkit import Node


@attrs.frozen
class Settings:
    """The node's options (see :func:`actorkit.modules.http.module`)."""

    policy: AddressPolicy
    timeout: float
    connect_timeout: float
    max_response_body: int
    max_connections: int
    max_redirects: int
    user_agent: str
    http2: bool = False


def _no_clients() -> dict[TLS | None, httpx.AsyncClient]:
    return {}


@attrs.define
class HttpState:
    """What a node's http module holds while it runs."""

    settings: Settings
    clients: dict[TLS | None, httpx.AsyncClient] = attrs.field(factory=_no_clients)

    def client(self, tls: TLS | None) -> httpx.AsyncClient:
        """The client for ``tls`` (None: the node's default pool), made on first use."""
        client = self.clients.get(tls)
        if client is None:
            client = self.clients[tls] = make_client(self.settings, tls)
        return client

    async def aclose(self) -> None:
        """Close every client and its connections. A checkpoint."""
        clients, self.clients = list(self.clients.values()), {}
        for client in clients:
            await client.aclose()


STATE = NodeVar[HttpState]("http")


def state_of(node: Node) -> HttpState:
    """The node's http state; ``LookupError`` if the module is not booted there."""
    return STATE.get(node)


def make_client(settings: Settings, tls: TLS | None) -> httpx.AsyncClient:
    """A client whose pool connects only where ``settings.policy`` allows."""
    limits = httpx.Limits(
        max_connections=settings.max_connections,
        max_keepalive_connections=min(settings.max_connections, 100),
        keepalive_expiry=90.0,
    )
    transport = GuardedTransport(settings.policy, ssl_context(tls), limits, http2=settings.http2)
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(None, connect=settings.connect_timeout),
        max_redirects=settings.max_redirects,
        headers={"user-agent": settings.user_agent, "accept-encoding": ACCEPT_ENCODING},
        trust_env=False,
    )
