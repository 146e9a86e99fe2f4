"""Compile (id=170) and Run (id=171): checking source, running it, the value mapping."""

from __future__ import annotations

import math
from typing import cast

import pytest
import trio
import trio.testing

from actorkit import PID, Process
from actorkit.errors import CommandArgumentError
from actorkit.modules import eval as lua
from actorkit.testing import open_test_node

MODULES = [lua.module()]


async def run(
    proc: Process, program: lua.Program | str, *args: object, fn: str | None = None
) -> object:
    return await proc.call(lua.Run(program, function=fn, args=args))


async def test_compile_returns_a_program(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        program = await proc.call(lua.Compile("return 1 + 1", name="two"))
        assert program == lua.Program("return 1 + 1", name="two")
        assert await run(proc, program) == 2


async def test_compile_error_has_line_and_message(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        with pytest.raises(lua.EvalCompileError) as caught:
            await proc.call(lua.Compile("local x = 1\nlocal y = = 2\n", name="bad"))
        assert (caught.value.chunk, caught.value.line) == ("bad", 2)
        assert "unexpected symbol" in caught.value.message
        assert str(caught.value).startswith("bad:2: ")


async def test_run_source_or_named_function(autojump_clock: trio.testing.MockClock) -> None:
    source = "function add(a, b) return a + b end\nreturn ..."
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        assert await run(proc, source, 2, 3, fn="add") == 5
        assert await run(proc, source, "chunk", 7) == ["chunk", 7]
        with pytest.raises(lua.EvalRuntimeError, match="defines no function 'nope'"):
            await run(proc, source, fn="nope")


@pytest.mark.parametrize(
    ("value", "back"),
    [
        (None, None),
        (True, True),
        (False, False),
        (42, 42),
        (-(2**63), -(2**63)),
        (1.0, 1.0),
        (math.inf, math.inf),
        ("héllo", "héllo"),
        (b"\xff\x00", b"\xff\x00"),
        (b"text", "text"),
        ([1, "a", [2.5]], [1, "a", [2.5]]),
        ((1, 2), [1, 2]),
        ({"a": 1, "b": {"c": [True]}}, {"a": 1, "b": {"c": [True]}}),
        ({}, {}),
        ([], {}),
        ({1: "x", 3: "y"}, {1: "x", 3: "y"}),
        (PID("test", 7), "<test.7>"),
    ],
)
async def test_values_round_trip_by_the_mapping(
    value: object, back: object, autojump_clock: trio.testing.MockClock
) -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        assert await run(proc, "return ...", value) == back


async def test_lua_values_come_back_by_the_mapping(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        got = await run(
            proc, "return 1, 1.5, 2^53, 'a', {10, 20}, {x = 1}, {[1] = 1, [2] = 2, n = 2}"
        )
        assert got == [1, 1.5, 2.0**53, "a", [10, 20], {"x": 1}, {1: 1, 2: 2, "n": 2}]
        assert type(cast("list[object]", got)[2]) is float
        assert await run(proc, "return") is None
        raw = lua.Program("return 'a', '\\255'", options=lua.Options(strings="bytes"))
        assert await run(proc, raw) == [b"a", b"\xff"]
        assert await run(proc, "return '\\255'") == b"\xff"  # not UTF-8: bytes even as text


async def test_values_that_cannot_cross_are_refused(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        with pytest.raises(lua.EvalValueError, match="function cannot cross"):
            await run(proc, "return print or tostring")
        with pytest.raises(lua.EvalValueError, match="nested more than"):
            await run(proc, "local t = {} t[1] = t return t")
        with pytest.raises(lua.EvalValueError, match="key that is a table"):
            await run(proc, "return {[{}] = 1}")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"program": 3}, "program"),
        ({"program": "x", "args": (object(),)}, "args"),
        ({"program": "x", "args": (2**64,)}, "args"),
        ({"program": "x", "args": ([None],)}, "args"),
        ({"program": "x", "args": "abc"}, "args"),
        ({"program": "x", "function": ""}, "function"),
    ],
)
def test_run_bad_fields_name_command_id_and_field(fields: dict[str, object], field: str) -> None:
    with pytest.raises(lua.EvalArgumentError) as caught:
        lua.Run(**fields)  # type: ignore[arg-type]
    assert isinstance(caught.value, CommandArgumentError)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"Run (id=171): {field} must be")


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"libraries": ["os"]}, "libraries"),
        ({"libraries": "string"}, "libraries"),
        ({"allow": ["x"]}, "allow"),
        ({"max_memory": 10}, "max_memory"),
        ({"max_instructions": 10}, "max_instructions"),
        ({"timeout": 0}, "timeout"),
        ({"strings": "utf16"}, "strings"),
    ],
)
def test_options_bad_values_name_the_field(options: dict[str, object], field: str) -> None:
    with pytest.raises(lua.EvalArgumentError, match=f"{field} must be"):
        lua.Options(**options)  # type: ignore[arg-type]


def test_compile_and_create_process_bad_fields() -> None:
    with pytest.raises(lua.EvalArgumentError, match=r"Compile \(id=170\): source must be"):
        lua.Compile(b"return 1")  # type: ignore[arg-type]
    with pytest.raises(lua.EvalArgumentError, match=r"CreateProcess \(id=172\): link must be"):
        lua.CreateProcess("return 1", link=1)  # type: ignore[arg-type]


async def test_lua_errors_carry_their_message(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        with pytest.raises(lua.EvalRuntimeError, match=r"^p:1: boom$"):
            await run(proc, lua.Program("error('boom')", name="p"))
        with pytest.raises(lua.EvalRuntimeError) as caught:
            await run(proc, "error({code = 7})")
        assert caught.value.value == {"code": 7}
        with pytest.raises(lua.EvalRuntimeError, match=r"^42$") as number:
            await run(proc, "error(42)")
        assert number.value.value == 42
        with pytest.raises(lua.EvalRuntimeError, match="attempt to perform arithmetic"):
            await run(proc, "return {} + 1")


async def test_compile_program_checks_without_a_node() -> None:
    program = lua.compile_program("return ...", name="echo", options=lua.Options(timeout=2))
    assert program.options.timeout == 2
    with pytest.raises(lua.EvalCompileError):
        lua.compile_program("return return")


async def test_run_stops_at_the_callers_deadline() -> None:
    # Real clock: the caller's deadline is wall-clock time for a Lua run.
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        spin = lua.Program(
            "while true do end", options=lua.Options(max_instructions=10**15, timeout=60)
        )
        with pytest.raises((lua.EvalTimeoutError, trio.TooSlowError)):
            await proc.call(lua.Run(spin), timeout=0.05)
        assert await run(proc, "return 'still running'") == "still running"
