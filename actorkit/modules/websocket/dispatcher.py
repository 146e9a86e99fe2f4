"""The websocket handlers. Each checks that the caller owns the connection it names; every
WebSocketError leaving a handler names the command and its ID."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import trio
from trio_websocket import ConnectionClosed

from actorkit.checks import label
from actorkit.lowlevel import HandlerContext, HandlerTable, Receiver
from actorkit.modules import stream

from .commands import Close, Connect, Connection, Ping, Receive, Send, Stream, Subscribe
from .connection import closed_reason, pump, run_connection
from .errors import ConnectionClosedError, ReadModeError, WebSocketError
from .messages import Messages
from .state import Conn, WsState, state_of

C = TypeVar("C")
R = TypeVar("R")


def _named(
    fn: Callable[[HandlerContext, C], Awaitable[R]],
) -> Callable[[HandlerContext, C], Awaitable[R]]:
    """``fn``, with a closed connection turned into ConnectionClosedError and the command's
    name on every WebSocketError."""

    async def handle(ctx: HandlerContext, cmd: C) -> R:
        try:
            return await fn(ctx, cmd)
        except ConnectionClosed as exc:
            raise _closed(exc, cmd) from exc
        except WebSocketError as exc:
            exc.command = exc.command or label(type(cmd))
            raise

    return handle


def _closed(exc: ConnectionClosed, cmd: object) -> ConnectionClosedError:
    code, reason = closed_reason(exc)
    detail = f"the connection is closed (code {code}{f', {reason!r}' if reason else ''})"
    return ConnectionClosedError(detail, command=label(type(cmd)), code=code, reason=reason)


async def handle_connect(ctx: HandlerContext, cmd: Connect) -> Connection:
    """Open a connection owned by the caller; its task lives in the module's services."""
    state = state_of(ctx.node)
    conn: Conn = await state.services.start(run_connection, state, cmd, ctx.caller)
    return conn.handle


async def handle_send(ctx: HandlerContext, cmd: Send) -> None:
    """Send one message."""
    conn = state_of(ctx.node).of(ctx, cmd, cmd.connection)
    await conn.ws.send_message(cmd.data)


async def handle_receive(ctx: HandlerContext, cmd: Receive) -> str | bytes:
    """The next message."""
    state = state_of(ctx.node)
    conn = state.of(ctx, cmd, cmd.connection)
    _check_read_mode(state, conn, cmd)
    conn.receiving += 1
    try:
        return await conn.ws.get_message()
    finally:
        conn.receiving -= 1


def _check_read_mode(state: WsState, conn: Conn, cmd: object) -> None:
    """Refuse ``cmd`` if the connection's messages are already read another way."""
    if conn.subscribed:
        why = f"is subscribed by {label(Subscribe)}: its messages arrive as events"
    elif conn.streamed is not None:
        why = f"is read as a stream by {label(Stream)}: read it with the stream module"
    elif isinstance(cmd, Stream | Subscribe) and conn.receiving:
        why = f"has a {label(Receive)} waiting on it"
    else:
        return
    detail = f"the connection {why} ({state.describe(conn)})"
    raise ReadModeError(detail, command=label(type(cmd)))


async def handle_stream(ctx: HandlerContext, cmd: Stream) -> stream.StreamHandle:
    """The connection's messages as a stream owned by the caller."""
    state = state_of(ctx.node)
    conn = state.of(ctx, cmd, cmd.connection)
    _check_read_mode(state, conn, cmd)
    source = Messages(conn)
    try:
        handle = stream.attach(ctx, source, name=state.describe(conn), kind="websocket")
    except stream.StreamError as exc:
        raise WebSocketError(f"cannot make a stream: {exc}", command=label(Stream)) from exc
    conn.streamed = source
    await trio.lowlevel.checkpoint()
    return handle


async def handle_close(ctx: HandlerContext, cmd: Close) -> None:
    """Close with a code and a reason; the handle is gone at once."""
    state = state_of(ctx.node)
    conn = state.of(ctx, cmd, cmd.connection)
    try:
        with trio.move_on_after(state.settings.close_timeout):
            await conn.ws.aclose(cmd.code, cmd.reason or None)
    finally:
        state.forget(conn)


def handle_ping(ctx: HandlerContext, cmd: Ping, tag: int, receiver: Receiver) -> None:
    """Ping and wait for the pong (or only send it, ``wait=False``). The payload is checked
    inline, so of two pings with one payload the second always fails, whichever pong comes
    first."""
    conn = state_of(ctx.node).of(ctx, cmd, cmd.connection)
    if cmd.payload in conn.pings:
        detail = f"a ping with payload {cmd.payload!r} is in flight"
        raise WebSocketError(detail, command=label(Ping))
    if cmd.payload and cmd.wait:
        conn.pings.add(cmd.payload)
    ctx.start_soon(tag, _ping, cmd, conn, tag, receiver)


async def _ping(cmd: Ping, conn: Conn, tag: int, receiver: Receiver) -> None:
    try:
        if cmd.wait:
            await conn.ws.ping(cmd.payload or None)
        else:
            await conn.ws.send_ping(cmd.payload)
    except ConnectionClosed as exc:
        raise _closed(exc, cmd) from exc
    finally:
        if cmd.wait:
            conn.pings.discard(cmd.payload)
    receiver.complete_yield(tag, None, None)


def handle_subscribe(ctx: HandlerContext, cmd: Subscribe, tag: int, receiver: Receiver) -> None:
    """Start delivering the connection's messages to the caller (inline: no wait)."""
    state = state_of(ctx.node)
    conn = state.of(ctx, cmd, cmd.connection)
    if conn.subscribed:
        raise WebSocketError("the connection is already subscribed", command=label(Subscribe))
    _check_read_mode(state, conn, cmd)
    conn.subscribed = True
    conn.nursery.start_soon(pump, conn)
    receiver.complete_yield(tag, None, None)


TABLE: HandlerTable = {
    Connect: _named(handle_connect),
    Send: _named(handle_send),
    Receive: _named(handle_receive),
    Close: _named(handle_close),
    Ping: handle_ping,
    Subscribe: handle_subscribe,
    Stream: _named(handle_stream),
}
"""The handler table of the websocket module."""
