"""The websocket module's boot component: :func:`module`."""

from __future__ import annotations

from collections.abc import Iterable

import trio

from actorkit.checks import duration, flag, integer
from actorkit.lowlevel import Boot, Component, add_exit_hook, remove_exit_hook
from actorkit.modules.http import AddressPolicy

from .dispatcher import TABLE
from .state import STATE, Settings, WsState


def module(
    *,
    allow_private: bool = False,
    allow_networks: Iterable[str] = (),
    connect_timeout: float = 30.0,
    close_timeout: float = 5.0,
    max_message_size: int = 1024 * 1024,
    queue_size: int = 16,
) -> Component:
    """The websocket client.

    Args:
        allow_private: allow every non-public unicast address (loopback, private,
            link-local …); by default only public addresses may be connected to.
        allow_networks: allow these networks only (CIDR strings, e.g.
            ``http.LOOPBACK``).
        connect_timeout: seconds a handshake may take, unless Connect sets its own.
        close_timeout: seconds to wait for the peer to agree to a close.
        max_message_size: the largest message accepted, in bytes (a larger one closes
            the connection with code 1009), unless Connect sets its own.
        queue_size: messages a connection reads ahead of its reader; when they are not
            taken, it stops reading the socket and the peer is slowed down.

    Raises:
        ValueError: a wrong option (named in the message).
    """
    owner = "websocket.module"
    flag().option(owner, "allow_private", allow_private)
    try:
        policy = AddressPolicy.of(allow_private, allow_networks)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{owner}: allow_networks must be IP networks: {exc}") from exc
    duration(positive=True).option(owner, "connect_timeout", connect_timeout)
    duration(positive=True, finite=True).option(owner, "close_timeout", close_timeout)
    integer(minimum=1).option(owner, "max_message_size", max_message_size)
    integer(minimum=1).option(owner, "queue_size", queue_size)
    settings = Settings(policy, connect_timeout, close_timeout, max_message_size, queue_size)
    return _component(settings)


def _component(settings: Settings) -> Component:
    def load(boot: Boot) -> None:
        boot.register_table(TABLE)

    async def start(boot: Boot) -> None:
        state = WsState(settings, boot.services)
        STATE.set(boot.node, state)
        add_exit_hook(boot.node, state.on_exit)

    async def stop(boot: Boot) -> None:
        state = STATE.get(boot.node)
        remove_exit_hook(boot.node, state.on_exit)
        for conn in list(state.conns.values()):
            state.forget(conn)
        with trio.move_on_after(settings.close_timeout * 2):
            for conn in list(state.live):  # closing ones too: their readers must run
                await conn.finished.wait()
        STATE.reset(boot.node)

    return Component("websocket", load=load, start=start, stop=stop)
