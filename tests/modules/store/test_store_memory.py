"""The memory backend: inline calls, max_size, and expiry on the Trio (autojump) clock."""

from __future__ import annotations

from typing import cast

import pytest
import trio

import actorkit
from actorkit.modules import store
from actorkit.modules.store import Delete, Entry, Get, Has, Put, Set
from actorkit.modules.store.backends.memory import MemoryBackend
from actorkit.modules.store.state import stores
from actorkit.testing import open_test_node


def _backend(node: actorkit.Node, name: str) -> MemoryBackend:
    return cast("MemoryBackend", stores(node)[name])


async def test_store_memory_calls_complete_inline() -> None:
    async with open_test_node(modules=[store.memory("c")]) as node, node.process() as proc:
        assert proc.call_nowait(Set("c", "k", 1)) == "1"
        assert proc.call_nowait(Get("c", "k")) == 1


async def test_store_memory_full_store_refuses_new_keys() -> None:
    async with (
        open_test_node(modules=[store.memory("c", max_size=3)]) as node,
        node.process() as proc,
    ):
        for key in "abc":
            await proc.call(Set("c", key, key))
        with pytest.raises(store.StoreFullError) as caught:
            await proc.call(Set("c", "d", "d"))
        assert str(caught.value) == "Set (id=121): store 'c' is full (max_size=3 keys)"
        assert caught.value.max_size == 3
        with pytest.raises(store.StoreFullError, match=r"^Put \(id=126\): store 'c' is full"):
            await proc.call(Put("c", "d", "d", only_if_absent=True))
        assert await proc.call(Set("c", "a", "replaced")) is not None
        assert await proc.call(Delete("c", "b")) is True
        assert await proc.call(Set("c", "d", "d")) is not None
        assert await proc.call(Has("c", "d")) is True


async def test_store_memory_expired_keys_make_room(autojump_clock: trio.abc.Clock) -> None:
    async with (
        open_test_node(modules=[store.memory("c", max_size=2)]) as node,
        node.process() as proc,
    ):
        await proc.call(Set("c", "old", 1, ttl=5))
        await proc.call(Set("c", "keep", 2))
        await trio.sleep(6)
        assert await proc.call(Set("c", "new", 3)) is not None
        assert await proc.call(Get("c", "keep")) == 2


async def test_store_memory_ttl_runs_on_the_trio_clock(autojump_clock: trio.abc.Clock) -> None:
    async with open_test_node(modules=[store.memory("c")]) as node, node.process() as proc:
        await proc.call(Set("c", "k", 1, ttl=30))
        await trio.sleep(10)
        item = await proc.call(Entry("c", "k"))
        assert item is not None
        assert item.expires_in == pytest.approx(20)
        await trio.sleep(20)
        assert await proc.call(Get("c", "k")) is None


async def test_store_memory_sweep_drops_expired_keys_unread(
    autojump_clock: trio.abc.Clock,
) -> None:
    comp = store.memory("c", cleanup_interval=60)
    async with open_test_node(modules=[comp]) as node, node.process() as proc:
        for i in range(10):
            await proc.call(Set("c", f"k{i}", i, ttl=30 if i % 2 else None))
        backend = _backend(node, "c")
        await trio.sleep(31)
        assert len(backend) == 10  # nobody read them, no sweep yet
        await trio.sleep(30)
        assert len(backend) == 5


async def test_store_memory_each_node_gets_its_own_store() -> None:
    comp = store.memory("c")
    async with open_test_node(modules=[comp]) as node, node.process() as proc:
        await proc.call(Set("c", "k", 1))
    async with open_test_node(modules=[comp]) as node, node.process() as proc:
        assert await proc.call(Get("c", "k")) is None


@pytest.mark.parametrize("max_size", [0, -1, 1.5])
def test_store_memory_max_size_must_be_a_positive_int(max_size: object) -> None:
    with pytest.raises(ValueError, match="max_size must be an int >= 1"):
        store.memory("c", max_size=max_size)  # type: ignore[arg-type]
