"""A live web view of a node, as Erlang's observer or Ray's dashboard: one page, served by
the gateway and updated over a websocket, drawing the supervision tree, the processes with
their mailbox depth, message rates and restarts, dead letters and in-flight commands by
module. Plain HTML, CSS and a small script shipped in the package; no build step.

Boot :func:`web_view` as a component (it binds to loopback unless told otherwise), or
mount :func:`web_routes` on a gateway of your own.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from importlib import resources

import trio

from actorkit import Boot, Cancel, Component, Node, Process
from actorkit.gateway import (
    HttpRequest,
    HttpResponse,
    Route,
    WebSocket,
    WebSocketClosed,
    WebSocketFrame,
    gateway,
    gateway_address,
    route,
    websocket,
)
from actorkit.gateway.errors import RouteError

from ._snapshot import Rates, snapshot, tree, unwatch_restarts, watch_restarts

__all__ = ["parse_address", "snapshot", "tree", "web_address", "web_routes", "web_view"]

_STATIC = {
    "index.html": "text/html; charset=utf-8",
    "view.css": "text/css; charset=utf-8",
    "view.js": "text/javascript; charset=utf-8",
}


def web_view(
    *, port: int = 8089, host: str = "127.0.0.1", interval: float = 1.0, name: str = "web"
) -> Component:
    """A boot component serving the web view on ``host:port`` (0 picks a port; see
    :func:`web_address`). Loopback only by default: the page shows everything the node runs.
    Each open page gets a snapshot every ``interval`` seconds."""
    inner = gateway(web_routes(interval=interval), port=port, host=host, name=name)
    assert inner.start is not None and inner.stop is not None
    start_gateway, stop_gateway = inner.start, inner.stop

    async def start(boot: Boot) -> None:
        watch_restarts(boot.node)
        await start_gateway(boot)

    async def stop(boot: Boot) -> None:
        await stop_gateway(boot)
        unwatch_restarts(boot.node)

    return Component(name, start=start, stop=stop)


def web_address(node: Node, name: str = "web") -> tuple[str, int]:
    """``(host, port)`` where the web view ``name`` listens (after boot)."""
    return gateway_address(node, name)


def web_routes(*, prefix: str = "", interval: float = 1.0) -> list[Route]:
    """The view's routes, to mount on any gateway: ``{prefix}/`` (the page),
    ``{prefix}/static/{file}`` and the websocket ``{prefix}/ws``. Restart counts per child
    need :func:`web_view`, or ``watch_restarts(node)`` from ``._snapshot`` at boot."""
    return [
        route("GET", f"{prefix}/", _page),
        route("GET", f"{prefix}/static/{{file}}", _static),
        websocket(f"{prefix}/ws", spawn=_pusher(interval), queue=2),
    ]


def parse_address(text: str) -> tuple[str, int]:
    """``":8089"`` → ``("127.0.0.1", 8089)``; ``"0.0.0.0:8089"`` → as written (for
    ``actorkit run --web``)."""
    host, _, port = text.rpartition(":")
    if not port.isdigit():
        raise RouteError(f"--web {text}", "port", "must be a number, as in ':8089'")
    return host.strip("[]") or "127.0.0.1", int(port)


def _read(file: str) -> bytes:
    return (resources.files("actorkit.observer.web") / "static" / file).read_bytes()


def _page(proc: Process, request: HttpRequest) -> HttpResponse:
    return HttpResponse(200, _read("index.html"), (("content-type", _STATIC["index.html"]),))


def _static(proc: Process, request: HttpRequest) -> HttpResponse:
    file = request.params["file"]
    if file not in _STATIC:
        return HttpResponse.json({"error": "no such file"}, 404)
    return HttpResponse(200, _read(file), (("content-type", _STATIC[file]),))


def _pusher(interval: float) -> Callable[[Process, WebSocket], Awaitable[None]]:
    async def web_view_client(proc: Process, ws: WebSocket) -> None:
        """One open page: push a snapshot every ``interval`` (and on any frame it sends)."""
        rates = Rates()
        while True:
            try:
                await ws.send(json.dumps(snapshot(proc.node, rates), separators=(",", ":")))
            except trio.ClosedResourceError:
                return  # the page went away
            kinds = (WebSocketFrame, WebSocketClosed, Cancel)
            try:
                event = await proc.receive(kind=kinds, match=ws.owns, timeout=interval)
            except trio.TooSlowError:
                continue
            if not isinstance(event, WebSocketFrame):
                return

    return web_view_client
