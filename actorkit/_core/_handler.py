"""What a handler gets: the calling process's context and a receiver for its result.

A handler is ``handle(ctx, cmd, tag, receiver)``. It must not block: it completes at once
with ``receiver.complete_yield(tag, data, error)``, or starts work with
``ctx.start_soon(tag, fn, *args)`` that completes later. That work runs in the dispatcher
nursery under a cancel scope owned by the calling process: the process's death, the call's
deadline or the caller's cancellation cancels it, and a late completion is dropped.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, TypeVarTuple, Unpack, cast

import trio

if TYPE_CHECKING:
    from ._node import Node
    from ._pid import PID
    from ._proc_state import Cancellable, ProcessState
    from ._ref import ProcessRef

T = TypeVar("T")
C = TypeVar("C")
Ts = TypeVarTuple("Ts")


class Receiver(Protocol):
    """Takes a command's result: exactly one of ``data`` / ``error`` is meaningful."""

    def complete_yield(self, tag: int, data: object, error: BaseException | None) -> None: ...


AsyncHandler = Callable[["HandlerContext", C], Awaitable[object]]
# Handlers are stored type-erased: each one is registered for exactly one command class.
Handler = Callable[["HandlerContext", Any, int, Receiver], None]
RawHandler = Callable[["HandlerContext", C, int, Receiver], None]
Seam = Callable[["HandlerContext", Any, int, Receiver, Handler], None]
"""What stands between one process and its commands' handlers (``lowlevel.add_seam``)."""


class HandlerContext:
    """The calling process as a handler sees it (one per process, made on first use)."""

    __slots__ = ("_local", "_process")

    def __init__(self, process: ProcessState) -> None:
        self._process = process  # the runtime record: the kernel's, see record_of
        self._local: dict[type, object] | None = None

    @property
    def pid(self) -> PID:
        """The caller's PID."""
        return self._process.pid

    @property
    def caller(self) -> ProcessRef:
        """The calling process, as a module may see another process."""
        return self._process

    def lookup(self, target: PID | str) -> ProcessRef | None:
        """The live process with that PID or registered name, or None."""
        return self._process.node.resolve(target)

    @property
    def node(self) -> Node:
        """The node the caller runs on."""
        return self._process.node

    @property
    def deadline(self) -> float:
        """The deadline the work of the command being dispatched must meet: the call's
        ``timeout`` or the caller's enclosing cancel scopes, whichever is sooner."""
        return min(self._process.call_deadline, trio.current_effective_deadline())

    def start_soon(
        self, tag: int, fn: Callable[[Unpack[Ts]], Awaitable[object]], *args: *Ts
    ) -> None:
        """Run ``fn(*args)`` in the dispatcher nursery as the work of call ``tag``.

        The work runs under a cancel scope carrying the caller's deadline; it is cancelled
        when the call completes, times out or is cancelled, or when the process exits. If
        ``fn`` raises, the call completes with that exception.
        """
        proc = self._process
        if not proc.is_pending(tag):
            return
        scope = trio.CancelScope(deadline=self.deadline)
        proc.inflight[tag] = scope
        proc.node.dispatch_nursery.start_soon(_run_work, proc, tag, scope, fn, args)

    def cancel_with(self, tag: int, work: Cancellable) -> None:
        """Tie a backend's own cancel handle to call ``tag``.

        For work that runs outside Trio tasks (a database thread, say): ``work.cancel()``
        is called when the call times out or is cancelled, or the process exits. If the
        call has already ended, it is called at once.
        """
        proc = self._process
        if proc.is_pending(tag):
            proc.inflight[tag] = work
        else:
            work.cancel()

    def start_background(
        self, fn: Callable[[Unpack[Ts]], Awaitable[object]], *args: *Ts
    ) -> trio.CancelScope:
        """Run ``fn(*args)`` in the dispatcher nursery until it returns or the process exits.

        For work that outlives one call (tickers, timers). Returns its cancel scope.
        """
        proc = self._process
        scope = trio.CancelScope()
        proc.own(scope)
        proc.node.dispatch_nursery.start_soon(_run_background, proc, scope, fn, args)
        return scope

    def local(self, key: type[T]) -> T:
        """Per-process state for a module, made with ``key()`` on first use."""
        if self._local is None:
            self._local = {}
        value = self._local.get(key)
        if value is None:
            value = self._local[key] = key()
        return cast("T", value)


def record_of(ctx: HandlerContext) -> ProcessState:
    """The runtime's record of the caller, for the kernel's own handlers (modules see the
    caller as a :class:`ProcessRef` through ``ctx.caller``)."""
    return ctx._process  # pyright: ignore[reportPrivateUsage]


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


def as_handler(fn: AsyncHandler[C] | RawHandler[C]) -> Handler:
    """Wrap an ``async def handle(ctx, cmd) -> result`` as a raw handler; pass raw ones through."""
    if not inspect.iscoroutinefunction(fn):
        return cast("Handler", fn)
    afn = cast("AsyncHandler[Any]", fn)

    def handle(ctx: HandlerContext, cmd: object, tag: int, receiver: Receiver) -> None:
        ctx.start_soon(tag, _complete, afn, ctx, cmd, tag, receiver)

    return handle


async def _complete(
    fn: AsyncHandler[Any], ctx: HandlerContext, cmd: object, tag: int, receiver: Receiver
) -> None:
    """Run an async handler and complete through ``receiver``, its failure too: a seam
    (a workflow's journal, a security scope) sees every outcome, not only the results."""
    try:
        data = await fn(ctx, cmd)
    except Exception as exc:
        receiver.complete_yield(tag, None, exc)
        return
    receiver.complete_yield(tag, data, None)
