"""The Redis backend, on :mod:`actorkit.redis` (Trio-native, hiredis's parser).

Layout under the store's ``prefix``: each key is a hash ``{prefix}k:{key}`` with fields
``v`` (the encoded value) and ``ver`` (its version); ``{prefix}version`` is the counter
that versions come from (INCR, so a version is never reused). Writes are Lua scripts, so
a conditional Put is atomic on the server; TTLs are PEXPIREs, kept by Redis itself.
List scans ``{prefix}k:{prefix you asked for}*`` with SCAN (it walks the whole keyspace
of the database, so keep big stores in a database of their own) and sorts the keys.
Concurrent calls share one connection (the client pipelines them).

Retries: reads (Get, Entry, Has, List) are retried twice on a lost connection, since
running them again changes nothing. Writes (Set, Put, Delete) never are: a write whose
connection drops after it was sent may have been applied, and running it again would
apply it twice (a compare-and-set would then see its own write and answer "conflict").
Such a write fails with :class:`OutcomeUnknownError`; one that was never sent fails with
:class:`StoreBackendError` (the dispatcher's wrapping of the client's error).
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TypeVar

import trio

from actorkit.redis import Redis, RedisConnectionError, RedisReplyError, Reply, Script

from ..commands import StoreInfo
from ..errors import OutcomeUnknownError, StoreBackendError
from .base import RawItem

T = TypeVar("T")

_PUT = """
local mode = ARGV[3]
if mode == 'absent' then
  if redis.call('EXISTS', KEYS[1]) == 1 then return false end
elseif mode == 'version' then
  if redis.call('HGET', KEYS[1], 'ver') ~= ARGV[4] then return false end
end
local ver = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'ver', ver)
if ARGV[2] == '' then
  redis.call('PERSIST', KEYS[1])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return ver
