"""The Redis backend: its key layout, its connections, and a missing server or extra."""

from __future__ import annotations

import gc
import sys
import uuid
import warnings
from collections.abc import AsyncIterator

import coredis
import pytest
import trio
import trio.testing
from coredis.exceptions import ConnectionError as LostConnection
from coredis.tokens import PureToken

import actorkit
from actorkit.modules import store
from actorkit.modules.store import Entry, Get, Put, Set
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


async def _boot_failure(comp: actorkit.Component) -> list[str]:
    """The chain of errors (``__cause__`` after ``__cause__``) of a failed boot."""
    try:
        async with open_test_node(modules=[comp]):
            pass
    except actorkit.BootError as exc:
        chain: list[str] = []
        error: BaseException | None = exc
        while error is not None:
            chain.append(f"{type(error).__name__}: {error}")
            error = error.__cause__
        return chain
    pytest.fail("the boot did not fail")


async def test_store_redis_unreachable_server_fails_boot_clearly() -> None:
    comp = store.redis("r", "redis://user:secret@127.0.0.1:1/0")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        chain = await _boot_failure(comp)
        gc.collect()  # the failed connection's buffers, if anything left them open
    assert chain[0] == (
        "BootError: component 'store.r' failed to start: store 'r': cannot use Redis at "
        "redis://user:***@127.0.0.1:1/0: Unable to establish a connection to 127.0.0.1:1"
        " (All connection attempts failed)"
    )
    assert chain[1].startswith("StoreBackendError: store 'r': cannot use Redis at")
    assert chain[2].startswith("ConnectionError: Unable to establish a connection")
    assert not any("secret" in link or "Trio nursery" in link for link in chain)
    assert [str(w.message) for w in seen] == []


async def _blocked_on_a_write(admin: coredis.Redis[bytes], name: str) -> int:
    """The ID of the store's connection once the server holds a script call of it back."""
    with trio.fail_after(10):
        while True:
            for info in await admin.client_list():
                paused = "b" in str(info.get("flags", "")) and info.get("cmd") == "evalsha"
                if info.get("name") == f"actorkit-store-{name}" and paused:
                    return int(info["id"])
            await trio.sleep(0.01)  # the server's state: nothing to wait on but polling


async def test_store_redis_write_whose_connection_drops_is_unknown_and_never_repeated(
    prefix: str,
) -> None:
    name = f"lost{uuid.uuid4().hex[:8]}"
    comp = store.redis(name, redis_url(), prefix=prefix)
    admin: coredis.Redis[bytes] = coredis.Redis.from_url(redis_url())
    outcome: list[BaseException | str | None] = []

    async def put(proc: actorkit.Process) -> None:
        try:
            outcome.append(await proc.call(Put(name, "k", "once", only_if_absent=True)))
        except store.StoreError as exc:
            outcome.append(exc)

    async with admin, open_test_node(modules=[comp]) as node, node.process() as proc:
        await proc.call(Put(name, "warm", 1, only_if_absent=True))  # the script is loaded
        await admin.client_pause(10_000, PureToken.WRITE)  # sent, held back, not run
        try:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(node.exec, put)
                await admin.client_kill(identifier=await _blocked_on_a_write(admin, name))
        finally:
            await admin.client_unpause()
        assert isinstance(outcome[0], store.OutcomeUnknownError)
        assert "may or may not have been applied" in str(outcome[0])
        assert str(outcome[0]).startswith("Put (id=126): store")
        assert isinstance(outcome[0].__cause__, LostConnection)
        assert await proc.call(Get(name, "k")) is None  # not run again behind the caller
        assert await proc.call(Put(name, "k", "now", only_if_absent=True)) is not None


def test_store_redis_without_coredis_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "coredis", None)
    monkeypatch.delitem(sys.modules, "actorkit.modules.store.backends.redis", raising=False)
    with pytest.raises(ImportError, match=r"pip install 'actorkit\[redis\]'"):
        store.redis("r")
