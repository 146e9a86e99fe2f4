"""A connection's incoming messages as the source of a stream (the :class:`Stream`
command): each message's bytes, a text message encoded as UTF-8.

A message is taken from trio-websocket's queue only when the stream module asks for the
next chunk, i.e. when the owner reads, so nothing is read ahead beyond that queue
(``queue_size`` messages) and a slow reader slows the peer down.
"""

from __future__ import annotations

import trio
from trio_websocket import ConnectionClosed

from .state import Conn


class Messages:
    """An async iterator of the connection's messages as bytes; ends when it closes.

    Closing it (the stream's ``Close``, or the owner's exit) frees the connection for
    ``Receive`` and ``Subscribe`` again; it does not close the connection.
    """

    def __init__(self, conn: Conn) -> None:
        self._conn = conn

    def __aiter__(self) -> Messages:
        return self

    async def __anext__(self) -> bytes:
        if self._conn.streamed is not self:
            raise StopAsyncIteration
        try:
            data = await self._conn.ws.get_message()
        except ConnectionClosed:
            raise StopAsyncIteration from None
        return data.encode() if isinstance(data, str) else data

    async def aclose(self) -> None:
        """Give the connection's messages back (a checkpoint)."""
        if self._conn.streamed is self:
            self._conn.streamed = None
        await trio.lowlevel.checkpoint()
