"""cpu=True functions in trio-parallel worker processes (real time: real processes)."""

from __future__ import annotations

import math
import multiprocessing
import os
import socket
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


def announce_and_sleep(port: int) -> None:
    """Tell the test on ``port`` which worker runs this, then sleep longer than any test."""
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(str(os.getpid()).encode())
    time.sleep(600)


async def running_pid(listener: trio.SocketListener) -> int:
    """The PID of the worker that runs ``announce_and_sleep``, once it runs."""
    data = b""
    with trio.fail_after(60):
        async with await listener.accept() as stream:
            while chunk := await stream.receive_some():
                data += chunk
    return int(data)


async def test_cpu_function_is_killed_when_its_caller_gives_up_or_exits() -> None:
    [listener] = await trio.open_tcp_listeners(0, host="127.0.0.1")
    port: int = listener.socket.getsockname()[1]
    pids: list[int] = []

    async def cancel_when_running(scope: trio.CancelScope) -> None:
        pids.append(await running_pid(listener))
        scope.cancel()

    async def owner(proc: actorkit.Process) -> None:
        await proc.call(function.AsyncStart("announce", (port,)))
        pids.append(await running_pid(listener))

    module = function.module(*CPU, function.Function("announce", announce_and_sleep, cpu=True))
    async with listener, open_test_node(modules=[module]) as node, node.process() as proc:
        with trio.CancelScope() as scope:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(cancel_when_running, scope)
                await proc.call(function.Call("announce", (port,)))
        await node.exec(owner)
        # Both workers were killed, so this call gets a third one.
        fresh = await proc.call(function.Call("pid"), timeout=60)
    assert len({*pids, fresh}) == 3
    assert multiprocessing.active_children() == []
