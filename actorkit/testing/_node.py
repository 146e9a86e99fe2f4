"""Booting nodes for tests."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from contextlib import asynccontextmanager

from actorkit._core._boot import Component
from actorkit._core._node import Node
from actorkit._core._open import open_node
from actorkit.modules import clock


@asynccontextmanager
async def open_test_node(
    *, modules: Sequence[Component] = (), shutdown_grace: float = 1.0, mailbox_size: int = 1024
) -> AsyncGenerator[Node, None]:
    """A node with the clock module plus ``modules``; a short shutdown grace for tests."""
    async with open_node(
        modules=[clock.module(), *modules],
        name="test",
        shutdown_grace=shutdown_grace,
        mailbox_size=mailbox_size,
    ) as node:
        yield node
