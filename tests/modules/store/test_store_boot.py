"""Declaring stores at boot: several in one node, names, and errors."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import actorkit
from actorkit.modules import store
from actorkit.modules.store import Get, Info, Set
from actorkit.modules.store.state import STORES
from actorkit.testing import open_test_node


async def test_store_several_stores_share_one_set_of_handlers(tmp_path: Path) -> None:
    modules = [store.memory("a"), store.memory("b"), store.sqlite("c", str(tmp_path / "c.db"))]
    async with open_test_node(modules=modules) as node, node.process() as proc:
        for name in "abc":
            await proc.call(Set(name, "k", name))
        assert [await proc.call(Get(name, "k")) for name in "abc"] == ["a", "b", "c"]
        assert (await proc.call(Info("c"))).backend == "sqlite"
    assert node.registry.owner(Get.ID) == "store.a"


async def test_store_two_stores_with_one_name_fail_boot(tmp_path: Path) -> None:
    modules = [store.memory("x"), store.sqlite("x", str(tmp_path / "x.db"))]
    with pytest.raises(actorkit.BootError, match=r"two components are named 'store\.x'"):
        async with open_test_node(modules=modules):
            pass


async def test_store_resources_name_the_stores_while_booted() -> None:
    async with open_test_node(modules=[store.memory("a")]) as node:
        assert list(STORES.get(node)) == ["a"]
    assert STORES.get(node) == {}


def test_store_info_function_names_missing_stores() -> None:
    node = actorkit.Node(name="bare")
    with pytest.raises(store.NoStoreError, match="no store named 'nope'"):
        store.info(node, "nope")


def test_store_sqlite_table_must_be_an_identifier(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="table 'x; DROP' is not a plain SQL identifier"):
        store.sqlite("s", str(tmp_path / "s.db"), table="x; DROP")


BAD_OPTIONS: list[tuple[Callable[[], object], str]] = [
    (lambda: store.memory(""), "store.memory: name must be a non-empty str"),
    (lambda: store.memory("c", cleanup_interval=-1), "store.memory('c'): cleanup_interval"),
    (lambda: store.memory("c", cleanup_interval=math.nan), "cleanup_interval must be seconds"),
    (lambda: store.sqlite("s", None), "store.sqlite('s'): path must be a non-empty str"),  # type: ignore[arg-type]
    (lambda: store.sqlite("s", "x.db", synchronous="fast"), "synchronous must be one of OFF"),  # type: ignore[arg-type]
    (lambda: store.redis(3), "store.redis: name must be a non-empty str"),  # type: ignore[arg-type]
    (lambda: store.redis("r", prefix=5), "store.redis('r'): prefix must be None or a str"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("declare", "message"), BAD_OPTIONS, ids=[m for _, m in BAD_OPTIONS])
def test_store_bad_options_fail_when_declared(declare: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        declare()
