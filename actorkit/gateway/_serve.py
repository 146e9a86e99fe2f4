"""The ASGI application the gateway runs under hypercorn: routing, limits, hand-off."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import attrs
import structlog
import trio

from actorkit.errors import NoProcessError
from actorkit.lowlevel import lookup, set_label
from actorkit.servers import call

from ._body import BodyStream, declared_length, read_body
from ._http import HttpRequest, HttpResponse, error_response, to_response
from ._respond import respond, respond_streamed
from ._routes import Refused, Route, Router
from ._stats import GatewayStats
from ._websocket import (
    GOING_AWAY,
    AsgiReceive,
    AsgiSend,
    WebSocket,
    WebSocketOpened,
    run_connection,
)
from .errors import BodyError

if TYPE_CHECKING:
    from actorkit import Node, Process

log = structlog.get_logger("actorkit.gateway")
Scope = dict[str, Any]


@attrs.frozen
class Limits:
    """The gateway's defaults; a route may override each."""

    timeout: float
    max_body: int
    concurrency: int | None


class App:
    """One gateway's ASGI app: ``await app(scope, receive, send)``."""

    def __init__(self, node: Node, router: Router, limits: Limits) -> None:
        self.node = node
        self.router = router
        self.limits = limits
        self.inflight: dict[Route, int] = {}
        self.sockets: set[WebSocket] = set()
        self.stats = GatewayStats()

    async def __call__(self, scope: Scope, receive: AsgiReceive, send: AsgiSend) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
        else:
            await _lifespan(receive, send)

    def close_websockets(self) -> None:
        """Close every open websocket (the gateway is draining)."""
        for ws in list(self.sockets):
            ws.close(GOING_AWAY)

    # -- HTTP ------------------------------------------------------------------------------

    async def _http(self, scope: Scope, receive: AsgiReceive, send: AsgiSend) -> None:
        found = self.router.match(scope["method"], scope["path"])
        if isinstance(found, int):
            await respond(send, error_response(found, _REASONS[found]))
            return
        route, params = found
        headers = _headers(scope)
        identity = await authorize(route, headers, scope)
        if isinstance(identity, HttpResponse):
            await respond(send, identity)
            return
        limit = route.concurrency or self.limits.concurrency
        if limit is not None and self.inflight.get(route, 0) >= limit:
            await respond(send, error_response(503, "too many requests in flight on this route"))
            return
        self.inflight[route] = self.inflight.get(route, 0) + 1
        try:
            request = await self._request(route, params, scope, headers, identity, receive)
            if isinstance(request, HttpResponse):
                await respond(send, request)
                return
            await self._serve(route, request, scope, receive, send)
        finally:
            self.inflight[route] -= 1

    async def _request(
        self,
        route: Route,
        params: dict[str, str],
        scope: Scope,
        headers: tuple[tuple[str, str], ...],
        identity: object,
        receive: AsgiReceive,
    ) -> HttpRequest | HttpResponse:
        """The request to hand over (its body read whole, or as a stream), or a 413."""
        limit = _pick(route.max_body, self.limits.max_body)
        query = dict(parse_qsl(scope["query_string"].decode("latin-1")))
        method, path = scope["method"], scope["path"]
        if route.stream:
            length = declared_length(headers)
            if length is not None and length > limit:
                return error_response(413, "request body too large")
            self.stats.streamed_requests += 1
            stream = BodyStream(receive, limit, length)
            return HttpRequest(method, path, params, query, headers, b"", identity, stream)
        body = await read_body(receive, headers, limit)
        if body is None:
            return error_response(413, "request body too large")
        self.stats.held_request(len(body))
        return HttpRequest(method, path, params, query, headers, body, identity)

    async def _serve(
        self, route: Route, request: HttpRequest, scope: Scope, receive: AsgiReceive, send: AsgiSend
    ) -> None:
        """Hand the request over and send the response: a whole body once the borrowed
        process has exited, a streamed one before (its chunks may read what it owns)."""
        async with self.node.process() as proc:
            set_label(proc, f"gateway {route}")
            try:
                response = await self._dispatch(proc, route, request)
            finally:
                if request.stream is not None:
                    request.stream.finish()
                    self.stats.held_request(request.stream.peak)
            if response.chunks is not None:
                head = scope["method"] == "HEAD"
                await respond_streamed(
                    send, receive, response, head=head, stats=self.stats, route=str(route)
                )
                return
        self.stats.held_response(len(response.body))
        await respond(send, response)

    async def _dispatch(self, proc: Process, route: Route, request: HttpRequest) -> HttpResponse:
        timeout = _pick(route.timeout, self.limits.timeout)
        try:
            return to_response(await _hand_off(proc, route, request, timeout))
        except trio.TooSlowError:
            log.warning("gateway_timeout", route=str(route), timeout=timeout)
            return error_response(504, f"no response within {timeout} s")
        except NoProcessError as exc:
            log.warning("gateway_no_process", route=str(route), error=str(exc))
            return error_response(503, "the handler process is not running")
        except Exception as exc:
            return _failed(route, request, exc)

    # -- websockets ------------------------------------------------------------------------

    async def _websocket(self, scope: Scope, receive: AsgiReceive, send: AsgiSend) -> None:
        await receive()  # websocket.connect
        found = self.router.match("WEBSOCKET", scope["path"])
        if isinstance(found, int):
            await send({"type": "websocket.close", "code": 1008})
            return
        route, params = found
        headers = _headers(scope)
        identity = await authorize(route, headers, scope)
        if isinstance(identity, HttpResponse):
            await _refuse(scope, send, identity)
            return
        query = dict(parse_qsl(scope["query_string"].decode("latin-1")))
        ws = WebSocket(
            HttpRequest("GET", scope["path"], params, query, headers, b"", identity), route.queue
        )
        await self._serve_socket(route, ws, receive, send)

    async def _serve_socket(
        self, route: Route, ws: WebSocket, receive: AsgiReceive, send: AsgiSend
    ) -> None:
        if route.kind == "ws_spawn":
            ref = lookup(self.node, self.node.spawn(route.target, ws))
        else:
            ref = lookup(self.node, route.target)
        if ref is None:
            await send({"type": "websocket.close", "code": 1011})
            return
        self.sockets.add(ws)  # before the peer hears of it, so a drain closes it
        try:
            await send({"type": "websocket.accept"})
            if route.kind == "ws_process" and not await ref.deliver(WebSocketOpened(ws)):
                await send({"type": "websocket.close", "code": 1011})
                return
            await run_connection(ws, ref, receive, send)
        finally:
            self.sockets.discard(ws)


