"""Request/reply: ask a process and wait for its answer, as ``gen_server:call`` does.

The caller monitors the server for the request's duration, so a server that dies answers
with its exit. Each request has a fresh ``ref``, and the caller holds it as its *alias*
only while it waits (OTP 24's aliases): ``reply`` delivers only to a caller still waiting
on that ref, so a reply after a timeout or a cancellation is dropped, never delivered to a
later request. Replies travel on the priority lane, so a full mailbox cannot stall one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

import trio

from .._core import _lifecycle as lifecycle
from .._core._events import Event, Exit, Message, Reply, Request
from .._core._mailbox import WAKE_ON_EVENT
from .._core._proc_state import REDUCTIONS
from .._core._remote import remote_for
from ..checks import duration
from ..errors import RequestFailedError
from ._process_commands import Send
from ._receive import take
from ._send import handle_send

if TYPE_CHECKING:
    from .._core._node import Runtime
    from .._core._pid import PID
    from .._core._proc_state import ProcessState
    from .._core._remote import Remote
    from ._process import Process

DEFAULT_TIMEOUT = 5.0
TIMEOUT = duration()
_FLOAT_MAX = sys.float_info.max
ANSWERS = (Reply, Exit)  # what answers a request


async def request(
    proc: Process, state: ProcessState, dest: PID | str, msg: tuple[str, object], timeout: float
) -> object:
    """Send ``Request(topic, payload)`` to ``dest`` and return its reply (see Process.request)."""
    check_timeout("request", timeout)
    topic, payload = msg
    target = state.node.resolve(dest)
    remote = remote_for(state.node, dest) if target is None else None
    if remote is None and (target is None or not target.alive):
        await trio.lowlevel.checkpoint()
        raise state.node.dead_letter(dest, topic)
    pid = target.pid if target is not None else cast("PID", dest)
    deadline = trio.current_time() + timeout
    ref = state.alias = state.new_ref()
    ours = _watch(state, target, remote, pid)
    try:
        if target is not None and _direct(state):
            req = Request(topic, payload, state.pid, ref, deadline)
            if not (_put_nowait(state, target, req) or await _put(state, target, req)):
                raise _too_slow(topic, pid, timeout)
        else:  # the seam, the replaced Send handler or the router sees the request as a Send
            with trio.move_on_at(deadline) as scope:
                send = Send(dest, topic, payload, ref=ref, deadline=deadline)
                await proc._dispatch_send(send)  # pyright: ignore[reportPrivateUsage]
            if scope.cancelled_caught:
                raise _too_slow(topic, pid, timeout)
        match = answer_to(ref, pid)
        index = await _answer_index(state, match, deadline)
        if index < 0:
            raise _too_slow(topic, pid, timeout)
        answer = take(state, index, ANSWERS)
        if not ours and type(answer) is Exit:
            state.deliver_priority(answer)  # the caller's own monitor keeps its Exit
        return outcome_of(answer)
    finally:
        state.alias = 0
        _forget(state, target, remote, pid, ref, ours)


async def _answer_index(
    state: ProcessState, match: Callable[[Event], bool], deadline: float
) -> int:
    """The index of the answer in the mailbox (or of a Cancel), parking until it is queued;
    -1 once ``deadline`` passed. What ``_receive.receive_until`` does, in one frame instead
    of three: a checkpoint and a reduction when it is there already, else an entry in the
    node's timer heap (``_core/_timers.py``), not a cancel scope."""
    mailbox = state.mailbox
    index = mailbox.find(ANSWERS, None, match, 0)
    if index >= 0:
        await trio.lowlevel.checkpoint_if_cancelled()
        state.reductions -= 1
        if state.reductions <= 0:
            state.reductions = REDUCTIONS
            await trio.lowlevel.cancel_shielded_checkpoint()
        return index
    if deadline <= trio.current_time():  # already due: fail after a checkpoint
        await trio.lowlevel.checkpoint()
        return -1
    timers = state.node.timers
    entry = timers.add(deadline, mailbox)
    mailbox.timed_out = False
    try:
        start = len(mailbox)
        while True:
            await mailbox.park(WAKE_ON_EVENT)
            index = mailbox.find(ANSWERS, None, match, start)
            if index >= 0 or mailbox.timed_out:
                return index
            start = len(mailbox)
    finally:
        timers.discard(entry)


def check_timeout(owner: str, timeout: float) -> None:
    """Check a ``timeout`` option: a finite float ``>= 0`` (the common case) passes at once,
    anything else goes through the full check (about 300 ns less per request)."""
    if type(timeout) is not float or not 0.0 <= timeout <= _FLOAT_MAX:
        TIMEOUT.option(owner, "timeout", timeout)


