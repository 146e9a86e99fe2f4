"""The pytest plugin (registered through the ``pytest11`` entry point).

Fixtures:
    node: a booted node (process + clock modules). A test that uses it runs on Trio's
        autojump clock, so timers and timeouts take no real time.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from typing import Any

import pytest
import trio
import trio.testing

from actorkit._core._node import Node

from ._node import open_test_node


def _run_on_autojump(
    fn: Callable[[], Any], *, clock: trio.abc.Clock | None = None, **kwargs: Any
) -> Any:
    return trio.run(fn, clock=clock or trio.testing.MockClock(autojump_threshold=0), **kwargs)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run every test that uses the ``node`` fixture, or a fixture that asks for
    ``autojump_clock``, on the autojump clock."""
    for item in items:
        if {"node", "autojump_clock"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.trio(run=_run_on_autojump), append=False)


@pytest.fixture
async def node() -> AsyncGenerator[Node, None]:
    """A node with the embedded default modules, on the autojump clock."""
    async with open_test_node() as booted:
        yield booted
