"""Websocket connections as processes: the :class:`WebSocket` handle, the events a process
gets (:class:`WebSocketOpened`, :class:`WebSocketFrame`, :class:`WebSocketClosed`), and the
gateway's side of one connection."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import trio

from actorkit import Cancel, Event

from ._http import HttpRequest

if TYPE_CHECKING:
    from actorkit import Process
    from actorkit.lowlevel import ProcessRef

AsgiSend = Callable[[dict[str, Any]], Awaitable[None]]
AsgiReceive = Callable[[], Awaitable[dict[str, Any]]]
_ids = itertools.count(1)
NORMAL, GOING_AWAY, SERVER_ERROR = 1000, 1001, 1011


class WebSocket:
    """The handle of one accepted websocket connection, given to the process that serves it.

    ``request`` is the upgrade request (path params, query, headers, the ``auth`` identity).
    """

    def __init__(self, request: HttpRequest, queue: int) -> None:
        self.request = request
        self.id = next(_ids)
        self.close_code: int | None = None
        self.peer_closed = False
        self._sender, self.outgoing = trio.open_memory_channel[str | bytes](queue)

    def __repr__(self) -> str:
        return f"<WebSocket {self.id} {self.request.path}>"

    @property
    def closed(self) -> bool:
        """True once either side closed the connection."""
        return self.close_code is not None or self.peer_closed

    async def send(self, data: str | bytes) -> None:
        """Send a text (``str``) or binary (``bytes``) frame.

        A checkpoint; waits while ``queue`` frames already wait to be written (the peer reads
        slowly). Cancelling it sends nothing.

        Raises:
            trio.ClosedResourceError: the connection is closed.
        """
        if self.closed:
            raise trio.ClosedResourceError(f"{self!r} is closed")
        try:
            await self._sender.send(data)
        except trio.BrokenResourceError as exc:
            raise trio.ClosedResourceError(f"{self!r} is closed") from exc

    def close(self, code: int = NORMAL) -> None:
        """Close the connection once the frames already sent are written. Not a checkpoint;
        closing twice does nothing."""
        if self.close_code is None:
            self.close_code = code
        self._sender.close()

    def frames(self, proc: Process) -> Frames:
        """Iterate over the data of each frame for this connection, in order, until the peer
        closes it or the process gets a ``Cancel`` (both end the loop and are consumed)::

            async for data in ws.frames(proc):
                await ws.send(data)

        A checkpoint at each step; other events stay queued.
        """
        return Frames(self, proc)

    def owns(self, event: Event) -> bool:
        """Whether ``event`` is about this connection (a ``Cancel`` is about them all)."""
        return isinstance(event, Cancel) or getattr(event, "ws", None) is self


class Frames:
    """What :meth:`WebSocket.frames` returns: an async iterator of frame data."""

    def __init__(self, ws: WebSocket, proc: Process) -> None:
        self._ws = ws
        self._proc = proc

    def __aiter__(self) -> Frames:
        return self

    async def __anext__(self) -> str | bytes:
        kinds = (WebSocketFrame, WebSocketClosed, Cancel)
        event = await self._proc.receive(kind=kinds, match=self._ws.owns)
        if isinstance(event, WebSocketFrame):
            return event.data
        raise StopAsyncIteration


@attrs.frozen(eq=False)
class WebSocketOpened(Event):
    """A connection was handed to this process (routes with ``process=``)."""

    bounded: ClassVar[bool] = True
    ws: WebSocket


@attrs.frozen(eq=False)
class WebSocketFrame(Event):
    """A frame from the peer: ``str`` for text, ``bytes`` for binary. Counts against the
    mailbox bound, so a process that falls behind stops the gateway reading."""

    bounded: ClassVar[bool] = True
    ws: WebSocket
    data: str | bytes


@attrs.frozen(eq=False)
class WebSocketClosed(Event):
    """The peer closed the connection (or the connection broke). ``code`` is what the
    server reports: hypercorn gives 1006 once the connection was accepted, whatever code
    the peer sent."""

    ws: WebSocket
    code: int


async def run_connection(
    ws: WebSocket, ref: ProcessRef, receive: AsgiReceive, send: AsgiSend
) -> None:
    """Pump frames both ways until the process exits, it closes ``ws``, or the peer leaves."""
    async with trio.open_nursery() as nursery:
        nursery.start_soon(_read, ws, ref, receive)
        nursery.start_soon(_watch, ws, ref)
        await _write(ws, send)
        nursery.cancel_scope.cancel()


async def _read(ws: WebSocket, ref: ProcessRef, receive: AsgiReceive) -> None:
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            ws.peer_closed = True
            ws.close(int(message.get("code", 1005)))
            ref.post(WebSocketClosed(ws, int(message.get("code", 1005))))
            return
        data = message.get("text")
        if data is None:
            data = message.get("bytes") or b""
        if not await ref.deliver(WebSocketFrame(ws, data)):
            return  # the process is gone: _watch closes the connection


async def _watch(ws: WebSocket, ref: ProcessRef) -> None:
    await ref.wait_exit()
    ws.close(NORMAL if ref.exit_error is None else SERVER_ERROR)


async def _write(ws: WebSocket, send: AsgiSend) -> None:
    async with ws.outgoing:
        async for data in ws.outgoing:
            key = "text" if isinstance(data, str) else "bytes"
            await send({"type": "websocket.send", key: data})
    if not ws.peer_closed:
        await send({"type": "websocket.close", "code": ws.close_code or NORMAL})
