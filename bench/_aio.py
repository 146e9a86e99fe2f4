"""asyncio doing the same work as actorkit by the same mechanism: a task per actor and an
``asyncio.Queue`` per mailbox. Each function runs its own ``asyncio.run``, warms up with a
tenth of ``n``, and returns the seconds ``n`` operations took."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from time import perf_counter

CAPACITY = 1024  # actorkit's default mailbox size
BUDGET = 64  # actorkit's reductions between schedule points

Timed = Callable[[int], Awaitable[float]]


def _run(timed: Timed, n: int) -> float:
    async def warm_then_time() -> float:
        await timed(max(1, n // 10))
        return await timed(n)

    return asyncio.run(warm_then_time())


async def _ping_pong(n: int) -> float:
    ping: asyncio.Queue[int] = asyncio.Queue()
    pong: asyncio.Queue[int] = asyncio.Queue()

    async def ponger() -> None:
        for _ in range(n):
            pong.put_nowait(await ping.get())

    task = asyncio.create_task(ponger())
    start = perf_counter()
    for i in range(n):
        ping.put_nowait(i)
        await pong.get()
    elapsed = perf_counter() - start
    await task
    return elapsed


def round_trip(n: int) -> float:
    """Two tasks, unbounded queues, ``put_nowait`` + ``await get()``, one outstanding."""
    return _run(_ping_pong, n)


async def _drain(queue: asyncio.Queue[int], n: int) -> None:
    for i in range(1, n + 1):
        try:
            queue.get_nowait()
        except asyncio.QueueEmpty:
            await queue.get()
        if i % BUDGET == 0:
            await asyncio.sleep(0)


async def _one_way(n: int) -> float:
    queue: asyncio.Queue[int] = asyncio.Queue(CAPACITY)
    start = perf_counter()
    receiver = asyncio.create_task(_drain(queue, n))
    for i in range(1, n + 1):
        try:
            queue.put_nowait(i)
        except asyncio.QueueFull:
            await queue.put(i)
        if i % BUDGET == 0:
            await asyncio.sleep(0)
    await receiver
    return perf_counter() - start


def one_way(n: int) -> float:
    """Queue(1024), ``put_nowait`` / ``get_nowait`` (waiting only when full or empty), a
    ``sleep(0)`` every 64 on each side, until the receiving task has all ``n``."""
    return _run(_one_way, n)


async def _child() -> None:
    pass


async def _spawn_exit(n: int) -> float:
    start = perf_counter()
    async with asyncio.TaskGroup() as group:
        for _ in range(n):
            group.create_task(_child())
    return perf_counter() - start


def spawn_exit(n: int) -> float:
    """``n`` tasks that return at once, in one ``TaskGroup``, until all end."""
    return _run(_spawn_exit, n)
