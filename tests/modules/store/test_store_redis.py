"""The Redis backend: its key layout, its connections, and a missing server or extra."""

from __future__ import annotations

import sys
import uuid
from collections.abc import AsyncIterator

import pytest
import trio
import trio.testing

import actorkit
from actorkit.modules import store
from actorkit.modules.store import Entry, Get, Put, Set
from actorkit.redis import Redis, RedisConnectionError
from actorkit.testing import open_test_node

from ._proxy import swallowing_proxy
from ._store_kv import drop_redis_keys, redis_url, write_forever


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    """A fresh key prefix, emptied after the test."""
    where = f"actorkit-test:{uuid.uuid4().hex}:"
    yield where
    await drop_redis_keys(redis_url(), where)


def _clients(listing: object) -> list[dict[str, str]]:
    """CLIENT LIST as one dict per connection."""
    assert isinstance(listing, bytes)
    return [
        dict(field.split("=", 1) for field in line.split() if "=" in field)
        for line in listing.decode().splitlines()
    ]


async def _client_names(client: Redis) -> list[str]:
    return [info.get("name", "") for info in _clients(await client.execute("CLIENT", "LIST"))]


async def _until_gone(client: Redis, name: str) -> None:
    """Wait until the server has dropped every connection called ``name`` (a closed socket
    reaches the server a moment after the client closed it)."""
    with trio.fail_after(10):
        while True:
            if name not in await _client_names(client):
                return
            await trio.sleep(0.01)  # the server's state: nothing to wait on but polling


async def test_store_redis_keeps_value_and_version_in_one_hash(prefix: str) -> None:
    comp = store.redis("r", redis_url(), prefix=prefix)
    async with (
        Redis.open(redis_url()) as client,
        open_test_node(modules=[comp]) as node,
        node.process() as proc,
    ):
        version = await proc.call(Set("r", "user:1", {"name": "ada"}, ttl=100))
        raw = await client.execute("HGETALL", f"{prefix}k:user:1")
        assert isinstance(raw, list)
        assert dict(zip(raw[::2], raw[1::2], strict=True)) == {
            b"v": b'{"name":"ada"}',
            b"ver": version.encode(),
        }
        pttl = await client.execute("PTTL", f"{prefix}k:user:1")
        assert isinstance(pttl, int)
        assert 99_000 < pttl <= 100_000
        assert await client.execute("GET", f"{prefix}version") == version.encode()
        item = await proc.call(Entry("r", "user:1"))
        assert item is not None
        assert item.version == version


async def test_store_redis_shutdown_closes_every_connection(prefix: str) -> None:
    name = f"conn{uuid.uuid4().hex[:8]}"
    comp = store.redis(name, redis_url(), prefix=prefix)
    async with Redis.open(redis_url()) as client:
        async with open_test_node(modules=[comp]) as node, node.process() as proc:
            await proc.call(Set(name, "k", 1))
            assert f"actorkit-store-{name}" in await _client_names(client)
        await _until_gone(client, f"actorkit-store-{name}")


async def test_store_redis_reconnects_after_a_dropped_connection(prefix: str) -> None:
    name = f"drop{uuid.uuid4().hex[:8]}"
    comp = store.redis(name, redis_url(), prefix=prefix)
    async with (
        Redis.open(redis_url()) as client,
        open_test_node(modules=[comp]) as node,
        node.process() as proc,
    ):
        await proc.call(Set(name, "k", 1))
        clients = _clients(await client.execute("CLIENT", "LIST"))
        mine = [c["id"] for c in clients if c.get("name") == f"actorkit-store-{name}"]
        assert mine
        for conn in mine:
            await client.execute("CLIENT", "KILL", "ID", conn)
        assert await proc.call(Get(name, "k"), timeout=10) == 1


