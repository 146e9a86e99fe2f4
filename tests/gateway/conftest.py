"""Helpers: boot a node with a gateway on a free loopback port and talk to it for real."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import httpx

import actorkit
from actorkit.gateway import Route, gateway, gateway_address


@asynccontextmanager
async def serving(
    routes: Iterable[Route], *, extra: Sequence[actorkit.Component] = (), **options: Any
) -> AsyncGenerator[tuple[actorkit.Node, str], None]:
    """A node booting ``gateway(routes, port=0, **options)``; yields it and its base URL."""
    component = gateway(routes, port=0, **options)
    async with actorkit.open_node(modules=[*extra, component], shutdown_grace=2.0) as node:
        host, port = gateway_address(node)
        yield node, f"http://{host}:{port}"


@asynccontextmanager
async def client(base: str, **options: Any) -> AsyncGenerator[httpx.AsyncClient, None]:
    """An httpx client on ``base`` with a generous timeout (tests assert statuses)."""
    async with httpx.AsyncClient(base_url=base, timeout=10.0, **options) as http:
        yield http
