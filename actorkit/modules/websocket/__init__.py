"""The websocket client module (IDs 80–89): :class:`Connect` (80), :class:`Send` (81),
:class:`Receive` (82), :class:`Close` (83), :class:`Ping` (84), :class:`Subscribe` (85),
:class:`Stream` (86).

Boot it with :func:`module`, then call it::

    actorkit.run(main, modules=[websocket.module()])
    ...
    conn = await proc.call(websocket.Connect("wss://example.com/feed"))
    await proc.call(websocket.Send(conn, "hello"))
    reply = await proc.call(websocket.Receive(conn), timeout=5)

A connection belongs to the process that opened it: only that process may use it, and it
is closed when that process exits, even by crashing. :class:`Subscribe` turns incoming
messages into :class:`WebSocketMessage` events in the owner's mailbox, losslessly (a
process that does not keep up slows the peer down), ended by one :class:`WebSocketClosed`.
:class:`Stream` hands the owner the messages as a stream-module stream instead (bytes,
text as UTF-8), read with ``stream.Read`` or a scanner.
``Connect(..., control_events=True)`` delivers the server's pings and pongs as
:class:`WebSocketPing` / :class:`WebSocketPong` events; ``Connect(..., compression=True)``
offers permessage-deflate. Hosts are checked against the node's address policy after DNS
resolution, as the http module does.
"""

from __future__ import annotations

from .commands import (
    Close,
    Connect,
    Connection,
    Ping,
    Receive,
    Send,
    Stream,
    Subscribe,
    WebSocketClosed,
    WebSocketMessage,
    WebSocketPing,
    WebSocketPong,
)
from .components import module
from .errors import (
    AddressRefusedError,
    ConnectionClosedError,
    HandshakeFailedError,
    NoConnectionError,
    NotOwnerError,
    ReadModeError,
    WebSocketArgumentError,
    WebSocketError,
    WebSocketTimeoutError,
)

__all__ = [
    "AddressRefusedError",
    "Close",
    "Connect",
    "Connection",
    "ConnectionClosedError",
    "HandshakeFailedError",
    "NoConnectionError",
    "NotOwnerError",
    "Ping",
    "ReadModeError",
    "Receive",
    "Send",
    "Stream",
    "Subscribe",
    "WebSocketArgumentError",
    "WebSocketClosed",
    "WebSocketError",
    "WebSocketMessage",
    "WebSocketPing",
    "WebSocketPong",
    "WebSocketTimeoutError",
    "module",
]
