"""The ``Server`` behaviour (OTP's gen_server): a receive loop that hands each event to a
callback and keeps the state it returns."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

import attrs

import actorkit
from actorkit import Cancel, Event, Message, Request
from actorkit.errors import CancelRequested
from actorkit.lowlevel import NodeVar

from ._client import CALL, CAST

if TYPE_CHECKING:
    from actorkit import PID, Process

S = TypeVar("S")
T = TypeVar("T")

FORWARD = "$forward"  # a pool's dispatcher hands a worker a call or a cast
READY = "$ready"  # a pool's worker tells its dispatcher it is free
HANDOVER = NodeVar[dict[str, tuple[object, object]]]("servers.handover")


@attrs.frozen
class NoReply(Generic[S]):
    """What ``handle_call`` returns to answer later (OTP's ``{noreply, State}``): keep
    :attr:`Server.current`, the request being handled, and answer it with
    :meth:`Server.reply` from any later callback."""

    state: S


@attrs.frozen
class Stop(Generic[S]):
    """What a callback returns to stop the server (OTP's ``{stop, Reason, Reply, State}``).

    From ``handle_call``, ``reply`` answers the caller first. Then ``terminate(reason,
    state)`` runs and the server's process returns normally (a deliberate stop, so a
    ``transient`` child is not restarted).
    """

    state: S
    reply: object = None
    reason: str = "normal"


class _Stopping(Exception):  # control flow inside the loop, never seen outside
    def __init__(self, stop: Stop[Any]) -> None:
        self.stop = stop


async def maybe_await(value: T | Awaitable[T]) -> T:
    """The value a sync or an async callback gave back."""
    if inspect.isawaitable(value):
        return await value
    return value


class Server(Generic[S]):
    """A process that keeps a state and answers calls, casts and other events (gen_server).

    Subclass it and write the callbacks, each sync or async; only ``init`` is required::

        class Counter(Server[int]):
            def init(self, proc: Process, start: int) -> int:
                return start

            def handle_call(self, request: object, state: int) -> tuple[int, int]:
                return state, state  # (the reply, the new state)

            def handle_cast(self, msg: object, state: int) -> int:
                return state + 1

        # its API, as plain functions:
        async def start(proc: Process) -> PID:
            return await Counter.start(proc, 0, name="counter", link=True)

        async def bump(proc: Process) -> None:
            await cast(proc, "counter", "bump")

        async def value(proc: Process) -> int:
            return await call(proc, "counter", "value")

    ``Counter.serve`` is the process function (``ChildSpec("counter", Counter.serve, (0,),
    name="counter")`` supervises one). The instance has ``proc``, its own process handle,
    from before ``init``.

    An exception from a callback crashes the server (``terminate`` runs first): a caller
    waiting on it gets :class:`RequestFailedError` with the reason, as in OTP. A ``Cancel``
    ends the loop, runs ``terminate`` and returns normally. Terminating the process outright
    (cancelling its task) runs nothing.

    **Versions**: ``version`` names the code of the state. A class with ``handover = True``,
    registered under a name and stopped by a ``Cancel`` (e.g. ``SupervisorClient
    .terminate_child``), leaves its state on the node; the next server started under that
    name (``start_child`` with a spec for the new class) runs ``init`` as usual and then
    replaces its state by ``code_change(old_state, old_version)``. A crash hands nothing
    over: a restart after a crash starts from ``init`` alone, as in OTP.
    """

    version: ClassVar[object] = 1
    handover: ClassVar[bool] = False
    proc: Process
    current: actorkit.Request | None = None
    """The request ``handle_call`` is answering (keep it to answer later: :class:`NoReply`)."""

    def reply(
        self,
        request: actorkit.Request,
        value: object = None,
        *,
        error: BaseException | None = None,
    ) -> bool:
        """Answer a request kept from ``handle_call`` (``gen_server:reply``); False when its
        caller no longer waits (it timed out, was cancelled or exited)."""
        return self.proc.reply(request, value, error=error)

    def init(self, proc: Process, *args: Any, **kwargs: Any) -> S | Awaitable[S]:
        """The first state, from the arguments the server was started with (required)."""
        raise NotImplementedError(f"{type(self).__name__} must define init(proc, ...)")

    def handle_call(self, request: Any, state: S) -> CallResult[S] | Awaitable[CallResult[S]]:
        """Answer a :func:`call`: return ``(reply, new_state)``, :class:`NoReply` to answer
        later, or :class:`Stop`. Default: crash."""
        raise NotImplementedError(f"{type(self).__name__} takes no calls: {request!r}")

    def handle_cast(self, msg: Any, state: S) -> S | Stop[S] | Awaitable[S | Stop[S]]:
        """Handle a :func:`cast`; return the new state (or :class:`Stop`). Default: crash."""
        raise NotImplementedError(f"{type(self).__name__} takes no casts: {msg!r}")

    def handle_info(self, event: Event, state: S) -> S | Stop[S] | Awaitable[S | Stop[S]]:
        """Handle any other event (a plain message, an ``Exit``, a ``LinkDown``, ...);
        return the new state (or :class:`Stop`). Default: ignore it."""
        return state

    def terminate(self, reason: str, state: S) -> Awaitable[None] | None:
        """Clean up before the server exits (a ``Cancel``'s reason, or ``error``)."""
        return None

    def code_change(self, old_state: Any, old_version: object) -> S | Awaitable[S]:
        """The state, from one handed over by an older ``version`` (see the class)."""
        return old_state  # type: ignore[no-any-return]

    @classmethod
    async def serve(cls, proc: Process, *args: Any) -> None:
        """Run a server of this class in ``proc`` (the process function)."""
        await Loop(cls(), proc, None).run(args)

    @classmethod
    async def start(
        cls, proc: Process, *args: Any, name: str | None = None, link: bool = False
    ) -> PID:
        """Spawn a server of this class (``init(proc, *args)``) and return its PID.

        A checkpoint. It returns before ``init`` has run; a :func:`call` waits for it.
        """
        return await proc.spawn(cls.serve, *args, name=name, link=link)


CallResult = tuple[Any, S] | NoReply[S] | Stop[S]
"""What ``handle_call`` returns."""


def _state(result: S | Stop[S]) -> S:
    """The new state a callback returned; a :class:`Stop` ends the loop."""
    if type(result) is Stop:
        raise _Stopping(cast("Stop[S]", result))
    return cast("S", result)


class Loop(Generic[S]):
    """One running server: its callbacks, its state, and, in a pool, its dispatcher."""

    def __init__(self, server: Server[S], proc: Process, pool: PID | None) -> None:
        self.server = server
        self.proc = proc
        self.pool = pool
        self.state: S
        server.proc = proc

    async def run(self, args: tuple[Any, ...]) -> None:
        state = await maybe_await(self.server.init(self.proc, *args))
        state = self.state = await self._take_over(state)
        if self.pool is not None:
            await self.proc.send(self.pool, READY)
        try:
            reason, state = await self._loop(state)
        except _Stopping as stopping:
            reason, state = stopping.stop.reason, cast("S", stopping.stop.state)
        except CancelRequested as stop:  # a callback waited on a receive that took Cancel
            reason, state = stop.reason, self.state
        except Exception:
            await maybe_await(self.server.terminate("error", self.state))
            raise
        await maybe_await(self.server.terminate(reason, state))
        self._hand_over(state)

    async def _loop(self, state: S) -> tuple[str, S]:
        while True:
            self.state = state
            event = await self.proc.receive(kind=Event)
            if type(event) is Cancel:
                return event.reason, state
            state = await self.handle(event, state)

    async def handle(self, event: Event, state: S) -> S:
        if isinstance(event, Message):
            if event.topic == CALL and isinstance(event, Request):
                return await self._call(event, state)
            if event.topic == CAST:
                cast_done: S | Stop[S] = await maybe_await(
                    self.server.handle_cast(event.payload, state)
                )
                return _state(cast_done)
            if event.topic == FORWARD and self.pool is not None and event.sender == self.pool:
                return await self._job(event.payload, state)
        info_done: S | Stop[S] = await maybe_await(self.server.handle_info(event, state))
        return _state(info_done)

    async def _call(self, request: Request, state: S) -> S:
        server = self.server
        server.current = request
        try:
            result: CallResult[S] = await maybe_await(server.handle_call(request.payload, state))
        finally:
            server.current = None
        if isinstance(result, NoReply):
            return result.state
        if isinstance(result, Stop):
            self.proc.reply(request, result.reply)
            raise _Stopping(result)
        reply, new_state = result
        self.proc.reply(request, reply)
        return new_state

    async def _job(self, job: object, state: S) -> S:
        """A call or a cast the pool's dispatcher handed over; then this worker is free."""
        assert isinstance(job, Message) and self.pool is not None
        state = await self.handle(job, state)
        self.state = state
        await self.proc.send(self.pool, READY)
        return state

    async def _take_over(self, state: S) -> S:
        name = self.proc.name
        if not self.server.handover or name is None:
            return state
        left = HANDOVER.setdefault(self.proc.node, dict).pop(name, None)
        if left is None:
            return state
        old_version, old_state = left
        return await maybe_await(self.server.code_change(old_state, old_version))

    def _hand_over(self, state: S) -> None:
        name = self.proc.name
        if self.server.handover and name is not None:
            HANDOVER.setdefault(self.proc.node, dict)[name] = (self.server.version, state)
