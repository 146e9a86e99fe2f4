"""What a handler gets: the calling process's context, and the typed handler shapes.

A handler is ``handle(ctx, cmd, tag, receiver)`` (see ``actorkit/_core/_handler.py`` for
the contract the kernel calls); ``async def handle(ctx, cmd) -> result`` is wrapped into one
by :func:`as_handler`.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar, TypeVarTuple, Unpack, cast

import trio

from .._core._handler import Receiver, start_background, start_work, tie_work

if TYPE_CHECKING:
    from .._core._pid import PID
    from .._core._proc_state import Cancellable, ProcessState
    from .._core._ref import ProcessRef
    from ._node import Node

T = TypeVar("T")
C = TypeVar("C")
Ts = TypeVarTuple("Ts")

AsyncHandler = Callable[["HandlerContext", C], Awaitable[object]]
RawHandler = Callable[["HandlerContext", C, int, Receiver], None]
# Handlers are stored type-erased: each one is registered for exactly one command class.
Handler = Callable[["HandlerContext", Any, int, Receiver], None]
Seam = Callable[["HandlerContext", Any, int, Receiver, Handler], None]
"""What stands between one process and its commands' handlers (``lowlevel.add_seam``)."""


class HandlerContext:
    """The calling process as a handler sees it (one per process, made on first use)."""

    __slots__ = ("_local", "_node", "_process")

    def __init__(self, process: ProcessState, node: Node) -> None:
        self._process = process  # the runtime record: the kernel's, see record_of
        self._node = node
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
        return self._node.resolve(target)

    @property
    def node(self) -> Node:
        """The node the caller runs on."""
        return self._node

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
        start_work(self._process, tag, self.deadline, fn, args)

    def cancel_with(self, tag: int, work: Cancellable) -> None:
        """Tie a backend's own cancel handle to call ``tag``.

        For work that runs outside Trio tasks (a database thread, say): ``work.cancel()``
        is called when the call times out or is cancelled, or the process exits. If the
        call has already ended, it is called at once.
        """
        tie_work(self._process, tag, work)

    def start_background(
        self, fn: Callable[[Unpack[Ts]], Awaitable[object]], *args: *Ts
    ) -> trio.CancelScope:
        """Run ``fn(*args)`` in the dispatcher nursery until it returns or the process exits.

        For work that outlives one call (tickers, timers). Returns its cancel scope.
        """
        return start_background(self._process, fn, args)

    def local(self, key: type[T]) -> T:
        """Per-process state for a module, made with ``key()`` on first use."""
        if self._local is None:
            self._local = {}
        value = self._local.get(key)
        if value is None:
            value = self._local[key] = key()
        return cast("T", value)


def record_of(ctx: HandlerContext) -> ProcessState:
    """The runtime's record of the caller, for the process module's own handlers (modules
    see the caller as a :class:`ProcessRef` through ``ctx.caller``)."""
    return ctx._process  # pyright: ignore[reportPrivateUsage]


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
