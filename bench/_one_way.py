"""One-way messages from one sender to one receiver vs a memory channel.

The fair baseline does what ``send`` and ``receive`` do: a bounded queue as big as a
mailbox (1024), ``send_nowait`` and ``receive_nowait`` while they succeed (waiting only
when full or empty), and a schedule point every 64 operations on each side, the reduction
budget actorkit spends.
"""

from __future__ import annotations

import math
from time import perf_counter

import trio

import actorkit

from ._harness import join, median_rates, spawned
from ._report import Result

NAME = "one_way"
TARGET = 0.5
CAPACITY = 1024  # actorkit's default mailbox size
BUDGET = 64  # actorkit's reductions between schedule points
BASELINE = "channel(1024), send_nowait / receive_nowait, a checkpoint every 64 each side"


async def _drain_batched(receive: trio.MemoryReceiveChannel[int], n: int) -> None:
    for i in range(1, n + 1):
        try:
            receive.receive_nowait()
        except trio.WouldBlock:
            await receive.receive()
        if i % BUDGET == 0:
            await trio.lowlevel.checkpoint()


async def raw(_node: actorkit.Node, n: int) -> float:
    """``send_nowait`` (``await send`` when full) to a task taking them with
    ``receive_nowait`` (``await receive`` when empty), each checkpointing every 64."""
    send, receive = trio.open_memory_channel[int](CAPACITY)
    start = perf_counter()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(_drain_batched, receive, n)
        for i in range(1, n + 1):
            try:
                send.send_nowait(i)
            except trio.WouldBlock:
                await send.send(i)
            if i % BUDGET == 0:
                await trio.lowlevel.checkpoint()
    return perf_counter() - start


async def _drain(receive: trio.MemoryReceiveChannel[int], n: int) -> None:
    for _ in range(n):
        await receive.receive()


async def raw_rendezvous(_node: actorkit.Node, n: int) -> float:
    """The old baseline: ``await send`` on a size-0 channel (a switch per message)."""
    send, receive = trio.open_memory_channel[int](0)
    start = perf_counter()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(_drain, receive, n)
        for i in range(n):
            await send.send(i)
    return perf_counter() - start


async def raw_unbounded(_node: actorkit.Node, n: int) -> float:
    """``send_nowait`` into an unbounded channel, drained by ``await receive()``."""
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
    """Messages per second vs the fair baseline; two old baselines as info rows."""
    variants = {
        "raw": raw,
        "raw_rendezvous": raw_rendezvous,
        "raw_unbounded": raw_unbounded,
        "actorkit": with_actorkit,
    }
    rates = median_rates(variants, 3000 if quick else 20000, quick)
    ours = rates["actorkit"]
    return [
        Result.rate(NAME, ours, rates["raw"], TARGET, baseline=BASELINE),
        Result.rate(
            "one_way_vs_await_send",
            ours,
            rates["raw_rendezvous"],
            None,
            baseline="(info, flatters) size-0 channel, await send, a switch per message",
        ),
        Result.rate(
            "one_way_vs_unbounded_nowait",
            ours,
            rates["raw_unbounded"],
            None,
            baseline="(info) unbounded channel, send_nowait, drained by await receive",
        ),
    ]
