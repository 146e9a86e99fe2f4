"""The client side of a server: ``call`` (a request, answered) and ``cast`` (a message, not).

A server's API is plain functions or methods over these two, so its callers never see the
protocol (the topics below)::

    @attrs.frozen
    class Get(Call[int]):  # a request whose reply is an int
        key: str


    async def get(proc: Process, key: str) -> int:
        return await call(proc, "kv", Get(key))  # typed: int
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, overload

from actorkit import PID
from actorkit.lowlevel import HandOff, NodeVar, hand_off, may_hand_off

if TYPE_CHECKING:
    from actorkit import Process

R = TypeVar("R")

CALL = "$call"
"""The topic of a request a server answers with ``handle_call``."""
CAST = "$cast"
"""The topic of a message a server handles with ``handle_cast``."""
DEFAULT_TIMEOUT = 5.0


class Direct(Protocol):
    """A running server that may take a call on its caller's turn (the direct hand-off)."""

    proc: Process

    def ready(self) -> bool:
        """True while it is parked in its loop with an empty mailbox."""
        ...

    def answer(self, handoff: HandOff) -> object:
        """Run ``handle_call`` as the server: the reply, or ``PENDING``."""
        ...


DIRECT = NodeVar[dict[PID, Direct]]("servers.direct")
"""The node's servers that may take a call directly, by PID."""


class Call(Generic[R]):
    """A base for request classes that says what their reply is: ``class Get(Call[int])``
    makes ``await call(proc, dest, Get(...))`` an ``int`` to the type checker. The reply is
    not checked at run time."""

    __slots__ = ()


@overload
async def call(
    proc: Process, dest: PID | str, request: Call[R], *, timeout: float = DEFAULT_TIMEOUT
) -> R: ...


@overload
async def call(
    proc: Process, dest: PID | str, request: object, *, timeout: float = DEFAULT_TIMEOUT
) -> Any: ...


async def call(
    proc: Process, dest: PID | str, request: object, *, timeout: float = DEFAULT_TIMEOUT
) -> Any:
    """Ask the server ``dest`` (its ``handle_call``) and return its reply (``gen_server:call``).

    Built on ``proc.request``: a checkpoint; cancelling it drops the pending reply. When the
    server is idle (parked in its loop, its mailbox empty) and its ``handle_call`` is
    synchronous, the node's direct hand-off (on by default, ``open_node(direct_handoff=)``)
    runs ``handle_call`` at once on the caller's turn, as the server; then ``call`` yields
    to the scheduler only once per 64 calls, like ``send`` (see the servers guide).

    Raises:
        NoProcessError: nobody is registered under ``dest`` or it is gone.
        RequestFailedError: the server exited (crashed, stopped) before it replied.
        trio.TooSlowError: no reply within ``timeout`` seconds (5 by default); a reply that
            comes later is dropped.
    """
    node = proc.node
    servers = DIRECT.find(node)
    if servers and node.direct_handoff:
        pid = node.whereis(dest) if type(dest) is str else dest
        server = servers.get(pid) if isinstance(pid, PID) else None
        if server is not None and server.ready() and may_hand_off(proc):
            return await hand_off(proc, server.proc, (CALL, request, timeout), server.answer)
    return await proc.request(dest, CALL, request, timeout=timeout)


async def cast(proc: Process, dest: PID | str, msg: object) -> None:
    """Tell the server ``dest`` something (its ``handle_cast``) without waiting for an answer
    (``gen_server:cast``). A checkpoint; waits only while the server's mailbox is full.

    Raises:
        NoProcessError: nobody is registered under ``dest`` or it is gone.
    """
    await proc.send(dest, CAST, msg)
