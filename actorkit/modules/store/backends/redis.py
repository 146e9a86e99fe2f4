"""The Redis backend (coredis, which runs natively on Trio).

Layout under the store's ``prefix``: each key is a hash ``{prefix}k:{key}`` with fields
``v`` (the encoded value) and ``ver`` (its version); ``{prefix}version`` is the counter
that versions come from (INCR, so a version is never reused). Writes are Lua scripts, so
a conditional Put is atomic on the server; TTLs are PEXPIREs, kept by Redis itself.
List scans ``{prefix}k:{prefix you asked for}*`` with SCAN (it walks the whole keyspace
of the database, so keep big stores in a database of their own) and sorts the keys.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Any

import coredis
import trio

from ..commands import StoreInfo
from .base import RawItem

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

_Script = Callable[..., Awaitable[Any]]
_GLOB_SPECIALS = str.maketrans({c: "\\" + c for c in "*?[]\\"})


class RedisBackend:
    """A store in Redis under ``prefix``; ``open`` runs the client in a service task."""

    def __init__(self, name: str, url: str, *, prefix: str) -> None:
        self.name = name
        self.url = url
        self.prefix = prefix
        self._keys = prefix + "k:"
        self._counter = prefix + "version"
        self._client: coredis.Redis[bytes] = coredis.Redis.from_url(
            url, decode_responses=False, client_name=f"actorkit-store-{name}"
        )
        self._put: _Script = self._client.register_script(_PUT)
        self._entry: _Script = self._client.register_script(_ENTRY)
        self._scope: trio.CancelScope | None = None
        self._closed = trio.Event()

    async def open(self, nursery: trio.Nursery) -> None:
        """Connect (checked with a PING) and keep the client open in a task of ``nursery``.

        A checkpoint. Raises what connecting raised.
        """
        await nursery.start(self._serve)

    async def _serve(
        self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
    ) -> None:
        try:
            with trio.CancelScope() as self._scope:
                async with self._client:
                    await self._client.ping()
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

    async def get(self, key: str) -> bytes | None:
        """The encoded value, or None. A checkpoint."""
        return await self._client.hget(self._keys + key, "v")

    async def entry(self, key: str) -> RawItem | None:
        """Value, version and seconds left, or None. A checkpoint."""
        got: Any = await self._entry(keys=[self._keys + key])
        if got is None:
            return None
        data, version, pttl = got
        return bytes(data), bytes(version).decode(), None if pttl < 0 else pttl / 1000

    async def has(self, key: str) -> bool:
        """True if the key is live. A checkpoint."""
        return await self._client.exists([self._keys + key]) == 1

    async def delete(self, key: str) -> bool:
        """Remove the key; True if it was live. A checkpoint."""
        return await self._client.delete([self._keys + key]) == 1

    async def put(
        self, key: str, data: bytes, ttl: float | None, absent: bool, version: str | None
    ) -> str | None:
        """Write if the condition holds (one Lua script); the new version or None.

        A checkpoint.
        """
        mode = "absent" if absent else ("version" if version is not None else "set")
        ms = "" if ttl is None else str(max(1, math.ceil(ttl * 1000)))
        args: list[bytes | str] = [data, ms, mode, version or ""]
        new: Any = await self._put(keys=[self._keys + key, self._counter], args=args)
        return None if new is None else str(new)

    async def list(self, prefix: str, after: str | None, limit: int | None) -> list[str]:
        """Live keys with ``prefix`` greater than ``after``, sorted, at most ``limit``.

        A checkpoint (a SCAN of the database: one round trip per 1,000 keys).
        """
        match = (self._keys + prefix).translate(_GLOB_SPECIALS) + "*"
        skip = len(self._keys)
        keys: set[str] = set()
        cursor: int | None = None
        while cursor != 0:
            cursor, batch = await self._client.scan(cursor=cursor, match=match, count=1000)
            keys.update(raw.decode()[skip:] for raw in batch)
        found = sorted(k for k in keys if after is None or k > after)
        return found if limit is None else found[:limit]
