"""Pub/sub: messages of channels and patterns, subscribing and unsubscribing on the way."""

from __future__ import annotations

import pytest

from actorkit.redis import Redis, RedisArgumentError, RedisConnectionError

from ._redis import prefix, r

__all__ = ["prefix", "r"]


async def test_redis_subscription_receives_in_order(r: Redis, prefix: str) -> None:
    one, two = prefix + "one", prefix + "two"
    async with r.subscribe(one) as sub:
        assert await r.execute("PUBLISH", one, "a") == 1
        await sub.subscribe(two)
        assert await r.execute("PUBLISH", two, b"\x00b") == 1
        await sub.unsubscribe(one)
        assert await r.execute("PUBLISH", one, "lost") == 0
        assert await r.execute("PUBLISH", two, 3) == 1
        got = [await anext(sub) for _ in range(3)]
    assert got == [(one.encode(), b"a"), (two.encode(), b"\x00b"), (two.encode(), b"3")]


async def test_redis_subscription_by_pattern(r: Redis, prefix: str) -> None:
    async with r.subscribe() as sub:
        await sub.psubscribe(prefix + "news.*")
        assert await r.execute("PUBLISH", prefix + "news.tech", "x") == 1
        async for channel, data in sub:
            assert (channel, data) == ((prefix + "news.tech").encode(), b"x")
            break
        await sub.punsubscribe(prefix + "news.*")
        assert await r.execute("PUBLISH", prefix + "news.tech", "y") == 0


async def test_redis_subscription_needs_names_and_ends_when_closed(r: Redis, prefix: str) -> None:
    async with r.subscribe(prefix + "c") as sub:
        with pytest.raises(RedisArgumentError, match="SUBSCRIBE needs at least one name"):
            await sub.subscribe()
        sub.close()
        with pytest.raises(RedisConnectionError, match="the subscription was closed"):
            await anext(sub)
