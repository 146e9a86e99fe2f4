"""Connecting: URLs (SELECT, AUTH), refused connects, names, and a connection lost mid-call."""

from __future__ import annotations

import pickle
import uuid

import pytest
import trio
import trio.testing

from actorkit.redis import (
    Redis,
    RedisArgumentError,
    RedisConnectionError,
    RedisError,
    RedisUrlError,
)

from ._redis import client_names, drop_keys, prefix, r, redis_url, until_gone

__all__ = ["prefix", "r"]


def _with_db(url: str, db: int) -> str:
    return url.rsplit("/", 1)[0] + f"/{db}" if url.count("/") > 2 else f"{url}/{db}"


async def test_redis_url_selects_the_database(r: Redis, prefix: str) -> None:
    url = _with_db(redis_url(), 7)
    try:
        async with Redis.open(url) as other:
            await other.execute("SET", prefix + "k", "in7")
            assert await other.execute("GET", prefix + "k") == b"in7"
        assert await r.execute("GET", prefix + "k") is None
        assert await r.pipeline([("SELECT", 7), ("GET", prefix + "k"), ("SELECT", 0)]) == [
            b"OK",
            b"in7",
            b"OK",
        ]
    finally:
        await drop_keys(url, prefix)


async def test_redis_url_logs_in_as_its_user(r: Redis) -> None:
    user, password = f"actorkit-test-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    await r.execute("ACL", "SETUSER", user, "on", f">{password}", "+@all", "~*", "&*")
    try:
        host = redis_url().split("://", 1)[1].rsplit("@", 1)[-1].split("/", 1)[0]
        async with Redis.open(f"redis://{user}:{password}@{host}/0") as mine:
            assert await mine.execute("ACL", "WHOAMI") == user.encode()
        with pytest.raises(RedisConnectionError) as caught:
            async with Redis.open(f"redis://{user}:wrong@{host}/0"):
                pass
        assert str(caught.value).startswith(f"cannot log in to redis://{user}:***@{host}/0: AUTH")
        assert "wrong" not in str(caught.value)
        assert caught.value.sent is False
    finally:
        await r.execute("ACL", "DELUSER", user)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:6379/0", "the scheme must be redis:// or unix://"),
        ("redis://127.0.0.1:port/0", "Port could not be cast"),
        ("redis://127.0.0.1:6379/zero", "the database must be a number, got 'zero'"),
        ("redis:///0", "no host"),
        ("unix://", "no socket path"),
    ],
)
async def test_redis_bad_url_is_a_clear_error(url: str, why: str) -> None:
    with pytest.raises(RedisUrlError, match=why) as caught:
        async with Redis.open(url):
            pass
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, RedisError)


async def test_redis_refused_connect_names_the_url() -> None:
    with pytest.raises(RedisConnectionError) as caught:
        async with Redis.open("redis://user:secret@127.0.0.1:1/0"):
            pass
    assert str(caught.value).startswith("cannot connect to redis://user:***@127.0.0.1:1/0: ")
    assert caught.value.sent is False


async def test_redis_closing_the_client_closes_its_connections(r: Redis) -> None:
    name = f"closing-{uuid.uuid4().hex[:8]}"
    async with Redis.open(redis_url(), name=name) as mine:
        async with mine.dedicated() as conn:
            await conn.execute("PING")
        assert (await client_names(r)).count(name.encode()) == 2  # shared + pooled dedicated
    await until_gone(r, name.encode())


async def test_redis_connection_lost_mid_call_fails_sent_and_reconnects(
    r: Redis, prefix: str
) -> None:
    my_id = await r.execute("CLIENT", "ID")
    assert isinstance(my_id, int)
    failures: list[RedisConnectionError] = []

    async def blocked() -> None:
        with pytest.raises(RedisConnectionError) as caught:
            await r.execute("BLPOP", prefix + "never", 0)
        failures.append(caught.value)

    async with Redis.open(redis_url()) as admin, trio.open_nursery() as nursery:
        nursery.start_soon(blocked)
        nursery.start_soon(blocked)
        await trio.testing.wait_all_tasks_blocked()
        assert await admin.execute("CLIENT", "KILL", "ID", my_id) == 1
    assert [f.sent for f in failures] == [True, True]
    assert "lost the connection" in str(failures[0])
    assert await r.execute("SET", prefix + "after", 1) == b"OK"  # a new connection
    assert await r.execute("CLIENT", "ID") != my_id


async def test_redis_unix_socket_url_names_the_path() -> None:
    with pytest.raises(RedisConnectionError) as caught:
        async with Redis.open("unix:///nonexistent/redis.sock?db=2&password=secret"):
            pass
    assert str(caught.value) == (
        "cannot connect to unix:///nonexistent/redis.sock?db=2&password=***: "
        "No such file or directory"
    )


@pytest.mark.parametrize("name", ["", "two words", 3])
async def test_redis_bad_client_name_is_refused(name: object) -> None:
    with pytest.raises(RedisArgumentError, match="name must be a str without spaces"):
        async with Redis.open(redis_url(), name=name):  # type: ignore[arg-type]
            pass


def test_redis_connection_error_pickles_with_sent() -> None:
    error = pickle.loads(pickle.dumps(RedisConnectionError("lost", sent=True)))
    assert (str(error), error.sent) == ("lost", True)
