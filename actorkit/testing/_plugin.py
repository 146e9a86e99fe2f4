"""The pytest plugin (registered through the ``pytest11`` entry point).

The ``node`` fixture is a booted node named ``test`` with the process and clock modules,
plus the modules the test asks for. A test that uses it runs on Trio's autojump clock, so
timers and timeouts take no real time.

A test asks for modules with the ``actorkit`` marker,
``@pytest.mark.actorkit(modules=[...], shutdown_grace=1.0, mailbox_size=1024)``; a test
module or a ``conftest.py`` asks for them for every test by overriding the
``actorkit_modules`` fixture (``return app.MODULES``). The marker wins over the fixture.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Sequence
from typing import Any

import pytest
import trio
import trio.testing

from actorkit._api._boot import Component
from actorkit._api._node import Node

from ._node import open_test_node

MARKER = (
    "actorkit(modules=(), shutdown_grace=1.0, mailbox_size=1024): "
    "how the node fixture boots for this test"
)


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``actorkit`` marker (the suite may run with ``--strict-markers``)."""
    config.addinivalue_line("markers", MARKER)


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
def actorkit_modules() -> Sequence[Component]:
    """The modules the ``node`` fixture boots besides process and clock: none. Override
    this fixture in a test module or ``conftest.py`` to boot an application's list."""
    return ()


@pytest.fixture
async def node(
    request: pytest.FixtureRequest, actorkit_modules: Sequence[Component]
) -> AsyncGenerator[Node, None]:
    """A node with the process and clock modules plus ``actorkit_modules`` (or the
    ``actorkit`` marker's ``modules``), on the autojump clock."""
    options: dict[str, Any] = {"modules": actorkit_modules}
    marker = request.node.get_closest_marker("actorkit")
    if marker is not None:
        if marker.args:
            raise TypeError("the actorkit marker takes keyword arguments only")
        options.update(marker.kwargs)
    async with open_test_node(**options) as booted:
        yield booted
