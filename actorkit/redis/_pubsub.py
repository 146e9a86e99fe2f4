"""A connection in pub/sub mode: messages as ``(channel, data)`` pairs, (un)subscribing
confirmed by the server before the call returns."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from typing import Any

import trio

from ._connection import log_in
from ._protocol import encode
from ._url import Address
from ._wire import Wire, open_wire, pump
from .errors import RedisArgumentError, RedisConnectionError, RedisError, RedisReplyError

__all__ = ["Subscription", "open_subscription"]

_MESSAGE = b"message"
_PMESSAGE = b"pmessage"
_CONFIRMS = frozenset({b"subscribe", b"unsubscribe", b"psubscribe", b"punsubscribe"})


class _Confirm:
    __slots__ = ("done", "error", "left")

    def __init__(self, left: int) -> None:
        self.left = left
        self.done = trio.Event()
        self.error: RedisError | None = None


class Subscription:
    """Messages of the channels and patterns subscribed to: ``async for channel, data in
    sub``. A message to a pattern comes as the channel it was published to. Messages wait
    in memory (unbounded) until read. A lost connection ends the iteration with
    :class:`RedisConnectionError`; subscriptions are not renewed (open a new one)."""

    def __init__(self, wire: Wire, where: str) -> None:
        self._wire = wire
        self._where = where
        self._send, self._receive = trio.open_memory_channel[tuple[bytes, bytes]](math.inf)
        self._confirms: deque[_Confirm] = deque()
        self._lost: str | None = None
        self._scope = trio.CancelScope()

    async def subscribe(self, *channels: str | bytes) -> None:
        """Subscribe to ``channels``; returns once the server confirmed.

        A checkpoint. Cancelled while waiting for the confirmation, the request is already
        sent: the subscription still takes effect (as for the other three methods).

        Raises:
            RedisConnectionError: the connection is lost.
            RedisArgumentError: no channel given.
        """
        await self._command("SUBSCRIBE", channels)

    async def unsubscribe(self, *channels: str | bytes) -> None:
        """Unsubscribe from ``channels``; returns once the server confirmed. A checkpoint."""
        await self._command("UNSUBSCRIBE", channels)

    async def psubscribe(self, *patterns: str | bytes) -> None:
        """Subscribe to glob ``patterns`` (``news.*``). A checkpoint."""
        await self._command("PSUBSCRIBE", patterns)

    async def punsubscribe(self, *patterns: str | bytes) -> None:
        """Unsubscribe from ``patterns``. A checkpoint."""
        await self._command("PUNSUBSCRIBE", patterns)

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> tuple[bytes, bytes]:
        """The next ``(channel, data)``. A checkpoint.

        Raises:
            RedisConnectionError: the connection was lost (``sent=True``).
        """
        try:
            return await self._receive.receive()
        except trio.EndOfChannel:
            raise RedisConnectionError(f"{self._where}: {self._lost}", sent=True) from None

    async def _command(self, name: str, names: Sequence[str | bytes]) -> None:
        if not names:
            raise RedisArgumentError(f"Redis {name} needs at least one name")
        data = encode((name, *names))
        await trio.lowlevel.checkpoint_if_cancelled()
        if self._lost is not None:
            raise RedisConnectionError(f"{self._where}: {self._lost}", sent=False)
        try:
            self._wire.write(data)
        except OSError as exc:
            self._lose(f"the connection broke ({exc})")
            raise RedisConnectionError(f"{self._where}: {self._lost}", sent=False) from exc
        confirm = _Confirm(len(names))
        self._confirms.append(confirm)
        await confirm.done.wait()
        if confirm.error is not None:
            raise confirm.error

    async def run(self) -> None:
        """Read messages and confirmations until the connection ends."""
        await pump(
            self._scope, self._wire, self._read_forever, self._lose, "the subscription was closed"
        )

    async def _read_forever(self) -> None:
        wire = self._wire
        while True:
            await wire.fill()
            reply = wire.gets()
            while reply is not False:
                self._dispatch(reply)
                reply = wire.gets()

    def _dispatch(self, reply: Any) -> None:
        if isinstance(reply, RedisReplyError):
            self._confirmed(reply)
            return
        kind = reply[0]
        if kind == _MESSAGE:
            self._send.send_nowait((reply[1], reply[2]))
        elif kind == _PMESSAGE:
            self._send.send_nowait((reply[2], reply[3]))
        elif kind in _CONFIRMS:
            self._confirmed(None)

    def _confirmed(self, error: RedisReplyError | None) -> None:
        confirm = self._confirms[0]
        confirm.left -= 1
        if error is not None or confirm.left == 0:
            self._confirms.popleft()
            confirm.error = error
            confirm.done.set()

    def close(self) -> None:
        """Close the connection; the iteration ends with :class:`RedisConnectionError`."""
        self._lose("the subscription was closed")

    def _lose(self, why: str) -> None:
        if self._lost is not None:
            return
        self._lost = why
        self._scope.cancel()
        self._wire.close()
        self._send.close()
        for confirm in self._confirms:
            confirm.error = RedisConnectionError(f"{self._where}: {why}", sent=True)
            confirm.done.set()
        self._confirms.clear()


async def open_subscription(
    address: Address, name: str | None, nursery: trio.Nursery
) -> Subscription:
    """A logged-in :class:`Subscription` whose reader runs in ``nursery``. A checkpoint."""
    wire = await open_wire(address)
    try:
        await log_in(wire, address, name)
    except BaseException:
        wire.close()
        raise
    sub = Subscription(wire, address.url)
    nursery.start_soon(sub.run)
    return sub
