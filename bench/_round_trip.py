"""Request/reply round trips between two processes vs two tasks on size-0 channels."""

from __future__ import annotations

from time import perf_counter

import trio

import actorkit

from ._harness import join, median_rates, spawned
from ._report import Result

NAME = "round_trip"
TARGET = 0.9


async def raw(_node: actorkit.Node, n: int) -> float:
    """Ping-pong between this task and another over two size-0 memory channels."""
    ping_send, ping_receive = trio.open_memory_channel[int](0)
    pong_send, pong_receive = trio.open_memory_channel[int](0)

    async def ponger() -> None:
        for _ in range(n):
            await pong_send.send(await ping_receive.receive())

    async with trio.open_nursery() as nursery:
        nursery.start_soon(ponger)
        start = perf_counter()
        for i in range(n):
            await ping_send.send(i)
            await pong_receive.receive()
        return perf_counter() - start


async def _ponger(proc: actorkit.Process, n: int) -> None:
    for _ in range(n):
        msg = await proc.receive()
        assert msg.sender is not None
        await proc.send(msg.sender, "pong", msg.payload)


async def _pinger(proc: actorkit.Process, peer: actorkit.PID, n: int) -> float:
    start = perf_counter()
    for i in range(n):
        await proc.send(peer, "ping", i)
        await proc.receive()
    return perf_counter() - start


async def with_actorkit(node: actorkit.Node, n: int) -> float:
    """Ping-pong between two processes with ``send`` / ``receive``."""
    ponger = spawned(node, _ponger, n)
    elapsed = await join(spawned(node, _pinger, ponger.pid, n))
    await join(ponger)
    assert isinstance(elapsed, float)
    return elapsed


def measure(quick: bool) -> list[Result]:
    """Round trips per second, both ways."""
    rates = median_rates({"raw": raw, "actorkit": with_actorkit}, 1000 if quick else 2000, quick)
    return [Result.rate(NAME, rates["actorkit"], rates["raw"], TARGET)]
