"""The gateway's errors, under :class:`actorkit.errors.ActorkitError`::

ActorkitError
 └─ GatewayError            the gateway could not do what was asked
     ├─ RouteError          a route is not valid (also a ValueError): raised when the
     │                      route is made, naming the route and the field
     └─ BodyError           a streamed request body could not be read: the client went
         │                  away or the request is over (the gateway answers 400)
         └─ BodyTooLargeError  the body passed the route's max_body (413)
"""

from __future__ import annotations

from actorkit.errors import ActorkitError


class GatewayError(ActorkitError):
    """The gateway could not do what was asked."""


class RouteError(GatewayError, ValueError):
    """A route is not valid; the message names the route and the field."""

    def __init__(self, route: str, field: str, problem: str) -> None:
        super().__init__(f"route {route}: {field} {problem}")
        self.route = route
        self.field = field


class BodyError(GatewayError):
    """A streamed request body could not be read: the client went away mid-body, or the
    request it belongs to is over. Uncaught in a handler, the gateway answers 400."""

    status = 400


class BodyTooLargeError(BodyError):
    """A streamed request body passed the route's ``max_body``. Uncaught in a handler
    (or caught and re-raised as another error), the gateway answers 413."""

    status = 413
