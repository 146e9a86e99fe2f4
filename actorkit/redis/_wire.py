"""One socket to a Redis server with its reply parser and its unsent bytes.

Writes are synchronous: :meth:`Wire.write` hands the bytes to the kernel at once (no task
switch, nothing for a cancellation to interrupt half-way); what the kernel does not take
waits in a buffer that :meth:`Wire.flush_forever` drains when the socket is writable. So
the order of writes is the order of calls, and queueing a request and writing it are one
step. Reads go through hiredis's C parser.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import trio

from ._hiredis import hiredis
from ._protocol import new_reader
from ._url import Address
from .errors import RedisConnectionError

__all__ = ["Wire", "open_wire"]

_CHUNK = 1 << 16


async def open_wire(address: Address) -> Wire:
    """A connected :class:`Wire` to ``address``. A checkpoint.

    Raises:
        RedisConnectionError: the connect failed (``sent=False``), naming the URL.
    """
    try:
        sock = await _connect(address)
    except OSError as exc:
        detail = os.strerror(exc.errno) if exc.errno else str(exc)
        raise RedisConnectionError(
            f"cannot connect to {address.url}: {detail}", sent=False
        ) from exc
    return Wire(sock)


async def _connect(address: Address) -> socket.socket:
    if address.path:
        return await _connect_to(socket.AF_UNIX, address.path)
    found = await trio.socket.getaddrinfo(address.host, address.port, type=socket.SOCK_STREAM)
    error: OSError = OSError("no address")
    for family, _, _, _, where in found:
        try:
            sock = await _connect_to(family, where)
        except OSError as exc:
            error = exc
            continue
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock
    raise error


async def _connect_to(family: int, where: Any) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setblocking(False)
    try:
        await trio.socket.from_stdlib_socket(sock).connect(where)
    except BaseException:
        sock.close()
        raise
    return sock


class Wire:
    """A connected socket, its parser and its unsent bytes."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.reader = new_reader()
        self._unsent = bytearray()
        self._more = trio.Event()

    def write(self, data: bytes) -> None:
        """Queue ``data`` after everything written before; never blocks.

        Raises:
            OSError: the socket is broken (nothing of ``data`` was sent).
        """
        if self._unsent:
            self._unsent += data
            return
        try:
            sent = self.sock.send(data)
        except BlockingIOError:
            sent = 0
        if sent < len(data):
            self._unsent += data[sent:]
            self._more.set()

    async def flush_forever(self) -> None:
        """Send what :meth:`write` could not, whenever there is some. Runs until cancelled.

        Raises:
            OSError: the socket broke.
        """
        while True:
            await self._more.wait()
            while self._unsent:
                await trio.lowlevel.wait_writable(self.sock)
                try:
                    sent = self.sock.send(self._unsent)
                except BlockingIOError:
                    continue
                del self._unsent[:sent]
            self._more = trio.Event()

    async def fill(self) -> None:
        """Wait for bytes from the server and feed them to the parser. A checkpoint.

        Raises:
            EOFError: the server closed the connection.
            OSError: the socket broke.
        """
        while True:
            await trio.lowlevel.wait_readable(self.sock)
            try:
                data = self.sock.recv(_CHUNK)
            except BlockingIOError:
                continue
            if not data:
                raise EOFError("the server closed the connection")
            self.reader.feed(data)
            return

    def gets(self) -> Any:
        """The next parsed reply, or False when the parser needs more bytes."""
        return self.reader.gets()

    def close(self) -> None:
        """Close the socket; tasks waiting on it get :class:`trio.ClosedResourceError`."""
        if self.sock.fileno() != -1:
            trio.lowlevel.notify_closing(self.sock)
            self.sock.close()


BROKEN = (OSError, EOFError, trio.ClosedResourceError, hiredis.ProtocolError, IndexError)
"""What a connection that broke (or a reply nobody asked for) raises while it is pumped."""


async def pump(
    scope: trio.CancelScope,
    wire: Wire,
    read_forever: Callable[[], Awaitable[None]],
    lose: Callable[[str], None],
    closed: str,
) -> None:
    """Flush ``wire``'s writes and run ``read_forever`` under ``scope`` until the connection
    ends; ``lose`` is told why (a break, or ``closed`` when it was closed on purpose)."""

    async def guard(loop: Callable[[], Awaitable[None]]) -> None:
        try:
            await loop()
        except BROKEN as exc:
            lose(f"lost the connection ({exc or type(exc).__name__})")

    try:
        with scope:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(guard, wire.flush_forever)
                await guard(read_forever)
    finally:
        lose(closed)
