"""Birth and death of processes: the body runner, links, monitors and exit propagation."""

from __future__ import annotations

import contextvars
import inspect
import traceback
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

import structlog
import trio

from ..errors import LinkedExitError, NoProcessError, TerminatedError
from ._events import Exit, LinkDown

if TYPE_CHECKING:
    from ._pid import PID
    from ._proc_state import ProcessState

log = structlog.get_logger("actorkit.process")


def _structlog_var(key: str) -> contextvars.ContextVar[Any]:
    """The context variable structlog keeps ``key`` in (bound and reset at once)."""
    token = structlog.contextvars.bind_contextvars(**{key: ...})[key]
    token.var.reset(token)
    return token.var


_PID_VAR = _structlog_var("pid")
_PROCESS_VAR = _structlog_var("process")
_UNBOUND = ...  # what structlog.contextvars.clear_contextvars sets: not in the context


def is_process_function(fn: object) -> bool:
    """True for async functions (and callables whose ``__call__`` is async)."""
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004
    )


def bind_log_context(proc: ProcessState) -> None:
    """Make the task's structlog context this process's own (``pid`` and ``process``),
    dropping what it inherited from its spawner, as in Erlang; ``clear_contextvars`` and
    ``bind_contextvars`` do the same at several times the cost per spawn."""
    for var in contextvars.copy_context():
        if var is not _PID_VAR and var is not _PROCESS_VAR and var.name.startswith("structlog_"):
            var.set(_UNBOUND)
    _PID_VAR.set(str(proc.pid))
    _PROCESS_VAR.set(proc.name or proc.function)


async def run_body(
    proc: ProcessState, fn: Callable[..., Awaitable[object]], args: tuple[object, ...]
) -> None:
    """The task of one process: run ``fn(proc, *args)`` and turn its end into an exit."""
    bind_log_context(proc)
    result: object = None
    error: BaseException | None = None
    ended = False
    try:
        with trio.CancelScope() as scope:
            proc.scope = scope
            if proc.exit_signal is not None:
                scope.cancel()
            proc.status = "running"
            try:
                result = await fn(proc.handle, *args)
            except Exception as exc:
                error = exc
        ended = True
        if scope.cancelled_caught:
            error = _signalled(proc, "cancelled")
    finally:
        if not ended:  # cancelled from outside its own scope: the node is shutting down
            error = _signalled(proc, "node shut down")
        finish(proc, result, error)
        if error is not None:
            release_frames(error)


def release_frames(error: BaseException) -> None:
    """Drop the locals of the finished frames in ``error``'s tracebacks (and its causes'),
    so a remembered exit keeps its traceback but not everything the process held."""
    seen: set[int] = set()
    todo = [error]
    while todo:
        exc = todo.pop()
        if id(exc) in seen:
            continue
        seen.add(id(exc))
        traceback.clear_frames(exc.__traceback__)
        todo.extend(e for e in (exc.__cause__, exc.__context__) if e is not None)
        if isinstance(exc, BaseExceptionGroup):
            group = cast("BaseExceptionGroup[BaseException]", exc)
            todo.extend(group.exceptions)


def _signalled(proc: ProcessState, reason: str) -> BaseException:
    if proc.exit_signal is None:
        proc.exit_signal = TerminatedError(reason)
    return proc.exit_signal


def finish(proc: ProcessState, result: object, error: BaseException | None) -> None:
    """Record the exit, release everything the process held and tell its links and monitors."""
    node = proc.node
    proc.mark_exited(result, error)
    proc.mailbox.close()
    proc.cancel_work()
    node.forget(proc)
    _notify_links(proc, error)
    _notify_monitors(proc, result, error)
    for hook in node._exit_hooks:  # pyright: ignore[reportPrivateUsage]
        hook(proc, result, error)
    if node._listeners:  # pyright: ignore[reportPrivateUsage]
        node.emit("process", "exited", str(proc.pid), proc.exit_reason)
    if proc.exit_reason == "error":
        log.warning("process_failed", pid=str(proc.pid), error=repr(error), exc_info=error)


def _notify_links(proc: ProcessState, error: BaseException | None) -> None:
    links = proc.links
    if not links:
        return
    proc.links = None
    for other in links:
        if other.links is not None:
            other.links.discard(proc)
        if error is None:
            continue
        if other.trap_links:
            other.deliver_priority(LinkDown(proc.pid, error))
        else:
            other.signal_exit(LinkedExitError(proc.pid, error))


def _notify_monitors(proc: ProcessState, result: object, error: BaseException | None) -> None:
    for watched in proc.monitoring or ():
        if watched.monitored_by is not None:
            watched.monitored_by.discard(proc)
    proc.monitoring = None
    watchers = proc.monitored_by
    if not watchers:
        return
    proc.monitored_by = None
    event = Exit(proc.pid, result, error, proc.exit_reason)
    for watcher in watchers:
        if watcher.monitoring is not None:
            watcher.monitoring.discard(proc)
        watcher.deliver_priority(event)


def link(a: ProcessState, b: ProcessState) -> None:
    """Link two live processes both ways."""
    if a is b:
        return
    if a.links is None:
        a.links = set()
    if b.links is None:
        b.links = set()
    a.links.add(b)
    b.links.add(a)


def unlink(a: ProcessState, b: ProcessState) -> None:
    """Remove the link between two processes, if any."""
    if a.links is not None:
        a.links.discard(b)
    if b.links is not None:
        b.links.discard(a)


def monitor(watcher: ProcessState, target: ProcessState | None, pid: PID) -> None:
    """Make ``watcher`` get an Exit when ``target`` exits; at once (noproc) if it is gone."""
    if target is None or not target.alive:
        watcher.deliver_priority(Exit(pid, None, NoProcessError(pid), "noproc"))
        return
    if target.monitored_by is None:
        target.monitored_by = set()
    if watcher.monitoring is None:
        watcher.monitoring = set()
    target.monitored_by.add(watcher)
    watcher.monitoring.add(target)


def unmonitor(watcher: ProcessState, target: ProcessState | None) -> bool:
    """Stop ``watcher`` watching ``target``; True if it was."""
    if target is None or not watcher.monitoring or target not in watcher.monitoring:
        return False
    watcher.monitoring.discard(target)
    if target.monitored_by is not None:
        target.monitored_by.discard(watcher)
    return True
