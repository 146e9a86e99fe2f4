"""The gateway's errors, under :class:`actorkit.errors.ActorkitError`::

ActorkitError
 └─ GatewayError            the gateway could not do what was asked
     └─ RouteError          a route is not valid (also a ValueError): raised when the
                            route is made, naming the route and the field
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
