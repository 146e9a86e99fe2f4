"""The websocket client: connect, send and receive, subscribe, ping and close.

The server is actorkit's own gateway on a free loopback port: its ``/echo`` route spawns
one ``echo`` process per connection, which answers every frame. ``main`` talks to it
through the websocket module, the way a process talks to any websocket server. The node
allows loopback explicitly: by default the module refuses every non-public address, after
DNS resolution, as the http module does. The guide is ``docs/guides/websocket.md``.

Run it with ``python examples/21_websocket.py`` or
``actorkit run examples/21_websocket.py:main``.
"""

import actorkit
from actorkit.gateway import WebSocket, gateway, gateway_address
from actorkit.gateway import websocket as websocket_route
from actorkit.modules import http, websocket


async def echo(proc: actorkit.Process, ws: WebSocket) -> None:
    """The server side: one process per connection, answering each frame as text."""
    async for data in ws.frames(proc):
        text = data if isinstance(data, str) else data.decode(errors="replace")
        await ws.send(f"echo: {text}")


MODULES = [
    gateway([websocket_route("/echo", spawn=echo)], port=0),
    websocket.module(allow_networks=http.LOOPBACK),
]


async def subscribed(proc: actorkit.Process, conn: websocket.Connection) -> list[str]:
    """After Subscribe, the replies arrive as events in the mailbox, in order."""
    await proc.call(websocket.Subscribe(conn))
    for item in ("tea", "cake"):
        await proc.call(websocket.Send(conn, item))
    events = [await proc.receive(kind=websocket.WebSocketMessage, timeout=10) for _ in range(2)]
    return [str(event.data) for event in events]


async def refused(proc: actorkit.Process) -> str:
    """The metadata address of cloud machines is link-local: refused before connecting."""
    try:
        await proc.call(websocket.Connect("ws://169.254.169.254/feed"))
    except websocket.AddressRefusedError:
        return "169.254.169.254 refused"
    return "169.254.169.254 allowed"


async def main(proc: actorkit.Process) -> str:
    host, port = gateway_address(proc.node)
    conn = await proc.call(websocket.Connect(f"ws://{host}:{port}/echo", timeout=10))
    await proc.call(websocket.Send(conn, "hello"))
    reply = await proc.call(websocket.Receive(conn), timeout=10)
    await proc.call(websocket.Ping(conn, payload=b"still there?"))  # returns with the pong
    feed = await subscribed(proc, conn)
    await proc.call(websocket.Close(conn))
    closed = await proc.receive(kind=websocket.WebSocketClosed, timeout=10)
    return (
        f"received {reply!r}; ping answered; subscribed {feed}; "
        f"closed {closed.code}; {await refused(proc)}"
    )


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
