"""Selective receive: finding, waiting for and taking a process's next wanted event.

``Process.receive`` takes its hot cases inline and comes here for the rest; request/reply and
the direct hand-off wait for their answers with the same functions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Coroutine
from typing import Any

import trio

from .._core._events import Cancel, Event
from .._core._mailbox import WAKE_ON_EVENT, Kind, wanted
from .._core._proc_state import REDUCTIONS, ProcessState
from ..errors import CancelRequested


def take(state: ProcessState, index: int, kind: Kind) -> Event:
    """Take the event at ``index``; a ``Cancel`` that ``kind`` does not take raises
    ``CancelRequested`` (its reason kept in ``cancel_reason``)."""
    event = state.mailbox.take(index)
    if type(event) is Cancel and not issubclass(Cancel, kind):
        state.cancel_reason = event.reason
        raise CancelRequested(event.reason)
    return event


async def receive_until(
    state: ProcessState, kind: Kind, match: Callable[[Any], bool], deadline: float
) -> Event | None:
    """``receive`` with an absolute deadline; None when it passes first."""
    index = await find_until(state, kind, None, match, deadline)
    return None if index < 0 else take(state, index, kind)


def find_until(
    state: ProcessState,
    kind: Kind,
    topic: str | None,
    match: Callable[[Any], bool] | None,
    deadline: float,
) -> Coroutine[Any, Any, int]:
    """The index of the first matching event, waiting for one until ``deadline``; -1
    once it passed. A checkpoint either way (a reduction when nothing had to wait).
    Returned to be awaited, so a waiting receive keeps no frame of its own here."""
    index = state.mailbox.find(kind, topic, match, 0)
    if index < 0:
        return park_until(state, kind, topic, match, deadline)
    return _found(state, index)


async def _found(state: ProcessState, index: int) -> int:
    await trio.lowlevel.checkpoint_if_cancelled()
    state.reductions -= 1  # Process._reduce, inlined: a coroutine less per event found
    if state.reductions <= 0:
        state.reductions = REDUCTIONS
        await trio.lowlevel.cancel_shielded_checkpoint()
    return index


async def park_until(
    state: ProcessState,
    kind: Kind,
    topic: str | None,
    match: Callable[[Any], bool] | None,
    deadline: float = math.inf,
) -> int:
    """Park until a matching event is queued: its index, or -1 once ``deadline`` passed.

    A finite deadline is an entry in the node's timer heap (``_core/_timers.py``), not a
    cancel scope.
    """
    mailbox = state.mailbox
    timers = state.node.timers
    entry = None
    if deadline != math.inf:
        if deadline <= trio.current_time():  # already due: fail after a checkpoint
            await trio.lowlevel.checkpoint()
            return -1
        entry = timers.add(deadline, mailbox)
        mailbox.timed_out = False
    try:
        start = len(mailbox)
        while True:
            await mailbox.park(WAKE_ON_EVENT)
            index = mailbox.find(kind, topic, match, start)
            if index >= 0:
                return index
            if mailbox.timed_out:
                return -1
            start = len(mailbox)
    finally:
        if entry is not None:
            timers.discard(entry)


def deadline_of(timeout: float | None) -> float:
    """The absolute deadline of a ``timeout`` in seconds (None: none)."""
    return math.inf if timeout is None else trio.current_time() + timeout


def none_within(
    state: ProcessState,
    wanted_: tuple[Kind, str | None, Callable[[Any], bool] | None],
    timeout: float | None,
) -> trio.TooSlowError:
    """The error of a ``receive`` that timed out (out of line: a waiting receive's frame
    stays smaller, and an idle process keeps one)."""
    return trio.TooSlowError(f"{state.pid}: no {wanted(*wanted_)} within {timeout}s")
