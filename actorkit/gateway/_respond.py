"""Sending a response: a whole body in one ASGI message, or a streamed one a chunk at a time
while watching for the client to leave."""

from __future__ import annotations

from collections.abc import AsyncIterable
from typing import Any

import structlog
import trio

from ._body import AsgiReceive
from ._http import HttpResponse
from ._stats import GatewayStats

AsgiSend = Any
log = structlog.get_logger("actorkit.gateway")


def _start(response: HttpResponse, length: int | None) -> dict[str, Any]:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    return {"type": "http.response.start", "status": response.status, "headers": headers}


async def respond(send: AsgiSend, response: HttpResponse) -> None:
    """Send a whole-body ``response`` as ASGI messages."""
    await send(_start(response, len(response.body)))
    await send({"type": "http.response.body", "body": response.body})


async def respond_streamed(
    send: AsgiSend,
    receive: AsgiReceive,
    response: HttpResponse,
    *,
    head: bool,
    stats: GatewayStats,
    route: str,
) -> None:
    """Send ``response.chunks`` as they come; stop if the client leaves. The chunks are
    closed in every case. A failing iterator (or a client that leaves) ends the response
    without its last message, so the server breaks the connection: the client sees a short
    body, never a complete-looking one."""
    chunks = response.chunks
    assert chunks is not None
    stats.streamed_responses += 1
    try:
        await send(_start(response, response.length))
        if head:
            await send({"type": "http.response.body", "body": b""})
            return
        async with trio.open_nursery() as nursery:
            nursery.start_soon(_watch_disconnect, receive, nursery.cancel_scope)
            if await _pump(send, chunks, stats, route):
                await send({"type": "http.response.body", "body": b""})
            nursery.cancel_scope.cancel()
    finally:
        with trio.CancelScope(shield=True):
            await _close(chunks, route)


async def _pump(
    send: AsgiSend, chunks: AsyncIterable[bytes], stats: GatewayStats, route: str
) -> bool:
    """Send each chunk; False if the iterator failed (logged)."""
    try:
        async for chunk in chunks:
            if chunk:
                stats.held_response(len(chunk))
                await send({"type": "http.response.body", "body": bytes(chunk), "more_body": True})
    except Exception as exc:
        log.warning("gateway_stream_failed", route=route, error=repr(exc))
        return False
    return True


async def _watch_disconnect(receive: AsgiReceive, scope: trio.CancelScope) -> None:
    """Cancel ``scope`` when the client goes away (what is left of a request body is
    drained: the handler is done with it)."""
    while (await receive())["type"] != "http.disconnect":
        pass
    scope.cancel()


async def _close(chunks: AsyncIterable[bytes], route: str) -> None:
    aclose = getattr(chunks, "aclose", None)
    if aclose is None:
        return
    try:
        await aclose()
    except Exception as exc:
        log.warning("gateway_stream_close_failed", route=route, error=repr(exc))
