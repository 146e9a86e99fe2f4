"""The gateway: an HTTP/1.1, HTTP/2 and websocket server whose handlers are processes.

Boot :func:`gateway` with a list of routes; each :func:`route` hands a request to a
function, a process (``proc.request`` / ``proc.reply``) or a :class:`~actorkit.Server`, and
each :func:`websocket` route makes an accepted connection a process. Built on hypercorn's
Trio worker, the public API and ``actorkit.lowlevel``; it is a boot component, not a
command range. Bodies stream both ways when asked: ``route(..., stream=True)`` hands over
the request body as it arrives, and :meth:`HttpResponse.streamed` (or any async iterator
a handler returns) sends the response a chunk at a time. See the serving guide.
"""

from ._body import BodyStream
from ._component import gateway, gateway_address, gateway_stats
from ._http import HttpRequest, HttpResponse
from ._routes import Auth, Refused, Route, route, websocket
from ._stats import GatewayStats
from ._websocket import WebSocket, WebSocketClosed, WebSocketFrame, WebSocketOpened
from .errors import BodyError, BodyTooLargeError, GatewayError, RouteError

__all__ = [
    "Auth",
    "BodyError",
    "BodyStream",
    "BodyTooLargeError",
    "GatewayError",
    "GatewayStats",
    "HttpRequest",
    "HttpResponse",
    "Refused",
    "Route",
    "RouteError",
    "WebSocket",
    "WebSocketClosed",
    "WebSocketFrame",
    "WebSocketOpened",
    "gateway",
    "gateway_address",
    "gateway_stats",
    "route",
    "websocket",
]
