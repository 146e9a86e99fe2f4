"""Serving: a small JSON API whose handlers are processes, and a websocket that pushes live
updates. The gateway listens on a free loopback port; main then calls its own API.

Run it with ``python examples/19_gateway.py`` or ``actorkit run examples/19_gateway.py:main``.
"""

import httpx
from trio_websocket import open_websocket_url

import actorkit
from actorkit.gateway import (
    HttpRequest,
    HttpResponse,
    WebSocket,
    WebSocketFrame,
    WebSocketOpened,
    gateway,
    gateway_address,
    route,
    websocket,
)


class Orders(actorkit.Server[dict[int, str]]):
    """The API's state: orders by number. Each HTTP request arrives as a call."""

    def init(self, proc: actorkit.Process) -> dict[int, str]:
        return {}

    async def handle_call(
        self, request: object, state: dict[int, str]
    ) -> tuple[HttpResponse, dict[int, str]]:
        assert isinstance(request, HttpRequest)
        if request.method == "POST":
            number, item = len(state) + 1, request.json()["item"]
            await self.proc.send("feed", "order", f"order {number}: {item}")
            return HttpResponse.json({"order": number}, 201), {**state, number: item}
        number = int(request.params["number"])
        if number not in state:
            return HttpResponse.json({"error": "no such order"}, 404), state
        return HttpResponse.json({"order": number, "item": state[number]}), state


async def feed(proc: actorkit.Process) -> None:
    """Every websocket on /live is handed to this process; it pushes each new order."""
    subscribers: list[WebSocket] = []
    while True:
        event = await proc.receive(
            kind=(WebSocketOpened, WebSocketFrame, actorkit.Message, actorkit.Cancel)
        )
        if isinstance(event, actorkit.Cancel):
            return
        if isinstance(event, WebSocketOpened):
            subscribers.append(event.ws)
            await event.ws.send("subscribed")
        elif isinstance(event, actorkit.Message) and event.topic == "order":
            subscribers = [ws for ws in subscribers if not ws.closed]
            for ws in subscribers:
                await ws.send(str(event.payload))


MODULES = [
    gateway(
        [
            route("POST", "/orders", server="orders"),
            route("GET", "/orders/{number}", server="orders"),
            websocket("/live", process="feed"),
        ],
        port=0,
    )
]


async def main(proc: actorkit.Process) -> str:
    await Orders.start(proc, name="orders", link=True)
    await proc.spawn(feed, name="feed", link=True)
    host, port = gateway_address(proc.node)
    async with (
        open_websocket_url(f"ws://{host}:{port}/live") as live,
        httpx.AsyncClient(base_url=f"http://{host}:{port}") as http,
    ):
        assert await live.get_message() == "subscribed"
        for item in ("tea", "cake"):
            await http.post("/orders", json={"item": item})
        second = (await http.get("/orders/2")).json()
        missing = (await http.get("/orders/9")).status_code
        pushed = [await live.get_message(), await live.get_message()]
    return f"order 2 is {second['item']}; order 9 gives {missing}; live feed pushed {pushed}"


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