def _direct(state: ProcessState) -> bool:
    """True when a local request may skip dispatch (no seam, the built-in Send handler)."""
    return state.seam is None and state.node.registry.system[Send.ID] is handle_send


def _watch(
    state: ProcessState, target: ProcessState | None, remote: Remote | None, pid: PID
) -> bool:
    """Monitor the server for the request; False when the caller's own monitor serves."""
    if remote is not None:
        if remote.is_monitoring(state, pid):
            return False
        remote.monitor(state, pid)
        return True
    if target in (state.monitoring or ()):
        return False
    lifecycle.monitor(state, target, pid)
    return True


def _put_nowait(state: ProcessState, target: ProcessState, msg: Request) -> bool:
    """Queue the request if there is room: True when it is done with (queued, or dropped
    by a closed mailbox: the target is exiting and its ``Exit`` answers instead)."""
    mailbox = target.mailbox
    if mailbox.put_nowait(msg):
        state.node.messages += 1
        return True
    return mailbox.closed


async def _put(state: ProcessState, target: ProcessState, msg: Request) -> bool:
    """Queue the request, waiting for room until its deadline; False if that passed first
    (after ``_put_nowait`` found the mailbox full)."""
    mailbox = target.mailbox
    with trio.move_on_at(msg.deadline):
        if await mailbox.put(msg):
            state.node.messages += 1
        return True
    return False


def _too_slow(topic: str, pid: PID, timeout: float) -> trio.TooSlowError:
    return trio.TooSlowError(f"request {topic!r} to {pid}: no reply within {timeout}s")


def answer_to(ref: int, pid: PID | None) -> Callable[[Event], bool]:
    """Matches the answer to request ``ref``: its ``Reply``, or the ``Exit`` of ``pid``."""

    def match(event: Event) -> bool:
        if type(event) is Reply:
            return event.ref == ref
        return type(event) is Exit and event.pid == pid

    return match


def outcome_of(answer: Event) -> object:
    """A request's result from its answer: the reply's value, or raise its error (or
    ``RequestFailedError`` for the server's exit)."""
    if isinstance(answer, Reply):
        if answer.error is not None:
            raise answer.error
        return answer.value
    assert isinstance(answer, Exit)
    raise RequestFailedError(answer.pid, answer.reason, answer.error) from answer.error


def _forget(
    state: ProcessState,
    target: ProcessState | None,
    remote: Remote | None,
    pid: PID,
    ref: int,
    ours: bool,
) -> None:
    """Drop the request's monitor and what it left queued: a late Reply, and the Exit of
    its own monitor (never one the caller's monitor is owed)."""
    if ours and remote is not None:
        remote.unmonitor(state, pid)
    elif ours:
        lifecycle.unmonitor(state, target)
    drop_leftovers(state, ref, pid if ours else None)


def drop_leftovers(state: ProcessState, ref: int, pid: PID | None) -> None:
    """Take out of the mailbox what request ``ref`` left there: a late ``Reply``, and the
    ``Exit`` of ``pid`` when the request's own monitor delivered it."""
    mailbox = state.mailbox
    if not mailbox.queue:  # the common case: nothing left
        return
    left = answer_to(ref, pid)
    index = mailbox.find(ANSWERS, None, left, 0)
    while index >= 0:
        mailbox.take(index)
        index = mailbox.find(ANSWERS, None, left, index)


def reply(state: ProcessState, msg: Message, value: object, error: BaseException | None) -> bool:
    """Answer ``msg`` (see Process.reply); False when nobody waits for the answer any more."""
    if not isinstance(msg, Request):
        raise TypeError(
            f"reply answers a Request (sent with proc.request), got {type(msg).__name__}"
        )
    caller = msg.sender
    if caller is None:
        return False
    node = state.node
    proc = node.resolve(caller)
    if proc is None:
        remote = remote_for(node, caller)
        if remote is not None:
            remote.reply(caller, msg.ref, value, error)
            return True  # whether the caller still waits is known on its node only
        return False
    if proc.alias != msg.ref:  # deliver_reply, with the caller found already
        return False
    proc.deliver_priority(Reply(msg.ref, value, error))
    return True


def deliver_reply(
    node: Runtime, caller: PID, ref: int, value: object, error: BaseException | None
) -> bool:
    """Give ``caller`` the answer to its request ``ref``, if it still waits for that one
    (the router delivers replies from other nodes with this); False when it does not."""
    proc = node.resolve(caller)
    if proc is None or proc.alias != ref:
        return False
    proc.deliver_priority(Reply(ref, value, error))
    return True
