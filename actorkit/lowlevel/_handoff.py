"""Direct hand-off: a request answered on the caller's turn, with no trip through the
server's mailbox and no task switch, by code that runs *as the server* (a behaviour's
synchronous callback, such as a ``Server``'s ``handle_call``).

The behaviour decides when that is allowed (its process parked in its own receive loop
with an empty mailbox, so the request would have been the next event it took) and passes
``run``; this module keeps request/reply's rules around it. ``run`` gets a
:class:`HandOff` and returns the reply, or :data:`PENDING` when the answer comes later:
then the caller waits exactly as ``proc.request`` does (the server monitored, the request's
ref as the caller's alias, the deadline), so a later ``proc.reply(handoff.request())``, the
server's exit (``RequestFailedError``) or the timeout ends the wait.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

import trio

from .._api._process import state_of
from .._api._process_commands import Send
from .._api._receive import receive_until
from .._api._request import answer_to, drop_leftovers, outcome_of
from .._api._send import handle_send
from .._core import _lifecycle as lifecycle
from .._core._events import Exit, Reply, Request
from ..checks import duration

if TYPE_CHECKING:
    from .._api._process import Process
    from .._core._proc_state import ProcessState

TIMEOUT = duration()


class _Pending:
    __slots__ = ()

    def __repr__(self) -> str:
        return "PENDING"


PENDING: Final = _Pending()
"""What ``run`` returns when it has not answered yet (the answer comes as a reply or the
server's exit)."""


class HandOff:
    """One request being handed straight to a server: its topic, its payload, and the
    :class:`Request` itself, made only when the server asks for it (to keep it and answer
    later, or to see its ``ref``, ``sender`` or ``deadline``)."""

    __slots__ = ("_caller", "_request", "payload", "timeout", "topic")

    def __init__(self, caller: ProcessState, topic: str, payload: object, timeout: float) -> None:
        self._caller = caller
        self._request: Request | None = None
        self.topic = topic
        self.payload = payload
        self.timeout = timeout

    def request(self) -> Request:
        """The request as a message, its ref made the caller's alias (so ``proc.reply``
        reaches the caller while it waits)."""
        msg = self._request
        if msg is None:
            caller = self._caller
            ref = caller.alias = caller.new_ref()
            deadline = trio.current_time() + self.timeout
            msg = self._request = Request(self.topic, self.payload, caller.pid, ref, deadline)
        return msg


def may_hand_off(caller: Process) -> bool:
    """True when a request from ``caller`` may skip its Send dispatch: no seam on it and the
    built-in Send handler (otherwise the seam or the replaced handler must see it)."""
    state = state_of(caller)
    return state.seam is None and state.node.registry.system[Send.ID] is handle_send


async def hand_off(
    caller: Process,
    server: Process,
    handoff: tuple[str, object, float],
    run: Callable[[HandOff], object],
) -> object:
    """Ask ``server`` by running ``run`` now, on the caller's turn; the reply.

    ``handoff`` is ``(topic, payload, timeout)``. A checkpoint for cancellation; a schedule
    point once per reduction budget (64) or when the answer is :data:`PENDING` and has to be
    waited for. Raises what ``proc.request`` raises.
    """
    topic, payload, timeout = handoff
    TIMEOUT.option("request", "timeout", timeout)
    await trio.lowlevel.checkpoint_if_cancelled()
    state = state_of(caller)
    ticket = HandOff(state, topic, payload, timeout)
    try:
        answer = run(ticket)
        msg = ticket._request  # pyright: ignore[reportPrivateUsage]
        if msg is None:  # answered, and nobody saw the request: the common case
            await caller._reduce()  # pyright: ignore[reportPrivateUsage]
            return answer
        if answer is PENDING:
            return await _wait(state, state_of(server), ticket)
        await caller._reduce()  # pyright: ignore[reportPrivateUsage]
        return _first_answer(state, msg, answer)
    finally:
        if ticket._request is not None:  # pyright: ignore[reportPrivateUsage]
            state.alias = 0


def _first_answer(state: ProcessState, msg: Request, answer: object) -> object:
    """The server answered by returning ``answer``; a reply it sent first wins."""
    mailbox = state.mailbox
    index = mailbox.find(Reply, None, answer_to(msg.ref, None), 0)
    if index < 0:
        return answer
    return outcome_of(mailbox.take(index))


async def _wait(state: ProcessState, server: ProcessState, ticket: HandOff) -> object:
    """Wait for the answer as ``proc.request`` does: the server monitored until it comes."""
    msg = ticket.request()
    ours = server not in (state.monitoring or ())
    if ours:
        lifecycle.monitor(state, server, server.pid)
    try:
        match = answer_to(msg.ref, server.pid)
        answer = await receive_until(state, (Reply, Exit), match, msg.deadline)
        if answer is None:
            raise trio.TooSlowError(
                f"request {msg.topic!r} to {server.pid}: no reply within {ticket.timeout}s"
            )
        if not ours and type(answer) is Exit:
            state.deliver_priority(answer)  # the caller's own monitor keeps its Exit
        return outcome_of(answer)
    finally:
        _forget(state, server, msg.ref, ours)


def _forget(state: ProcessState, server: ProcessState, ref: int, ours: bool) -> None:
    """Drop the monitor and whatever the request left queued (a late reply, its Exit)."""
    if ours:
        lifecycle.unmonitor(state, server)
    drop_leftovers(state, ref, server.pid if ours else None)
