"""The websocket module's errors, under :class:`actorkit.CommandError`.

::

    CommandError
     └─ WebSocketError               a websocket command failed; str() names the command
         │                           and ID
         ├─ WebSocketArgumentError   a field of the command is wrong, found when it is built
         │                           (also CommandArgumentError and ValueError)
         ├─ NoConnectionError        the handle names no open connection of this node (it
         │                           was closed, or its owner exited); also LookupError
         ├─ NotOwnerError            the connection belongs to another process; also
         │                           PermissionError
         ├─ AddressRefusedError      the host resolves only to addresses the node does not
         │                           allow; also PermissionError
         ├─ HandshakeFailedError     no connection: DNS, refused, or the server said no
         │                           (``status_code`` set when it answered with HTTP)
         ├─ WebSocketTimeoutError    the connect timeout passed (also trio.TooSlowError)
         ├─ ReadModeError            the connection's messages are already read another
         │                           way (Receive, Subscribe and Stream do not mix)
         └─ ConnectionClosedError    the connection is closed (``code``, ``reason``)

The library's own exception, when there is one, is the ``__cause__``.
"""

from __future__ import annotations

import trio

from actorkit.errors import ModuleArgumentError, ModuleError


class WebSocketError(ModuleError):
    """A websocket command failed. ``command`` is like ``Send (id=81)``."""


class WebSocketArgumentError(WebSocketError, ModuleArgumentError):
    """A field of the command has the wrong type or value (url, data, code …).

    Raised when the command is built; the message names the command, its ID, the field
    and the value.
    """


class NoConnectionError(WebSocketError, LookupError):
    """The handle names no open connection on this node."""


class NotOwnerError(WebSocketError, PermissionError):
    """The connection is owned by another process: only the process that opened a
    connection may use it."""


class AddressRefusedError(WebSocketError, PermissionError):
    """The host resolved only to addresses the node does not allow (see the http
    module's address policy, which this module shares)."""


class HandshakeFailedError(WebSocketError):
    """The connection could not be opened. ``status_code`` is the server's HTTP status
    when it refused the upgrade, else None."""

    def __init__(self, detail: str, *, command: str = "", status_code: int | None = None):
        WebSocketError.__init__(self, detail, command=command)
        self.status_code = status_code


class WebSocketTimeoutError(WebSocketError, trio.TooSlowError):
    """The connect timeout passed before the handshake finished."""


class ReadModeError(WebSocketError):
    """The connection's messages are already read another way: a subscribed connection
    refuses ``Receive`` and ``Stream``, a streamed one ``Receive``, ``Subscribe`` and a
    second ``Stream``, and ``Stream`` is refused while a ``Receive`` waits."""


class ConnectionClosedError(WebSocketError):
    """The connection is closed: by the peer (``code``, ``reason`` as it sent them) or
    by this side."""

    def __init__(self, detail: str, *, command: str = "", code: int = 1006, reason: str = ""):
        WebSocketError.__init__(self, detail, command=command)
        self.code = code
        self.reason = reason
