"""Writer backpressure: ``ws.send`` waits while the connection's outgoing queue is full."""

from __future__ import annotations

import trio
import trio.testing

import actorkit
from actorkit.gateway import WebSocket, websocket

from .conftest import open_ws, serving

QUEUE = 3
FRAME = 256 * 1024  # under trio-websocket's 1 MiB message limit
TOTAL = 64  # 16 MiB: far more than loopback socket buffers and the client's queue hold


def ws_url(base: str) -> str:
    return base.replace("http://", "ws://") + "/flood"


async def test_send_waits_while_the_outgoing_queue_is_full() -> None:
    sent: list[int] = []
    handles: list[WebSocket] = []

    async def flood(proc: actorkit.Process, ws: WebSocket) -> None:
        handles.append(ws)
        for i in range(TOTAL):
            await ws.send(i.to_bytes(4, "big") + bytes(FRAME - 4))
            sent.append(i)
        async for _ in ws.frames(proc):  # stay until the peer leaves
            pass

    routes = [websocket("/flood", spawn=flood, queue=QUEUE)]
    async with serving(routes) as (_, base), open_ws(ws_url(base)) as conn:
        # The client reads nothing yet: once the socket buffers fill, the writer stops,
        # the queue fills up, and the process waits in ws.send.
        await trio.testing.wait_all_tasks_blocked(cushion=0.05)
        (ws,) = handles
        stats = ws.outgoing.statistics()
        assert (stats.current_buffer_used, stats.tasks_waiting_send) == (QUEUE, 1)
        stalled = len(sent)
        assert stalled < TOTAL
        await trio.testing.wait_all_tasks_blocked(cushion=0.05)
        assert len(sent) == stalled  # still waiting: nothing dropped, nothing piled up

        # Reading drains the queue; every frame arrives, in order.
        received: list[int] = []
        for _ in range(TOTAL):
            data = await conn.get_message()
            assert isinstance(data, bytes) and len(data) == FRAME
            received.append(int.from_bytes(data[:4], "big"))
        assert received == list(range(TOTAL))
        assert sent == list(range(TOTAL))
        assert ws.outgoing.statistics().tasks_waiting_send == 0
