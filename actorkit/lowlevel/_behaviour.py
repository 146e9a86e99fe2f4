"""What a behaviour built on the public API (supervision, servers) needs beyond the user's
``Process``: trapping links, knowing its parent, handles to other processes, and a monitor
set and removed at once, without a command (so cleanup neither blocks nor is cancelled).

``actorkit.lowlevel`` re-exports these; behaviours never touch the runtime record itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from .._api._context import record_of
from .._api._process import Process, state_of
from .._core import _lifecycle as lifecycle
from .._core._events import Cancel, Exit
from .._core._proc_state import ProcessState

if TYPE_CHECKING:
    from .._api._context import HandlerContext
    from .._api._node import Node
    from .._core._pid import PID
    from .._core._ref import ProcessRef


def trap_links(proc: Process, enabled: bool = True) -> None:
    """Make a linked process's failure arrive at ``proc`` as a ``LinkDown`` event instead of
    failing it (Erlang's ``trap_exit``), or stop doing so."""
    state_of(proc).trap_links = enabled


def set_label(proc: Process | ProcessRef, label: str | None) -> None:
    """Give ``proc`` (its own handle, or a :class:`ProcessRef` to another process) a label
    that statistics and ``actorkit top`` show beside its function (a supervisor labels each
    child ``<supervisor>/<child id>`` as it spawns it)."""
    state = state_of(proc) if isinstance(proc, Process) else _state(proc)
    state.label = label


def parent_of(proc: Process) -> PID | None:
    """The PID of the process that spawned ``proc`` (None for one the node spawned)."""
    return state_of(proc).parent


def lookup(node: Node, target: PID | str) -> ProcessRef | None:
    """The live process with that PID or registered name, as a :class:`ProcessRef`."""
    return node.resolve(target)


def ref_of(proc: Process) -> ProcessRef:
    """``proc`` itself as a :class:`ProcessRef` (to post an event back to its own mailbox)."""
    return state_of(proc)


def monitor_nowait(proc: Process, target: ProcessRef) -> bool:
    """Watch ``target`` at once, as ``proc.monitor`` does but without a command: not a
    checkpoint, never cancelled. A target already gone sends its ``Exit`` (``noproc``) at
    once. Returns False, changing nothing, if ``proc`` already watches it."""
    watcher, state = state_of(proc), _state(target)
    if state in (watcher.monitoring or ()):
        return False
    lifecycle.monitor(watcher, state, state.pid)
    return True


def demonitor_flush(proc: Process, target: ProcessRef) -> None:
    """Stop watching ``target`` at once; if the monitor already fired, drop its queued
    ``Exit`` (Erlang's ``demonitor(Ref, [flush])``). Not a checkpoint."""
    watcher = state_of(proc)
    if lifecycle.unmonitor(watcher, _state(target)):
        return
    pid = target.pid
    # Cancel in the kind: a queued Cancel must not be taken for "a Cancel you do not accept".
    index = watcher.mailbox.find(
        (Exit, Cancel), None, lambda e: isinstance(e, Exit) and e.pid == pid, 0
    )
    if index >= 0:
        watcher.mailbox.take(index)


def _state(ref: ProcessRef) -> ProcessState:
    if not isinstance(ref, ProcessState):
        raise TypeError(f"not a process of this node: {ref!r}")
    return ref


# -- what the process module's handlers need (links, monitors and children by ref) -------------


def spawn_child(
    ctx: HandlerContext,
    fn: Callable[..., Awaitable[object]],
    args: tuple[object, ...],
    *,
    link: bool = False,
    monitor: bool = False,
    name: str | None = None,
    mailbox_size: int | None = None,
    trap_links: bool = False,
) -> ProcessRef:
    """Start ``fn(process, *args)`` as a child of the caller, with its link, monitor and name
    in place before it runs (the ``Spawn`` command's work)."""
    parent = record_of(ctx)
    return parent.node.spawn_child(
        fn,
        args,
        parent=parent,
        link_parent=link,
        monitor_parent=monitor,
        name=name,
        mailbox_size=mailbox_size,
        trap_links=trap_links,
    )


def link(a: ProcessRef, b: ProcessRef) -> None:
    """Link ``a`` and ``b`` both ways; a gone ``b`` makes ``a`` exit with ``noproc``."""
    lifecycle.link(_state(a), _state(b))


def unlink(a: ProcessRef, b: ProcessRef) -> None:
    """Remove the link between ``a`` and ``b``, if any."""
    lifecycle.unlink(_state(a), _state(b))


def monitor(watcher: ProcessRef, target: ProcessRef | None, pid: PID) -> None:
    """Make ``watcher`` watch ``target`` (None, or gone: an ``Exit`` with ``noproc`` now)."""
    lifecycle.monitor(_state(watcher), None if target is None else _state(target), pid)


def unmonitor(watcher: ProcessRef, target: ProcessRef | None) -> bool:
    """Stop ``watcher`` watching ``target``; True if a monitor was removed."""
    return lifecycle.unmonitor(_state(watcher), None if target is None else _state(target))
