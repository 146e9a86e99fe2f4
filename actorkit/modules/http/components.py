"""The http module's boot component: :func:`module`."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable

from actorkit.checks import Check, duration, flag, integer, text
from actorkit.errors import MissingExtraError
from actorkit.lowlevel import Boot, Component

from .dispatcher import TABLE
from .guard import AddressPolicy
from .state import STATE, HttpState, Settings

DEFAULT_MAX_RESPONSE_BODY = 32 * 1024 * 1024
"""The node's default ``max_response_body``: 32 MiB."""


def module(
    *,
    allow_private: bool = False,
    allow_networks: Iterable[str] = (),
    timeout: float = 30.0,
    connect_timeout: float = 30.0,
    max_response_body: int = DEFAULT_MAX_RESPONSE_BODY,
    max_connections: int = 100,
    max_redirects: int = 10,
    user_agent: str = "actorkit",
    http2: bool = False,
) -> Component:
    """The http client, with one connection pool per node (opened at start, closed at stop).

    Args:
        allow_private: allow every non-public unicast address (loopback, private,
            link-local …); by default only public addresses may be connected to.
        allow_networks: allow these networks only (CIDR strings, e.g.
            ``http.LOOPBACK`` or ``["10.1.0.0/16"]``).
        timeout: seconds a request may take in all, unless it sets its own.
        connect_timeout: seconds to make a connection.
        max_response_body: the largest body a request accepts, in bytes, unless it sets
            its own.
        max_connections: connections the pool keeps open at most (further requests wait).
        max_redirects: redirects a request follows at most.
        user_agent: the ``User-Agent`` header sent unless a request sets one.
        http2: offer HTTP/2 to ``https://`` servers (ALPN ``h2``); those that take it get
            many requests at once on one connection, the others HTTP/1.1. Needs the
            ``h2`` package (in the ``http`` extra).

    Raises:
        ValueError: a wrong option (named in the message).
        MissingExtraError: ``http2=True`` without the ``h2`` package.
    """
    owner = "http.module"
    flag().option(owner, "allow_private", allow_private)
    try:
        policy = AddressPolicy.of(allow_private, allow_networks)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{owner}: allow_networks must be IP networks: {exc}") from exc
    _TIMEOUT.option(owner, "timeout", timeout)
    _TIMEOUT.option(owner, "connect_timeout", connect_timeout)
    integer(minimum=0).option(owner, "max_response_body", max_response_body)
    integer(minimum=1).option(owner, "max_connections", max_connections)
    integer(minimum=0).option(owner, "max_redirects", max_redirects)
    _AGENT.option(owner, "user_agent", user_agent)
    flag().option(owner, "http2", http2)
    if http2 and importlib.util.find_spec("h2") is None:
        raise MissingExtraError("http.module(http2=True)", "http")
    settings = Settings(
        policy,
        timeout,
        connect_timeout,
        max_response_body,
        max_connections,
        max_redirects,
        user_agent,
        http2,
    )
    return _component(settings)


_TIMEOUT = duration(positive=True)
_AGENT = Check(lambda v: text(non_empty=True).test(v) and "\n" not in v, "a one-line str")


def _component(settings: Settings) -> Component:
    def load(boot: Boot) -> None:
        boot.register_table(TABLE)

    async def start(boot: Boot) -> None:
        state = HttpState(settings)
        state.client(None)  # the node's pool
        STATE.set(boot.node, state)

    async def stop(boot: Boot) -> None:
        state = STATE.get(boot.node)
        STATE.reset(boot.node)
        await state.aclose()

    return Component("http", load=load, start=start, stop=stop)
