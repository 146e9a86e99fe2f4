"""Serving a node's statistics on a local TCP endpoint, for ``actorkit top``.

A client connects and receives one JSON line per interval (a ``node.statistics()`` snapshot)
until it disconnects. Only loopback by default: it is a window into the node.
"""

from __future__ import annotations

import json
from functools import partial

import cattrs
import trio

from actorkit import Boot, Component, Node
from actorkit.lowlevel import NodeVar

_converter = cattrs.Converter()
ADDRESS = NodeVar[tuple[str, int]]("observer")


def observer(*, port: int = 0, host: str = "127.0.0.1", interval: float = 1.0) -> Component:
    """A boot component serving ``node.statistics()`` on ``host:port`` (0 picks a port).

    The bound address is kept on the node (see :func:`observer_address`).
    """

    async def start(boot: Boot) -> None:
        handler = partial(_serve_client, boot.node, interval)
        listeners = await boot.services.start(partial(trio.serve_tcp, handler, port, host=host))
        sockname = listeners[0].socket.getsockname()
        ADDRESS.set(boot.node, (str(sockname[0]), int(sockname[1])))

    return Component("observer", start=start)


def observer_address(node: Node) -> tuple[str, int]:
    """Where the node's observer listens (after boot)."""
    address = ADDRESS.find(node)
    if address is None:
        raise LookupError(f"node {node.name!r} boots no observer component")
    return address


def snapshot_json(node: Node) -> str:
    """One statistics snapshot as a JSON line."""
    return json.dumps(_converter.unstructure(node.statistics()), separators=(",", ":")) + "\n"


async def _serve_client(node: Node, interval: float, stream: trio.SocketStream) -> None:
    async with stream:
        try:
            while True:
                await stream.send_all(snapshot_json(node).encode())
                await trio.sleep(interval)
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            return
