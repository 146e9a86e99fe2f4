"""What a behaviour built on the public API (supervision, servers) needs beyond the user's
``Process``: trapping links, knowing its parent, handles to other processes, and a monitor
set and removed at once, without a command (so cleanup neither blocks nor is cancelled).

``actorkit.lowlevel`` re-exports these; behaviours never touch the runtime record itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import _lifecycle as lifecycle
from ._events import Cancel, Exit
from ._proc_state import ProcessState
from ._process import state_of

if TYPE_CHECKING:
    from ._node import Node
    from ._pid import PID
    from ._process import Process
    from ._ref import ProcessRef


def trap_links(proc: Process, enabled: bool = True) -> None:
    """Make a linked process's failure arrive at ``proc`` as a ``LinkDown`` event instead of
    failing it (Erlang's ``trap_exit``), or stop doing so."""
    state_of(proc).trap_links = enabled


def set_label(proc: Process, label: str | None) -> None:
    """Give ``proc`` a label that statistics and ``actorkit top`` show beside its function
    (a supervisor labels each child ``<supervisor>/<child id>``)."""
    state_of(proc).label = label


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
