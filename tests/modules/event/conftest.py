"""A node with the event bus and the default pg scope."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

import actorkit
from actorkit.modules import event, pg
from actorkit.testing import open_test_node


@pytest.fixture
async def bus_node() -> AsyncIterator[actorkit.Node]:
    """Tests also request ``autojump_clock`` (pytest-trio only takes a clock from the test's
    own arguments)."""
    async with open_test_node(modules=[event.module(), pg.module()]) as node:
        yield node
