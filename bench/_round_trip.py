"""Request/reply round trips between two processes vs two tasks on memory channels.

The fair baseline does what ``send`` + ``receive`` do: put the item in an unbounded queue
without waiting (``send_nowait``) and wait in ``receive`` for the reply, one outstanding.
The ``request`` row is ``proc.request`` / ``proc.reply`` (a monitor, a fresh ref and a
deadline per request) against the plain round trip; ``request_by_hand`` is the same work
written with ``send`` and ``receive(timeout=)``, for comparison.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from time import perf_counter

import trio

import actorkit

from ._harness import join, median_rates, spawned
from ._report import Result

NAME = "round_trip"
TARGET = 1.0
REQUEST_TARGET = 0.9
BASELINE = "2 tasks, unbounded channels, send_nowait + await receive, one outstanding"
TIMEOUT = 60.0


async def raw(_node: actorkit.Node, n: int) -> float:
    """Ping-pong over two unbounded channels: ``send_nowait``, then ``await receive()``."""
    ping_send, ping_receive = trio.open_memory_channel[int](math.inf)
    pong_send, pong_receive = trio.open_memory_channel[int](math.inf)

    async def ponger() -> None:
        for _ in range(n):
            pong_send.send_nowait(await ping_receive.receive())

    async with trio.open_nursery() as nursery:
        nursery.start_soon(ponger)
        start = perf_counter()
        for i in range(n):
            ping_send.send_nowait(i)
            await pong_receive.receive()
        return perf_counter() - start


async def raw_rendezvous(_node: actorkit.Node, n: int) -> float:
    """The old baseline: ``await send`` on size-0 channels (a rendezvous actorkit skips)."""
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


async def _requester(proc: actorkit.Process, peer: actorkit.PID, n: int) -> float:
    start = perf_counter()
    for i in range(n):
        await proc.send(peer, "ping", i)
        await proc.receive(timeout=TIMEOUT)
    return perf_counter() - start


async def replier(proc: actorkit.Process, n: int) -> None:
    for _ in range(n):
        msg = await proc.receive()
        proc.reply(msg, msg.payload)


async def asker(proc: actorkit.Process, peer: actorkit.PID, n: int) -> float:
    start = perf_counter()
    for i in range(n):
        await proc.request(peer, "ping", i, timeout=TIMEOUT)
    return perf_counter() - start


Server = Callable[[actorkit.Process, int], Awaitable[None]]
Client = Callable[[actorkit.Process, actorkit.PID, int], Awaitable[float]]


async def _ping_pong(node: actorkit.Node, n: int, server: Server, client: Client) -> float:
    ponger = spawned(node, server, n)
    elapsed = await join(spawned(node, client, ponger.pid, n))
    await join(ponger)
    assert isinstance(elapsed, float)
    return elapsed


async def with_actorkit(node: actorkit.Node, n: int) -> float:
    """Ping-pong between two processes with ``send`` / ``receive``."""
    return await _ping_pong(node, n, _ponger, _pinger)


async def request(node: actorkit.Node, n: int) -> float:
    """``proc.request`` answered with ``proc.reply``, one outstanding."""
    return await _ping_pong(node, n, replier, asker)


async def request_by_hand(node: actorkit.Node, n: int) -> float:
    """The plain round trip, the reply taken with ``receive(timeout=60)``."""
    return await _ping_pong(node, n, _ponger, _requester)


def measure(quick: bool) -> list[Result]:
    """Round trips per second: vs the fair baseline, the old one, and with a timeout."""
    variants = {
        "raw": raw,
        "raw_rendezvous": raw_rendezvous,
        "actorkit": with_actorkit,
        "request": request,
        "request_by_hand": request_by_hand,
    }
    rates = median_rates(variants, 1000 if quick else 4000, quick)
    ours = rates["actorkit"]
    return [
        Result.rate(NAME, ours, rates["raw"], TARGET, baseline=BASELINE),
        Result.rate(
            "request",
            rates["request"],
            ours,
            REQUEST_TARGET,
            baseline="actorkit's round_trip (send + receive, no monitor, ref or deadline)",
        ),
        Result.rate(
            "request_by_hand",
            rates["request_by_hand"],
            ours,
            None,
            baseline="(info) actorkit's round_trip; the reply taken with receive(timeout=)",
        ),
        Result.rate(
            "round_trip_vs_await_send",
            ours,
            rates["raw_rendezvous"],
            None,
            baseline="(info, flatters) 2 tasks, size-0 channels, await send + await receive",
        ),
    ]
