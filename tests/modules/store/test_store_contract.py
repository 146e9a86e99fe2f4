"""The store contract, on every backend: each command does the same thing everywhere."""

from __future__ import annotations

from typing import Any

import pytest

from actorkit.modules import store
from actorkit.modules.store import Delete, Entry, Get, Has, Info, Item, List, Put, Set

from ._store_kv import Kv, kv_fixture  # pyright: ignore[reportUnusedImport]  # noqa: F401


async def test_store_get_missing_key_is_none(kv: Kv) -> None:
    async with kv.node.process() as proc:
        assert await proc.call(Get("kv", "nothing")) is None
        assert await proc.call(Has("kv", "nothing")) is False
        assert await proc.call(Entry("kv", "nothing")) is None


async def test_store_set_then_get_returns_the_value(kv: Kv) -> None:
    async with kv.node.process() as proc:
        version = await proc.call(Set("kv", "greeting", {"text": "hello"}))
        assert isinstance(version, str)
        assert await proc.call(Get("kv", "greeting")) == {"text": "hello"}
        assert await proc.call(Has("kv", "greeting")) is True


VALUES: list[tuple[Any, Any]] = [
    ("plain", "plain"),
    ("ünïcødé ✓ 😀", "ünïcødé ✓ 😀"),
    (0, 0),
    (2**70, 2**70),
    (-1.5, -1.5),
    (True, True),
    (False, False),
    ([1, "two", None, [3]], [1, "two", None, [3]]),
    ((1, 2), [1, 2]),
    ({"a": {"b": None}}, {"a": {"b": None}}),
    ({1: "int key"}, {"1": "int key"}),
    ("", ""),
]


@pytest.mark.parametrize(("value", "back"), VALUES)
async def test_store_values_round_trip_through_json(kv: Kv, value: Any, back: Any) -> None:
    async with kv.node.process() as proc:
        await proc.call(Set("kv", "v", value))
        got = await proc.call(Get("kv", "v"))
    assert got == back
    assert type(got) is type(back)


async def test_store_set_copies_the_value(kv: Kv) -> None:
    value = {"n": [1]}
    async with kv.node.process() as proc:
        await proc.call(Set("kv", "v", value))
        value["n"].append(2)
        assert await proc.call(Get("kv", "v")) == {"n": [1]}


async def test_store_set_replaces_and_gives_a_new_version(kv: Kv) -> None:
    async with kv.node.process() as proc:
        first = await proc.call(Set("kv", "k", 1))
        second = await proc.call(Set("kv", "k", 2))
        item = await proc.call(Entry("kv", "k"))
    assert first != second
    assert item == Item(2, second, None)


async def test_store_delete_reports_whether_the_key_was_there(kv: Kv) -> None:
    async with kv.node.process() as proc:
        await proc.call(Set("kv", "k", 1))
        assert await proc.call(Delete("kv", "k")) is True
        assert await proc.call(Delete("kv", "k")) is False
        assert await proc.call(Get("kv", "k")) is None
        assert await proc.call(Has("kv", "k")) is False


async def test_store_entry_has_value_version_and_no_expiry(kv: Kv) -> None:
    async with kv.node.process() as proc:
        version = await proc.call(Set("kv", "k", [1, 2]))
        item = await proc.call(Entry("kv", "k"))
    assert item is not None
    assert (item.value, item.version, item.expires_in) == ([1, 2], version, None)


async def _fill(kv: Kv, keys: list[str]) -> None:
    async with kv.node.process() as proc:
        for key in keys:
            await proc.call(Set("kv", key, key))


async def test_store_list_is_sorted_and_filtered_by_prefix(kv: Kv) -> None:
    await _fill(kv, ["user:b", "user:a", "order:1", "user:c", "user", "users"])
    async with kv.node.process() as proc:
        assert await proc.call(List("kv", prefix="user:")) == ["user:a", "user:b", "user:c"]
        everything = await proc.call(List("kv"))
    assert everything == ["order:1", "user", "user:a", "user:b", "user:c", "users"]


