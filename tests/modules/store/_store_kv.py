"""The store contract's fixture: one node with a store named ``kv``, on every backend.

Test modules import it: ``from _store_kv import Kv, kv_fixture``.

Memory and SQLite run on a manual clock (``kv.clock``) so TTL tests take no time; Redis
keeps its own time, so its TTL tests use short real TTLs. Each Redis test gets a fresh key
prefix and deletes its keys at the end.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import attrs
import pytest
import trio

import actorkit
from actorkit.modules import store
from actorkit.redis import Redis
from actorkit.testing import open_test_node, require_service

BACKENDS = ["memory", "sqlite", "redis"]


def redis_url() -> str:
    """The test Redis server, or skip."""
    return require_service("Redis", "ACTORKIT_REDIS_URL", "redis://127.0.0.1:6379/0")


@attrs.define
class ManualClock:
    """Seconds that pass only when a test says so."""

    t: float = 1_000_000.0

    def now(self) -> float:
        return self.t


@attrs.define
class Kv:
    """A booted node with the store ``name`` on backend ``kind``."""

    node: actorkit.Node
    kind: str
    name: str = "kv"
    clock: ManualClock | None = None
    prefix: str = ""

    @property
    def real_time(self) -> bool:
        """True when TTLs run on real time (Redis)."""
        return self.clock is None

    async def pass_time(self, seconds: float) -> None:
        """Let ``seconds`` pass for the store's TTLs."""
        if self.clock is not None:
            self.clock.t += seconds
        else:
            await trio.sleep(seconds)  # a real server's expiry


async def drop_redis_keys(url: str, prefix: str) -> None:
    """Delete every key under ``prefix``."""
    async with Redis.open(url) as r:
        cursor = b"0"
        while True:
            reply = await r.execute("SCAN", cursor, "MATCH", prefix + "*", "COUNT", 1000)
            assert isinstance(reply, list)
            after, keys = reply
            assert isinstance(after, bytes) and isinstance(keys, list)
            if keys:
                await r.execute("DEL", *[k for k in keys if isinstance(k, bytes)])
            if after == b"0":
                return
            cursor = after


async def write_forever(proc: actorkit.Process, name: str) -> None:
    """Set one key over and over in store ``name`` until stopped."""
    n = 0
    while True:
        n += 1
        await proc.call(store.Set(name, "busy", n))


def component(kind: str, tmp_path: Path, clock: ManualClock, prefix: str) -> actorkit.Component:
    """The ``kv`` store on ``kind``."""
    if kind == "memory":
        return store.memory("kv", clock=clock.now)
    if kind == "sqlite":
        return store.sqlite("kv", str(tmp_path / "kv.db"), clock=clock.now)
    return store.redis("kv", redis_url(), prefix=prefix)


@pytest.fixture(name="kv", params=BACKENDS)
async def kv_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Kv]:
    """A node with the store ``kv`` on each backend in turn."""
    kind: str = request.param
    clock = ManualClock()
    prefix = f"actorkit-test:{uuid.uuid4().hex}:"
    comp = component(kind, tmp_path, clock, prefix)
    try:
        async with open_test_node(modules=[comp]) as node:
            yield Kv(node, kind, clock=None if kind == "redis" else clock, prefix=prefix)
    finally:
        if kind == "redis":
            await drop_redis_keys(redis_url(), prefix)
