"""Lua scripts: EVALSHA, and EVAL when the server does not know the script."""

from __future__ import annotations

import uuid

import pytest

from actorkit.redis import Redis, RedisReplyError

from ._redis import prefix, r

__all__ = ["prefix", "r"]

_SWAP = "local old = redis.call('GET', KEYS[1]); redis.call('SET', KEYS[1], ARGV[1]); return old"


def _fresh(source: str) -> str:
    """``source`` with a comment of its own: a script no server has seen yet."""
    return f"-- {uuid.uuid4().hex}\n{source}"


async def test_redis_script_falls_back_to_eval_for_a_script_the_server_lacks(
    r: Redis, prefix: str
) -> None:
    swap = r.script(_fresh(_SWAP))  # never loaded: no SCRIPT FLUSH, which every client sees
    assert await swap(keys=[prefix + "k"], args=["one"]) is None  # NOSCRIPT, then EVAL
    assert await swap(keys=[prefix + "k"], args=[2]) == b"one"
    assert await r.execute("GET", prefix + "k") == b"2"


async def test_redis_script_error_is_raised(r: Redis, prefix: str) -> None:
    broken = r.script("return redis.call('NOSUCHCOMMAND')")
    with pytest.raises(RedisReplyError, match="Unknown Redis command"):
        await broken()


async def test_redis_script_runs_on_a_dedicated_connection(r: Redis, prefix: str) -> None:
    swap = r.script(_SWAP)
    async with r.dedicated() as conn:
        assert await swap(keys=[prefix + "k"], args=["x"], on=conn) is None
        assert await conn.execute("GET", prefix + "k") == b"x"


async def test_redis_script_in_a_pipeline_after_a_load(r: Redis, prefix: str) -> None:
    swap = r.script(_fresh(_SWAP))
    flushed = await r.pipeline([swap.command(keys=[prefix + "k"], args=["a"])])
    assert isinstance(flushed[0], RedisReplyError)
    assert flushed[0].code == "NOSCRIPT"
    await swap.load()
    replies = await r.pipeline(
        [swap.command(keys=[prefix + "k"], args=[n]) for n in ("a", "b", "c")]
    )
    assert replies == [None, b"a", b"b"]
