"""One-way messages from one sender to one receiver vs a memory channel."""

from __future__ import annotations

import math
from time import perf_counter

import trio

import actorkit

from ._harness import join, median_rates, spawned
from ._report import Result

NAME = "one_way"
TARGET = 3.0


async def _drain(receive: trio.MemoryReceiveChannel[int], n: int) -> None:
    for _ in range(n):
        await receive.receive()


async def raw(_node: actorkit.Node, n: int) -> float:
    """``await send`` on a size-0 channel until the receiving task has all ``n``."""
    send, receive = trio.open_memory_channel[int](0)
    start = perf_counter()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(_drain, receive, n)
        for i in range(n):
            await send.send(i)
    return perf_counter() - start


async def raw_nowait(_node: actorkit.Node, n: int) -> float:
    """``send_nowait`` into an unbounded channel until the receiving task has all ``n``."""
    send, receive = trio.open_memory_channel[int](math.inf)
    start = perf_counter()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(_drain, receive, n)
        for i in range(n):
            send.send_nowait(i)
    return perf_counter() - start


async def _receiver(proc: actorkit.Process, n: int) -> None:
    count = 0
    async for _ in proc.messages():
        count += 1
        if count == n:
            return
    raise RuntimeError(f"cancelled after {count} of {n} messages")


async def _sender(proc: actorkit.Process, dest: actorkit.PID, n: int) -> None:
    for i in range(n):
        await proc.send(dest, "m", i)


async def with_actorkit(node: actorkit.Node, n: int) -> float:
    """A sender process's ``send`` until the receiver process has taken all ``n``."""
    start = perf_counter()
    receiver = spawned(node, _receiver, n)
    sender = spawned(node, _sender, receiver.pid, n)
    await join(receiver)
    elapsed = perf_counter() - start
    await join(sender)
    return elapsed


def measure(quick: bool) -> list[Result]:
    """Messages per second; a second row compares with raw ``send_nowait`` (no target)."""
    variants = {"raw": raw, "raw_nowait": raw_nowait, "actorkit": with_actorkit}
    rates = median_rates(variants, 3000 if quick else 10000, quick)
    return [
        Result.rate(NAME, rates["actorkit"], rates["raw"], TARGET),
        Result.rate("one_way_nowait_raw", rates["actorkit"], rates["raw_nowait"], None),
    ]
