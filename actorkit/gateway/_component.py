"""The gateway as a boot component: hypercorn's Trio worker serving the routes' ASGI app."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from functools import partial
from typing import Any, cast

import trio

from actorkit import Boot, Component, Node
from actorkit.errors import MissingExtraError
from actorkit.lowlevel import NodeVar, add_shutdown_hook

from ._routes import Route, Router
from ._serve import App, Limits
from ._stats import GatewayStats
from .errors import RouteError

ADDRESSES = NodeVar[dict[str, tuple[str, int]]]("gateway.addresses")
_APPS = NodeVar[dict[str, App]]("gateway.apps")


def gateway(
    routes: Iterable[Route],
    *,
    port: int = 8080,
    host: str = "127.0.0.1",
    name: str = "gateway",
    timeout: float = 30.0,
    max_body: int = 1 << 20,
    concurrency: int | None = None,
    drain: float = 10.0,
    depends_on: Sequence[str] = (),
) -> Component:
    """A boot component serving ``routes`` over HTTP/1.1, HTTP/2 and websockets on
    ``host:port`` (0 picks a free port; :func:`gateway_address` tells which).

    ``timeout`` (504), ``max_body`` (413) and ``concurrency`` (503) are the defaults of
    routes that set none (``max_body`` is a limit; a ``stream=True`` route counts it as
    the body comes instead of buffering it). On shutdown the gateway stops accepting,
    closes its websockets (1001) and lets requests in flight finish for up to ``drain``
    seconds, before the node's processes are cancelled.

    Raises:
        RouteError: an entry of ``routes`` is not a :class:`Route`.
        MissingExtraError: hypercorn is not installed (``actorkit[gateway]``).
    """
    router = Router(_checked(routes))
    limits = Limits(timeout, max_body, concurrency)

    async def start(boot: Boot) -> None:
        serve = _hypercorn_serve()
        app = App(boot.node, router, limits)
        stopper = _Stopper(app)
        config = _config(host, port, drain)
        binds = await boot.services.start(partial(stopper.run, serve, app, config))
        bound = binds[0].rpartition("://")[2]
        bound_host, _, bound_port = bound.rpartition(":")
        ADDRESSES.setdefault(boot.node, dict)[name] = (bound_host.strip("[]"), int(bound_port))
        _APPS.setdefault(boot.node, dict)[name] = app
        add_shutdown_hook(boot.node, stopper.stop)
        _STOPPERS.setdefault(boot.node, dict)[name] = stopper

    async def stop(boot: Boot) -> None:
        stoppers = _STOPPERS.find(boot.node) or {}
        if name in stoppers:
            await stoppers.pop(name).stop()

    return Component(name, depends_on=tuple(depends_on), start=start, stop=stop)


def gateway_address(node: Node, name: str = "gateway") -> tuple[str, int]:
    """``(host, port)`` where the gateway component ``name`` listens (after boot)."""
    address = (ADDRESSES.find(node) or {}).get(name)
    if address is None:
        raise LookupError(f"node {node.name!r} boots no gateway named {name!r}")
    return address


def gateway_stats(node: Node, name: str = "gateway") -> GatewayStats:
    """A snapshot of what the gateway component ``name`` counted (after boot): the most body
    bytes it held at once, and how many bodies it streamed."""
    app = (_APPS.find(node) or {}).get(name)
    if app is None:
        raise LookupError(f"node {node.name!r} boots no gateway named {name!r}")
    return app.stats.snapshot()


class _Stopper:
    """Runs hypercorn until asked to drain, and waits for it to finish."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.trigger = trio.Event()
        self.done = trio.Event()

    async def run(
        self,
        serve: Callable[..., Awaitable[None]],
        app: App,
        config: Any,
        *,
        task_status: trio.TaskStatus[list[str]] = trio.TASK_STATUS_IGNORED,
    ) -> None:
        try:
            await serve(app, config, shutdown_trigger=self.trigger.wait, task_status=task_status)
        finally:
            self.done.set()

    async def stop(self) -> None:
        self.trigger.set()
        self.app.close_websockets()
        await self.done.wait()


_STOPPERS = NodeVar[dict[str, _Stopper]]("gateway.stoppers")


def _checked(routes: Iterable[object]) -> tuple[Route, ...]:
    checked: list[Route] = []
    for item in routes:
        if not isinstance(item, Route):
            raise RouteError(repr(item), "routes", "must hold route() or websocket() routes")
        checked.append(item)
    return tuple(checked)


def _hypercorn_serve() -> Callable[..., Awaitable[None]]:
    try:
        from hypercorn.trio import serve  # noqa: PLC0415  # pyright: ignore[reportUnknownVariableType]
    except ImportError as exc:
        raise MissingExtraError("the gateway", "gateway") from exc
    return cast(Callable[..., Awaitable[None]], serve)


def _config(host: str, port: int, drain: float) -> Any:
    from hypercorn.config import Config  # noqa: PLC0415

    config = Config()
    config.bind = [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]
    config.graceful_timeout = drain
    config.accesslog = None
    config.errorlog = logging.getLogger("hypercorn.error")  # the application configures it
    return config
