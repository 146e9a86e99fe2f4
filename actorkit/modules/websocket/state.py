"""The websocket module's per-node state: its settings and the open connections, each
with the process that owns it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import trio

from actorkit import PID
from actorkit.checks import label
from actorkit.lowlevel import HandlerContext, NodeVar, ProcessRef
from actorkit.modules.http import AddressPolicy

from .commands import Connection
from .errors import NoConnectionError, NotOwnerError
from .protocol import ClientConnection, Stream

if TYPE_CHECKING:
    from actorkit import Node


@attrs.frozen
class Settings:
    """The node's options (see :func:`actorkit.modules.websocket.module`)."""

    policy: AddressPolicy
    connect_timeout: float
    close_timeout: float
    max_message_size: int
    queue_size: int


@attrs.define(eq=False)
class Conn:
    """One open connection: its handle, its owner, and what its task waits on."""

    handle: Connection
    owner: ProcessRef
    ws: ClientConnection
    stream: Stream
    nursery: trio.Nursery
    stop: trio.Event = attrs.field(factory=trio.Event)
    finished: trio.Event = attrs.field(factory=trio.Event)
    subscribed: bool = False
    streamed: object | None = None
    """The message source of the connection's open Stream, if it has one."""
    receiving: int = 0
    """Receive calls waiting on the connection."""
    pings: set[bytes] = attrs.field(factory=set[bytes])


@attrs.define(eq=False)
class WsState:
    """What a node's websocket module holds while it runs."""

    settings: Settings
    services: trio.Nursery
    conns: dict[int, Conn] = attrs.field(factory=dict[int, Conn])
    owned: dict[PID, set[int]] = attrs.field(factory=dict[PID, set[int]])
    live: set[Conn] = attrs.field(factory=set[Conn])
    """Every connection whose task has not finished, forgotten (closing) ones included."""
    serial: int = 0

    def add(
        self,
        ws: ClientConnection,
        stream: Stream,
        nursery: trio.Nursery,
        owner: ProcessRef,
        url: str,
    ) -> Conn:
        """Register a new connection of ``owner``; stopped at once if it has exited."""
        self.serial += 1
        handle = Connection(self.serial, url, ws.subprotocol, ws.extensions)
        conn = Conn(handle, owner, ws, stream, nursery)
        self.conns[self.serial] = conn
        self.live.add(conn)
        self.owned.setdefault(owner.pid, set()).add(self.serial)
        if not owner.alive:
            self.forget(conn)
        return conn

    def forget(self, conn: Conn) -> None:
        """Drop ``conn`` from the node (its handle stops working) and tell its task to close
        it."""
        self.conns.pop(conn.handle.id, None)
        owned = self.owned.get(conn.owner.pid)
        if owned is not None:
            owned.discard(conn.handle.id)
            if not owned:
                del self.owned[conn.owner.pid]
        conn.stop.set()

    def on_exit(self, proc: ProcessRef, result: object, error: object) -> None:
        """The exit hook: a process's connections close when it exits, however it exits."""
        for serial in list(self.owned.get(proc.pid, ())):
            self.forget(self.conns[serial])

    def of(self, ctx: HandlerContext, cmd: object, handle: Connection) -> Conn:
        """The open connection ``handle`` names, if the caller owns it.

        Raises:
            NoConnectionError: it is closed, or not of this node.
            NotOwnerError: another process owns it.
        """
        conn = self.conns.get(handle.id)
        name = label(type(cmd))
        if conn is None or conn.handle != handle:
            detail = f"connection #{handle.id} to {handle.url} is not open"
            raise NoConnectionError(detail, command=name)
        if conn.owner.pid != ctx.pid:
            detail = f"connection #{handle.id} belongs to {conn.owner.pid}, not {ctx.pid}"
            raise NotOwnerError(detail, command=name)
        return conn

    def describe(self, conn: Conn) -> str:
        """``connection #1 to ws://…``, for messages."""
        return f"connection #{conn.handle.id} to {conn.handle.url}"


STATE = NodeVar[WsState]("websocket")


def state_of(node: Node) -> WsState:
    """The node's websocket state; ``LookupError`` if the module is not booted there."""
    return STATE.get(node)
