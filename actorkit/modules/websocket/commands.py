"""Websocket client commands (IDs 80–85, numbered as in Wippy; 86 is actorkit's own) and the
events they deliver.

Every field is checked when the command is built: a wrong one raises
:class:`~.errors.WebSocketArgumentError` naming the command, its ID, the field and the value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import ClassVar, cast
from urllib.parse import urlsplit

import attrs

from actorkit.checks import Check, duration, flag, instance_of, integer
from actorkit.lowlevel import Command, Event, command, declare_range
from actorkit.modules.http import TLS
from actorkit.modules.stream import StreamHandle

from .errors import WebSocketArgumentError

declare_range("websocket", 80, 89)

_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
Pairs = tuple[tuple[str, str], ...]


def is_ws_url(value: object) -> bool:
    """An absolute ``ws://`` or ``wss://`` URL with a host and a valid port."""
    if type(value) is not str or _CONTROL.search(value):
        return False
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises ValueError for a port that is not a number in range
    except ValueError:
        return False
    return parts.scheme in ("ws", "wss") and bool(parts.hostname)


def header_pairs(value: object) -> Pairs | None:
    """``value`` (a mapping or a sequence of pairs of str) as pairs; None if it does not fit
    or a name is not an HTTP token or a value holds CR, LF or NUL."""
    items: list[object]
    if isinstance(value, Mapping):
        items = list(cast("Mapping[object, object]", value).items())
    elif isinstance(value, list | tuple):
        items = list(cast("Sequence[object]", value))
    else:
        return None
    found: list[tuple[str, str]] = []
    for item in items:
        if not (isinstance(item, tuple) and len(cast("tuple[object, ...]", item)) == 2):
            return None
        name, text = cast("tuple[object, ...]", item)
        if not (type(name) is str and type(text) is str and _TOKEN.fullmatch(name)):
            return None
        if re.search(r"[\r\n\x00]", text):
            return None
        found.append((name, text))
    return tuple(found)


def _protocols(value: object) -> bool:
    if not isinstance(value, list | tuple):
        return False
    items = cast("Sequence[object]", value)
    return all(type(p) is str and _TOKEN.fullmatch(p) for p in items)


def _close_code(value: object) -> bool:
    return type(value) is int and (value == 1000 or 3000 <= value <= 4999)


def _field(check: Check) -> Check:
    return check.raising(WebSocketArgumentError)


@attrs.frozen
class Connection:
    """A handle to an open connection, returned by :class:`Connect`. Only the process that
    opened it may use it; the connection is closed when that process exits."""

    id: int
    url: str
    subprotocol: str | None = None
    extensions: tuple[str, ...] = ()
    """The extensions the server accepted: ``("permessage-deflate",)`` when the
    connection is compressed."""


_URL = _field(Check(is_ws_url, "an absolute ws:// or wss:// URL with a host"))
_HEADERS = _field(
    Check(
        lambda v: header_pairs(v) is not None,
        "a dict of str to str or a sequence of (str, str) pairs: names are HTTP tokens, "
        "values have no CR/LF",
    )
)
_PROTOCOLS = _field(Check(_protocols, "a list or tuple of subprotocol names"))
_TIMEOUT = _field(duration(optional=True, positive=True))
_SIZE = _field(integer(optional=True, minimum=1))
_TLS = _field(instance_of(TLS, expected="None or an http.TLS", optional=True))
_CONN = _field(instance_of(Connection, expected="a Connection (from Connect)"))
_DATA = _field(instance_of(str, bytes, expected="str (a text frame) or bytes (binary)"))
_CODE = _field(Check(_close_code, "1000 or a code from 3000 to 4999"))
_REASON = _field(
    Check(lambda v: type(v) is str and len(v.encode()) <= 123, "a str of at most 123 bytes")
)
_FLAG = _field(flag())
_PAYLOAD = _field(Check(lambda v: type(v) is bytes and len(v) <= 125, "bytes, at most 125 of them"))


@command(id=80, module="websocket")
class Connect(Command[Connection]):
    """Open a connection to ``url``; it belongs to the calling process.

    ``headers`` are sent with the upgrade request, ``subprotocols`` offered (the one the
    server picked is the handle's ``subprotocol``). ``timeout`` bounds the handshake
    (None: the node's ``connect_timeout``); ``max_message_size`` (bytes) the largest
    message accepted (None: the node's); ``tls`` (an ``http.TLS``) the TLS options of a
    ``wss://`` URL. The host is checked against the node's address policy after DNS
    resolution, as the http module does.

    ``compression=True`` offers permessage-deflate (RFC 7692): if the server accepts it,
    messages are compressed both ways and the handle's ``extensions`` names it; if not,
    the connection is made uncompressed. ``control_events=True`` delivers every ping and
    pong the server sends to the owner as :class:`WebSocketPing` / :class:`WebSocketPong`
    events (pings are still answered at once, by the module).
    """

    url: str = attrs.field(validator=_URL)
    headers: Mapping[str, str] | Sequence[tuple[str, str]] = attrs.field(
        default=(), kw_only=True, validator=_HEADERS
    )
    subprotocols: Sequence[str] = attrs.field(default=(), kw_only=True, validator=_PROTOCOLS)
    timeout: float | None = attrs.field(default=None, kw_only=True, validator=_TIMEOUT)
    max_message_size: int | None = attrs.field(default=None, kw_only=True, validator=_SIZE)
    tls: TLS | None = attrs.field(default=None, kw_only=True, validator=_TLS)
    compression: bool = attrs.field(default=False, kw_only=True, validator=_FLAG)
    control_events: bool = attrs.field(default=False, kw_only=True, validator=_FLAG)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "headers", header_pairs(self.headers))
        object.__setattr__(self, "subprotocols", tuple(self.subprotocols))


