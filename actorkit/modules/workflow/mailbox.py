"""Mailbox messages in a workflow: :func:`receive` journals each message it takes.

A plain ``proc.receive`` in a workflow is not journaled: after a crash the message is
gone (the mailbox lived in the dead process) and the replayed workflow would wait for it
again. :func:`receive` takes the message, then journals it (its topic, payload and sender)
before the workflow sees it, as the value of a ``SideEffect`` (180) named after the
receive (``mailbox 'topic'``); replay returns the journaled messages in the same order
and leaves the mailbox alone. A timeout is durable: its deadline is journaled first (a
``SideEffect`` named ``mailbox deadline``), so after a restart the wait goes on only for
what is left of it.

The work is done by the existing ``SideEffect`` command rather than a command of its own
because the workflow's ID range (180–189) is full (see the guide).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import trio

from actorkit import PID, Message, Process
from actorkit.checks import duration, text
from actorkit.lowlevel import ref_of

from .commands import SideEffect
from .state import RUN, Run, engine

_TIMEOUT = duration(optional=True, finite=True)
_TOPIC = text(non_empty=True, optional=True)


async def receive(
    proc: Process, topic: str | None = None, *, timeout: float | None = None
) -> Message:
    """Take the next message (with ``topic``, if given) from the workflow's mailbox and
    journal it; on replay, the journaled message. Outside a workflow, ``proc.receive``.
    A checkpoint; cancelled, it takes nothing.

    Args:
        proc: the workflow's process.
        topic: take the first message with this topic (the others stay queued).
        timeout: seconds; the deadline is journaled, so a restart does not extend it.

    Raises:
        trio.TooSlowError: no message before the deadline (journaled: replay raises it).
        ValueError: ``topic`` or ``timeout`` is wrong (the message names it).
    """
    _TOPIC.option("workflow.receive", "topic", topic)
    _TIMEOUT.option("workflow.receive", "timeout", timeout)
    run = RUN.find(ref_of(proc))
    if run is None:
        return await proc.receive(topic, timeout=timeout)
    at: float | None = None
    if timeout is not None:
        at = await proc.call(SideEffect(_named("mailbox deadline", _after(proc, timeout))))
    name = f"mailbox {topic!r}" if topic is not None else "mailbox"
    if _journaled_next(run) or run.replay_only is not None:
        # replay: the seam answers from the journal (or stops a replay-only run at its
        # end), and the mailbox is left alone
        value = await proc.call(SideEffect(_named(name, _unreachable)))
    else:
        left = None if at is None else max(0.0, at - engine(proc.node).now())
        outcome = await _take(proc, topic, left)
        value = await proc.call(SideEffect(_named(name, outcome)))
    topic_got, payload, sender = value
    return Message(topic_got, payload, sender)


async def _take(proc: Process, topic: str | None, left: float | None) -> Callable[[], Any]:
    """Receive live; a function giving the message's fields, or raising the timeout."""
    try:
        msg = await proc.receive(topic, timeout=left)
    except trio.TooSlowError:
        late = trio.TooSlowError(f"workflow.receive: no message {topic!r} in time")

        def timed_out() -> Any:
            raise late

        return timed_out
    fields = (msg.topic, msg.payload, msg.sender if isinstance(msg.sender, PID) else None)
    return lambda: fields


def _journaled_next(run: Run) -> bool:
    return run.position in run.history


def _after(proc: Process, timeout: float) -> Callable[[], float]:
    return lambda: engine(proc.node).now() + timeout


def _unreachable() -> Any:
    raise AssertionError("a journaled receive is answered from the journal")


def _named(name: str, fn: Callable[[], Any]) -> Callable[[], Any]:
    """``fn`` under ``name``: what the SideEffect's journal signature shows."""

    def side_effect() -> Any:
        return fn()

    side_effect.__qualname__ = name
    return side_effect
