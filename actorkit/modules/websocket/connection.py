"""Opening a connection and the task that holds it.

A connection's task runs in the module's service nursery (so it outlives the Connect
call) with a nursery of its own for trio-websocket's reader. It opens the connection while
still tied to the Connect call (``nursery.start``: the call's deadline and cancellation
reach the handshake), then waits until the connection is closed, forgotten by its owner's
exit, or the module stops, and closes it, shielded, within ``close_timeout``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import cast
from urllib.parse import urlsplit

import structlog
import trio
from trio_websocket import ConnectionClosed, ConnectionRejected

from actorkit.checks import label
from actorkit.lowlevel import ProcessRef
from actorkit.modules.http import RefusedAddress, open_guarded_tcp_stream, ssl_context

from .commands import (
    Connect,
    Connection,
    Pairs,
    WebSocketClosed,
    WebSocketMessage,
    WebSocketPing,
    WebSocketPong,
)
from .errors import (
    AddressRefusedError,
    HandshakeFailedError,
    WebSocketError,
    WebSocketTimeoutError,
)
from .protocol import ClientConnection, Control, Stream, open_client, opening_request
from .state import Conn, WsState

log = structlog.get_logger(__name__)


async def run_connection(
    state: WsState,
    cmd: Connect,
    owner: ProcessRef,
    *,
    task_status: trio.TaskStatus[Conn] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Open the connection, report it started, hold it until told to stop, close it.

    Raises:
        WebSocketError: a subclass saying why there is no connection (only before it has
            started: a failure after that is logged, never raised into the services).
    """
    started = False
    try:
        async with trio.open_nursery() as nursery:
            ws, stream = await connect(nursery, state, cmd)
            conn = state.add(ws, stream, nursery, owner, cmd.url)
            ws.attach(_reporter(conn))
            task_status.started(conn)
            started = True
            await _hold(state, conn)
    except Exception as exc:  # an ExceptionGroup from the nursery, too
        if not started:
            raise _failure(_leaf(exc), cmd, state) from exc
        log.warning("websocket_connection_failed", url=cmd.url, error=repr(exc))


async def _hold(state: WsState, conn: Conn) -> None:
    try:
        await conn.stop.wait()
    finally:
        state.forget(conn)
        with trio.move_on_after(state.settings.close_timeout, shield=True):
            await conn.ws.aclose()
        await trio.aclose_forcefully(conn.stream)  # whatever state the close left it in
        conn.nursery.cancel_scope.cancel()
        state.live.discard(conn)
        conn.finished.set()


async def connect(
    nursery: trio.Nursery, state: WsState, cmd: Connect
) -> tuple[ClientConnection, Stream]:
    """The handshake, bounded by the command's (or the node's) connect timeout."""
    with trio.fail_after(_timeout(cmd, state)):
        return await _handshake(nursery, state, cmd)


def _timeout(cmd: Connect, state: WsState) -> float:
    return state.settings.connect_timeout if cmd.timeout is None else cmd.timeout


def _leaf(exc: Exception) -> Exception:
    """The one exception inside nested single-exception groups (trio-websocket's reader
    fails the connection's nursery with ConnectionRejected, say)."""
    inner: tuple[Exception, ...] = (exc,)
    while len(inner) == 1:
        exc = inner[0]
        if not isinstance(exc, ExceptionGroup):
            break
        inner = cast("ExceptionGroup[Exception]", exc).exceptions
    return exc  # pyright: ignore[reportUnknownVariableType]  # the group's is Exception


def _failure(exc: Exception, cmd: Connect, state: WsState) -> WebSocketError:
    """The WebSocketError saying why the connection did not open."""
    name = label(Connect)
    if isinstance(exc, WebSocketError):
        return exc
    if isinstance(exc, trio.TooSlowError):
        detail = f"{cmd.url}: no connection within {_timeout(cmd, state)}s"
        return WebSocketTimeoutError(detail, command=name)
    if isinstance(exc, RefusedAddress):
        return AddressRefusedError(str(exc), command=name)
    if isinstance(exc, ConnectionRejected):
        detail = f"{cmd.url}: the server refused the upgrade with HTTP {exc.status_code}"
        return HandshakeFailedError(detail, command=name, status_code=exc.status_code)
    return HandshakeFailedError(f"{cmd.url}: {type(exc).__name__}: {_reason(exc)}", command=name)


def _reason(exc: BaseException) -> str:
    """``exc``'s message, or the first message down its chain of causes (a failed TLS
    handshake is a BrokenResourceError that says nothing; its ssl error does)."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None or str(seen):
            break
        seen = seen.__cause__ or seen.__context__
    return "" if seen is None else f"{seen}"


async def _handshake(
    nursery: trio.Nursery, state: WsState, cmd: Connect
) -> tuple[ClientConnection, Stream]:
    parts = urlsplit(cmd.url)
    host = parts.hostname or ""
    secure = parts.scheme == "wss"
    port = parts.port or (443 if secure else 80)
    tcp = await open_guarded_tcp_stream(host, port, state.settings.policy)
    stream: Stream = tcp
    try:
        if secure:
            name = host if cmd.tls is None or cmd.tls.server_name is None else cmd.tls.server_name
            stream = trio.SSLStream(tcp, ssl_context(cmd.tls), server_hostname=name)
            await stream.do_handshake()
        resource = parts.path or "/"
        if parts.query:
            resource += f"?{parts.query}"
        request = opening_request(
            _host_header(host, port, secure),
            resource,
            subprotocols=cmd.subprotocols,
            headers=[(k.encode(), v.encode()) for k, v in cast("Pairs", cmd.headers)],
            compression=cmd.compression,
        )
        ws = await open_client(
            nursery,
            stream,
            request,
            queue_size=state.settings.queue_size,
            max_message_size=cmd.max_message_size or state.settings.max_message_size,
            report_control=cmd.control_events,
        )
    except BaseException:
        await trio.aclose_forcefully(stream)
        raise
    return ws, stream


def _host_header(host: str, port: int, secure: bool) -> str:
    shown = f"[{host}]" if ":" in host else host
    return shown if port == (443 if secure else 80) else f"{shown}:{port}"


def closed_reason(exc: ConnectionClosed) -> tuple[int, str]:
    """The close code and reason of a closed connection (1006: no close frame)."""
    if exc.reason is None:
        return 1006, ""
    return exc.reason.code, exc.reason.reason or ""


def _reporter(conn: Conn) -> Callable[[Control, bytes], Awaitable[None]]:
    """What delivers a connection's pings and pongs to its owner: losslessly, waiting for
    room in the mailbox (the connection's reader waits meanwhile)."""

    async def report(kind: Control, payload: bytes) -> None:
        event = WebSocketPing if kind == "ping" else WebSocketPong
        await conn.owner.deliver(event(conn.handle, payload))  # False: the owner is gone

    return report


async def pump(conn: Conn) -> None:
    """A subscription: each message to the owner's mailbox, waiting for room (lossless),
    then one WebSocketClosed after the last."""
    handle: Connection = conn.handle
    try:
        while True:
            data = await conn.ws.get_message()
            if not await conn.owner.deliver(WebSocketMessage(handle, data)):
                return  # the owner exited; its exit closes the connection
    except ConnectionClosed as exc:
        code, reason = closed_reason(exc)
        conn.owner.post(WebSocketClosed(handle, code, reason))
