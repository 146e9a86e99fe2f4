"""Function field checks: a wrong field fails when the command is built, naming it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import trio
import trio.testing

from actorkit.errors import CommandArgumentError
from actorkit.modules import function
from actorkit.testing import open_test_node

BUILDERS: list[Callable[..., object]] = [function.Call, function.AsyncStart]


def join(*parts: str) -> str:
    return "".join(parts)


@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize("args", ["12", b"12", None, 1, {"a": 1}, {1, 2}], ids=repr)
def test_function_args_must_be_a_tuple_or_list(build: Callable[..., object], args: object) -> None:
    with pytest.raises(CommandArgumentError, match=r"\(id=14[01]\): args must be a tuple or list"):
        build("join", args)


@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize("name", [["x"], None, 1, "", "\ud800", b"join"], ids=repr)
def test_function_name_must_be_a_non_empty_str(build: Callable[..., object], name: object) -> None:
    with pytest.raises(CommandArgumentError, match=r"\(id=14[01]\): name must be a non-empty str"):
        build(name)


@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize("kwargs", [None, [("a", 1)], {1: "a"}, "a=1"], ids=repr)
def test_function_kwargs_must_be_a_dict_with_str_keys(
    build: Callable[..., object], kwargs: object
) -> None:
    with pytest.raises(CommandArgumentError, match=r"kwargs must be a dict of keyword arguments"):
        build("join", (), kwargs)


@pytest.mark.parametrize("handle", ["x", 1.0, None, True], ids=repr)
def test_function_async_cancel_handle_must_be_an_int(handle: Any) -> None:
    with pytest.raises(CommandArgumentError) as caught:
        function.AsyncCancel(handle)
    assert str(caught.value).startswith("AsyncCancel (id=142): handle must be an int, got ")


def test_function_call_string_args_names_the_command() -> None:
    with pytest.raises(CommandArgumentError) as caught:
        function.Call("f", args="12")  # type: ignore[arg-type]
    assert str(caught.value) == (
        "Call (id=140): args must be a tuple or list of arguments, got '12' (str)"
    )


async def test_function_call_with_list_args(autojump_clock: trio.testing.MockClock) -> None:
    async with (
        open_test_node(modules=[function.module({"join": join})]) as node,
        node.process() as proc,
    ):
        listed: Any = ["a", "b"]
        assert await proc.call(function.Call("join", listed)) == "ab"
        assert await proc.call(function.Call("join", ("c",))) == "c"