"""

_ENTRY = """
local got = redis.call('HMGET', KEYS[1], 'v', 'ver')
if not got[1] then return false end
return {got[1], got[2], redis.call('PTTL', KEYS[1])}
"""

_GLOB_SPECIALS = str.maketrans({c: "\\" + c for c in "*?[]\\"})
READ_RETRIES = 2
RETRY_DELAY = 0.01


class RedisBackend:
    """A store in Redis under ``prefix``; ``open`` runs the client in a service task."""

    def __init__(self, name: str, url: str, *, prefix: str) -> None:
        self.name = name
        self.url = url
        self.prefix = prefix
        self._keys = prefix + "k:"
        self._counter = prefix + "version"
        self._redis: Redis | None = None
        self._put: Script | None = None
        self._entry: Script | None = None
        self._scope: trio.CancelScope | None = None
        self._closed = trio.Event()

    async def open(self, nursery: trio.Nursery) -> None:
        """Connect (checked with a PING) and keep the client open in a task of ``nursery``.

        A checkpoint.

        Raises:
            StoreBackendError: the server could not be reached or refused the login or the
                PING; it names the store (and the address, without its password, when
                the connection failed), and the client's error is its ``__cause__``.
        """
        try:
            await nursery.start(self._serve)
        except RedisConnectionError as exc:
            raise StoreBackendError(f"store {self.name!r}: {exc}") from exc
        except RedisReplyError as exc:  # NOAUTH: a password the URL does not give
            raise StoreBackendError(f"store {self.name!r}: the server refused PING: {exc}") from exc

    async def _serve(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> None:
        try:
            with trio.CancelScope() as self._scope:
                async with Redis.open(self.url, name=f"actorkit-store-{self.name}") as redis:
                    await redis.execute("PING")
                    self._redis = redis
                    self._put, self._entry = redis.script(_PUT), redis.script(_ENTRY)
                    task_status.started()
                    await trio.sleep_forever()
        finally:
            self._closed.set()

    async def close(self) -> None:
        """Close every connection of the client. A checkpoint."""
        if self._scope is not None:
            self._scope.cancel()
            await self._closed.wait()

    async def sweep(self) -> None:
        """Nothing to do: Redis expires keys itself. A checkpoint."""
        await trio.lowlevel.checkpoint()

    def info(self) -> StoreInfo:
        """Versioned, conditional, with TTL and List; durable only as the server's persistence
        (AOF / RDB) makes it, so reported as not durable."""
        return StoreInfo(self.name, "redis", False, True, True, True, True, "linearizable")

    @property
    def _client(self) -> Redis:
        if self._redis is None:
            raise StoreBackendError(f"store {self.name!r}: the Redis client is not open")
        return self._redis

    async def _read(self, send: Callable[[], Awaitable[T]]) -> T:
        for _ in range(READ_RETRIES):
            try:
                return await send()
            except RedisConnectionError:
                await trio.sleep(RETRY_DELAY)  # the next call reconnects
        return await send()

    async def _write(self, key: str, send: Callable[[], Awaitable[T]]) -> T:
        try:
            return await send()
        except RedisConnectionError as exc:
            if not exc.sent:
                raise  # never sent: the dispatcher reports a StoreBackendError
            raise OutcomeUnknownError(self.name, key) from exc

    async def get(self, key: str) -> bytes | None:
        """The encoded value, or None. A checkpoint."""
        got = await self._read(lambda: self._client.execute("HGET", self._keys + key, "v"))
        return _bytes_or_none(got)

    async def entry(self, key: str) -> RawItem | None:
        """Value, version and seconds left, or None. A checkpoint."""
        script = self._entry
        assert script is not None
        got = await self._read(lambda: script(keys=[self._keys + key]))
        if not isinstance(got, list):
            return None
        data, version, pttl = got
        assert isinstance(data, bytes) and isinstance(version, bytes) and isinstance(pttl, int)
        return data, version.decode(), None if pttl < 0 else pttl / 1000

    async def has(self, key: str) -> bool:
        """True if the key is live. A checkpoint."""
        return await self._read(lambda: self._client.execute("EXISTS", self._keys + key)) == 1

    async def delete(self, key: str) -> bool:
        """Remove the key; True if it was live. A checkpoint; never retried."""
        gone = await self._write(key, lambda: self._client.execute("DEL", self._keys + key))
        return gone == 1

    async def put(
        self, key: str, data: bytes, ttl: float | None, absent: bool, version: str | None
    ) -> str | None:
        """Write if the condition holds (one Lua script); the new version or None.

        A checkpoint; never retried (see the module docstring).
        """
        script = self._put
        assert script is not None
        mode = "absent" if absent else ("version" if version is not None else "set")
        ms = "" if ttl is None else str(max(1, math.ceil(ttl * 1000)))
        args: list[bytes | str] = [data, ms, mode, version or ""]
        keys = [self._keys + key, self._counter]
        new = await self._write(key, lambda: script(keys=keys, args=args))
        return None if new is None else str(new)

    async def list(self, prefix: str, after: str | None, limit: int | None) -> list[str]:
        """Live keys with ``prefix`` greater than ``after``, sorted, at most ``limit``.

        A checkpoint (a SCAN of the database: one round trip per 1,000 keys).
        """
        match = (self._keys + prefix).translate(_GLOB_SPECIALS) + "*"
        keys: set[str] = set()
        cursor: bytes = b"0"
        while True:
            cursor, batch = await self._read(partial(_scan, self._client, cursor, match))
            keys.update(raw.decode()[len(self._keys) :] for raw in batch)
            if cursor == b"0":
                break
        found = sorted(k for k in keys if after is None or k > after)
        return found if limit is None else found[:limit]


async def _scan(client: Redis, cursor: bytes, match: str) -> tuple[bytes, list[bytes]]:
    """One SCAN step: the next cursor and the keys of this batch."""
    reply = await client.execute("SCAN", cursor, "MATCH", match, "COUNT", 1000)
    assert isinstance(reply, list)
    after, batch = reply
    assert isinstance(after, bytes) and isinstance(batch, list)
    return after, [raw for raw in batch if isinstance(raw, bytes)]


def _bytes_or_none(reply: Reply) -> bytes | None:
    assert reply is None or isinstance(reply, bytes)
    return reply
