"""Bad input: every store command checks its fields when it is built.

A wrong field raises ``StoreInputError`` (a ``CommandArgumentError``) naming the command,
its ID and the field, before anything runs; a store that was not booted fails that one
call with ``NoStoreError``.
"""

from __future__ import annotations

import math
import pickle
import sys
from collections.abc import Callable
from typing import Any

import pytest

from actorkit.errors import CommandArgumentError
from actorkit.modules import store

from ._store_kv import Kv, kv_fixture  # pyright: ignore[reportUnusedImport]  # noqa: F401

# Untyped, to build commands with the wrong field types that a type checker would refuse.
Delete, Entry, Get, Has, Info, List, Put, Set = (
    getattr(store, name) for name in ("Delete", "Entry", "Get", "Has", "Info", "List", "Put", "Set")
)


def _deep(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


BAD: list[tuple[Callable[[], object], str]] = [
    (lambda: Get(3, "k"), "Get (id=120): store must be a non-empty str, got 3 (int)"),
    (lambda: Get("", "k"), "Get (id=120): store must be a non-empty str, got '' (str)"),
    (lambda: Info(None), "Info (id=127): store must be a non-empty str, got None"),
    (lambda: Get("kv", 1), "Get (id=120): key must be a non-empty str without NUL"),
    (lambda: Has("kv", ""), "Has (id=123): key must be a non-empty str"),
    (lambda: Delete("kv", "a\x00b"), "Delete (id=122): key must be a non-empty str without NUL"),
    (lambda: Entry("kv", None), "Entry (id=124): key must be a non-empty str"),
    (lambda: Set("kv", "\ud800", 1), "Set (id=121): key must be a non-empty str without NUL or"),
    (lambda: Get("kv", "a\udfffb"), "Get (id=120): key must be"),
    (lambda: Set("kv", "k", None), "Set (id=121): value must be not None"),
    (lambda: Set("kv", "k", math.nan), "Set (id=121): value must be JSON data"),
    (lambda: Set("kv", "k", {1, 2}), "Set (id=121): value must be JSON data"),
    (lambda: Set("kv", "k", b"raw"), "Set (id=121): value must be JSON data"),
    (lambda: Set("kv", "k", "a\ud800"), "Set (id=121): value must be JSON data"),
    (lambda: Set("kv", "k", 10**5000), "Set (id=121): value must be JSON data"),
    (lambda: Set("kv", "k", {"n": 10**5000}), "Set (id=121): value must be JSON data"),
    (lambda: Set("kv", "k", _deep(sys.getrecursionlimit() * 2)), "Set (id=121): value must be"),
    (lambda: Set("kv", "k", 1, ttl=0), "Set (id=121): ttl must be None or seconds > 0"),
    (lambda: Set("kv", "k", 1, ttl=-1.0), "Set (id=121): ttl must be None or seconds > 0"),
    (lambda: Set("kv", "k", 1, ttl=math.inf), "Set (id=121): ttl must be"),
    (lambda: Set("kv", "k", 1, ttl=math.nan), "Set (id=121): ttl must be"),
    (lambda: Set("kv", "k", 1, ttl="5"), "Set (id=121): ttl must be"),
    (lambda: Set("kv", "k", 1, ttl=True), "Set (id=121): ttl must be"),
    (lambda: List("kv", prefix=1), "List (id=125): prefix must be a str"),
    (lambda: List("kv", prefix="\ud800"), "List (id=125): prefix must be a str"),
    (lambda: List("kv", after=2), "List (id=125): after must be None or a str"),
    (lambda: List("kv", limit=-1), "List (id=125): limit must be None or an int >= 0"),
    (lambda: List("kv", limit=1.5), "List (id=125): limit must be None or an int >= 0"),
    (lambda: List("kv", limit=True), "List (id=125): limit must be None or an int >= 0"),
    (
        lambda: Put("kv", "k", 1, only_if_absent=True, if_version="1"),
        "Put (id=126): if_version must be None when only_if_absent=True",
    ),
    (lambda: Put("kv", "k", 1, if_version=3), "Put (id=126): if_version must be None or a non"),
    (lambda: Put("kv", "k", 1, if_version=""), "Put (id=126): if_version must be None or a non"),
    (lambda: Put("kv", "k", 1, only_if_absent=1), "Put (id=126): only_if_absent must be a bool"),
    (lambda: Put("kv", "k", None), "Put (id=126): value must be not None"),
    (lambda: Put("kv", "k", 1, ttl=-5), "Put (id=126): ttl must be"),
]


@pytest.mark.parametrize(("build", "message"), BAD, ids=[m for _, m in BAD])
def test_store_bad_field_fails_when_the_command_is_built(
    build: Callable[[], object], message: str
) -> None:
    with pytest.raises(store.StoreInputError) as caught:
        build()
    assert str(caught.value).startswith(message)
    assert isinstance(caught.value, CommandArgumentError)
    assert len(str(caught.value)) < 400  # a short repr of the value, never the whole of it


def test_store_input_error_names_its_field_and_value() -> None:
    with pytest.raises(store.StoreInputError) as caught:
        Set("kv", "k", 1, ttl=-1)
    error = caught.value
    assert (error.command, error.field, error.value) == ("Set (id=121)", "ttl", -1)
    assert isinstance(error, store.StoreError)
    assert error.__cause__ is None


def test_store_value_errors_chain_what_json_said() -> None:
    with pytest.raises(store.StoreInputError) as caught:
        Set("kv", "k", {1, 2})
    assert isinstance(caught.value.__cause__, TypeError)


def test_store_input_errors_pickle() -> None:
    with pytest.raises(store.StoreInputError) as caught:
        Get("kv", "")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is store.StoreInputError
    assert str(copy) == str(caught.value)


def test_store_good_commands_build_and_encode_once() -> None:
    cmd = Set("kv", "k", {"a": (1, 2)}, ttl=1)
    assert cmd.encoded == b'{"a":[1,2]}'
    assert Put("kv", "é", "ü", if_version="3").encoded == '"ü"'.encode()
    assert List("kv", prefix="", limit=0).limit == 0
    assert Set("kv", "k", 1, ttl=0.001).ttl == 0.001


async def test_store_unknown_store_fails_that_call(kv: Kv) -> None:
    async with kv.node.process() as proc:
        with pytest.raises(store.NoStoreError) as caught:
            await proc.call(Get("nope", "k"))
        assert str(caught.value) == "Get (id=120): no store named 'nope' (stores booted: 'kv')"
        with pytest.raises(store.NoStoreError, match=r"^Info \(id=127\): no store named"):
            await proc.call(Info("nope"))
        assert await proc.call(Set("kv", "still", "works")) is not None


def test_store_input_errors_are_type_and_value_errors() -> None:
    assert issubclass(store.StoreInputError, TypeError)
    assert issubclass(store.StoreInputError, ValueError)
    assert issubclass(store.StoreInputError, CommandArgumentError)
    assert issubclass(store.NoStoreError, LookupError)
    assert issubclass(store.OutcomeUnknownError, store.StoreError)
    assert not issubclass(store.OutcomeUnknownError, store.StoreBackendError)


def test_store_commands_refuse_what_every_backend_refuses() -> None:
    """The memory store used to take a lone surrogate that SQLite and Redis refuse."""
    bad: Any = "\ud800"
    with pytest.raises(store.StoreInputError, match="lone surrogates"):
        store.Get("kv", bad)
    with pytest.raises(store.StoreInputError, match="lone surrogates"):
        store.Set("kv", bad, 1)
    with pytest.raises(store.StoreInputError, match="lone surrogates"):
        store.Delete("kv", bad)
