"""trio-websocket's client connection with what the module adds: received pings and pongs
reported to the owner, a ping sent without waiting for its pong, and extensions offered in
the handshake (permessage-deflate compression).

trio-websocket answers pings and matches pongs inside its reader task and offers no
extensions; wsproto, under it, does both. :class:`ClientConnection` subclasses trio-websocket's
``WebSocketConnection`` and overrides its ping, pong and accept handlers (each calls the
original first) and the opening request it sends. Those handlers are trio-websocket's
internals (stable since 0.9); the module's tests against real servers hold them.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Literal

import trio
import wsproto.events
from trio_websocket import ConnectionClosed, WebSocketConnection
from wsproto import ConnectionType, WSConnection
from wsproto.extensions import Extension, PerMessageDeflate

Stream = trio.SocketStream | trio.SSLStream[trio.SocketStream]
"""What a connection runs on: TCP, or TLS over TCP."""
Control = Literal["ping", "pong"]
OnControl = Callable[[Control, bytes], Awaitable[None]]


class ClientConnection(WebSocketConnection):
    """A client connection (open it with :func:`open_client`)."""

    def __init__(
        self,
        stream: Stream,
        request: wsproto.events.Request,
        *,
        queue_size: int,
        max_message_size: int,
        report_control: bool,
    ) -> None:
        super().__init__(
            stream,
            WSConnection(ConnectionType.CLIENT),
            host=request.host,
            path=request.target,
            message_queue_size=queue_size,
            max_message_size=max_message_size,
        )
        self._initial_request = request
        self.extensions: tuple[str, ...] = ()
        """The extensions the server accepted (``"permessage-deflate"``)."""
        self._report_control = report_control
        self._on_control: OnControl | None = None
        self._attached = trio.Event()
        self.broken: BaseException | None = None
        """What broke the connection's stream, if it broke (a failed TLS handshake …)."""
        self.reader_done = trio.Event()

    def attach(self, on_control: OnControl) -> None:
        """Report received pings and pongs to ``on_control`` from now on (those received
        before wait for this, when the connection reports them at all)."""
        self._on_control = on_control
        self._attached.set()

    async def send_ping(self, payload: bytes) -> None:
        """Send a ping without waiting for its pong. A checkpoint.

        Raises:
            trio_websocket.ConnectionClosed: the connection is closed.
        """
        if self._close_reason:  # as trio-websocket's own ping() checks
            raise ConnectionClosed(self._close_reason)
        await self._send(wsproto.events.Ping(payload=payload))

    async def _abort_web_socket(self) -> None:
        # trio-websocket calls this inside its ``except BrokenResourceError`` (or at EOF):
        # keep what broke the stream, which it drops.
        self.broken = sys.exception()
        await super()._abort_web_socket()

    async def read(self) -> None:
        """trio-websocket's reader task, then ``reader_done`` set."""
        try:
            await self._reader_task()
        finally:
            self.reader_done.set()

    async def _handle_accept_connection_event(self, event: wsproto.events.AcceptConnection) -> None:
        self.extensions = tuple(ext.name for ext in event.extensions)
        await super()._handle_accept_connection_event(event)

    async def _handle_ping_event(self, event: wsproto.events.Ping) -> None:
        await super()._handle_ping_event(event)  # the pong goes out first
        await self._report("ping", bytes(event.payload))

    async def _handle_pong_event(self, event: wsproto.events.Pong) -> None:
        await super()._handle_pong_event(event)  # wakes the Ping waiting for it
        await self._report("pong", bytes(event.payload))

    async def _report(self, kind: Control, payload: bytes) -> None:
        if not self._report_control:
            return
        await self._attached.wait()
        assert self._on_control is not None
        await self._on_control(kind, payload)


async def open_client(
    nursery: trio.Nursery,
    stream: Stream,
    request: wsproto.events.Request,
    *,
    queue_size: int,
    max_message_size: int,
    report_control: bool,
) -> ClientConnection:
    """Open a client connection on ``stream`` with the opening ``request``, its reader
    running in ``nursery`` (as trio-websocket's ``wrap_client_stream`` does). A checkpoint.

    Raises:
        trio_websocket.ConnectionRejected: the server refused the upgrade (from the reader,
            through ``nursery``).
        trio.BrokenResourceError: the connection broke or closed before the handshake
            finished (its ``__cause__``, when there is one, says why: a TLS alert …).
    """
    conn = ClientConnection(
        stream,
        request,
        queue_size=queue_size,
        max_message_size=max_message_size,
        report_control=report_control,
    )
    nursery.start_soon(conn.read)
    opened: trio.Event = conn._open_handshake  # pyright: ignore[reportPrivateUsage]
    await _either(opened, conn.reader_done)
    if not opened.is_set():  # the peer broke off (trio-websocket itself would wait on)
        if conn.broken is None:
            raise trio.BrokenResourceError("the server closed the connection during the handshake")
        raise trio.BrokenResourceError() from conn.broken  # its cause says why
    return conn


async def _either(first: trio.Event, second: trio.Event) -> None:
    """Wait until ``first`` or ``second`` is set. A checkpoint."""
    async with trio.open_nursery() as nursery:

        async def wait(event: trio.Event) -> None:
            await event.wait()
            nursery.cancel_scope.cancel()

        nursery.start_soon(wait, first)
        nursery.start_soon(wait, second)


def offered_extensions(compression: bool) -> list[Extension]:
    """The extensions to offer: permessage-deflate when ``compression`` is asked for."""
    return [PerMessageDeflate()] if compression else []


def opening_request(
    host: str,
    resource: str,
    *,
    subprotocols: Sequence[str],
    headers: list[tuple[bytes, bytes]],
    compression: bool,
) -> wsproto.events.Request:
    """The upgrade request the client sends."""
    return wsproto.events.Request(
        host=host,
        target=resource,
        subprotocols=list(subprotocols),
        extra_headers=headers,
        extensions=offered_extensions(compression),
    )
