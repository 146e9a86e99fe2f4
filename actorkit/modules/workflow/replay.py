"""Replaying a saved history against a workflow function, with nothing live.

A borrowed process of the node runs the function under a seam of its own that answers
every command from the history, checking each one as a real replay does; no handler runs,
so no activity, side effect or timer does. The first command past the history's end stops
the replay there (the run is cancelled): what would come next is live work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import trio

from actorkit import Node, Process
from actorkit.checks import label
from actorkit.lowlevel import add_seam, ref_of
from actorkit.modules import clock

from .codec import decode, decode_error, signature
from .commands import Receive, Version
from .errors import NonDeterminismError, VersionError
from .history import History
from .journal import Entry
from .runner import ContinueAsNew, version_step
from .state import RUN, ReplayOnly, Run, WorkflowFn

if TYPE_CHECKING:
    from actorkit.lowlevel import Handler, HandlerContext, Receiver

ENDED = "no command: the workflow ended"
"""What a replay names as the code's side when the code ends before its history does."""


@attrs.frozen
class Replayed:
    """How a replay went (it went through: no command differed from the history's).

    Attributes:
        workflow_id: the history's workflow.
        replayed: how many journal positions the code went through.
        ended: True if the code ended within the history (returned, or raised the
            failure the history ended with, or continued as new).
        result: what it returned, when it ended by returning.
        error: the failure it ended with (``Type: message``), as the history records it.
        stopped_at: the first command past the history's end, where the replay stopped
            (None if the code ended first).
    """

    workflow_id: str
    replayed: int
    ended: bool
    result: Any = None
    error: str | None = None
    stopped_at: str | None = None


async def replay(node: Node, history: History, fn: WorkflowFn) -> Replayed:
    """Replay ``history`` against the workflow function ``fn`` (new code) in a borrowed
    process of ``node``, running no command: each is answered from the history. The
    first command past the history's end stops the replay. A checkpoint.

    The node needs no module for this (not even the workflow module): nothing reaches a
    handler. ``workflow.publish`` and ``workflow.receive`` work as in a real replay.

    Raises:
        NonDeterminismError: the code yielded another command than the history holds at
            a position (naming it and both commands), or ended while the history goes on.
        VersionError: a ``Version`` marker in the history is outside the code's range.
        Exception: what the code raised, unless the history ended with that failure.
    """
    entries = {e.position: Entry(e.command, e.result, e.error) for e in history.entries}
    args = decode(history.args)
    outcome: tuple[Any, BaseException | None] = (None, None)
    async with node.process() as proc:
        only = ReplayOnly(trio.CancelScope())
        run = Run(history.workflow_id, history.run, entries, pid=proc.pid, replay_only=only)
        RUN.set(ref_of(proc), run)
        add_seam(ref_of(proc), replay_seam)
        with only.scope:
            outcome = await _run_code(proc, fn, args, only)
        RUN.reset(ref_of(proc))
    if only.failure is not None:
        raise only.failure
    if only.scope.cancelled_caught:
        return Replayed(history.workflow_id, run.position, False, stopped_at=only.stopped_at)
    return _ended(history, run, outcome)


async def _run_code(
    proc: Process, fn: WorkflowFn, args: tuple[Any, ...], only: ReplayOnly
) -> tuple[Any, BaseException | None]:
    """The code's return value, or what it raised (a replay failure wins)."""
    try:
        return await fn(proc, *args), None
    except ContinueAsNew:
        return None, None
    except Exception as exc:
        if only.failure is not None:
            raise only.failure from None
        return None, exc


def _ended(history: History, run: Run, outcome: tuple[Any, BaseException | None]) -> Replayed:
    """The code ended: every journaled position must have been gone through."""
    result, exc = outcome
    left = [p for p in run.history if p >= run.position]
    if left:
        journaled = run.history[min(left)].command
        raise NonDeterminismError(history.workflow_id, min(left), journaled, ENDED)
    if exc is None:
        return Replayed(history.workflow_id, run.position, True, result)
    error = f"{type(exc).__name__}: {exc}"
    if error != history.error:
        raise exc
    return Replayed(history.workflow_id, run.position, True, error=error)


def replay_seam(ctx: HandlerContext, cmd: Any, tag: int, rcv: Receiver, next_: Handler) -> None:
    """The seam of a replaying process: the history answers, or the replay stops."""
    run = RUN.find(ctx.caller)
    only = None if run is None else run.replay_only
    if run is None or only is None:
        next_(ctx, cmd, tag, rcv)
        return
    watched = _Watched(only, rcv)
    if isinstance(cmd, Version):
        if run.replaying:
            version_step(ctx, run, cmd, tag, watched)
        else:
            _stop(only, f"{label(Version)} {cmd.change_id}")
        return
    sig = signature(cmd)
    timed = isinstance(cmd, Receive) and cmd.timeout is not None
    entry: Entry | None = None
    for expected in (f"Deadline of {sig}", sig) if timed else (sig,):
        entry = run.history.get(run.position)
        if entry is None:
            _stop(only, expected)
            return
        if entry.command != expected:
            mismatch = NonDeterminismError(run.workflow_id, run.position, entry.command, expected)
            watched.complete_yield(tag, None, mismatch)
            return
        run.position += 1
    assert entry is not None
    _answer(cmd, entry, tag, watched)


def _answer(cmd: Any, entry: Entry, tag: int, rcv: Receiver) -> None:
    if entry.error is not None:
        rcv.complete_yield(tag, None, decode_error(entry.error))
    elif isinstance(cmd, clock.Sleep):  # journaled: its firing time; it returns None
        rcv.complete_yield(tag, None, None)
    else:
        rcv.complete_yield(tag, decode(entry.result or "null"), None)


def _stop(only: ReplayOnly, command: str) -> None:
    """Past the history's end: cancel the run; the command never completes."""
    if only.stopped_at is None:
        only.stopped_at = command
    only.scope.cancel()


class _Watched:
    """A receiver that keeps the replay's first failure (the code may catch it)."""

    def __init__(self, only: ReplayOnly, inner: Receiver) -> None:
        self.only = only
        self.inner = inner

    def complete_yield(self, tag: int, data: object, error: BaseException | None) -> None:
        """Note a NonDeterminismError or VersionError, then deliver."""
        if isinstance(error, NonDeterminismError | VersionError) and self.only.failure is None:
            self.only.failure = error
        self.inner.complete_yield(tag, data, error)
