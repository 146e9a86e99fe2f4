"""Worker processes for ``cpu=True`` functions, through trio-parallel (imported lazily).

trio-parallel ships no type information, so the little of it used here is described by the
Protocols below.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from typing import Any, Protocol, TypeVar, cast

import trio

from actorkit.errors import MissingExtraError

T = TypeVar("T")


class _WorkerContext(Protocol):
    async def run_sync(
        self, sync_fn: Callable[[], T], *, kill_on_cancel: bool, limiter: trio.CapacityLimiter
    ) -> T: ...


class _TrioParallel(Protocol):
    def open_worker_context(self) -> AbstractAsyncContextManager[_WorkerContext]: ...


def import_trio_parallel() -> _TrioParallel:
    """The trio_parallel module; ``MissingExtraError`` if it is not installed."""
    try:
        module: Any = importlib.import_module("trio_parallel")
    except ImportError as exc:
        raise MissingExtraError("cpu=True functions", "parallel") from exc
    return cast("_TrioParallel", module)


class WorkerPool:
    """trio-parallel worker processes owned by one node: opened at start, closed at stop.

    At most ``workers`` functions run at once (a ``trio.CapacityLimiter``); idle workers
    are kept and reused. Closing waits for the workers to exit.
    """

    def __init__(self, workers: int) -> None:
        self._trio_parallel = import_trio_parallel()
        self.limiter = trio.CapacityLimiter(workers)
        self._context: _WorkerContext | None = None
        self._stack = AsyncExitStack()

    async def open(self) -> None:
        """Create the worker context (workers start on first use). A checkpoint."""
        opener = self._trio_parallel.open_worker_context()
        self._context = await self._stack.enter_async_context(opener)

    async def close(self) -> None:
        """Shut the workers down and wait for them. A checkpoint; shielded by boot's stop."""
        self._context = None
        await self._stack.aclose()

    async def run(self, fn: Callable[[], T]) -> T:
        """Run ``fn()`` in a worker process and return its result (or raise its error).

        A checkpoint. Cancellation kills the worker (SIGKILL), so the work really stops;
        a new worker replaces it on the next call.
        """
        if self._context is None:
            raise trio.ClosedResourceError("the cpu worker pool is not open")
        return await self._context.run_sync(fn, kill_on_cancel=True, limiter=self.limiter)