@command(id=81, module="websocket")
class Send(Command[None]):
    """Send one message: a ``str`` as a text frame, ``bytes`` as a binary one. Waits while
    the connection cannot take more (backpressure)."""

    connection: Connection = attrs.field(validator=_CONN)
    data: str | bytes = attrs.field(validator=_DATA)


@command(id=82, module="websocket")
class Receive(Command["str | bytes"]):
    """The next message (``str`` for text, ``bytes`` for binary); waits for one. Not
    allowed once the connection is subscribed or read as a :class:`Stream`. Bound the wait
    with the call's timeout."""

    connection: Connection = attrs.field(validator=_CONN)


@command(id=83, module="websocket")
class Close(Command[None]):
    """Close the connection with ``code`` and ``reason`` and wait for the peer to agree
    (a few seconds at most); the handle is then gone. Closing a handle twice is an error."""

    connection: Connection = attrs.field(validator=_CONN)
    code: int = attrs.field(default=1000, kw_only=True, validator=_CODE)
    reason: str = attrs.field(default="", kw_only=True, validator=_REASON)


@command(id=84, module="websocket")
class Ping(Command[None]):
    """Send a ping and wait for its pong. ``payload`` (at most 125 bytes) must differ from
    every ping in flight on the connection; empty means a random one.

    With ``wait=False`` the call returns once the ping is sent, with ``payload`` as given
    (empty stays empty); its pong arrives as a :class:`WebSocketPong` event on a
    connection opened with ``control_events=True`` (else it is not seen)."""

    connection: Connection = attrs.field(validator=_CONN)
    payload: bytes = attrs.field(default=b"", kw_only=True, validator=_PAYLOAD)
    wait: bool = attrs.field(default=True, kw_only=True, validator=_FLAG)


@command(id=85, module="websocket")
class Subscribe(Command[None]):
    """Deliver every incoming message to the calling process as a :class:`WebSocketMessage`
    event, and the end of the connection as a :class:`WebSocketClosed` event after the last
    one. Delivery is lossless: a process that does not keep up fills its mailbox, then the
    connection's queue, then the socket, and the peer is slowed down."""

    connection: Connection = attrs.field(validator=_CONN)


@command(id=86, module="websocket")
class Stream(Command[StreamHandle]):
    """Read the connection's incoming messages as a stream: a
    :class:`~actorkit.modules.stream.StreamHandle` owned by the caller, read with the
    stream module's ``Read`` / ``ScannerCreate`` + ``ScannerScan``.

    Each message becomes its bytes (a text message encoded as UTF-8), one after the other
    with nothing added between them; the stream ends when the connection closes. A message
    is taken from the connection only when a read needs it. Closing the stream leaves the
    connection open (``Receive`` and ``Subscribe`` may then be used again); the owner's
    exit closes both. Refused on a subscribed or already streamed connection, or while a
    ``Receive`` waits on it; needs the stream module booted on the node. (Not in Wippy:
    actorkit's ID.)
    """

    connection: Connection = attrs.field(validator=_CONN)


@attrs.frozen
class WebSocketMessage(Event):
    """A message from a subscribed connection (counts against the mailbox bound)."""

    bounded: ClassVar[bool] = True
    connection: Connection
    data: str | bytes


@attrs.frozen
class WebSocketClosed(Event):
    """A subscribed connection ended: after its last :class:`WebSocketMessage`.
    ``code`` 1006 means it broke without a close frame."""

    connection: Connection
    code: int
    reason: str


@attrs.frozen
class WebSocketPing(Event):
    """The server pinged a connection opened with ``control_events=True`` (the module has
    already answered it). Counts against the mailbox bound, like a message: a process that
    does not take them slows the connection down."""

    bounded: ClassVar[bool] = True
    connection: Connection
    payload: bytes


@attrs.frozen
class WebSocketPong(Event):
    """A pong reached a connection opened with ``control_events=True``: the answer to a
    :class:`Ping`, or one the server sent unasked (a heartbeat). Counts against the
    mailbox bound."""

    bounded: ClassVar[bool] = True
    connection: Connection
    payload: bytes
