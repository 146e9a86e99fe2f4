"""A node with the default pg scope and a second scope, on the autojump clock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

import actorkit
from actorkit.modules import pg
from actorkit.testing import open_test_node


@pytest.fixture
async def pg_node() -> AsyncIterator[actorkit.Node]:
    """Scopes ``default`` and ``chat``; tests also request ``autojump_clock`` (pytest-trio
    only takes a clock from the test's own arguments)."""
    async with open_test_node(modules=[pg.module(), pg.module(scope="chat")]) as node:
        yield node
