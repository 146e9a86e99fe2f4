"""Dedicated connections: blocking commands, cancellation closes them, clean ones are reused."""

from __future__ import annotations

import trio
import trio.testing

from actorkit.redis import Redis

from ._redis import client_names, prefix, r

__all__ = ["prefix", "r"]


async def _gone(r: Redis, client_id: object) -> None:
    """Wait until the server has dropped the connection ``client_id``."""
    with trio.fail_after(10):
        while True:
            listing = await r.execute("CLIENT", "LIST")
            assert isinstance(listing, bytes)
            if f"id={client_id} ".encode() not in listing:
                return
            await trio.sleep(0.01)  # the server's state: nothing to wait on but polling


async def test_redis_dedicated_blpop_gets_a_push(r: Redis, prefix: str) -> None:
    got: list[object] = []

    async def pop() -> None:
        async with r.dedicated() as conn:
            got.append(await conn.execute("BLPOP", prefix + "q", 0))

    async with trio.open_nursery() as nursery:
        nursery.start_soon(pop)
        await trio.testing.wait_all_tasks_blocked()
        assert await r.execute("RPUSH", prefix + "q", "job") == 1
    assert got == [[(prefix + "q").encode(), b"job"]]


async def test_redis_dedicated_cancelled_blpop_closes_the_connection(r: Redis, prefix: str) -> None:
    async with r.dedicated() as conn:
        first = await conn.execute("CLIENT", "ID")
        with trio.move_on_after(5) as scope:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(conn.execute, "BLPOP", prefix + "q", 0)
                await trio.testing.wait_all_tasks_blocked()
                nursery.cancel_scope.cancel()
        assert not scope.cancelled_caught
        await _gone(r, first)
        assert await r.execute("RPUSH", prefix + "q", "kept") == 1
        assert await conn.execute("CLIENT", "ID") != first  # the next call reconnects
    assert await r.execute("LRANGE", prefix + "q", 0, -1) == [b"kept"]  # nobody popped it


async def test_redis_dedicated_connection_is_reused_when_clean(r: Redis) -> None:
    async with r.dedicated() as conn:
        first = await conn.execute("CLIENT", "ID")
    async with r.dedicated() as conn:
        assert await conn.execute("CLIENT", "ID") == first
    name = await r.execute("CLIENT", "GETNAME")
    assert isinstance(name, bytes)
    assert (await client_names(r)).count(name) == 2
