"""Running a registered function: one attempt in the way its kind asks, and the retry loop.

Kinds (see :data:`~.spec.Kind`):

- ``async``: awaited in the dispatcher, under the caller's cancel scope.
- ``inline`` (``cheap=True``): called directly, in the handler when there is nothing to
  retry, so the call completes without a task switch.
- ``thread``: ``trio.to_thread.run_sync`` with the module's thread limiter. A thread cannot
  be stopped from outside: when the caller gives up, it is released at once, the thread
  runs to its end (holding its limiter token) and the result is dropped. The function can
  stop early by polling ``trio.from_thread.check_cancelled()``.
- ``process`` (``cpu=True``): a trio-parallel worker process; cancellation kills the worker.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping

import attrs
import structlog
import trio

from ._parallel import WorkerPool
from .commands import AsyncStart, Call
from .errors import FunctionArgumentError
from .retry import RetryPolicy
from .spec import Kind

Runner = Callable[[tuple[object, ...], Mapping[str, object]], Awaitable[object]]
FunctionCommand = Call | AsyncStart
log = structlog.get_logger(__name__)


@attrs.frozen
class Entry:
    """A registered function, ready to run."""

    name: str
    fn: Callable[..., object]
    kind: Kind
    policy: RetryPolicy
    run: Runner

    @property
    def inline(self) -> bool:
        """True when a ``Call`` completes inside the handler."""
        return self.kind == "inline" and self.policy.max_attempts == 1


def make_runner(
    kind: Kind, fn: Callable[..., object], threads: trio.CapacityLimiter, pool: WorkerPool | None
) -> Runner:
    """The one-attempt runner for a function of ``kind``."""
    if kind == "async":
        afn: Callable[..., Awaitable[object]] = fn  # type: ignore[assignment]
        return lambda args, kwargs: afn(*args, **kwargs)
    if kind == "inline":

        async def run_directly(args: tuple[object, ...], kwargs: Mapping[str, object]) -> object:
            return fn(*args, **kwargs)

        return run_directly
    if kind == "thread":

        async def run_thread(args: tuple[object, ...], kwargs: Mapping[str, object]) -> object:
            call = functools.partial(fn, *args, **kwargs)
            return await trio.to_thread.run_sync(call, limiter=threads)

        return run_thread
    if pool is None:
        raise RuntimeError("cpu=True functions need a worker pool")

    async def run_process(args: tuple[object, ...], kwargs: Mapping[str, object]) -> object:
        return await pool.run(functools.partial(fn, *args, **kwargs))

    return run_process


def run_inline(entry: Entry, cmd: FunctionCommand) -> object:
    """Call a cheap sync function directly (no retries); argument errors made clear."""
    try:
        return entry.fn(*cmd.args, **cmd.kwargs)
    except TypeError as exc:
        check_arguments(entry, cmd, exc)
        raise


async def invoke(entry: Entry, cmd: FunctionCommand) -> object:
    """Run the function for ``cmd``, retrying as its policy says; return its result.

    A checkpoint unless the function is ``cheap`` and succeeds at once. Cancellation (the
    caller's timeout, cancel or exit) stops the attempt in progress or the sleep between
    attempts and propagates.

    Raises:
        FunctionArgumentError: the arguments do not fit the function.
        Exception: whatever the last attempt raised.
    """
    attempt = 1
    while True:
        try:
            return await entry.run(cmd.args, cmd.kwargs)
        except Exception as exc:
            if not _will_retry(entry, cmd, exc, attempt):
                raise
        await trio.sleep(entry.policy.delay(attempt))
        attempt += 1


def _will_retry(entry: Entry, cmd: FunctionCommand, exc: Exception, attempt: int) -> bool:
    if isinstance(exc, TypeError):
        check_arguments(entry, cmd, exc)
    if entry.policy.retries(exc, attempt):
        log.info("function_retry", function=entry.name, attempt=attempt, error=repr(exc))
        return True
    if attempt > 1:
        exc.add_note(f"{describe(cmd)}: function {entry.name!r} failed {attempt} times")
    return False


def check_arguments(entry: Entry, cmd: FunctionCommand, exc: TypeError) -> None:
    """Raise ``FunctionArgumentError`` (from ``exc``) if the arguments do not bind.

    The signature is only consulted once a call has failed with ``TypeError``, so a
    successful call pays nothing for this check.
    """
    try:
        signature = inspect.signature(entry.fn)
    except (TypeError, ValueError):
        return
    try:
        signature.bind(*cmd.args, **cmd.kwargs)
    except TypeError:
        raise FunctionArgumentError(describe(cmd), entry.name, exc) from exc


def describe(cmd: FunctionCommand) -> str:
    """``Call (id=140)``: how error messages name a command."""
    return f"{type(cmd).__name__} (id={cmd.ID})"
