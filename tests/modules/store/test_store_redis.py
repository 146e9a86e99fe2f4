"""The Redis backend: its key layout, its connections, and a missing server or extra."""

from __future__ import annotations

import gc
import sys
import uuid
from collections.abc import AsyncIterator

import coredis
import pytest
import trio
import trio.testing

import actorkit
from actorkit.modules import store
from actorkit.modules.store import Entry, Get, Set
from actorkit.testing import open_test_node

from ._store_kv import drop_redis_keys, redis_url, write_forever


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


async def test_store_redis_reconnects_after_a_dropped_connection(prefix: str) -> None:
    name = f"drop{uuid.uuid4().hex[:8]}"
    comp = store.redis(name, redis_url(), prefix=prefix)
    client: coredis.Redis[bytes] = coredis.Redis.from_url(redis_url())
    async with client, open_test_node(modules=[comp]) as node, node.process() as proc:
        await proc.call(Set(name, "k", 1))
        clients = await client.client_list()
        mine = [c["id"] for c in clients if c.get("name") == f"actorkit-store-{name}"]
        assert mine
        for conn in mine:
            await client.client_kill(identifier=int(conn))
        assert await proc.call(Get(name, "k"), timeout=10) == 1


async def test_store_redis_shutdown_mid_call_closes_every_connection(prefix: str) -> None:
    name = f"mid{uuid.uuid4().hex[:8]}"
    comp = store.redis(name, redis_url(), prefix=prefix)
    client: coredis.Redis[bytes] = coredis.Redis.from_url(redis_url())
    async with client:
        async with open_test_node(modules=[comp], shutdown_grace=0) as node:
            pid = node.spawn(write_forever, name)
            await trio.testing.wait_all_tasks_blocked()
            assert node.resolve(pid) is not None  # still writing when the node stops
        assert f"actorkit-store-{name}" not in await _client_names(client)


# coredis leaves a failed connection's anyio streams unclosed; they warn when collected.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_store_redis_unreachable_server_fails_boot() -> None:
    comp = store.redis("r", "redis://127.0.0.1:1/0")
    try:
        async with open_test_node(modules=[comp]):
            pass
    except actorkit.BootError as exc:  # kept out of pytest's hands, to be collected below
        assert "component 'store.r' failed to start" in str(exc)
        del exc
    else:
        pytest.fail("the boot did not fail")
    gc.collect()  # those warnings belong to this test, not to a later one


def test_store_redis_without_coredis_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "coredis", None)
    monkeypatch.delitem(sys.modules, "actorkit.modules.store.backends.redis", raising=False)
    with pytest.raises(ImportError, match=r"pip install 'actorkit\[redis\]'"):
        store.redis("r")