async def _hand_off(proc: Process, route: Route, request: HttpRequest, timeout: float) -> object:
    if route.kind == "process":
        return await proc.request(route.target, route.topic, request, timeout=timeout)
    if route.kind == "server":
        return await call(proc, route.target, request, timeout=timeout)
    with trio.fail_after(timeout):
        value = route.target(proc, request)
        if inspect.isawaitable(value):
            value = await value
        return value


async def authorize(route: Route, headers: tuple[tuple[str, str], ...], scope: Scope) -> object:
    """The identity ``route.auth`` gives the request's token, or a 401 response."""
    if route.auth is None:
        return None
    try:
        identity = route.auth(_token(headers, scope))
        if inspect.isawaitable(identity):
            identity = await identity
    except Refused as exc:
        return error_response(401, str(exc) or "refused")
    if identity is None:
        return error_response(401, "refused")
    return identity


def _token(headers: tuple[tuple[str, str], ...], scope: Scope) -> str | None:
    """``Authorization: Bearer <token>``, else a ``token`` query parameter (browsers cannot
    set headers on a websocket)."""
    for key, value in headers:
        if key == "authorization" and value[:7].lower() == "bearer ":
            return value[7:].strip()
    return dict(parse_qsl(scope["query_string"].decode("latin-1"))).get("token")


def _failed(route: Route, request: HttpRequest, exc: Exception) -> HttpResponse:
    """The response to a handler that raised: 413 / 400 for a streamed body that was too
    large or cut short (even re-raised as another error), else 500."""
    stream = request.stream
    if stream is not None and stream.exceeded:
        return error_response(413, "request body too large")
    if isinstance(exc, BodyError):
        return error_response(exc.status, str(exc))
    log.warning("gateway_handler_failed", route=str(route), error=repr(exc))
    return error_response(500, f"handler failed: {type(exc).__name__}")


async def _refuse(scope: Scope, send: AsgiSend, response: HttpResponse) -> None:
    if "websocket.http.response" not in scope.get("extensions", {}):
        await send({"type": "websocket.close", "code": 1008})
        return
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
    start = {"type": "websocket.http.response.start", "status": response.status, "headers": headers}
    await send(start)
    await send({"type": "websocket.http.response.body", "body": response.body})


async def _lifespan(receive: AsgiReceive, send: AsgiSend) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def _headers(scope: Scope) -> tuple[tuple[str, str], ...]:
    return tuple((k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope["headers"])


def _pick(value: float | None, default: float) -> Any:
    return default if value is None else value


_REASONS = {404: "no route for this path", 405: "method not allowed on this path"}
