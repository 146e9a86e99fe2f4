"""Store Get/Set per second through the store module vs the raw client, in one run.

Memory: a process calling ``store.Get`` / ``store.Set`` vs a plain dict (and, for scale, a
dict with the JSON codec and one Trio checkpoint per operation, the least a Trio program
doing the same job pays). Redis: the same process against the Redis store vs
:mod:`actorkit.redis` (the client the store runs on) ``GET`` / ``SET`` called directly from
a task, sequential and with 16 at once: what the store layer costs. Redis rows
are left out when no server answers at ``ACTORKIT_REDIS_URL`` (default
``redis://127.0.0.1:6379/0``).

Run ``python -m bench._store [--quick]``.
"""

from __future__ import annotations

import gc
import json
import os
import socket
import statistics
import uuid
from collections.abc import Awaitable, Callable
from time import perf_counter
from typing import Any

import trio

import actorkit
from actorkit.modules import store
from actorkit.redis import Redis

from ._report import Result, print_alone

NAME = "store"
REDIS_URL = os.environ.get("ACTORKIT_REDIS_URL", "redis://127.0.0.1:6379/0")
CONCURRENCY = 16

Timed = Callable[[int], Awaitable[float]]
"""Does ``n`` operations and returns the seconds they took."""


async def _median(variants: dict[str, Timed], n: int, rounds: int) -> dict[str, float]:
    """Operations per second of each variant: warmed up, alternated, median of ``rounds``.

    The median, as the other measures take it: on a shared machine the best run says more
    about the neighbours than about the code.
    """
    names = list(variants)
    times: dict[str, list[float]] = {name: [] for name in names}
    for name in names:
        await variants[name](max(1, n // 10))
    for turn in range(rounds):
        for name in names[turn % len(names) :] + names[: turn % len(names)]:
            gc.collect()
            times[name].append(await variants[name](n))
    return {name: n / statistics.median(runs) for name, runs in times.items()}


async def _in_processes(
    node: actorkit.Node, make: Callable[[], actorkit.Command[Any]], n: int, workers: int
) -> float:
    """``n`` calls of ``make()`` split over ``workers`` processes; the wall time."""

    async def loop(proc: actorkit.Process, count: int) -> None:
        for _ in range(count):
            await proc.call(make())

    start = perf_counter()
    async with trio.open_nursery() as nursery:
        for _ in range(workers):
            nursery.start_soon(node.exec, loop, n // workers)
    return perf_counter() - start


async def _in_tasks(fn: Callable[[], Awaitable[object]], n: int, workers: int) -> float:
    """``n`` awaits of ``fn()`` split over ``workers`` tasks; the wall time."""

    async def loop(count: int) -> None:
        for _ in range(count):
            await fn()

    start = perf_counter()
    async with trio.open_nursery() as nursery:
        for _ in range(workers):
            nursery.start_soon(loop, n // workers)
    return perf_counter() - start


def _dict_variants() -> dict[str, Timed]:
    """The raw side for memory: a dict, and a dict with the JSON codec and a checkpoint."""
    table: dict[str, object] = {"k": 1}
    stored = json.JSONEncoder().encode(1).encode()
    decode = json.JSONDecoder().decode

    async def dict_get(n: int) -> float:
        start = perf_counter()
        for _ in range(n):
            table.get("k")
        return perf_counter() - start

    async def dict_set(n: int) -> float:
        start = perf_counter()
        for i in range(n):
            table["k"] = i
        return perf_counter() - start

    async def dict_json_checkpoint(n: int) -> float:
        start = perf_counter()
        for _ in range(n):
            decode(stored.decode())
            await trio.lowlevel.checkpoint()
        return perf_counter() - start

    return {"get": dict_get, "set": dict_set, "get_json": dict_json_checkpoint}


def _memory_variants(node: actorkit.Node) -> dict[str, dict[str, Timed]]:
    raw = _dict_variants()

    def get(n: int) -> Awaitable[float]:
        return _in_processes(node, lambda: store.Get("mem", "k"), n, 1)

    def set_(n: int) -> Awaitable[float]:
        return _in_processes(node, lambda: store.Set("mem", "k", 1), n, 1)

    return {
        "store_mem_get": {"actorkit": get, "raw": raw["get"]},
        "store_mem_set": {"actorkit": set_, "raw": raw["set"]},
        "store_mem_get_vs_json": {"actorkit": get, "raw": raw["get_json"]},
    }


def _redis_variants(
    node: actorkit.Node, client: Redis, raw_key: str
) -> dict[str, dict[str, Timed]]:
    def via_store(make: Callable[[], actorkit.Command[Any]], workers: int) -> Timed:
        return lambda n: _in_processes(node, make, n, workers)

    def via_client(fn: Callable[[], Awaitable[object]], workers: int) -> Timed:
        return lambda n: _in_tasks(fn, n, workers)

    async def raw_get() -> object:
        return await client.execute("GET", raw_key)

    async def raw_set() -> object:
        return await client.execute("SET", raw_key, b"1")

    def store_get() -> actorkit.Command[Any]:
        return store.Get("red", "k")

    def store_set() -> actorkit.Command[Any]:
        return store.Set("red", "k", 1)

    many = CONCURRENCY
    return {
        "store_redis_get": {"actorkit": via_store(store_get, 1), "raw": via_client(raw_get, 1)},
        "store_redis_set": {"actorkit": via_store(store_set, 1), "raw": via_client(raw_set, 1)},
        f"store_redis_get_x{many}": {
            "actorkit": via_store(store_get, many),
            "raw": via_client(raw_get, many),
        },
        f"store_redis_set_x{many}": {
            "actorkit": via_store(store_set, many),
            "raw": via_client(raw_set, many),
        },
    }


def _reachable(url: str) -> bool:
    rest = url.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]
    host, _, port = rest.rpartition(":")
    try:
        socket.create_connection((host or "127.0.0.1", int(port or 6379)), timeout=1.0).close()
    except OSError:
        return False
    return True


BASELINES = {
    "store_mem_get": "dict.get",
    "store_mem_set": "dict item assignment",
    "store_mem_get_vs_json": "dict value decoded from JSON, a checkpoint per operation",
    "store_redis": "actorkit.redis GET / SET awaited directly from tasks",
}


async def _rows(variants: dict[str, dict[str, Timed]], n: int, rounds: int) -> list[Result]:
    results: list[Result] = []
    for name, pair in variants.items():
        rates = await _median(pair, n, rounds)
        baseline = BASELINES.get(name) or BASELINES["store_redis"]
        results.append(Result.rate(name, rates["actorkit"], rates["raw"], None, baseline=baseline))
    return results


async def _measure(quick: bool) -> list[Result]:
    rounds = 3 if quick else 5
    prefix = f"actorkit-bench:{uuid.uuid4().hex}:"
    with_redis = _reachable(REDIS_URL)
    modules = [store.memory("mem")]
    if with_redis:
        modules.append(store.redis("red", REDIS_URL, prefix=prefix))
    async with actorkit.open_node(modules=modules, name="bench") as node:
        async with node.process() as proc:
            await proc.call(store.Set("mem", "k", 1))
        results = await _rows(_memory_variants(node), 20_000 if quick else 100_000, rounds)
        if with_redis:
            results += await _redis_rows(node, prefix, 320 if quick else 2_000, rounds)
    return results


async def _redis_rows(node: actorkit.Node, prefix: str, n: int, rounds: int) -> list[Result]:
    raw_key = prefix + "raw"
    async with Redis.open(REDIS_URL) as client:
        try:
            async with node.process() as proc:
                await proc.call(store.Set("red", "k", 1))
            await client.execute("SET", raw_key, b"1")
            return await _rows(_redis_variants(node, client, raw_key), n, rounds)
        finally:
            await _drop(client, prefix)


async def _drop(client: Redis, prefix: str) -> None:
    """Delete every key under ``prefix``."""
    cursor = b"0"
    while True:
        reply = await client.execute("SCAN", cursor, "MATCH", prefix + "*", "COUNT", 1000)
        assert isinstance(reply, list)
        after, keys = reply
        assert isinstance(after, bytes) and isinstance(keys, list)
        if keys:
            await client.execute("DEL", *[k for k in keys if isinstance(k, bytes)])
        if after == b"0":
            return
        cursor = after


def measure(quick: bool) -> list[Result]:
    """Store Get/Set per second, actorkit vs the raw client, on memory and Redis."""
    return trio.run(_measure, quick)


def main() -> None:
    """Print the store rows as a table."""
    print_alone("bench._store", __doc__, measure)


if __name__ == "__main__":
    main()