async def test_store_redis_shutdown_mid_call_closes_every_connection(prefix: str) -> None:
    name = f"mid{uuid.uuid4().hex[:8]}"
    comp = store.redis(name, redis_url(), prefix=prefix)
    async with Redis.open(redis_url()) as client:
        async with open_test_node(modules=[comp], shutdown_grace=0) as node:
            pid = node.spawn(write_forever, name)
            await trio.testing.wait_all_tasks_blocked()
            assert node.resolve(pid) is not None  # still writing when the node stops
        await _until_gone(client, f"actorkit-store-{name}")


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
    chain = await _boot_failure(comp)
    assert chain[0] == (
        "BootError: component 'store.r' failed to start: store 'r': cannot connect to "
        "redis://user:***@127.0.0.1:1/0: Connection refused"
    )
    assert chain[1].startswith("StoreBackendError: store 'r': cannot connect to redis://")
    assert chain[2].startswith("RedisConnectionError: cannot connect to redis://user:***@")
    assert not any("secret" in link or "Trio nursery" in link for link in chain)


async def test_store_redis_write_whose_connection_drops_is_unknown_and_never_repeated(
    prefix: str,
) -> None:
    name = f"lost{uuid.uuid4().hex[:8]}"
    outcome: list[BaseException | str | None] = []

    async def put(proc: actorkit.Process) -> None:
        try:
            outcome.append(await proc.call(Put(name, "k", "once", only_if_absent=True)))
        except store.StoreError as exc:
            outcome.append(exc)

    host, port, db = _address(redis_url())
    async with swallowing_proxy(host, port) as (proxy, local):
        comp = store.redis(name, f"redis://127.0.0.1:{local}/{db}", prefix=prefix)
        async with open_test_node(modules=[comp]) as node, node.process() as proc:
            await proc.call(Put(name, "warm", 1, only_if_absent=True))  # the script is loaded
            proxy.swallowing = True  # the write leaves the store and never reaches Redis
            async with trio.open_nursery() as nursery:
                nursery.start_soon(node.exec, put)
                await proxy.swallowed.wait()
                proxy.cut()
            assert isinstance(outcome[0], store.OutcomeUnknownError)
            assert "may or may not have been applied" in str(outcome[0])
            assert str(outcome[0]).startswith("Put (id=126): store")
            assert isinstance(outcome[0].__cause__, RedisConnectionError)
            assert outcome[0].__cause__.sent
            assert await proc.call(Get(name, "k")) is None  # not run again behind the caller
            assert await proc.call(Put(name, "k", "now", only_if_absent=True)) is not None


def _address(url: str) -> tuple[str, int, str]:
    """Host, port and database of a ``redis://`` URL without a password."""
    rest = url.split("://", 1)[1].rsplit("@", 1)[-1]
    where, _, db = rest.partition("/")
    host, _, port = where.rpartition(":")
    return host or "127.0.0.1", int(port or 6379), db or "0"


def test_store_redis_without_hiredis_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "hiredis", None)
    for module in [m for m in sys.modules if m.startswith("actorkit.redis")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.delitem(sys.modules, "actorkit.modules.store.backends.redis", raising=False)
    with pytest.raises(ImportError, match=r"pip install 'actorkit\[redis\]'"):
        store.redis("r")


async def test_store_redis_refused_ping_fails_boot_clearly() -> None:
    user, password = f"actorkit-test-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    host = redis_url().split("://", 1)[1].rsplit("@", 1)[-1].split("/", 1)[0]
    async with Redis.open(redis_url()) as admin:
        await admin.execute("ACL", "SETUSER", user, "on", f">{password}", "-@all", "+client")
        try:
            chain = await _boot_failure(store.redis("r", f"redis://{user}:{password}@{host}/0"))
        finally:
            await admin.execute("ACL", "DELUSER", user)
    assert chain[0].startswith(
        "BootError: component 'store.r' failed to start: store 'r': the server refused PING: NOPERM"
    )
    assert chain[2].startswith("RedisReplyError: NOPERM")
