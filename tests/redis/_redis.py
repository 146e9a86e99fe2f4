"""The test server and a fresh key prefix per test, emptied after it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import trio

from actorkit.redis import Redis
from actorkit.testing import require_service


def redis_url() -> str:
    """The test Redis server (``ACTORKIT_REDIS_URL``), or skip."""
    return require_service("Redis", "ACTORKIT_REDIS_URL", "redis://127.0.0.1:6379/0")


async def drop_keys(url: str, prefix: str) -> None:
    """Delete every key under ``prefix`` in the database of ``url``."""
    async with Redis.open(url) as r:
        cursor = b"0"
        while True:
            reply = await r.execute("SCAN", cursor, "MATCH", prefix + "*", "COUNT", 1000)
            assert isinstance(reply, list)
            next_cursor, keys = reply
            assert isinstance(next_cursor, bytes)
            assert isinstance(keys, list)
            cursor = next_cursor
            if keys:
                await r.execute("DEL", *[k for k in keys if isinstance(k, bytes)])
            if cursor == b"0":
                return


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    """A key prefix of this test's own, emptied at its end."""
    where = f"actorkit-test:{uuid.uuid4().hex}:"
    yield where
    await drop_keys(redis_url(), where)


@pytest.fixture
async def r() -> AsyncIterator[Redis]:
    """A client on the test server."""
    async with Redis.open(redis_url(), name=f"test-{uuid.uuid4().hex[:8]}") as client:
        yield client


async def client_names(r: Redis) -> list[bytes]:
    """The names of the server's client connections."""
    listing = await r.execute("CLIENT", "LIST")
    assert isinstance(listing, bytes)
    return [
        field.removeprefix(b"name=")
        for line in listing.splitlines()
        for field in line.split()
        if field.startswith(b"name=")
    ]


async def until_gone(r: Redis, name: bytes) -> None:
    """Wait until the server has dropped every connection called ``name`` (a closed socket
    reaches the server a moment after the client closed it)."""
    with trio.fail_after(10):
        while True:
            if name not in await client_names(r):
                return
            await trio.sleep(0.01)  # the server's state: nothing to wait on but polling
