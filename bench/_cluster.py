"""Distribution: cross-node messages through Redis, and ``--nodes 2`` on a CPU-bound job.

- **round trips**: a process on node ``a`` pings an echo process on node ``b`` (two nodes
  of one cluster in this Trio run, on the local Redis), one outstanding; beside it, the
  same ping-pong done raw in this run: two tasks, each pushing msgpack frames with
  ``RPUSH`` to the other's list and waiting with ``BLMPOP``, on :mod:`actorkit.redis`
  (the cluster's own client: the same mechanism without actorkit) and on coredis (peer).
- **one-way**: ``a`` sends messages to a counting process on ``b``; beside it, a raw
  producer pushing 64 msgpack frames per ``RPUSH`` to a raw ``BLMPOP`` consumer.
- **--nodes 2**: ``actorkit run examples/20_cluster.py --nodes 2`` vs ``--nodes 1`` on the
  same CPU-bound jobs: jobs per second, each run's time less that of the same command with
  no jobs (Python start-up, the worker joining, shutdown).

Rows are left out when no Redis answers at ``ACTORKIT_REDIS_URL``. Run
``python -m bench._cluster [--quick]``.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from time import perf_counter

import msgspec
import trio

from actorkit import PID, Node, Process, open_node
from actorkit.modules import cluster
from actorkit.redis import Redis, Reply

from ._report import Result, print_alone

NAME = "cluster"
REDIS_URL = os.environ.get("ACTORKIT_REDIS_URL", "redis://127.0.0.1:6379/0")
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "20_cluster.py"
BATCH = 64


async def _echo(proc: Process) -> None:
    async for msg in proc.messages():
        if msg.sender is not None:
            await proc.send(msg.sender, "pong", msg.payload)


async def _count(proc: Process, n: int, report: PID) -> None:
    for _ in range(n):
        await proc.receive()
    await proc.send(report, "counted", n)


async def _actorkit_round_trips(a: Node, b: Node, n: int) -> float:
    target = b.spawn(_echo)
    async with a.process() as proc:
        start = perf_counter()
        for i in range(n):
            await proc.send(target, "ping", i)
            await proc.receive("pong")
        return perf_counter() - start


async def _actorkit_one_way(a: Node, b: Node, n: int) -> float:
    async with a.process() as proc:
        target = b.spawn(_count, n, proc.pid)
        start = perf_counter()
        for i in range(n):
            await proc.send(target, "m", i)
        await proc.receive("counted")
        return perf_counter() - start


def _popped(reply: Reply) -> list[bytes]:
    """The elements a ``BLMPOP`` reply carries."""
    assert isinstance(reply, list)
    items = reply[1]
    assert isinstance(items, list)
    return [item for item in items if isinstance(item, bytes)]


async def _raw_round_trips(n: int) -> float:
    keys = [f"bench:{uuid.uuid4().hex}:{side}" for side in ("a", "b")]
    encode, decode = msgspec.msgpack.encode, msgspec.msgpack.decode
    async with Redis.open(REDIS_URL) as r, r.dedicated() as wait_a, r.dedicated() as wait_b:

        async def echo() -> None:
            for _ in range(n):
                got = await wait_b.execute("BLMPOP", 0, 1, keys[1], "LEFT", "COUNT", BATCH)
                for frame in _popped(got):
                    await r.execute("RPUSH", keys[0], encode([0, "pong", decode(frame)[2]]))

        async with trio.open_nursery() as nursery:
            nursery.start_soon(echo)
            start = perf_counter()
            for i in range(n):
                await r.execute("RPUSH", keys[1], encode([0, "ping", i]))
                await wait_a.execute("BLMPOP", 0, 1, keys[0], "LEFT", "COUNT", BATCH)
            return perf_counter() - start


async def _coredis_round_trips(n: int) -> float:
    import coredis  # noqa: PLC0415 (the bench extra)

    keys = [f"bench:{uuid.uuid4().hex}:{side}" for side in ("a", "b")]
    a: coredis.Redis[bytes] = coredis.Redis.from_url(REDIS_URL)
    b: coredis.Redis[bytes] = coredis.Redis.from_url(REDIS_URL)
    async with a, b:

        async def echo() -> None:
            for _ in range(n):
                got = await b.blpop([keys[1]], timeout=0)
                assert got is not None
                await b.rpush(keys[0], [got[1]])

        async with trio.open_nursery() as nursery:
            nursery.start_soon(echo)
            start = perf_counter()
            for i in range(n):
                await a.rpush(keys[1], [msgspec.msgpack.encode([0, "ping", i])])
                await a.blpop([keys[0]], timeout=0)
            return perf_counter() - start


async def _raw_one_way(n: int) -> float:
    key = f"bench:{uuid.uuid4().hex}"
    encode, decode = msgspec.msgpack.encode, msgspec.msgpack.decode
    async with Redis.open(REDIS_URL) as r, r.dedicated() as consumer:

        async def consume() -> None:
            seen = 0
            while seen < n:
                got = await consumer.execute("BLMPOP", 0, 1, key, "LEFT", "COUNT", BATCH)
                for blob in _popped(got):
                    seen += len(decode(blob))

        start = perf_counter()
        async with trio.open_nursery() as nursery:
            nursery.start_soon(consume)
            for i in range(0, n, BATCH):
                frames = [[0, "m", j] for j in range(i, min(n, i + BATCH))]
                await r.execute("RPUSH", key, encode(frames))
        return perf_counter() - start


async def _median(run: Callable[[int], Awaitable[float]], n: int, rounds: int) -> float:
    await run(max(1, n // 10))
    return n / statistics.median([await run(n) for _ in range(rounds)])


async def _messaging(quick: bool) -> list[Result]:
    n, rounds = (300, 3) if quick else (3000, 5)
    name = f"bench-{uuid.uuid4().hex[:8]}"
    comps = [cluster.module(REDIS_URL, cluster=name) for _ in range(2)]
    async with (
        open_node(name="a", modules=[comps[0]]) as a,
        open_node(name="b", modules=[comps[1]]) as b,
    ):
        await cluster.wait_nodes(a, 2)
        ours_rt = await _median(lambda k: _actorkit_round_trips(a, b, k), n, rounds)
        ours_ow = await _median(lambda k: _actorkit_one_way(a, b, k), n * 10, rounds)
    raw_rt = await _median(_raw_round_trips, n, rounds)
    peer_rt = await _median(_coredis_round_trips, n, rounds)
    raw_ow = await _median(_raw_one_way, n * 10, rounds)
    baseline = "RPUSH + BLMPOP ping-pong, two tasks, actorkit.redis"
    return [
        Result.rate("cluster_round_trip", ours_rt, raw_rt, None, baseline=baseline),
        Result.rate(
            "cluster_round_trip", ours_rt, peer_rt, None, baseline="RPUSH + BLPOP", peer="coredis"
        ),
        Result.rate(
            "cluster_one_way",
            ours_ow,
            raw_ow,
            None,
            baseline=f"RPUSH of {BATCH} msgpack frames + BLMPOP, actorkit.redis",
        ),
    ]


def _run_time(nodes: int, jobs: int, size: int) -> float:
    """Seconds of one whole ``actorkit run --nodes`` of the example (start-up included)."""
    args = [sys.executable, "-m", "actorkit", "run", f"{EXAMPLE}:main", "--nodes", str(nodes)]
    args += ["--log-level", "warning", "--", str(jobs), str(size)]
    start = perf_counter()
    subprocess.run(args, check=True, capture_output=True, timeout=600)
    return perf_counter() - start


def _jobs_rate(nodes: int, jobs: int, size: int, rounds: int) -> float:
    """Jobs per second on ``nodes`` nodes: a run's time less that of a run with no jobs
    (start-up, joining, shutdown), medians of ``rounds`` each."""
    idle = statistics.median(_run_time(nodes, 0, size) for _ in range(rounds))
    busy = statistics.median(_run_time(nodes, jobs, size) for _ in range(rounds))
    return jobs / max(busy - idle, 1e-3)


def _cpu_bound(quick: bool) -> list[Result]:
    jobs, size, rounds = (8, 300_000, 1) if quick else (32, 2_000_000, 3)
    one = _jobs_rate(1, jobs, size, rounds)
    two = _jobs_rate(2, jobs, size, rounds)
    baseline = "the same jobs on --nodes 1 (jobs/s, start-up subtracted)"
    return [Result.rate("nodes_2_cpu_bound", two, one, None, baseline=baseline)]


def _redis_up() -> bool:
    rest = REDIS_URL.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]
    host, _, port = rest.rpartition(":")
    try:
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=1.0).close()
    except OSError:
        return False
    return True


def measure(quick: bool) -> list[Result]:
    """Cross-node messages vs raw Redis, and --nodes 2 vs one node, if Redis answers."""
    if not _redis_up():
        return []
    return [*trio.run(_messaging, quick), *_cpu_bound(quick)]


def main() -> None:
    """Print the cluster rows as a table."""
    print_alone("bench._cluster", __doc__, measure)


if __name__ == "__main__":
    main()
