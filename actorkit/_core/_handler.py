"""The handler contract the kernel calls, and the work handlers start under a process.

A handler is ``handle(ctx, cmd, tag, receiver)``. It must not block: it completes at once
with ``receiver.complete_yield(tag, data, error)``, or starts work that completes later.
That work runs in the dispatcher nursery under a cancel scope owned by the calling process
(:func:`start_work`): the process's death, the call's deadline or the caller's cancellation
cancels it, and a late completion is dropped.

The kernel passes ``ctx`` through without looking at it: the context is the user API's
(``actorkit._api._context.HandlerContext``), made for each process by the node.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

import trio

if TYPE_CHECKING:
    from ._proc_state import Cancellable, ProcessState


class Receiver(Protocol):
    """Takes a command's result: exactly one of ``data`` / ``error`` is meaningful."""

    def complete_yield(self, tag: int, data: object, error: BaseException | None) -> None: ...


# Handlers are stored type-erased: each one is registered for exactly one command class, and
# the context is the layer above's (``lowlevel.Handler`` names its type).
Handler = Callable[[Any, Any, int, Receiver], None]
Seam = Callable[[Any, Any, int, Receiver, Handler], None]
"""What stands between one process and its commands' handlers (``lowlevel.add_seam``)."""


def start_work(
    proc: ProcessState,
    tag: int,
    deadline: float,
    fn: Callable[..., Awaitable[object]],
    args: tuple[object, ...],
) -> None:
    """Run ``fn(*args)`` in the dispatcher nursery as the work of ``proc``'s call ``tag``,
    under a cancel scope with ``deadline``; if ``fn`` raises, the call completes with it."""
    if not proc.is_pending(tag):
        return
    scope = trio.CancelScope(deadline=deadline)
    proc.inflight[tag] = scope
    proc.node.dispatch_nursery.start_soon(_run_work, proc, tag, scope, fn, args)


def tie_work(proc: ProcessState, tag: int, work: Cancellable) -> None:
    """Cancel ``work`` with call ``tag`` (at once if the call has already ended)."""
    if proc.is_pending(tag):
        proc.inflight[tag] = work
    else:
        work.cancel()


def start_background(
    proc: ProcessState, fn: Callable[..., Awaitable[object]], args: tuple[object, ...]
) -> trio.CancelScope:
    """Run ``fn(*args)`` in the dispatcher nursery until it returns or ``proc`` exits."""
    scope = trio.CancelScope()
    proc.own(scope)
    proc.node.dispatch_nursery.start_soon(_run_background, proc, scope, fn, args)
    return scope


async def _run_work(
    proc: ProcessState,
    tag: int,
    scope: trio.CancelScope,
    fn: Callable[..., Awaitable[object]],
    args: tuple[object, ...],
) -> None:
    with scope:
        try:
            await fn(*args)
        except Exception as exc:
            proc.complete_yield(tag, None, exc)
    if scope.cancelled_caught and proc.is_pending(tag):
        # Only the call's deadline gets here: every other way of cancelling the work
        # (completion, abandoning the call, the process exiting) forgets the tag first.
        proc.complete_yield(tag, None, deadline_passed())


def deadline_passed() -> trio.TooSlowError:
    """The error of a call whose deadline passed before its work finished."""
    return trio.TooSlowError("the call's deadline passed before its work finished")


async def _run_background(
    proc: ProcessState,
    scope: trio.CancelScope,
    fn: Callable[..., Awaitable[object]],
    args: tuple[object, ...],
) -> None:
    try:
        with scope:
            await fn(*args)
    except Exception as exc:
        # The work belongs to the process: its failure is the process's failure.
        proc.signal_exit(exc)
    finally:
        proc.disown(scope)