async def test_store_list_pages_with_after_and_limit(kv: Kv) -> None:
    await _fill(kv, [f"k{i:02}" for i in range(10)])
    async with kv.node.process() as proc:
        first = await proc.call(List("kv", prefix="k", limit=4))
        second = await proc.call(List("kv", prefix="k", after=first[-1], limit=4))
        third = await proc.call(List("kv", prefix="k", after=second[-1], limit=4))
        assert await proc.call(List("kv", prefix="k", limit=0)) == []
        assert await proc.call(List("kv", prefix="k", after="a")) == [f"k{i:02}" for i in range(10)]
        assert await proc.call(List("kv", prefix="k", after="z")) == []
    assert first + second + third == [f"k{i:02}" for i in range(10)]
    assert len(third) == 2


async def test_store_list_orders_by_code_point(kv: Kv) -> None:
    keys = ["z", "a", "é", "B", "😀", "\uffff", "aa"]
    await _fill(kv, keys)
    async with kv.node.process() as proc:
        assert await proc.call(List("kv")) == sorted(keys)
        assert await proc.call(List("kv", prefix="\uffff")) == ["\uffff"]


async def test_store_list_takes_the_prefix_literally(kv: Kv) -> None:
    await _fill(kv, ["a*b", "a?c", "a[1]", "a\\d", "ab", "ac", "a1"])
    async with kv.node.process() as proc:
        assert await proc.call(List("kv", prefix="a*")) == ["a*b"]
        assert await proc.call(List("kv", prefix="a?")) == ["a?c"]
        assert await proc.call(List("kv", prefix="a[")) == ["a[1]"]
        assert await proc.call(List("kv", prefix="a\\")) == ["a\\d"]


async def test_store_put_only_if_absent(kv: Kv) -> None:
    async with kv.node.process() as proc:
        version = await proc.call(Put("kv", "lock", "me", only_if_absent=True))
        assert isinstance(version, str)
        assert await proc.call(Put("kv", "lock", "you", only_if_absent=True)) is None
        assert await proc.call(Entry("kv", "lock")) == Item("me", version, None)


async def test_store_put_if_version_is_compare_and_set(kv: Kv) -> None:
    async with kv.node.process() as proc:
        old = await proc.call(Set("kv", "n", 1))
        new = await proc.call(Put("kv", "n", 2, if_version=old))
        assert new is not None
        assert new != old
        assert await proc.call(Put("kv", "n", 3, if_version=old)) is None
        assert await proc.call(Get("kv", "n")) == 2
        assert await proc.call(Put("kv", "missing", 1, if_version=old)) is None
        assert await proc.call(Has("kv", "missing")) is False


async def test_store_versions_are_not_reused_after_delete(kv: Kv) -> None:
    async with kv.node.process() as proc:
        old = await proc.call(Set("kv", "k", "first"))
        await proc.call(Delete("kv", "k"))
        again = await proc.call(Set("kv", "k", "second"))
        assert again != old
        assert await proc.call(Put("kv", "k", "stale write", if_version=old)) is None
        assert await proc.call(Get("kv", "k")) == "second"


async def test_store_put_without_condition_is_set(kv: Kv) -> None:
    async with kv.node.process() as proc:
        await proc.call(Set("kv", "k", 1))
        version = await proc.call(Put("kv", "k", 2))
        assert isinstance(version, str)
        assert await proc.call(Entry("kv", "k")) == Item(2, version, None)


INFO = {
    "memory": (False, "local"),
    "sqlite": (True, "linearizable"),
    "redis": (False, "linearizable"),
}


async def test_store_info_tells_the_guarantees(kv: Kv) -> None:
    async with kv.node.process() as proc:
        info = await proc.call(Info("kv"))
    durable, consistency = INFO[kv.kind]
    assert info == store.StoreInfo("kv", kv.kind, durable, True, True, True, True, consistency)
    assert store.info(kv.node, "kv") == info


async def test_store_keys_of_one_store_are_its_own(kv: Kv) -> None:
    async with kv.node.process() as proc:
        await proc.call(Set("kv", "k", 1))
        with pytest.raises(store.NoStoreError):
            await proc.call(Get("other", "k"))
        assert await proc.call(Get("kv", "k")) == 1
