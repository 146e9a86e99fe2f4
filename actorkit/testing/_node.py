"""Booting nodes for tests."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from contextlib import asynccontextmanager

from actorkit._api._boot import Component
from actorkit._api._node import Node
from actorkit._open import open_node
from actorkit.modules import clock


@asynccontextmanager
async def open_test_node(
    *, modules: Sequence[Component] = (), shutdown_grace: float = 1.0, mailbox_size: int = 1024
) -> AsyncGenerator[Node, None]:
    """Boot a node named ``test`` with ``modules`` and a short shutdown grace, for a test.

    The clock module is added when ``modules`` has no component named ``"clock"``, so an
    application's own list (``open_test_node(modules=app.MODULES)``) works whether or not it
    lists ``clock.module()``. The test kit's clock is only a default: boot itself keeps
    refusing two components with one name, because there that is a real mistake (two
    databases both named ``sql.default``).

    An async context manager: the node runs while the block runs and shuts down (Cancel to
    every process, then ``shutdown_grace``, then cancellation) when it ends.

    Raises:
        BootError: a component could not be ordered, loaded or started.
    """
    async with open_node(
        modules=with_clock(modules),
        name="test",
        shutdown_grace=shutdown_grace,
        mailbox_size=mailbox_size,
    ) as node:
        yield node


def with_clock(modules: Sequence[Component]) -> list[Component]:
    """``modules``, with the clock module in front unless one is already listed."""
    if any(comp.name == "clock" for comp in modules):
        return list(modules)
    return [clock.module(), *modules]
