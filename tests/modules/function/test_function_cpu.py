"""cpu=True functions in trio-parallel worker processes (real time: real processes)."""

from __future__ import annotations

import math
import multiprocessing
import os
import time

import pytest
import trio

import actorkit
from actorkit.modules import function
from actorkit.testing import open_test_node


def digits_of_factorial(n: int, *, base: int = 10) -> int:
    """A module-level function: a worker process imports it by name."""
    value = math.factorial(n)
    count = 0
    while value:
        value //= base
        count += 1
    return count


CPU = [
    function.Function("pid", os.getpid, cpu=True),
    function.Function("digits", digits_of_factorial, cpu=True),
    function.Function("sqrt", math.sqrt, cpu=True),
    function.Function("sleep", time.sleep, cpu=True),
]


async def test_cpu_functions_run_in_a_worker_process_that_stops_with_the_node() -> None:
    async with (
        open_test_node(modules=[function.module(*CPU, workers=1)]) as node,
        node.process() as proc,
    ):
        worker = await proc.call(function.Call("pid"))
        digits = await proc.call(function.Call("digits", (100,), {"base": 16}))
        with pytest.raises(ValueError, match="math domain error"):
            await proc.call(function.Call("sqrt", (-1.0,)))
        with pytest.raises(function.FunctionArgumentError, match="function 'digits'"):
            await proc.call(function.Call("digits", ()))
        handle = await proc.call(function.AsyncStart("digits", (20,)))
        event = await proc.receive(kind=function.FunctionResult, timeout=30)
        assert multiprocessing.active_children() != []
    assert worker != os.getpid()
    assert digits == digits_of_factorial(100, base=16)
    assert (event.handle, event.result) == (handle, 19)
    assert multiprocessing.active_children() == []


async def test_cpu_function_is_killed_when_its_caller_gives_up_or_exits() -> None:
    async def owner(proc: actorkit.Process) -> int:
        return await proc.call(function.AsyncStart("sleep", (600.0,)))

    async with (
        open_test_node(modules=[function.module(*CPU, workers=1)]) as node,
        node.process() as proc,
    ):
        started = trio.current_time()
        with pytest.raises(trio.TooSlowError):
            await proc.call(function.Call("sleep", (600.0,)), timeout=0.5)
        assert trio.current_time() - started < 60
        await node.exec(owner)
        # Only one worker may run at a time: this call waits until the owner's run
        # has been killed, then gets a fresh worker.
        assert await proc.call(function.Call("pid"), timeout=60) != os.getpid()
    assert multiprocessing.active_children() == []
