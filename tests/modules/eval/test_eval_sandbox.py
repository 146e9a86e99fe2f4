"""The sandbox: escapes refused, limits that stop a program, no state shared between programs.

Every case runs on one node and ends with a program that still runs: a refused or stopped
program never takes the node down.
"""

from __future__ import annotations

import pytest
import trio
import trio.testing

from actorkit import Process
from actorkit.modules import eval as lua
from actorkit.testing import open_test_node

MODULES = [lua.module()]


async def run(proc: Process, program: lua.Program | str) -> object:
    return await proc.call(lua.Run(program))


async def still_runs(proc: Process) -> None:
    assert await run(proc, "return 6 * 7") == 42


@pytest.mark.parametrize(
    "name",
    [
        "os", "io", "require", "load", "loadstring", "dofile", "loadfile", "debug", "package",
        "python", "print", "collectgarbage == nil and nil or _G.rawget(_G, 'python')",
    ],
)  # fmt: skip
async def test_privileged_globals_are_absent(
    name: str, autojump_clock: trio.testing.MockClock
) -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        assert await run(proc, f"return {name}") is None
        await still_runs(proc)


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("return io.open('/etc/passwd'):read('a')", "attempt to index a nil value"),
        ("return os.execute('true')", "attempt to index a nil value"),
        ("return require('os')", "attempt to call a nil value"),
        ("return load('return 1')()", "attempt to call a nil value"),
        ("return string.dump(function() end)", "attempt to call a nil value"),
        ("return python.eval('1')", "attempt to index a nil value"),
        ("return debug.getregistry()", "attempt to index a nil value"),
        ("setmetatable({}, {__gc = function() end})", "__gc metamethods are not allowed"),
        ("collectgarbage('stop')", "option 'stop' is not allowed"),
        ("return getmetatable('').__index", "attempt to index a boolean value"),
        ("return (1).__class__", "attempt to index a number value"),
        ("return ('').__class__.__mro__", "attempt to index a nil value"),
        ("return _G.__builtins__.open", "attempt to index a nil value"),
    ],
)
async def test_escapes_are_refused_with_a_clear_error(
    source: str, error: str, autojump_clock: trio.testing.MockClock
) -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        with pytest.raises(lua.EvalRuntimeError, match=error):
            await run(proc, source)
        await still_runs(proc)


async def test_shared_metatables_are_locked(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        assert await run(proc, "return getmetatable('')") is False
        with pytest.raises(lua.EvalRuntimeError, match="only a table's metatable can be set"):
            await run(proc, "setmetatable('', {})")
        # the string methods are the allowed library, not a way out of it
        assert await run(proc, "return ('ab'):rep(2)") == "abab"
        no_string = lua.Program("return ('ab'):rep(2)", options=lua.Options(libraries={"math"}))
        with pytest.raises(lua.EvalRuntimeError, match="attempt to call a nil value"):
            await run(proc, no_string)


async def test_no_python_objects_reachable(autojump_clock: trio.testing.MockClock) -> None:
    source = """
    local seen = {}
    for k, v in pairs(_G) do
      if type(v) == "userdata" then seen[#seen + 1] = k end
    end
    return #seen, _G._G == _G, type(_ENV)
    """
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        assert await run(proc, source) == [0, True, "table"]


async def test_library_allow_list(autojump_clock: trio.testing.MockClock) -> None:
    source = "return type(string), type(table), type(math), type(utf8), type(coroutine)"
    only_math = lua.Program(source, options=lua.Options(libraries=["math"]))
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        assert await run(proc, source) == ["table"] * 5
        assert await run(proc, only_math) == ["nil", "nil", "table", "nil", "nil"]


async def test_no_globals_leak_between_programs(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        assert await run(proc, "secret = 'mine'; string.evil = true; return secret") == "mine"
        assert await run(proc, "return secret, string.evil") == [None, None]


async def test_memory_bomb_stops_with_memory_error(autojump_clock: trio.testing.MockClock) -> None:
    small = lua.Options(max_memory=1024 * 1024)
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        for source in (
            "return #string.rep('x', 2^30)",
            "local t = {} for i = 1, 2^40 do t[i] = i end",
            "local ok = pcall(string.rep, 'x', 2^30) return ok",  # pcall does not hide it
        ):
            with pytest.raises(lua.EvalMemoryError, match="memory limit") as caught:
                await run(proc, lua.Program(source, options=small))
            assert caught.value.limit == "memory"
        await still_runs(proc)


async def test_infinite_loop_stops_at_instruction_limit(
    autojump_clock: trio.testing.MockClock,
) -> None:
    limited = lua.Options(max_instructions=100_000, timeout=3600)
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        for source in (
            "while true do end",
            "while true do pcall(function() while true do end end) end",
            "local co = coroutine.wrap(function() while true do end end) co()",
            "xpcall(function() while true do end end, function() while true do end end)",
        ):
            with pytest.raises(lua.EvalInstructionError, match="instructions limit"):
                await run(proc, lua.Program(source, options=limited))
        await still_runs(proc)


async def test_wall_clock_limit_stops_a_program() -> None:
    # The wall-clock limit is real time (the Lua code runs inside one Trio step).
    slow = lua.Options(max_instructions=10**15, timeout=0.05)
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        with pytest.raises(lua.EvalTimeoutError, match="timeout limit") as caught:
            await run(proc, lua.Program("while true do end", options=slow))
        assert caught.value.limit == "timeout"
        await still_runs(proc)


async def test_deep_recursion_is_stopped(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        with pytest.raises((lua.EvalRuntimeError, lua.EvalMemoryError)) as caught:
            await run(proc, "local function f(n) return 1 + f(n + 1) end return f(1)")
        assert "stack overflow" in str(caught.value) or "memory" in str(caught.value)
        await still_runs(proc)


async def test_yield_outside_a_process_is_refused(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        with pytest.raises(lua.EvalRuntimeError, match="yield from outside a coroutine"):
            await run(proc, "coroutine.yield(1)")
        assert await run(proc, "return process") is None  # no command API in a Run


async def test_big_inputs_hit_the_memory_limit_not_the_process(
    autojump_clock: trio.testing.MockClock,
) -> None:
    # lupa builds Lua values from Python unprotected: an overflow there must not abort.
    small = lua.Options(max_memory=256 * 1024)
    big = ["x" * 1000] * 1000
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        with pytest.raises(lua.EvalMemoryError):
            await proc.call(lua.Run(lua.Program("return ...", options=small), args=(big,)))
        with pytest.raises(lua.EvalMemoryError):
            await run(proc, lua.Program("return '" + "x" * 1_000_000 + "'", options=small))
        await still_runs(proc)
