"""execute and pipeline: arguments, the reply types, error replies, bad arguments."""

from __future__ import annotations

import pytest

from actorkit.redis import Redis, RedisArgumentError, RedisReplyError

from ._redis import prefix, r

__all__ = ["prefix", "r"]


async def test_redis_execute_replies_with_bytes_ints_none_and_lists(r: Redis, prefix: str) -> None:
    assert await r.execute("SET", prefix + "s", "héllo") == b"OK"
    assert await r.execute("GET", prefix + "s") == "héllo".encode()
    assert await r.execute("SET", prefix + "n", 41) == b"OK"
    assert await r.execute("INCR", prefix + "n") == 42
    assert await r.execute("SET", prefix + "f", 2.5) == b"OK"
    assert await r.execute(b"GET", prefix.encode() + b"f") == b"2.5"
    assert await r.execute("GET", prefix + "missing") is None
    assert await r.execute("RPUSH", prefix + "l", b"\x00\xff", 7) == 2
    assert await r.execute("LRANGE", prefix + "l", 0, -1) == [b"\x00\xff", b"7"]
    assert await r.execute("PING") == b"PONG"


async def test_redis_error_reply_is_raised_with_its_message(r: Redis, prefix: str) -> None:
    await r.execute("RPUSH", prefix + "l", 1)
    with pytest.raises(RedisReplyError) as caught:
        await r.execute("GET", prefix + "l")
    assert caught.value.code == "WRONGTYPE"
    assert caught.value.message.startswith("WRONGTYPE Operation against a key")
    assert await r.execute("LLEN", prefix + "l") == 1  # the connection goes on


@pytest.mark.parametrize("bad", [None, True, [1], {"a": 1}, bytearray(b"x")])
async def test_redis_bad_argument_names_the_command_and_position(r: Redis, bad: object) -> None:
    with pytest.raises(RedisArgumentError, match=r"Redis command SET: argument 2 must be str"):
        await r.execute("SET", "k", bad)  # type: ignore[arg-type]
    with pytest.raises(RedisArgumentError, match="at least its name"):
        await r.execute()
    assert await r.execute("PING") == b"PONG"


async def test_redis_pipeline_keeps_error_replies_in_place(r: Redis, prefix: str) -> None:
    replies = await r.pipeline(
        [
            ("SET", prefix + "a", 1),
            ("LPUSH", prefix + "a", 2),
            ("INCR", prefix + "a"),
            ["GET", prefix + "a"],
        ]
    )
    assert replies[0] == b"OK"
    assert isinstance(replies[1], RedisReplyError)
    assert replies[1].code == "WRONGTYPE"
    assert replies[2:] == [2, b"2"]


async def test_redis_pipeline_of_nothing_is_empty(r: Redis) -> None:
    assert await r.pipeline([]) == []


async def test_redis_pipeline_with_a_bad_argument_sends_nothing(r: Redis, prefix: str) -> None:
    with pytest.raises(RedisArgumentError, match="Redis command SET: argument 2"):
        await r.pipeline([("SET", prefix + "a", 1), ("SET", prefix + "b", None)])  # type: ignore[list-item]
    assert await r.execute("EXISTS", prefix + "a") == 0
