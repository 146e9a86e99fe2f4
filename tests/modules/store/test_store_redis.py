"""The Redis backend: its key layout, its connections, and a missing server or extra."""

from __future__ import annotations

import gc
import sys
import uuid
from collections.abc import AsyncIterator

import coredis
import pytest
from _store_kv import drop_redis_keys, redis_url

import actorkit
from actorkit.modules import store
from actorkit.modules.store import Entry, Set
from actorkit.testing import open_test_node


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    """A fresh key prefix, emptied after the test."""
    where = f"actorkit-test:{uuid.uuid4().hex}:"
    yield where
    await drop_redis_keys(redis_url(), where)


async def _client_names(client: coredis.Redis[bytes]) -> list[str]:
    return [str(info.get("name", "")) for info in await client.client_list()]


async def test_store_redis_keeps_value_and_version_in_one_hash(prefix: str) -> None:
    comp = store.redis("r", redis_url(), prefix=prefix)
    client: coredis.Redis[bytes] = coredis.Redis.from_url(redis_url())
    async with open_test_node(modules=[comp]) as node, node.process() as proc, client:
        version = await proc.call(Set("r", "user:1", {"name": "ada"}, ttl=100))
        raw = await client.hgetall(f"{prefix}k:user:1")
        assert raw == {b"v": b'{"name":"ada"}', b"ver": version.encode()}
        assert 99_000 < await client.pttl(f"{prefix}k:user:1") <= 100_000
        assert await client.get(f"{prefix}version") == version.encode()
        item = await proc.call(Entry("r", "user:1"))
        assert item is not None
        assert item.version == version


async def test_store_redis_shutdown_closes_every_connection(prefix: str) -> None:
    name = f"conn{uuid.uuid4().hex[:8]}"
    comp = store.redis(name, redis_url(), prefix=prefix)
    client: coredis.Redis[bytes] = coredis.Redis.from_url(redis_url())
    async with client:
        async with open_test_node(modules=[comp]) as node, node.process() as proc:
            await proc.call(Set(name, "k", 1))
            assert f"actorkit-store-{name}" in await _client_names(client)
        assert f"actorkit-store-{name}" not in await _client_names(client)


# coredis leaves a failed connection's anyio streams unclosed; they warn when collected.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_store_redis_unreachable_server_fails_boot() -> None:
    comp = store.redis("r", "redis://127.0.0.1:1/0")
    failed = pytest.RaisesExc(actorkit.BootError, match="'store.r' failed to start")
    with pytest.RaisesGroup(failed, allow_unwrapped=True):  # open_node wraps it today
        async with open_test_node(modules=[comp]):
            pass
    gc.collect()  # those warnings belong to this test, not to the next one


def test_store_redis_without_coredis_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "coredis", None)
    monkeypatch.delitem(sys.modules, "actorkit.modules.store.backends.redis", raising=False)
    with pytest.raises(ImportError, match=r"pip install 'actorkit\[redis\]'"):
        store.redis("r")
