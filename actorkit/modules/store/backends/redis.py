"""The Redis backend (coredis, which runs natively on Trio).

Layout under the store's ``prefix``: each key is a hash ``{prefix}k:{key}`` with fields
``v`` (the encoded value) and ``ver`` (its version); ``{prefix}version`` is the counter
that versions come from (INCR, so a version is never reused). Writes are Lua scripts, so
a conditional Put is atomic on the server; TTLs are PEXPIREs, kept by Redis itself.
List scans ``{prefix}k:{prefix you asked for}*`` with SCAN (it walks the whole keyspace
of the database, so keep big stores in a database of their own) and sorts the keys.

Retries: reads (Get, Entry, Has, List) are retried twice on a lost connection, since
running them again changes nothing. Writes (Set, Put, Delete) never are: a write whose
connection drops after it was sent may have been applied, and running it again would
apply it twice (a compare-and-set would then see its own write and answer "conflict").
Such a write fails with :class:`OutcomeUnknownError`; one that was never sent fails with
:class:`StoreBackendError` (the dispatcher's wrapping of the driver's error).
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

import anyio
import coredis
import trio
from anyio.abc import TaskStatus
from coredis.connection import BaseConnection, TCPConnection, UnixDomainSocketConnection
from coredis.exceptions import ConnectionError as LostConnection
from coredis.retry import ConstantRetryPolicy, NoRetryPolicy

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

_Script = Callable[..., Awaitable[Any]]
_GLOB_SPECIALS = str.maketrans({c: "\\" + c for c in "*?[]\\"})
_LOST = (LostConnection, TimeoutError)
# coredis raises these before a request is queued on a connection: nothing was sent.
_NOT_SENT = ("Connection not usable", "Unable to establish a connection")
READ_RETRIES = 2


class RedisBackend:
    """A store in Redis under ``prefix``; ``open`` runs the client in a service task."""

    def __init__(self, name: str, url: str, *, prefix: str) -> None:
        self.name = name
        self.url = url
        self.prefix = prefix
        self._keys = prefix + "k:"
        self._counter = prefix + "version"
        self._client = _client(url, f"actorkit-store-{name}")
        self._reads = ConstantRetryPolicy(_LOST, retries=READ_RETRIES, delay=0.01)
        self._put: _Script = self._client.register_script(_PUT)
        self._entry: _Script = self._client.register_script(_ENTRY)
        self._scope: trio.CancelScope | None = None
        self._closed = trio.Event()

    async def open(self, nursery: trio.Nursery) -> None:
        """Connect (checked with a PING) and keep the client open in a task of ``nursery``.

        A checkpoint.

        Raises:
            StoreBackendError: the server could not be reached; it names the store and the
                address, and the first underlying error is its ``__cause__``.
        """
        try:
            await nursery.start(self._serve)
        except Exception as exc:
            cause = _leaf(exc)
            detail = f"store {self.name!r}: cannot use Redis at {_redacted(self.url)}: {cause}"
            if cause.__cause__ is not None:
                detail += f" ({cause.__cause__})"
            raise StoreBackendError(detail) from cause

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

    async def _read(self, send: Callable[[], Awaitable[T]]) -> T:
        return await self._reads.call_with_retries(send)

    async def _write(self, key: str, send: Callable[[], Awaitable[T]]) -> T:
        try:
            return await send()
        except _LOST as exc:
            if str(exc).startswith(_NOT_SENT):
                raise  # never sent: the dispatcher reports a StoreBackendError
            raise OutcomeUnknownError(self.name, key) from exc

    async def get(self, key: str) -> bytes | None:
        """The encoded value, or None. A checkpoint."""
        return await self._read(lambda: self._client.hget(self._keys + key, "v"))

    async def entry(self, key: str) -> RawItem | None:
        """Value, version and seconds left, or None. A checkpoint."""
        got: Any = await self._read(lambda: self._entry(keys=[self._keys + key]))
        if got is None:
            return None
        data, version, pttl = got
        return bytes(data), bytes(version).decode(), None if pttl < 0 else pttl / 1000

    async def has(self, key: str) -> bool:
        """True if the key is live. A checkpoint."""
        return await self._read(lambda: self._client.exists([self._keys + key])) == 1

    async def delete(self, key: str) -> bool:
        """Remove the key; True if it was live. A checkpoint; never retried."""
        return await self._write(key, lambda: self._client.delete([self._keys + key])) == 1

    async def put(
        self, key: str, data: bytes, ttl: float | None, absent: bool, version: str | None
    ) -> str | None:
        """Write if the condition holds (one Lua script); the new version or None.

        A checkpoint; never retried (see the module docstring).
        """
        mode = "absent" if absent else ("version" if version is not None else "set")
        ms = "" if ttl is None else str(max(1, math.ceil(ttl * 1000)))
        args: list[bytes | str] = [data, ms, mode, version or ""]
        keys = [self._keys + key, self._counter]
        new: Any = await self._write(key, lambda: self._put(keys=keys, args=args))
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
            scan = partial(self._client.scan, cursor=cursor, match=match, count=1000)
            cursor, batch = await self._read(scan)
            keys.update(raw.decode()[skip:] for raw in batch)
        found = sorted(k for k in keys if after is None or k > after)
        return found if limit is None else found[:limit]


def _client(url: str, name: str) -> coredis.Redis[bytes]:
    """A client without coredis's automatic retries, whose connections close their buffers."""
    pool: coredis.ConnectionPool[Any] = coredis.ConnectionPool.from_url(
        url, decode_responses=False, client_name=name
    )
    pool.connection_class = _CLOSING.get(pool.connection_class, pool.connection_class)
    return coredis.Redis(connection_pool=pool, decode_responses=False, retry_policy=NoRetryPolicy())


# coredis makes each connection's anyio buffers when it creates it and closes them only
# once connected: a failed connect would leave them to warn (ResourceWarning) when collected.
_BUFFERS = (
    "_write_buffer_in",
    "_write_buffer_out",
    "_push_message_buffer_in",
    "_push_message_buffer_out",
    "_streamed_message_buffer_in",
    "_streamed_message_buffer_out",
)


def _close_buffers(conn: BaseConnection) -> None:
    for name in _BUFFERS:
        buffer = getattr(conn, name, None)
        if buffer is not None:
            buffer.close()


class _Tcp(TCPConnection):
    async def run(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        try:
            await super().run(task_status=task_status)
        finally:
            _close_buffers(self)


class _Unix(UnixDomainSocketConnection):
    async def run(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        try:
            await super().run(task_status=task_status)
        finally:
            _close_buffers(self)


_CLOSING: dict[type[Any], type[Any]] = {TCPConnection: _Tcp, UnixDomainSocketConnection: _Unix}


def _leaf(exc: BaseException) -> BaseException:
    """The first error that is not a group (Trio and anyio wrap task errors in groups)."""
    while isinstance(exc, BaseExceptionGroup):
        exc = cast("BaseExceptionGroup[BaseException]", exc).exceptions[0]
    return exc


def _redacted(url: str) -> str:
    """``url`` without its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
