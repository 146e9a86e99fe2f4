"""Fixtures of the http tests: a real server on loopback and a node allowed to reach it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

import actorkit
from actorkit.modules import http
from actorkit.testing import open_test_node

from ._server import Server, serving


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    """A real HTTP server (hypercorn) on 127.0.0.1."""
    async with serving() as running:
        yield running


@pytest.fixture
async def hnode() -> AsyncIterator[actorkit.Node]:
    """A node with the http module, loopback allowed."""
    async with open_test_node(modules=[http.module(allow_networks=http.LOOPBACK)]) as booted:
        yield booted
