"""Nodes of one test cluster on the test Redis: a fresh cluster name per test, its keys
dropped after it, and a way to wait until every node sees every other."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import pytest
import trio

from actorkit import Node, open_node
from actorkit.lowlevel import Component, RuntimeEvent, add_listener, remove_listener
from actorkit.modules import cluster
from actorkit.modules.cluster.state import STATE
from actorkit.redis import Redis
from actorkit.testing import require_service


def redis_url() -> str:
    """The test Redis server (``ACTORKIT_REDIS_URL``), or skip."""
    return require_service("Redis", "ACTORKIT_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
async def cluster_name() -> AsyncIterator[str]:
    """A cluster of this test's own; its keys are dropped at the end."""
    url = redis_url()
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    await drop_keys(url, f"ak:{{{name}}}:")


async def drop_keys(url: str, prefix: str) -> None:
    """Delete every key under ``prefix``."""
    async with Redis.open(url) as r:
        keys = await r.execute("KEYS", prefix.replace("{", "\\{").replace("}", "\\}") + "*")
        assert isinstance(keys, list)
        if keys:
            await r.execute("DEL", *[k for k in keys if isinstance(k, bytes)])


def members(node: Node) -> set[str]:
    """The live members ``node`` knows of, itself included."""
    state = STATE.get(node)
    return {*state.members, state.name}


async def wait_members(node: Node, names: set[str]) -> None:
    """Block until ``node`` sees exactly ``names`` as the live members."""
    await cluster.wait_members(node, lambda nodes: set(nodes) == names)


@asynccontextmanager
async def expect_event(node: Node, system: str, kind: str) -> AsyncGenerator[trio.Event, None]:
    """An event set once ``node`` publishes the runtime event ``(system, kind)`` (listened
    for from the start of the block)."""
    seen = trio.Event()

    def listener(event: RuntimeEvent) -> None:
        if (event.system, event.kind) == (system, kind):
            seen.set()

    add_listener(node, listener)
    try:
        yield seen
    finally:
        remove_listener(node, listener)


@asynccontextmanager
async def open_cluster(
    name: str, nodes: Sequence[str], extra: Sequence[Component] = (), **options: Any
) -> AsyncGenerator[list[Node], None]:
    """Open ``nodes`` (names) in this Trio run, joined in cluster ``name``; yields them
    once each sees all of them."""
    options.setdefault("down_after", 3.0)
    async with AsyncExitStack() as stack:
        opened: list[Node] = []
        for node_name in nodes:
            comp = cluster.module(redis_url(), cluster=name, **options)
            node = await stack.enter_async_context(
                open_node(name=node_name, modules=[comp, *extra], shutdown_grace=1.0)
            )
            opened.append(node)
        for node in opened:
            await wait_members(node, set(nodes))
        yield opened
