"""What :class:`Redis` and a dedicated connection share: ``execute`` and ``pipeline`` on a
connection that is opened again by the next call after it was lost."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import trio

from ._connection import Connection, open_connection
from ._protocol import Arg, Reply, encode, encode_many
from ._url import Address
from .errors import RedisConnectionError, RedisReplyError

__all__ = ["Link"]


class Link:
    """Commands on one (re)connecting connection; the public classes build on it."""

    def __init__(
        self,
        address: Address,
        name: str | None,
        nursery: trio.Nursery,
        *,
        dedicated: bool,
        conn: Connection | None = None,
    ) -> None:
        self._address = address
        self._name = name
        self._nursery = nursery
        self._dedicated = dedicated
        self._conn = conn
        self._lock = trio.Lock()
        self._closed = False

    async def execute(self, *args: Arg) -> Reply:
        """Run one command, such as ``execute("SET", "k", 1)``; its reply.

        A checkpoint. Cancelled while waiting, the reply is read and dropped when it comes
        (a dedicated connection is closed instead).

        Raises:
            RedisReplyError: the server answered with an error.
            RedisConnectionError: the connection could not be opened (``sent=False``) or
                was lost (``sent=True``: the command may have run).
            RedisArgumentError: an argument is not str, bytes, int or float.
        """
        data = encode(args)
        conn = self._conn
        if conn is None or not conn.usable:
            conn = await self._reconnect()
        reply: Reply | RedisReplyError = (await conn.request(data, 1))[0]
        if isinstance(reply, RedisReplyError):
            raise reply
        return reply

    async def pipeline(self, commands: Iterable[Sequence[Arg]]) -> list[Reply | RedisReplyError]:
        """Run several commands in one write and one round trip; their replies in order,
        an error reply in its place as a :class:`RedisReplyError` (not raised).

        A checkpoint; cancellation and errors as :meth:`execute`.
        """
        batch = list(commands)
        data = encode_many(batch)
        if not batch:
            await trio.lowlevel.checkpoint()
            return []
        conn = self._conn
        if conn is None or not conn.usable:
            conn = await self._reconnect()
        return await conn.request(data, len(batch))

    async def _reconnect(self) -> Connection:
        async with self._lock:
            if self._closed:
                raise RedisConnectionError(f"{self._address.url}: the client is closed", sent=False)
            conn = self._conn
            if conn is None or not conn.usable:
                conn = self._conn = await open_connection(
                    self._address, self._name, self._nursery, close_on_cancel=self._dedicated
                )
            return conn

    def _close(self) -> None:
        self._closed = True
        if self._conn is not None:
            self._conn.lose("the client closed the connection")
