"""The eval module: Lua process round trips, and ``Run`` of a small Lua function.

``eval_lua_round_trip``: a driver process sends a message to an echo process and waits for
the reply, one outstanding; the echo is a Lua process (``CreateProcess`` of a loop of
``process.receive`` / ``process.send``) on the actorkit side, a Python process doing the
same echo on the other. Both are the same driver, in the same run; the echo is created
before the clock starts and terminated after it stops.

``eval_run``: a process calling ``proc.call(eval.Run(program, function="add", ...))`` vs
the same Lua function called through lupa directly (one ``LuaRuntime``, the function looked
up once). ``Run`` makes a fresh sandboxed Lua state per call (see docs/guides/eval.md), so
``eval_run_fresh_state`` also compares it with lupa making a fresh ``LuaRuntime``, running
the chunk and calling the function per call, which is the same work as ``Run`` without
the sandbox, the value mapping and the command.

Run ``python -m bench._eval [--quick]``.
"""

from __future__ import annotations

import argparse
from time import perf_counter
from typing import Any

import lupa.lua55 as _lupa  # type: ignore[import-untyped]  # no stubs

import actorkit
from actorkit import lowlevel
from actorkit.modules import eval as lua

from ._harness import join, median_rates, reps, spawned
from ._report import Result, header, row

NAME = "eval"
_LUPA: Any = _lupa  # lupa ships no type information
LuaRuntime: Any = _LUPA.LuaRuntime
ECHO = lua.Program(
    "while true do local m = process.receive() process.send(m.sender, 'r', m.payload) end",
    name="echo",
    options=lua.Options(allow={lowlevel.Send}),
)
ADD_SOURCE = "function add(a, b) return a + b end"
ADD = lua.Program(ADD_SOURCE, name="add")
ROUND_TRIP_BASELINE = "the same driver against a Python process echoing each message"
RUN_BASELINE = "lupa: one LuaRuntime, add() looked up once, called directly"
FRESH_BASELINE = "lupa: a fresh LuaRuntime per call, chunk executed, add() called"
DIRECT_SCALE = 100


async def _python_echo(proc: actorkit.Process) -> None:
    async for message in proc.messages():
        assert message.sender is not None
        await proc.send(message.sender, "r", message.payload)


async def _drive(proc: actorkit.Process, n: int, kind: str) -> float:
    if kind == "lua":
        echo = await proc.call(lua.CreateProcess(ECHO))
    else:
        echo = await proc.spawn(_python_echo)
    start = perf_counter()
    for i in range(n):
        await proc.send(echo, "q", i)
        await proc.receive()
    elapsed = perf_counter() - start
    await proc.terminate(echo)
    return elapsed


async def _timed(node: actorkit.Node, n: int, kind: str) -> float:
    elapsed = await join(spawned(node, _drive, n, kind))
    assert isinstance(elapsed, float)
    return elapsed


async def lua_round_trip(node: actorkit.Node, n: int) -> float:
    """``n`` round trips to a Lua echo process."""
    return await _timed(node, n, "lua")


async def python_round_trip(node: actorkit.Node, n: int) -> float:
    """``n`` round trips to a Python echo process."""
    return await _timed(node, n, "python")


async def _run_loop(proc: actorkit.Process, n: int) -> float:
    start = perf_counter()
    for i in range(n):
        await proc.call(lua.Run(ADD, function="add", args=(i, 1)))
    return perf_counter() - start


async def run_command(node: actorkit.Node, n: int) -> float:
    """``n`` calls of ``Run`` of ``add`` from one process."""
    elapsed = await join(spawned(node, _run_loop, n))
    assert isinstance(elapsed, float)
    return elapsed


def _lupa_direct() -> Any:
    runtime = LuaRuntime()
    return runtime.execute(ADD_SOURCE + " return add")


async def lupa_direct(_node: actorkit.Node, n: int) -> float:
    """Calls of ``add`` through lupa, runtime and function made once: ``n`` times
    ``DIRECT_SCALE`` of them (to time long enough next to ``Run``), the time per ``n``."""
    add = _lupa_direct()
    start = perf_counter()
    for i in range(n * DIRECT_SCALE):
        add(i, 1)
    return (perf_counter() - start) / DIRECT_SCALE


async def lupa_fresh(_node: actorkit.Node, n: int) -> float:
    """``n`` fresh ``LuaRuntime`` s, each running the chunk and calling ``add`` once."""
    start = perf_counter()
    for i in range(n):
        LuaRuntime().execute(ADD_SOURCE + " return add")(i, 1)
    return perf_counter() - start


def measure(quick: bool) -> list[Result]:
    """Lua vs Python echo round trips; ``Run`` vs lupa called directly."""
    modules = [lua.module()]
    trips = median_rates(
        {"lua": lua_round_trip, "python": python_round_trip},
        2_000 if quick else 10_000,
        quick,
        modules,
    )
    runs = median_rates(
        {"run": run_command, "fresh": lupa_fresh, "direct": lupa_direct},
        1_000 if quick else 4_000,
        quick,
        modules,
    )
    return [
        Result.rate(
            f"{NAME}_lua_round_trip",
            trips["lua"],
            trips["python"],
            None,
            baseline=ROUND_TRIP_BASELINE,
        ),
        Result.rate(f"{NAME}_run", runs["run"], runs["direct"], None, baseline=RUN_BASELINE),
        Result.rate(
            f"{NAME}_run_fresh_state", runs["run"], runs["fresh"], None, baseline=FRESH_BASELINE
        ),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    print(header(reps(quick)))
    for result in measure(quick):
        print(row(result))
