"""One connection that many tasks share: requests are written in call order and replies
matched to them first-in first-out (Redis answers in order), so concurrent callers pipeline
on one socket without a lock.

A caller queues its request and parks (``wait_task_rescheduled``); the reader task wakes it
with its replies. A caller cancelled while waiting leaves its place in the queue: its reply
is read and dropped, so the queue stays in step with the server. A dedicated connection
(``close_on_cancel``) is closed instead, so it is never reused with a reply pending. When the
connection breaks, every caller still waiting fails with ``RedisConnectionError(sent=True)``.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import trio

from ._protocol import encode_many
from ._url import Address
from ._wire import BROKEN, Wire, open_wire, pump
from .errors import RedisConnectionError, RedisReplyError

__all__ = ["Connection", "log_in", "open_connection"]

# What a broken connection raises in the reader or the writer.


class _Waiter:
    """A caller waiting for ``want`` replies on ``conn``."""

    __slots__ = ("conn", "error", "replies", "task", "want")

    def __init__(self, conn: Connection, task: trio.lowlevel.Task, want: int) -> None:
        self.conn = conn
        self.task: trio.lowlevel.Task | None = task
        self.want = want
        self.replies: list[Any] = []
        self.error: RedisConnectionError | None = None

    def abort(self, _: Any) -> trio.lowlevel.Abort:
        """The caller was cancelled: its replies are read and dropped when they come (a
        dedicated connection is closed instead)."""
        self.task = None
        if self.conn.close_on_cancel:
            self.conn.lose("a call on this dedicated connection was cancelled")
        return trio.lowlevel.Abort.SUCCEEDED


class Connection:
    """A connection shared by many callers; :meth:`run` is its reader task."""

    def __init__(self, wire: Wire, where: str, *, close_on_cancel: bool = False) -> None:
        self._wire = wire
        self._where = where
        self.close_on_cancel = close_on_cancel
        self._pending: deque[_Waiter] = deque()
        self._lost: str | None = None
        self._scope = trio.CancelScope()

    @property
    def usable(self) -> bool:
        """True until the connection is lost or closed."""
        return self._lost is None

    @property
    def idle(self) -> bool:
        """True when usable and no reply is pending."""
        return self._lost is None and not self._pending

    async def request(self, data: bytes, want: int) -> list[Any]:
        """Write ``data`` (``want`` commands) and wait for their replies, in order.

        A checkpoint. Cancelled while waiting, the replies are read and dropped later
        (a dedicated connection is closed instead).

        Raises:
            RedisConnectionError: the connection is (or gets) lost; ``sent`` says whether
                the request may have reached the server.
        """
        await trio.lowlevel.checkpoint_if_cancelled()
        waiter = _Waiter(self, trio.lowlevel.current_task(), want)
        self._queue(data, waiter)
        await trio.lowlevel.wait_task_rescheduled(waiter.abort)
        if waiter.error is not None:
            raise waiter.error
        return waiter.replies

    def _queue(self, data: bytes, waiter: _Waiter) -> None:
        if self._lost is not None:
            raise RedisConnectionError(f"{self._where}: {self._lost}", sent=False)
        try:
            self._wire.write(data)
        except OSError as exc:
            self.lose(f"the connection broke ({exc})")
            raise RedisConnectionError(f"{self._where}: {self._lost}", sent=False) from exc
        self._pending.append(waiter)

    async def run(self) -> None:
        """Read replies and hand them to their callers until the connection ends."""
        await pump(
            self._scope,
            self._wire,
            self._read_forever,
            self.lose,
            "the client closed the connection",
        )

    async def _read_forever(self) -> None:
        wire, pending = self._wire, self._pending
        reader, fill = wire.reader, wire.fill
        while True:
            await fill()
            reply = reader.gets()
            while reply is not False:
                waiter = pending[0]  # IndexError: a reply nobody asked for
                waiter.replies.append(reply)
                if len(waiter.replies) == waiter.want:
                    pending.popleft()
                    if waiter.task is not None:
                        trio.lowlevel.reschedule(waiter.task)
                reply = reader.gets()

    def lose(self, why: str) -> None:
        """Close the connection; every waiting caller fails with ``sent=True``."""
        if self._lost is not None:
            return
        self._lost = why
        self._scope.cancel()
        self._wire.close()
        while self._pending:
            waiter = self._pending.popleft()
            if waiter.task is not None:
                waiter.error = RedisConnectionError(f"{self._where}: {why}", sent=True)
                trio.lowlevel.reschedule(waiter.task)


async def open_connection(
    address: Address, name: str | None, nursery: trio.Nursery, *, close_on_cancel: bool = False
) -> Connection:
    """Connect, log in (AUTH, SELECT, CLIENT SETNAME) and start the reader in ``nursery``.

    A checkpoint.

    Raises:
        RedisConnectionError: the connect or the login failed (``sent=False``).
    """
    wire = await open_wire(address)
    try:
        await log_in(wire, address, name)
    except BaseException:
        wire.close()
        raise
    conn = Connection(wire, address.url, close_on_cancel=close_on_cancel)
    nursery.start_soon(conn.run)
    return conn


async def log_in(wire: Wire, address: Address, name: str | None) -> None:
    """AUTH, SELECT and CLIENT SETNAME as the address and name ask, in one round trip.

    Raises:
        RedisConnectionError: the server refused one (``sent=False``), naming the URL.
    """
    commands = _login_commands(address, name)
    if not commands:
        return
    try:
        wire.write(encode_many(commands))
        replies = [await _next_reply(wire) for _ in commands]
    except BROKEN as exc:
        raise RedisConnectionError(f"cannot log in to {address.url}: {exc}", sent=False) from exc
    for command, reply in zip(commands, replies, strict=True):
        if isinstance(reply, RedisReplyError):
            what = command[0] if command[0] != "CLIENT" else "CLIENT SETNAME"
            raise RedisConnectionError(
                f"cannot log in to {address.url}: {what} failed: {reply}", sent=False
            ) from reply


def _login_commands(address: Address, name: str | None) -> list[tuple[str, ...]]:
    commands: list[tuple[str, ...]] = []
    if address.password is not None:
        user = () if address.username is None else (address.username,)
        commands.append(("AUTH", *user, address.password))
    if address.db:
        commands.append(("SELECT", str(address.db)))
    if name:
        commands.append(("CLIENT", "SETNAME", name))
    return commands


async def _next_reply(wire: Wire) -> Any:
    reply = wire.gets()
    while reply is False:
        await wire.fill()
        reply = wire.gets()
    return reply
