"""Routes: a method and a path pattern with ``{params}``, and where the request goes.

A ``{name}`` parameter matches one path segment (no ``/``); ``{name:path}`` matches the
rest of the path, slashes included (at least one character), for keys such as
``/files/{key:path}``.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Literal, TypeGuard

import attrs

from .errors import GatewayError, RouteError

if TYPE_CHECKING:
    from actorkit import PID

Auth = Callable[[str | None], object]
"""The security seam: ``auth(token)`` gets the bearer token (None when the request has
none) and returns the caller's identity (any value but None), or None / raises
:class:`Refused` to refuse with 401. It may be async."""

Kind = Literal["function", "process", "server", "ws_spawn", "ws_process"]
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z_]+))?\}")
_CONVERTERS = {None: "[^/]+", "path": ".+"}


class Refused(GatewayError):
    """Raised by an ``auth`` callable to refuse a request (401 with this reason)."""


@attrs.frozen(eq=False)
class Route:
    """One route. Make it with :func:`route` or :func:`websocket`. Routes compare by
    identity: each keeps its own count of requests in flight."""

    method: str
    path: str
    kind: Kind
    target: Any
    pattern: re.Pattern[str]
    topic: str = "http"
    timeout: float | None = None
    max_body: int | None = None
    concurrency: int | None = None
    auth: Auth | None = None
    queue: int = 16
    stream: bool = False

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def route(
    method: str,
    path: str,
    handler: Callable[..., Any] | None = None,
    *,
    process: PID | str | None = None,
    server: PID | str | None = None,
    topic: str = "http",
    timeout: float | None = None,
    max_body: int | None = None,
    concurrency: int | None = None,
    auth: Auth | None = None,
    stream: bool = False,
) -> Route:
    """A route for ``method`` and ``path`` (``/orders/{id}``, ``/files/{key:path}``) to
    exactly one target:

    - ``handler``: a function ``fn(proc, request)``, sync or async, run for each request
      with a process handle borrowed for it (so it can call commands);
    - ``process=``: a process (PID or name) that gets a :class:`~actorkit.Request` with
      topic ``topic`` and the :class:`HttpRequest` as payload, and answers with
      ``proc.reply(msg, response)``;
    - ``server=``: a :class:`~actorkit.Server` whose ``handle_call`` gets the
      :class:`HttpRequest` and returns the response as its reply.

    ``timeout`` (seconds, 504 after it), ``max_body`` (bytes, 413 above it) and
    ``concurrency`` (requests at once, 503 above it) override the gateway's defaults;
    ``auth`` is the security seam (:data:`Auth`).

    ``stream=True`` hands the target the request before its body is read: the body
    comes as ``request.stream`` (a :class:`~actorkit.gateway.BodyStream` of chunks as
    they arrive) and ``request.body`` is empty. ``max_body`` is then counted as the chunks
    come (413 once it is passed), never buffered; ``timeout`` covers reading the body.

    Raises:
        RouteError: a field is not valid (the message names the route and the field).
    """
    name = f"{method} {path}"
    method = method.upper()
    if method not in METHODS:
        raise RouteError(name, "method", f"must be one of {sorted(METHODS)}")
    targets = [t for t in (handler, process, server) if t is not None]
    if len(targets) != 1:
        raise RouteError(name, "handler", "needs exactly one of handler, process= or server=")
    if handler is not None and not callable(handler):
        raise RouteError(name, "handler", "must be callable")
    kind: Kind = "function" if handler is not None else "process" if process else "server"
    _check_limits(name, timeout, max_body, concurrency)
    if not isinstance(stream, bool):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise RouteError(name, "stream", "must be a bool")
    return Route(
        method, path, kind, targets[0], compile_path(name, path), topic,
        timeout, max_body, concurrency, auth, stream=stream,
    )  # fmt: skip


def websocket(
    path: str,
    *,
    spawn: Callable[..., Awaitable[object]] | None = None,
    process: PID | str | None = None,
    queue: int = 16,
    auth: Auth | None = None,
) -> Route:
    """A websocket route to exactly one target:

    - ``spawn=``: a process function ``fn(proc, ws)`` spawned for each connection;
    - ``process=``: a running process (PID or name) that gets a
      :class:`~actorkit.gateway.WebSocketOpened` event for each connection.

    Frames arrive at the process as :class:`~actorkit.gateway.WebSocketFrame` events
    (bounded: a full mailbox stops the gateway reading that socket); the process answers
    with ``await ws.send(data)`` (at most ``queue`` frames wait to be written; more make
    ``send`` wait). The connection closes when the spawned process (or the handed-to one)
    exits, or on ``ws.close()``; a peer that closes sends the process a
    :class:`~actorkit.gateway.WebSocketClosed` event.

    Raises:
        RouteError: a field is not valid.
    """
    name = f"WEBSOCKET {path}"
    if (spawn is None) == (process is None):
        raise RouteError(name, "spawn", "needs exactly one of spawn= or process=")
    if spawn is not None and not inspect.iscoroutinefunction(spawn):
        raise RouteError(name, "spawn", "must be an async process function fn(proc, ws)")
    if not _is_int(queue) or queue < 1:
        raise RouteError(name, "queue", "must be an int >= 1")
    kind: Kind = "ws_spawn" if spawn is not None else "ws_process"
    target = spawn if spawn is not None else process
    pattern = compile_path(name, path)
    return Route("WEBSOCKET", path, kind, target, pattern, auth=auth, queue=queue)


def compile_path(name: str, path: object) -> re.Pattern[str]:
    """``/a/{x}/b/{rest:path}`` as a regular expression with a named group per parameter."""
    if not isinstance(path, str) or not path.startswith("/"):
        raise RouteError(name, "path", "must be a string starting with '/'")
    regex, end = "", 0
    for found in _PARAM.finditer(path):
        param, converter = found.groups()
        if converter not in _CONVERTERS:
            raise RouteError(name, "path", f"has {{{param}:{converter}}}; only ':path' is known")
        regex += re.escape(path[end : found.start()]) + f"(?P<{param}>{_CONVERTERS[converter]})"
        end = found.end()
    regex += re.escape(path[end:])
    if "{" in _PARAM.sub("", path) or "}" in _PARAM.sub("", path):
        raise RouteError(name, "path", "has a '{' or '}' that is not a {name} parameter")
    try:
        return re.compile(regex + "$")
    except re.error as exc:  # a parameter named twice
        raise RouteError(name, "path", f"is not a valid pattern: {exc}") from exc


def _check_limits(name: str, timeout: object, max_body: object, concurrency: object) -> None:
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0
    ):
        raise RouteError(name, "timeout", "must be a number of seconds > 0")
    for field, value, least in (("max_body", max_body, 0), ("concurrency", concurrency, 1)):
        if value is not None and not (_is_int(value) and value >= least):
            raise RouteError(name, field, f"must be an int >= {least}")


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


@attrs.define
class Router:
    """Finds the route of a request: the route and its params, or why none fits."""

    routes: tuple[Route, ...]

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | int:
        """``(route, params)``, or 404 (no path fits) / 405 (the path fits another method)."""
        allowed = False
        for candidate in self.routes:
            found = candidate.pattern.match(path)
            if found is None:
                continue
            if candidate.method == method:
                return candidate, found.groupdict()
            allowed = True
        return 405 if allowed else 404
