"""Bad input fails that one call, with an error naming the command and its ID."""

from __future__ import annotations

import math
from typing import Any

import pytest

from actorkit.modules import store

from ._store_kv import Kv, kv_fixture  # pyright: ignore[reportUnusedImport]  # noqa: F401

# Untyped, to build commands with the wrong field types that a type checker would refuse.
Delete, Entry, Get, Has, Info, List, Put, Set = (
    getattr(store, name) for name in ("Delete", "Entry", "Get", "Has", "Info", "List", "Put", "Set")
)

BAD: list[tuple[Any, type[Exception], str]] = [
    (
        Get("nope", "k"),
        store.NoStoreError,
        "Get (id=120): no store named 'nope' (stores booted: 'kv')",
    ),
    (Info("nope"), store.NoStoreError, "Info (id=127): no store named 'nope'"),
    (Get(3, "k"), store.StoreInputError, "Get (id=120): store name must be a str, got int 3"),
    (Get("kv", 1), store.StoreInputError, "Get (id=120): key must be a non-empty str"),
    (Has("kv", ""), store.StoreInputError, "Has (id=123): key must be a non-empty str"),
    (Delete("kv", "a\x00b"), store.StoreInputError, "Delete (id=122): key must be a non-empty"),
    (Entry("kv", None), store.StoreInputError, "Entry (id=124): key must be a non-empty str"),
    (Set("kv", "k", None), store.StoreInputError, "Set (id=121): key 'k': value is None"),
    (Set("kv", "k", math.nan), store.StoreInputError, "Set (id=121): key 'k': value is not JSON"),
    (Set("kv", "k", {1, 2}), store.StoreInputError, "Set (id=121): key 'k': value is not JSON"),
    (Set("kv", "k", b"raw"), store.StoreInputError, "Set (id=121): key 'k': value is not JSON"),
    (
        Set("kv", "k", 1, ttl=0),
        store.StoreInputError,
        "Set (id=121): ttl must be None or seconds > 0",
    ),
    (Set("kv", "k", 1, ttl=-1.0), store.StoreInputError, "Set (id=121): ttl must be"),
    (Set("kv", "k", 1, ttl=math.inf), store.StoreInputError, "Set (id=121): ttl must be"),
    (Set("kv", "k", 1, ttl="5"), store.StoreInputError, "Set (id=121): ttl must be"),
    (Set("kv", "k", 1, ttl=True), store.StoreInputError, "Set (id=121): ttl must be"),
    (List("kv", prefix=1), store.StoreInputError, "List (id=125): prefix must be a str"),
    (List("kv", after=2), store.StoreInputError, "List (id=125): after must be None or a str"),
    (List("kv", limit=-1), store.StoreInputError, "List (id=125): limit must be None or an int"),
    (List("kv", limit=1.5), store.StoreInputError, "List (id=125): limit must be None or an int"),
    (
        Put("kv", "k", 1, only_if_absent=True, if_version="1"),
        store.StoreInputError,
        "Put (id=126): only_if_absent and if_version exclude each other",
    ),
    (Put("kv", "k", 1, if_version=3), store.StoreInputError, "Put (id=126): if_version must be"),
    (Put("kv", "k", 1, only_if_absent=1), store.StoreInputError, "Put (id=126): only_if_absent"),
    (Put("kv", "k", None), store.StoreInputError, "Put (id=126): key 'k': value is None"),
]


@pytest.mark.parametrize(("cmd", "error", "message"), BAD, ids=lambda v: repr(v)[:40])
async def test_store_bad_input_fails_that_call(
    kv: Kv, cmd: Any, error: type[Exception], message: str
) -> None:
    async with kv.node.process() as proc:
        with pytest.raises(error) as caught:
            await proc.call(cmd)
        assert str(caught.value).startswith(message)
        assert await proc.call(store.Set("kv", "still", "works")) is not None
        assert await proc.call(store.Has("kv", "k")) is False


def test_store_input_errors_are_type_and_value_errors() -> None:
    assert issubclass(store.StoreInputError, TypeError)
    assert issubclass(store.StoreInputError, ValueError)
    assert issubclass(store.NoStoreError, LookupError)
    assert issubclass(store.StoreError, store.StoreError.__mro__[1])
