"""The client: one shared connection that concurrent callers pipeline on, dedicated
connections for blocking commands (kept in a small pool), subscriptions and scripts."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

import trio

from ._connection import Connection, open_connection
from ._dedicated import Dedicated
from ._link import Link
from ._pubsub import Subscription, open_subscription
from ._script import Script
from ._url import Address, parse_url
from .errors import RedisArgumentError

__all__ = ["Redis"]

DEFAULT_URL = "redis://127.0.0.1:6379/0"
IDLE_DEDICATED = 8


class Redis(Link):
    """A Redis client on Trio: open it with ``async with Redis.open(url) as r``.

    ``execute`` and ``pipeline`` from any number of tasks share one connection: requests
    are written in call order and replies matched in order, so concurrent callers pipeline
    on it. A lost connection fails the calls waiting on it and the next call reconnects.
    """

    def __init__(self, address: Address, name: str | None, nursery: trio.Nursery) -> None:
        super().__init__(address, name, nursery, dedicated=False)
        self._idle: list[Connection] = []

    @classmethod
    @asynccontextmanager
    async def open(
        cls, url: str = DEFAULT_URL, *, name: str | None = None
    ) -> AsyncGenerator[Redis, None]:
        """Connect to ``url`` (``redis://[user:password@]host:port/db`` or
        ``unix:///path?db=N``) and keep the client open for the block; ``name`` is given to
        every connection (CLIENT SETNAME). The reader tasks run in a nursery of its own.

        Raises:
            RedisUrlError: the URL cannot be used.
            RedisConnectionError: the server cannot be reached or refused the login.
        """
        address = parse_url(url)
        _check_name(name)
        error: BaseException | None = None
        try:
            async with _running(cls, address, name) as client:
                yield client
        except BaseExceptionGroup as group:
            if len(group.exceptions) != 1:
                raise
            error = group.exceptions[0]  # the body's or the connect's own error
        if error is not None:
            raise error  # outside the except block: its cause and context stay intact

    def script(self, source: str) -> Script:
        """A :class:`Script` for the Lua ``source``, run on this client."""
        return Script(self, source)

    @asynccontextmanager
    async def dedicated(self) -> AsyncGenerator[Dedicated, None]:
        """A connection of one's own for blocking commands (BLPOP, XREAD BLOCK …), taken
        from a small pool of idle ones or opened; given back at the end of the block if no
        reply is pending, closed otherwise. A checkpoint.

        Raises:
            RedisConnectionError: a new connection could not be opened.
        """
        conn = await self._idle_or_new()
        link = Dedicated(self._address, self._name, self._nursery, dedicated=True, conn=conn)
        try:
            yield link
        finally:
            back = link.release()
            if back is not None and not self._closed and len(self._idle) < IDLE_DEDICATED:
                self._idle.append(back)
            elif back is not None:
                back.lose("the client closed the connection")

    @asynccontextmanager
    async def subscribe(self, *channels: str | bytes) -> AsyncGenerator[Subscription, None]:
        """A connection in pub/sub mode, subscribed to ``channels`` (confirmed) before the
        block starts; closed at its end. A checkpoint.

        Raises:
            RedisConnectionError: the connection could not be opened or was lost.
        """
        sub = await open_subscription(self._address, self._name, self._nursery)
        try:
            if channels:
                await sub.subscribe(*channels)
            yield sub
        finally:
            sub.close()

    async def _idle_or_new(self) -> Connection:
        while self._idle:
            conn = self._idle.pop()
            if conn.idle:
                await trio.lowlevel.checkpoint()
                return conn
        return await open_connection(self._address, self._name, self._nursery, close_on_cancel=True)

    def _shut(self) -> None:
        self._close()
        while self._idle:
            self._idle.pop().lose("the client closed the connection")


@asynccontextmanager
async def _running(
    cls: type[Redis], address: Address, name: str | None
) -> AsyncGenerator[Redis, None]:
    """The client with its nursery; its reader tasks never raise, so whatever leaves the
    nursery (in a group of one) is the body's or the first connect's."""
    async with trio.open_nursery() as nursery:
        client = cls(address, name, nursery)
        try:
            await client._reconnect()  # pyright: ignore[reportPrivateUsage]
            yield client
        finally:
            client._shut()  # pyright: ignore[reportPrivateUsage]
            nursery.cancel_scope.cancel()


def _check_name(name: object) -> None:
    if name is None:
        return
    if not isinstance(name, str) or not name or any(c.isspace() for c in name):
        raise RedisArgumentError(f"Redis.open: name must be a str without spaces, got {name!r:.60}")
