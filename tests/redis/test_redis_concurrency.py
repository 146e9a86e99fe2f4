"""Many tasks share one connection; replies stay matched, also when callers are cancelled."""

from __future__ import annotations

import trio
import trio.testing

from actorkit.redis import Redis

from ._redis import client_names, prefix, r, redis_url

__all__ = ["prefix", "r"]


async def test_redis_hundred_tasks_share_one_connection(r: Redis, prefix: str) -> None:
    seen: dict[int, list[object]] = {}

    async def worker(n: int) -> None:
        got: list[object] = []
        for i in range(20):
            await r.execute("SET", f"{prefix}{n}", f"{n}:{i}")
            got.append(await r.execute("GET", f"{prefix}{n}"))
            got.extend(await r.pipeline([("INCR", f"{prefix}c{n}"), ("GET", f"{prefix}{n}")]))
        seen[n] = got

    async with trio.open_nursery() as nursery:
        for n in range(100):
            nursery.start_soon(worker, n)
    for n, got in seen.items():
        expected: list[object] = []
        for i in range(20):
            expected += [f"{n}:{i}".encode(), i + 1, f"{n}:{i}".encode()]
        assert got == expected
    assert len(seen) == 100
    name = await r.execute("CLIENT", "GETNAME")
    assert isinstance(name, bytes)
    assert (await client_names(r)).count(name) == 1


async def test_redis_cancelled_caller_keeps_replies_in_order(r: Redis, prefix: str) -> None:
    mine: list[object] = []
    cancelled = trio.CancelScope()

    async def doomed() -> None:
        with cancelled:
            await r.execute("BLPOP", prefix + "q", 0)  # holds the shared connection

    async def after() -> None:
        mine.append(await r.execute("SET", prefix + "b", "mine"))  # queued behind it

    async with Redis.open(redis_url()) as other, trio.open_nursery() as nursery:
        nursery.start_soon(doomed)
        await trio.testing.wait_all_tasks_blocked()
        cancelled.cancel()  # its BLPOP is sent: its reply must be read and dropped
        nursery.start_soon(after)
        await trio.testing.wait_all_tasks_blocked()
        assert mine == []
        assert await other.execute("RPUSH", prefix + "q", "popped") == 1
    assert cancelled.cancelled_caught
    assert mine == [b"OK"]  # not the BLPOP's reply
    assert await r.execute("LLEN", prefix + "q") == 0  # the cancelled BLPOP took it
    assert await r.execute("GET", prefix + "b") == b"mine"
