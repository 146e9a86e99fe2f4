"""A TCP proxy in front of the real Redis that can swallow what a client writes.

It stands for a network that drops a request after it left the client: the client has
sent it, the server never sees it, then the connection breaks. Unlike the server-wide
``CLIENT PAUSE``, it touches no other client of the server, so suites can run beside it.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from functools import partial

import trio


class SwallowingProxy:
    """Forwards both ways; while ``swallowing``, drops the client's bytes instead."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.swallowing = False
        self.swallowed = trio.Event()  # set once bytes were dropped
        self._scopes: list[trio.CancelScope] = []

    def cut(self) -> None:
        """Close every connection through the proxy (clients see it drop)."""
        self.swallowing = False
        for scope in self._scopes:
            scope.cancel()

    async def handle(self, client: trio.SocketStream) -> None:
        """One client connection: a connection upstream, pumped both ways."""
        with trio.CancelScope() as scope:
            self._scopes.append(scope)
            server = await trio.open_tcp_stream(*self.upstream)
            async with client, server, trio.open_nursery() as nursery:
                nursery.start_soon(self._pump, client, server, True)
                nursery.start_soon(self._pump, server, client, False)

    async def _pump(self, source: trio.SocketStream, sink: trio.SocketStream, up: bool) -> None:
        while data := await source.receive_some():
            if up and self.swallowing:
                self.swallowed.set()
                continue
            await sink.send_all(data)


@asynccontextmanager
async def swallowing_proxy(
    host: str, port: int
) -> AsyncGenerator[tuple[SwallowingProxy, int], None]:
    """A running proxy to ``host:port`` and the local port it listens on."""
    proxy = SwallowingProxy(host, port)
    async with trio.open_nursery() as nursery:
        listeners = await nursery.start(partial(trio.serve_tcp, proxy.handle, 0, host="127.0.0.1"))
        yield proxy, listeners[0].socket.getsockname()[1]
        nursery.cancel_scope.cancel()
