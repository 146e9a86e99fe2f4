"""Redis GET per second: actorkit.redis vs a raw Trio socket feeding hiredis's parser (the
same mechanism with nothing around it), with coredis as a peer, in one run.

The raw side packs each command with ``hiredis.pack_command``, writes it with
``SocketStream.send_all`` and parses with ``hiredis.Reader``: what any Trio program asking
Redis the same thing does at least. Rows: sequential GET from one task; GETs pipelined 100
to a round trip; GET from 16 tasks at once (actorkit multiplexes them on one connection;
the raw side is still one caller, as a raw socket cannot be shared without the machinery
measured). Left out when no server answers at ``ACTORKIT_REDIS_URL`` (default
``redis://127.0.0.1:6379/0``).

Run ``python -m bench._redis [--quick]``.
"""

from __future__ import annotations

import gc
import os
import statistics
import uuid
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from time import perf_counter
from typing import cast

import coredis
import hiredis
import trio

from actorkit.redis import Redis

from ._report import Result, print_alone

NAME = "redis"
REDIS_URL = os.environ.get("ACTORKIT_REDIS_URL", "redis://127.0.0.1:6379/0")
BATCH = 100
TASKS = 16

Timed = Callable[[int], Awaitable[float]]
"""Does ``n`` GETs and returns the seconds they took."""


class RawSocket:
    """A Trio socket stream and a hiredis reader: a request written, its replies parsed."""

    def __init__(self, stream: trio.SocketStream) -> None:
        self.stream = stream
        self.reader = hiredis.Reader()

    async def round_trip(self, data: bytes, want: int) -> None:
        await self.stream.send_all(data)
        got = 0
        while got < want:
            reply = self.reader.gets()
            if reply is False:
                self.reader.feed(await self.stream.receive_some(1 << 16))
            else:
                got += 1


async def _median(variants: dict[str, Timed], n: int, rounds: int) -> dict[str, float]:
    """GETs per second of each variant: warmed up, alternated, median of ``rounds``."""
    names = list(variants)
    times: dict[str, list[float]] = {name: [] for name in names}
    for name in names:
        await variants[name](max(BATCH, n // 10))
    for turn in range(rounds):
        for name in names[turn % len(names) :] + names[: turn % len(names)]:
            gc.collect()
            times[name].append(await variants[name](n))
    return {name: n / statistics.median(runs) for name, runs in times.items()}


def _timed(step: Callable[[], Awaitable[object]], per_step: int, tasks: int = 1) -> Timed:
    """``n`` GETs as ``n / per_step`` awaits of ``step()``, split over ``tasks`` tasks."""

    async def loop(count: int) -> None:
        for _ in range(count):
            await step()

    async def run(n: int) -> float:
        steps = n // per_step // tasks
        start = perf_counter()
        async with trio.open_nursery() as nursery:
            for _ in range(tasks):
                nursery.start_soon(loop, steps)
        return perf_counter() - start

    return run


def _ours(r: Redis, key: str) -> dict[str, Timed]:
    batch = [("GET", key)] * BATCH
    return {
        "get": _timed(lambda: r.execute("GET", key), 1),
        "pipelined": _timed(lambda: r.pipeline(batch), BATCH),
        "tasks": _timed(lambda: r.execute("GET", key), 1, TASKS),
    }


# hiredis's stub types the tuple as a 1-tuple: any number of arguments is what it takes.
_pack = cast("Callable[[tuple[str, ...]], bytes]", hiredis.pack_command)  # pyright: ignore[reportUnknownMemberType]


def _raw(sock: RawSocket, key: str) -> dict[str, Timed]:
    """The same work by hand: each command packed by hiredis, written, its replies parsed."""
    one = ("GET", key)
    batch = [one] * BATCH

    async def get() -> None:
        await sock.round_trip(_pack(one), 1)

    async def pipelined() -> None:
        await sock.round_trip(b"".join([_pack(c) for c in batch]), BATCH)

    return {"get": _timed(get, 1), "pipelined": _timed(pipelined, BATCH)}


def _coredis(client: coredis.Redis[bytes], key: str) -> dict[str, Timed]:
    async def pipelined() -> None:
        async with client.pipeline(transaction=False) as pipe:
            replies = [pipe.get(key) for _ in range(BATCH)]
        for reply in replies:
            await reply

    return {
        "get": _timed(lambda: client.get(key), 1),
        "pipelined": _timed(pipelined, BATCH),
        "tasks": _timed(lambda: client.get(key), 1, TASKS),
    }


@asynccontextmanager
async def _sides(key: str) -> AsyncGenerator[dict[str, dict[str, Timed]], None]:
    """Each side's timed variants, on connections open for the block."""
    async with AsyncExitStack() as stack:
        r = await stack.enter_async_context(Redis.open(REDIS_URL))
        await r.execute("SET", key, b"x" * 16)
        host, port = _host_port(REDIS_URL)
        stream = await trio.open_tcp_stream(host, port)
        stack.push_async_callback(stream.aclose)
        client: coredis.Redis[bytes] = coredis.Redis.from_url(REDIS_URL)
        await stack.enter_async_context(client)
        try:
            yield {"actorkit": _ours(r, key), "raw": _raw(RawSocket(stream), key),
                   "coredis": _coredis(client, key)}  # fmt: skip
        finally:
            await r.execute("DEL", key)


def _host_port(url: str) -> tuple[str, int]:
    rest = url.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]
    host, _, port = rest.rpartition(":")
    return host or "127.0.0.1", int(port or 6379)


ROWS = {
    "redis_get": ("get", "get", "a raw Trio socket + hiredis parser, one GET per round trip"),
    "redis_get_pipelined": (
        "pipelined", "pipelined", f"a raw Trio socket + hiredis parser, {BATCH} GETs per write",
    ),
    f"redis_get_x{TASKS}": (
        "tasks", "get", f"{TASKS} tasks on one connection vs a raw socket with one caller",
    ),
}  # fmt: skip


async def _measure(quick: bool) -> list[Result]:
    rounds = 3 if quick else 5
    n = 2_000 if quick else 20_000
    results: list[Result] = []
    async with _sides(f"actorkit-bench:{uuid.uuid4().hex}:k") as sides:
        for name, (ours, raw, baseline) in ROWS.items():
            rates = await _median(
                {"actorkit": sides["actorkit"][ours], "raw": sides["raw"][raw],
                 "coredis": sides["coredis"][ours]}, n, rounds,
            )  # fmt: skip
            results.append(
                Result.rate(name, rates["actorkit"], rates["raw"], None, baseline=baseline)
            )
            peer = f"the same calls ({ours})"
            results.append(
                Result.rate(
                    name, rates["actorkit"], rates["coredis"], None, baseline=peer, peer="coredis"
                )
            )
    return results


def _reachable() -> bool:
    try:
        trio.run(_ping)
    except OSError:
        return False
    return True


async def _ping() -> None:
    stream = await trio.open_tcp_stream(*_host_port(REDIS_URL))
    await stream.aclose()


def measure(quick: bool) -> list[Result]:
    """GET per second: actorkit.redis vs a raw socket + hiredis, and vs coredis."""
    return trio.run(_measure, quick) if _reachable() else []


def main() -> None:
    """Print the Redis rows as a table."""
    print_alone("bench._redis", __doc__, measure)


if __name__ == "__main__":
    main()
