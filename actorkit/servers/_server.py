"""The ``Server`` behaviour (OTP's gen_server): a receive loop that hands each event to a
callback and keeps the state it returns."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

import attrs
import trio

import actorkit
from actorkit import Cancel, Event, Message, Request
from actorkit.errors import CancelRequested
from actorkit.lowlevel import PENDING, HandOff, NodeVar, ref_of

from ._client import CALL, CAST, DIRECT, Direct

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
    _current: actorkit.Request | None = None
    _handoff: HandOff | None = None  # a call being handed over directly (made on first use)

    @property
    def current(self) -> actorkit.Request | None:
        """The request ``handle_call`` is answering (keep it to answer later: :class:`NoReply`)."""
        if self._current is None and self._handoff is not None:
            self._current = self._handoff.request()
        return self._current

    @current.setter
    def current(self, request: actorkit.Request | None) -> None:
        self._current = request

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


@attrs.frozen
class _Resume(Event):
    """Posted to a server by a direct call whose end must run on the server's own turn."""


@attrs.frozen
class _Raised:
    """What a directly handed-over ``handle_call`` raised (the server crashes with it)."""

    error: Exception


class Loop(Generic[S]):
    """One running server: its callbacks, its state, and, in a pool, its dispatcher.

    A standalone server whose ``handle_call`` is synchronous may take a call on the
    caller's turn (:meth:`answer`, the direct hand-off) while it is parked in its loop with
    an empty mailbox: the call would have been the next event it took. What cannot finish
    there (a ``Stop``, an awaitable, an exception) is finished on the server's own turn, the
    first event it takes, before anything queued after it.
    """

    def __init__(self, server: Server[S], proc: Process, pool: PID | None) -> None:
        self.server = server
        self.proc = proc
        self.pool = pool
        self.state: S
        self.idle = False  # parked in the loop's receive (or about to be)
        self.direct = pool is None and not inspect.iscoroutinefunction(server.handle_call)
        self.task: trio.lowlevel.Task | None = None
        self.pending: tuple[Request, object] | None = None  # what _Resume finishes
        server.proc = proc

    async def run(self, args: tuple[Any, ...]) -> None:
        state = await maybe_await(self.server.init(self.proc, *args))
        state = self.state = await self._take_over(state)
        if self.pool is not None:
            await self.proc.send(self.pool, READY)
        servers = self._enlist()
        try:
            await self._serve()
        finally:
            if servers is not None:
                servers.pop(self.proc.pid, None)

    async def _serve(self) -> None:
        try:
            reason, state = await self._loop()
        except _Stopping as stopping:
            reason, state = stopping.stop.reason, cast("S", stopping.stop.state)
        except CancelRequested as stop:  # a callback waited on a receive that took Cancel
            reason, state = stop.reason, self.state
        except Exception:
            await maybe_await(self.server.terminate("error", self.state))
            raise
        await maybe_await(self.server.terminate(reason, state))
        self._hand_over(state)

    def _enlist(self) -> dict[PID, Direct] | None:
        """Offer this server to direct calls, if it can take them."""
        if not self.direct:
            return None
        self.task = trio.lowlevel.current_task()
        servers = DIRECT.setdefault(self.proc.node, dict)
        servers[self.proc.pid] = self
        return servers

    async def _loop(self) -> tuple[str, S]:
        receive = self.proc.receive
        while True:
            self.idle = True
            try:
                event = await receive(kind=Event)
            finally:
                self.idle = False
            if type(event) is Cancel:
                return event.reason, self.state
            self.state = await self.handle(event, self.state)

    # -- the direct hand-off (on the caller's turn) -----------------------------------------

    def ready(self) -> bool:
        """True while the server is parked in its loop's receive with nothing queued."""
        mailbox = self.proc.mailbox
        return self.idle and not len(mailbox) and mailbox.parked_mode() != 0

    def answer(self, handoff: HandOff) -> object:
        """Run ``handle_call`` now, as the server (in its task's context: its log context);
        the reply, or ``PENDING``."""
        assert self.task is not None
        return self.task.context.run(self._answer, handoff)

    def _answer(self, handoff: HandOff) -> object:
        server = self.server
        server._handoff = handoff  # pyright: ignore[reportPrivateUsage]
        try:
            result = server.handle_call(handoff.payload, self.state)
            if type(result) is tuple and len(result) == 2:
                reply, self.state = result
                return reply
        except Exception as exc:
            return self._later(handoff, _Raised(exc))
        finally:
            server._handoff = None  # pyright: ignore[reportPrivateUsage]
            server._current = None  # pyright: ignore[reportPrivateUsage]
        return self._later(handoff, result)

    def _later(self, handoff: HandOff, outcome: object) -> object:
        """An answer that is not a plain reply: NoReply keeps its state; the rest is
        finished on the server's turn (the caller waits as ``request`` does)."""
        if type(outcome) is NoReply:
            self.state = cast("NoReply[S]", outcome).state
            return PENDING
        self.pending = (handoff.request(), outcome)
        ref_of(self.proc).post(_Resume())
        return PENDING

    async def _resumed(self, state: S) -> S:
        """Finish, on the server's turn, the direct call that could not finish on its
        caller's: crash with its error, await its result, reply and stop."""
        assert self.pending is not None
        request, outcome = self.pending
        self.pending = None
        if type(outcome) is _Raised:
            raise outcome.error
        server = self.server
        server.current = request
        try:
            result: CallResult[S] = await maybe_await(cast("CallResult[S]", outcome))
        finally:
            server.current = None
        return self._finish(request, result)

    # -- events on the server's turn ----------------------------------------------------------

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
        elif type(event) is _Resume and self.pending is not None:
            return await self._resumed(state)
        info_done: S | Stop[S] = await maybe_await(self.server.handle_info(event, state))
        return _state(info_done)

    async def _call(self, request: Request, state: S) -> S:
        server = self.server
        server.current = request
        try:
            result: CallResult[S] = await maybe_await(server.handle_call(request.payload, state))
        finally:
            server.current = None
        return self._finish(request, result)

    def _finish(self, request: Request, result: CallResult[S]) -> S:
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
