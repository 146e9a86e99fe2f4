"""The process handle: what a process function receives and acts through."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar, TypeVarTuple, Unpack, cast, overload

import structlog
import trio

from .._core._command import Command
from .._core._events import Event, Message, Request
from .._core._mailbox import WAKE_ON_EVENT, Kind
from .._core._proc_state import REDUCTIONS, ProcessState
from ..checks import duration
from ..errors import NoProcessError
from ._messages import Messages
from ._process_commands import Cancel as CancelCommand
from ._process_commands import (
    Exec,
    Link,
    Monitor,
    Send,
    Spawn,
    Terminate,
    Unlink,
    Unmonitor,
)
from ._receive import deadline_of, find_until, none_within, take
from ._request import DEFAULT_TIMEOUT as DEFAULT_REQUEST_TIMEOUT
from ._request import check_timeout, reply, request
from ._send import deliver_remote, handle_send

if TYPE_CHECKING:
    from .._core._mailbox import Mailbox
    from .._core._pid import PID
    from ._node import Node

SEND_ID = Send.ID
_MESSAGES = (Message, Request)  # the types a plain receive takes first without a search
TIMEOUT = duration()
log = structlog.get_logger("actorkit.process")
R = TypeVar("R")
E = TypeVar("E", bound=Event)
Ts = TypeVarTuple("Ts")


class Process:
    """A running process as its own code sees it.

    Every effect goes through :meth:`call` as a command, so the same code runs live, under
    the test kit's fakes, or under another host. Messages arrive in send order per sender.
    The runtime's record of the process stays behind the handle: only the user API shows.
    """

    __slots__ = ("_node", "_state")

    def __init__(self, state: ProcessState, node: Node) -> None:
        self._state = state
        self._node = node

    def __repr__(self) -> str:
        return repr(self._state)

    # -- who it is ------------------------------------------------------------------------

    @property
    def pid(self) -> PID:
        """This process's PID."""
        return self._state.pid

    @property
    def name(self) -> str | None:
        """The name it is registered under, if any."""
        return self._state.name

    @property
    def node(self) -> Node:
        """The node it runs on."""
        return self._node

    @property
    def parent(self) -> PID | None:
        """The PID of the process that spawned it (None for one the node spawned)."""
        return self._state.parent

    @property
    def alive(self) -> bool:
        """False once it has exited (a borrowed handle after its block)."""
        return self._state.alive

    @property
    def mailbox(self) -> Mailbox:
        """Its mailbox: ``len()`` is the number of queued events, ``capacity`` the bound."""
        return self._state.mailbox

    @property
    def cancel_reason(self) -> str | None:
        """The reason of the ``Cancel`` that ended a ``messages()`` loop, if one did."""
        return self._state.cancel_reason

    @property
    def trap_links(self) -> bool:
        """Whether a linked process's failure arrives as a ``LinkDown`` event instead of
        failing this process (Erlang's ``trap_exit``). Settable."""
        return self._state.trap_links

    @trap_links.setter
    def trap_links(self, enabled: bool) -> None:
        self._state.trap_links = enabled

    # -- commands ---------------------------------------------------------------------------

    async def call(self, cmd: Command[R], *, timeout: float | None = None) -> R:
        """Run a command and return its result (or raise its error).

        A cancellation point on every call; a schedule point when it waits for its result
        and otherwise (a handler that completes inline) once per reduction budget (64
        operations), as ``send`` is. ``timeout`` (seconds) becomes the handler's deadline:
        on expiry the handler is cancelled and ``trio.TooSlowError`` is raised. If the
        caller is cancelled, the handler is cancelled and its late result dropped.
        """
        await trio.lowlevel.checkpoint_if_cancelled()
        if timeout is not None:
            TIMEOUT.check(cmd, "timeout", timeout)
            return await self._call_until(cmd, trio.current_time() + timeout, timeout)
        state = self._state
        tag = state.dispatch(cmd, True)
        slot = state.slot
        if slot is None:
            slot = await state.wait_result(tag)
        else:  # completed inline: the common case, kept free of further calls
            state.slot = None
            state.current = None
            state.reductions -= 1  # _reduce, inlined on the hot path
            if state.reductions <= 0:
                state.reductions = REDUCTIONS
                await trio.lowlevel.cancel_shielded_checkpoint()
        if slot[1] is not None:
            raise self._failed(cmd, slot[1])
        return slot[0]  # type: ignore[return-value]

    async def _call_until(self, cmd: Command[R], deadline: float, timeout: float) -> R:
        state = self._state
        state.call_deadline = deadline
        try:
            tag = state.dispatch(cmd, True)
        finally:
            state.call_deadline = math.inf
        slot = state.take_result()
        if slot is None:
            with trio.move_on_at(deadline):
                slot = await state.wait_result(tag)
            if slot is None:
                name = type(cmd).__name__
                error = trio.TooSlowError(f"{name} (id={cmd.ID}) timed out after {timeout}s")
                raise self._failed(cmd, error)
        else:
            await self._reduce()
        if slot[1] is not None:
            raise self._failed(cmd, slot[1])
        return slot[0]  # type: ignore[return-value]

    def _failed(self, cmd: object, error: BaseException) -> BaseException:
        """Log a failed command with the process, the command and its ID; return the error.

        A full mailbox (``WouldBlock``) and a dead letter (``NoProcessError``, which the node
        has logged already) are outcomes the caller handles: logged at debug, not info."""
        expected = isinstance(error, trio.WouldBlock | NoProcessError)
        (log.debug if expected else log.info)(
            "command_failed",
            pid=str(self._state.pid),
            command=type(cmd).__name__,
            command_id=getattr(type(cmd), "ID", None),
            error=repr(error),
        )
        return error

    def call_nowait(self, cmd: Command[R]) -> R:
        """Run a command that completes at once; ``trio.WouldBlock`` if it would wait."""
        state = self._state
        tag = state.dispatch(cmd, True)
        slot = state.take_result()
        if slot is None:
            state.abandon(tag)
            raise trio.WouldBlock(f"{type(cmd).__name__} (id={cmd.ID}) would block")
        if slot[1] is not None:
            raise self._failed(cmd, slot[1])
        return slot[0]  # type: ignore[return-value]

    def yield_(self, cmd: Command[Any]) -> int:
        """Start a command without waiting; its result arrives as a ``Completion`` event
        carrying the returned tag. Not a checkpoint."""
        return self._state.dispatch(cmd, False)

    # -- messages ---------------------------------------------------------------------------

    async def send(self, dest: PID | str, topic: str, payload: object = None) -> None:
        """Send a message (the ``Send`` command); waits while the receiver's mailbox is full.

        A cancellation point on every call; a schedule point when it has to wait for room
        and otherwise once per reduction budget (64 operations), like Erlang's send, so a
        burst of sends is delivered in batches. Raises ``NoProcessError`` if nobody can
        receive it.
        """
        await trio.lowlevel.checkpoint_if_cancelled()
        if type(topic) is not str:
            Send(dest, topic, payload)  # the fast path builds no Send: raise its field error
        state = self._state
        node = state.node
        if state.seam is None and node.registry.system[SEND_ID] is handle_send:
            # the built-in Send's fast path (see _send): straight into the mailbox
            target = node.resolve(dest)
            if target is None:  # another node's PID goes to the router, if one is installed
                delivered = deliver_remote(state, dest, topic, payload)
            elif delivered := target.mailbox.put_nowait(Message(topic, payload, state.pid)):
                node.messages += 1
            if delivered:
                node.commands += 1
                node.command_counts[SEND_ID] += 1
                state.reductions -= 1  # _reduce, inlined on the hot path
                if state.reductions <= 0:
                    state.reductions = REDUCTIONS
                    await trio.lowlevel.cancel_shielded_checkpoint()
                return
        await self._dispatch_send(Send(dest, topic, payload))

    async def _dispatch_send(self, cmd: Send) -> None:
        """Run a ``Send`` through dispatch (the seam, the registered handler)."""
        state = self._state
        tag = state.dispatch(cmd, True)
        slot = state.take_result()
        if slot is None:
            slot = await state.wait_result(tag)
        else:
            await self._reduce()
        if slot[1] is not None:
            raise self._failed(cmd, slot[1])

    async def _reduce(self) -> None:
        """Spend one reduction; yield to Trio when the budget is used up."""
        state = self._state
        state.reductions -= 1
        if state.reductions <= 0:
            state.reductions = REDUCTIONS
            await trio.lowlevel.cancel_shielded_checkpoint()

    def send_nowait(self, dest: PID | str, topic: str, payload: object = None) -> None:
        """Send without waiting; ``trio.WouldBlock`` when the receiver's mailbox is full."""
        self.call_nowait(Send(dest, topic, payload, nowait=True))

    async def request(
        self,
        dest: PID | str,
        topic: str,
        payload: object = None,
        *,
        timeout: float = DEFAULT_REQUEST_TIMEOUT,
    ) -> Any:
        """Send a :class:`Request` and wait for its reply, as ``gen_server:call`` does.

        The server answers with :meth:`reply`. While the request waits, the server is
        monitored: if it exits first, :class:`RequestFailedError` carries its reason and
        error. ``timeout`` (5 s by default) travels with the request as ``msg.deadline``.
        A checkpoint. On timeout (``trio.TooSlowError``) or cancellation the request is
        forgotten: a reply that comes later is dropped, never delivered to a later request.

        Raises:
            NoProcessError: nobody is registered under ``dest`` or it is gone.
            RequestFailedError: the server exited before it replied.
            trio.TooSlowError: no reply within ``timeout``.
            Exception: the error the server replied with (``reply(msg, error=...)``).
        """
        return await request(self, self._state, dest, (topic, payload), timeout)

    def reply(
        self, msg: Message, value: object = None, *, error: BaseException | None = None
    ) -> bool:
        """Answer a :class:`Request` with ``value`` (or ``error``, raised at the caller).

        Not a checkpoint; never blocks (replies travel on the priority lane). Returns False,
        and drops the reply, when the caller no longer waits for it (it timed out, was
        cancelled or exited).
        """
        return reply(self._state, msg, value, error)

    @overload
    async def receive(
        self,
        topic: str | None = None,
        *,
        match: Callable[[Message], bool] | None = None,
        timeout: float | None = None,
    ) -> Message: ...

    @overload
    async def receive(
        self,
        topic: str | None = None,
        *,
        kind: type[E],
        match: Callable[[E], bool] | None = None,
        timeout: float | None = None,
    ) -> E: ...

    @overload
    async def receive(
        self,
        topic: str | None = None,
        *,
        kind: tuple[type[Event], ...],
        match: Callable[[Event], bool] | None = None,
        timeout: float | None = None,
    ) -> Event: ...

    async def receive(
        self,
        topic: str | None = None,
        *,
        kind: Kind = Message,
        match: Callable[[Any], bool] | None = None,
        timeout: float | None = None,
    ) -> Event:
        """Take the first queued event that matches; the rest stay queued in order.

        Args:
            topic: only messages with this topic.
            kind: the event class (or tuple) to take; ``Event`` takes anything.
            match: a predicate the event must satisfy.
            timeout: seconds to wait before ``trio.TooSlowError``.

        A checkpoint for cancellation; it yields to other tasks when it has to wait, and
        otherwise once every 64 events (the reduction budget).

        Raises:
            CancelRequested: a ``Cancel`` event arrived and ``kind`` does not take it.
        """
        if timeout is not None:
            check_timeout("receive", timeout)
        state = self._state
        queue = state.mailbox.queue
        plain = kind is Message and topic is None and match is None
        if plain and timeout is None and not queue:  # nothing queued: wait for the next event
            await state.mailbox.park(WAKE_ON_EVENT)
            queue = state.mailbox.queue
            if queue and type(queue[0]) is Message:  # the wait was the schedule point
                return state.mailbox.take(0)
        # the common case: the oldest event is a message or a request (one a wait just
        # brought, too), which a plain receive takes after the checkpoint and the reduction
        # that find_until would spend
        if plain and queue and type(queue[0]) in _MESSAGES:
            await trio.lowlevel.checkpoint_if_cancelled()
            state.reductions -= 1  # _reduce, inlined on the hot path
            if state.reductions <= 0:
                state.reductions = REDUCTIONS
                await trio.lowlevel.cancel_shielded_checkpoint()
            return state.mailbox.take(0)
        index = await find_until(state, kind, topic, match, deadline_of(timeout))
        if index < 0:
            raise none_within(state, (kind, topic, match), timeout)
        return take(state, index, kind)

    def messages(self) -> Messages:
        """Iterate over incoming messages; the loop ends when a ``Cancel`` arrives
        (its reason is kept in ``cancel_reason``)."""
        return Messages(self, self._state)

    # -- other processes (process commands) ---------------------------------------------------

    async def spawn(
        self,
        fn: Callable[[Process, Unpack[Ts]], Awaitable[object]],
        *args: *Ts,
        link: bool = False,
        monitor: bool = False,
        name: str | None = None,
        mailbox_size: int | None = None,
        trap_links: bool = False,
    ) -> PID:
        """Start ``fn(process, *args)`` (the ``Spawn`` command) and return its PID.

        ``link`` / ``monitor`` / ``name`` are in place before the child first runs.
        """
        return await self.call(Spawn(fn, args, link, monitor, name, mailbox_size, trap_links))

    async def exec(
        self,
        fn: Callable[[Process, Unpack[Ts]], Awaitable[object]],
        *args: *Ts,
        timeout: float | None = None,
    ) -> Any:
        """Spawn ``fn(process, *args)``, wait for it and return its result (``Exec``)."""
        return await self.call(Exec(fn, args), timeout=timeout)

    async def link(self, pid: PID | str) -> None:
        """Link to ``pid`` both ways (``Link``)."""
        await self.call(Link(pid))

    async def unlink(self, pid: PID | str) -> None:
        """Remove a link (``Unlink``)."""
        await self.call(Unlink(pid))

    async def monitor(self, pid: PID | str) -> None:
        """Watch ``pid``; an ``Exit`` event arrives when it exits (``Monitor``)."""
        await self.call(Monitor(pid))

    async def unmonitor(self, pid: PID | str) -> bool:
        """Stop watching ``pid`` (``Unmonitor``)."""
        return await self.call(Unmonitor(pid))

    async def terminate(
        self, pid: PID | str, reason: str = "terminated", *, grace: float | None = None
    ) -> bool:
        """Stop ``pid`` and wait until it has exited (``Terminate``)."""
        return await self.call(Terminate(pid, reason, grace))

    async def cancel(self, pid: PID | str, reason: str = "cancelled") -> None:
        """Ask ``pid`` to stop: it gets a ``Cancel`` event (``Cancel`` command)."""
        await self.call(CancelCommand(pid, reason))

    # -- names ------------------------------------------------------------------------------------

    def register(self, name: str) -> None:
        """Register this process under ``name``; ``NameTakenError`` if it is held."""
        self._state.node.register_name(name, self._state)

    def unregister(self, name: str) -> bool:
        """Release ``name``."""
        return self._state.node.unregister_name(name)

    def whereis(self, name: str) -> PID | None:
        """The PID registered under ``name``, or None."""
        return self._state.node.whereis(name)


def handle_of(state: ProcessState) -> Process:
    """The handle the node made for ``state`` (see ``Node.new_handle``)."""
    return cast("Process", state.handle)


def state_of(proc: Process) -> ProcessState:
    """The runtime's record behind a user's handle (for the kernel and the door only)."""
    return proc._state  # pyright: ignore[reportPrivateUsage]
