"""Call (id=140): running registered functions and waiting for them."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable

import pytest
import trio
import trio.testing

from actorkit import CommandError
from actorkit.modules import function
from actorkit.testing import open_test_node

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


async def add(a: int, b: int = 0) -> int:
    await trio.lowlevel.checkpoint()
    return a + b


def thread_id() -> int:
    return threading.get_ident()


def scale(x: float, *, factor: float) -> float:
    return x * factor


def broken(x: object) -> int:
    return len(x)  # type: ignore[arg-type]


async def fails(message: str) -> None:
    await trio.lowlevel.checkpoint()
    raise LookupError(message)


async def current_request() -> str:
    await trio.lowlevel.checkpoint()
    return request_id.get()


FUNCTIONS: dict[str, Callable[..., object]] = {
    "add": add,
    "thread_id": thread_id,
    "fails": fails,
    "broken": broken,
}
CHEAP = function.Function("scale", scale, cheap=True)


async def test_call_async_function_returns_its_result(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with (
        open_test_node(modules=[function.module(FUNCTIONS)]) as node,
        node.process() as proc,
    ):
        assert await proc.call(function.Call("add", (2, 3))) == 5
        assert await proc.call(function.Call("add", (2,), {"b": 40})) == 42


async def test_call_sync_function_runs_in_a_thread(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with (
        open_test_node(modules=[function.module(FUNCTIONS)]) as node,
        node.process() as proc,
    ):
        ident = await proc.call(function.Call("thread_id"))
    assert ident != threading.get_ident()


async def test_call_cheap_function_completes_inline(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node(modules=[function.module(CHEAP)]) as node, node.process() as proc:
        # call_nowait only succeeds for a command that completes inside its handler.
        assert proc.call_nowait(function.Call("scale", (2.0,), {"factor": 1.5})) == 3.0
        assert await proc.call(function.Call("scale", (2.0,), {"factor": 2.0})) == 4.0


async def test_call_unknown_name_names_command_and_known_functions(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with (
        open_test_node(modules=[function.module(FUNCTIONS)]) as node,
        node.process() as proc,
    ):
        with pytest.raises(function.UnknownFunctionError) as info:
            await proc.call(function.Call("nope"))
    message = str(info.value)
    assert message.startswith("Call (id=140): no function named 'nope'")
    assert "known: add, broken, fails, thread_id" in message
    assert isinstance(info.value, CommandError)
    assert info.value.name == "nope"


async def test_call_unknown_name_with_many_functions_gives_a_count(
    autojump_clock: trio.testing.MockClock,
) -> None:
    many = {f"f{i}": add for i in range(12)}
    async with open_test_node(modules=[function.module(many)]) as node, node.process() as proc:
        with pytest.raises(function.UnknownFunctionError, match="12 functions are registered"):
            await proc.call(function.Call("nope"))


async def test_call_unknown_name_with_no_functions(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node(modules=[function.module()]) as node, node.process() as proc:
        with pytest.raises(function.UnknownFunctionError, match="no functions are registered"):
            await proc.call(function.Call("add"))


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "detail"),
    [
        ("add", (1, 2, 3), {}, "add() takes from 1 to 2 positional arguments but 3 were given"),
        ("add", (), {}, "add() missing 1 required positional argument: 'a'"),
        ("thread_id", (), {"x": 1}, "thread_id() got an unexpected keyword argument 'x'"),
        ("scale", (1.0,), {}, "scale() missing 1 required keyword-only argument: 'factor'"),
    ],
)
async def test_call_wrong_arguments_fail_with_a_clear_type_error(
    autojump_clock: trio.testing.MockClock,
    name: str,
    args: tuple[object, ...],
    kwargs: dict[str, object],
    detail: str,
) -> None:
    async with (
        open_test_node(modules=[function.module(FUNCTIONS, CHEAP)]) as node,
        node.process() as proc,
    ):
        with pytest.raises(function.FunctionArgumentError) as info:
            await proc.call(function.Call(name, args, kwargs))
    assert isinstance(info.value, TypeError)
    assert str(info.value) == f"Call (id=140): bad arguments for function {name!r}: {detail}"
    assert isinstance(info.value.__cause__, TypeError)


async def test_call_type_error_raised_inside_the_function_is_left_alone(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with (
        open_test_node(modules=[function.module(FUNCTIONS)]) as node,
        node.process() as proc,
    ):
        with pytest.raises(TypeError) as info:
            await proc.call(function.Call("broken", (5,)))
    assert not isinstance(info.value, function.FunctionArgumentError)
    assert "has no len()" in str(info.value)


async def test_call_function_that_raises_fails_the_call_with_its_exception(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with (
        open_test_node(modules=[function.module(FUNCTIONS)]) as node,
        node.process() as proc,
    ):
        with pytest.raises(LookupError, match=r"^no such row$"):
            await proc.call(function.Call("fails", ("no such row",)))
        # The caller is unharmed and can go on calling.
        assert await proc.call(function.Call("add", (1, 1))) == 2


async def test_call_function_sees_the_callers_context(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with (
        open_test_node(modules=[function.module({"current": current_request})]) as node,
        node.process() as proc,
    ):
        request_id.set("req-7")
        assert await proc.call(function.Call("current")) == "req-7"


async def test_call_can_be_faked_like_any_command(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node(modules=[function.module(FUNCTIONS)]) as node:
        fake = node.fake(function.Call, lambda cmd: f"scripted {cmd.name}")
        async with node.process() as proc:
            assert await proc.call(function.Call("add", (1, 2))) == "scripted add"
    assert fake.calls == [function.Call("add", (1, 2))]


async def test_call_error_keeps_its_cause_out_of_the_node(
    autojump_clock: trio.testing.MockClock,
) -> None:
    with pytest.raises(function.FunctionArgumentError) as info:
        async with (
            open_test_node(modules=[function.module(FUNCTIONS)]) as node,
            node.process() as proc,
        ):
            await proc.call(function.Call("add", ()))
    assert isinstance(info.value.__cause__, TypeError)
