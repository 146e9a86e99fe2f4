"""Registering functions: what boot accepts and the errors it gives for the rest."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
import trio.testing

from actorkit import BootError
from actorkit.modules import function
from actorkit.testing import open_test_node


async def async_fn() -> None: ...


def sync_fn() -> None: ...


def gen_fn() -> Iterator[int]:
    yield 1


async def agen_fn() -> AsyncIterator[int]:
    yield 1


class AsyncCallable:
    async def __call__(self, x: int) -> int:
        return x * 2


def local_function() -> Callable[[], None]:
    def inner() -> None: ...

    return inner


BAD: list[tuple[Any, str]] = [
    ([{"a": async_fn}, function.Function("a", sync_fn)], "two functions are named 'a'"),
    ([{"": async_fn}], "a function name must be a non-empty string"),
    ([{"x": 42}], "function 'x': 42 is not callable"),
    ([{"g": gen_fn}], "function 'g': .* is a generator function"),
    ([{"g": agen_fn}], "function 'g': .* is a generator function"),
    ([function.Function("a", async_fn, cpu=True)], "function 'a' is async; cpu=True and cheap"),
    ([function.Function("a", async_fn, cheap=True)], "function 'a' is async; cpu=True and cheap"),
    (
        [function.Function("s", sync_fn, cpu=True, cheap=True)],
        "function 's': cpu=True and cheap=True exclude",
    ),
    (
        [function.Function("l", lambda: 1, cpu=True)],
        "function 'l' \\(cpu=True\\) must be a picklable",
    ),
    (
        [function.Function("i", local_function(), cpu=True)],
        "function 'i' .* Can't pickle local object",
    ),
    ([["not", "a", "mapping"]], "function.module\\(\\) takes mappings and Function objects"),
]


def boot_fails(
    message: str, cause: type[BaseException] | tuple[type[BaseException], ...] = Exception
) -> pytest.RaisesGroup[Any]:
    """Expect BootError, bare or (as open_node raises it today) alone in an ExceptionGroup."""
    expected = pytest.RaisesExc(
        BootError,
        match=f"component 'function' failed to load: {message}",
        check=lambda exc: isinstance(exc.__cause__, cause),
    )
    return pytest.RaisesGroup(expected, allow_unwrapped=True)


@pytest.mark.parametrize(("functions", "message"), BAD)
async def test_boot_rejects_bad_registrations(
    autojump_clock: trio.testing.MockClock, functions: list[Any], message: str
) -> None:
    with boot_fails(message, (TypeError, ValueError)):
        async with open_test_node(modules=[function.module(*functions)]):
            pass


async def test_boot_failure_is_a_bare_boot_error(autojump_clock: trio.testing.MockClock) -> None:
    with pytest.raises(BootError):
        async with open_test_node(modules=[function.module(*BAD[2][0])]):
            pass


async def test_boot_accepts_async_callable_objects(autojump_clock: trio.testing.MockClock) -> None:
    async with (
        open_test_node(modules=[function.module({"double": AsyncCallable()})]) as node,
        node.process() as proc,
    ):
        assert await proc.call(function.Call("double", (21,))) == 42


async def test_boot_allows_one_function_module_per_node(
    autojump_clock: trio.testing.MockClock,
) -> None:
    with pytest.raises(BootError, match="two components are named 'function'"):
        async with open_test_node(modules=[function.module(), function.module()]):
            pass


async def test_boot_missing_trio_parallel_names_the_extra(
    autojump_clock: trio.testing.MockClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "trio_parallel", None)
    spec = function.Function("fact", sync_fn, cpu=True)
    with boot_fails(r".*pip install 'actorkit\[parallel\]'", ImportError):
        async with open_test_node(modules=[function.module(spec)]):
            pass


async def test_boot_puts_the_function_table_on_the_node(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node(modules=[function.module({"a": async_fn, "s": sync_fn})]) as node:
        table = function.TABLE.get(node)
    assert sorted(table.entries) == ["a", "s"]
