"""Fixtures of the websocket tests: a real server on loopback and a node allowed to reach
it."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import pytest

import actorkit
from actorkit.modules import http, websocket
from actorkit.testing import open_test_node

from ._server import Server, serving


@pytest.fixture
async def server() -> AsyncGenerator[Server]:
    """A real websocket server (trio-websocket) on 127.0.0.1."""
    async with serving() as running:
        yield running


@pytest.fixture
async def wnode() -> AsyncGenerator[actorkit.Node]:
    """A node with the websocket module, loopback allowed."""
    modules = [websocket.module(allow_networks=http.LOOPBACK)]
    async with open_test_node(modules=modules) as booted:
        yield booted
