"""Helpers: boot a node with a gateway on a free loopback port and talk to it for real."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import httpx
import trio
from trio_websocket import WebSocketConnection, open_websocket_url

import actorkit
from actorkit.gateway import Route, gateway, gateway_address


@asynccontextmanager
async def serving(
    routes: Iterable[Route],
    *,
    extra: Sequence[actorkit.Component] = (),
    mailbox_size: int = 64,
    **options: Any,
) -> AsyncGenerator[tuple[actorkit.Node, str], None]:
    """A node booting ``gateway(routes, port=0, **options)``; yields it and its base URL."""
    component = gateway(routes, port=0, **options)
    modules = [*extra, component]
    async with actorkit.open_node(
        modules=modules, shutdown_grace=2.0, mailbox_size=mailbox_size
    ) as node:
        host, port = gateway_address(node)
        yield node, f"http://{host}:{port}"


@asynccontextmanager
async def client(base: str, **options: Any) -> AsyncGenerator[httpx.AsyncClient, None]:
    """An httpx client on ``base`` with a generous timeout (tests assert statuses)."""
    async with httpx.AsyncClient(base_url=base, timeout=10.0, **options) as http:
        yield http


@asynccontextmanager
async def open_ws(url: str) -> AsyncGenerator[WebSocketConnection, None]:
    """A trio-websocket client connection, its TCP stream closed on the way out.

    trio-websocket 0.12, as a client, leaves its socket open after the server closed the
    connection (its reader stops at EOF without closing the stream), which the test run's
    ResourceWarning filter catches; closing the stream afterwards is what it should do.
    """
    async with open_websocket_url(url) as conn:
        try:
            yield conn
        finally:
            stream = conn._stream  # pyright: ignore[reportPrivateUsage]
            with trio.CancelScope(shield=True):
                await conn.aclose()
                await stream.aclose()
