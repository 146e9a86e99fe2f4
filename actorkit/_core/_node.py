"""The kernel's node: the process table, the name registry, the nurseries and shutdown.

The user's ``Node`` (``actorkit/_api/_node.py``) builds on :class:`Runtime`: it makes each
process's handle and handler context, and adds the doors in from outside (spawn, send,
wait, exec, a borrowed process).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import asynccontextmanager
from inspect import CO_COROUTINE
from types import FunctionType
from typing import TYPE_CHECKING

import structlog
import trio

from .. import checks
from ..errors import NameTakenError, NoProcessError, NotAProcessFunctionError
from ._events import Cancel, Exit, RuntimeEvent
from ._lifecycle import finish, is_process_function, link, monitor, run_body
from ._pid import PID
from ._proc_state import ProcessState
from ._registry import SYSTEM_SLOTS, Registry
from ._timers import Timers

if TYPE_CHECKING:
    from ._ref import ProcessRef
    from ._remote import Remote

log = structlog.get_logger("actorkit.node")

# The hooks a module adds with ``actorkit.lowlevel.add_*_hook`` (see lowlevel/_hooks.py).
ExitHook = Callable[["ProcessRef", object, "BaseException | None"], None]
Listener = Callable[[RuntimeEvent], None]
ShutdownHook = Callable[[], Awaitable[None]]
SpawnHook = Callable[["ProcessRef | None", "ProcessRef"], None]

DEFAULT_MAILBOX_SIZE = 1024
RECENT_EXITS = 1024
NODE_NAME = checks.text(non_empty=True)
PROCESS_NAME = checks.text(non_empty=True)
MAILBOX_SIZE = checks.integer(minimum=1)
GRACE = checks.duration()
HANDOFF = checks.flag()


def _async_function(fn: object) -> bool:
    """A plain ``async def`` function: the common process function, known without inspect."""
    return type(fn) is FunctionType and bool(fn.__code__.co_flags & CO_COROUTINE)


class Runtime:
    """The kernel's half of a node: its processes, names, command registry and hooks.

    The layer above makes each process's handle and handler context
    (:meth:`new_handle`, :meth:`new_context`); the kernel passes them through.
    """

    def __init__(
        self,
        *,
        name: str = "local",
        registry: Registry | None = None,
        mailbox_size: int = DEFAULT_MAILBOX_SIZE,
        shutdown_grace: float = 10.0,
        direct_handoff: bool = True,
    ) -> None:
        NODE_NAME.option("open_node", "name", name)
        MAILBOX_SIZE.option("open_node", "mailbox_size", mailbox_size)
        GRACE.option("open_node", "shutdown_grace", shutdown_grace)
        HANDOFF.option("open_node", "direct_handoff", direct_handoff)
        self.name = name
        self.creation = 0
        """This life of the node in its cluster (set when it joins one; 0 alone): the
        ``creation`` of the PIDs it makes from then on, which other nodes check."""
        self.registry = registry or Registry()
        self.mailbox_size = mailbox_size
        self.shutdown_grace = shutdown_grace
        self.direct_handoff = direct_handoff
        """Whether a behaviour may answer a request on the caller's turn (a ``Server``'s
        synchronous ``handle_call``, see the servers guide); settable."""
        self._exit_hooks: list[ExitHook] = []
        self._listeners: list[Listener] = []
        self._shutdown_hooks: list[ShutdownHook] = []
        self._spawn_hooks: list[SpawnHook] = []
        self._vars: dict[object, object] = {}  # NodeVar values
        self._remote: Remote | None = None  # the router to other nodes (set_remote)
        self.dead_letters = 0
        self.spawned = 0
        self.commands = 0
        self.command_counts = [0] * SYSTEM_SLOTS  # by ID, for the statistics by module
        self.custom_counts: dict[int, int] = {}  # IDs of 256 and up
        self.messages = 0
        self.event_counts: dict[str, int] = {}
        self.started_at = 0.0
        self._procs: dict[int, ProcessState] = {}
        self._names: dict[str, ProcessState] = {}
        self._serial = 0
        self._process_nursery: trio.Nursery | None = None
        self._dispatch_nursery: trio.Nursery | None = None
        self._all_exited: trio.Event | None = None
        # what node.wait needs, without the process: (result, error, reason) by serial
        self._recent: dict[int, tuple[object, BaseException | None, str]] = {}
        self.timers = Timers()  # the timeouts of waiting receives and requests

    def __repr__(self) -> str:
        return f"<Node {self.name!r} processes={len(self._procs)}>"

    def new_handle(self, proc: ProcessState) -> object:
        """The handle ``proc``'s function is called with (the user's ``Process``)."""
        raise NotImplementedError

    def new_context(self, proc: ProcessState) -> object:
        """The context ``proc``'s commands' handlers get (made on its first command)."""
        raise NotImplementedError

    # -- wiring (done by open_node) -------------------------------------------------------

    def attach(self, processes: trio.Nursery, dispatch: trio.Nursery) -> None:
        """Give the node its process nursery and its dispatcher nursery."""
        self._process_nursery = processes
        self._dispatch_nursery = dispatch
        self.started_at = trio.current_time()

    @property
    def dispatch_nursery(self) -> trio.Nursery:
        """Where handler work runs."""
        if self._dispatch_nursery is None:
            raise RuntimeError("the node is not running")
        return self._dispatch_nursery

    # -- the process table -----------------------------------------------------------------

    def resolve(self, target: PID | str) -> ProcessState | None:
        """The live process with that PID or registered name, else None."""
        if type(target) is PID:  # the hot case first: every send and request resolves
            if target.node == self.name and (
                target.creation == self.creation or not target.creation
            ):
                return self._procs.get(target.serial)
            return None
        if type(target) is str:
            return self._names.get(target)
        raise TypeError(f"not a PID or a name: {target!r} ({type(target).__name__})")

    def whereis(self, name: str) -> PID | None:
        """The PID registered under ``name``, or None."""
        proc = self._names.get(name)
        return proc.pid if proc is not None else None

    def name_of(self, pid: PID) -> str | None:
        """The name ``pid`` is registered under, or None (unregistered, exited, or another
        node's). A lookup only: it gives no access to the process."""
        proc = self.resolve(pid)
        return proc.name if proc is not None else None

    def processes(self) -> list[ProcessState]:
        """Every live process (a snapshot)."""
        return list(self._procs.values())

    def register_name(self, name: str, proc: ProcessState) -> None:
        """Give ``proc`` the name; ``NameTakenError`` if another process holds it."""
        PROCESS_NAME.option("register", "name", name)
        holder = self._names.get(name)
        if holder is not None and holder is not proc:
            raise NameTakenError(name, holder.pid)
        if not proc.alive:
            raise NoProcessError(proc.pid, f"cannot register name {name!r}")
        if proc.name is not None and proc.name != name:
            self._names.pop(proc.name, None)
        proc.name = name
        self._names[name] = proc

    def unregister_name(self, name: str) -> bool:
        """Release ``name``; True if it was registered."""
        proc = self._names.pop(name, None)
        if proc is None:
            return False
        proc.name = None
        return True

    def forget(self, proc: ProcessState) -> None:
        """Drop an exited process from the tables (its name is released)."""
        self._procs.pop(proc.pid.serial, None)
        recent = self._recent
        recent[proc.pid.serial] = (proc.exit_result, proc.exit_error, proc.exit_reason)
        if len(recent) >= 2 * RECENT_EXITS:  # keep the newest, a batch at a time
            self._recent = dict(list(recent.items())[-RECENT_EXITS:])
        if proc.name is not None and self._names.get(proc.name) is proc:
            del self._names[proc.name]
        if not self._procs and self._all_exited is not None:
            self._all_exited.set()

    def recent_exit(self, pid: PID | str) -> Exit | None:
        """The exit of ``pid`` if it is one of the last 1024 processes of this node to end."""
        if isinstance(pid, PID) and pid.node == self.name:
            recent = self._recent.get(pid.serial)
            if recent is not None:
                return Exit(pid, *recent)
        return None

    def emit(self, system: str, kind: str, path: str, data: object = None) -> None:
        """Publish a runtime event to the listeners (the event module puts them on its bus)."""
        key = f"{system}.{kind}"
        self.event_counts[key] = self.event_counts.get(key, 0) + 1
        if self._listeners:
            event = RuntimeEvent(system, kind, path, data)
            for listener in self._listeners:
                listener(event)

    def dead_letter(self, target: object, topic: str) -> NoProcessError:
        """Count and log a message nobody can receive; return the error for the sender."""
        self.dead_letters += 1
        log.info("dead_letter", target=str(target), topic=topic)
        self.emit("process", "dead_letter", str(target), topic)
        return NoProcessError(target, f"message {topic!r} is a dead letter")

    # -- spawning ---------------------------------------------------------------------------

    def new_process(
        self, *, name: str | None = None, mailbox_size: int | None = None, trap_links: bool = False
    ) -> ProcessState:
        """Make and enter a process in the table (its task, if any, is started by the caller)."""
        if name is not None:
            PROCESS_NAME.option("spawn", "name", name)
            if name in self._names:
                raise NameTakenError(name, self._names[name].pid)
        if mailbox_size is None:
            capacity = self.mailbox_size
        else:
            MAILBOX_SIZE.option("spawn", "mailbox_size", mailbox_size)
            capacity = mailbox_size
        self._serial += 1
        pid = PID(self.name, self._serial, self.creation)
        proc = ProcessState(self, pid, capacity, name, trap_links)
        proc.handle = self.new_handle(proc)
        self._procs[self._serial] = proc
        if name is not None:
            self._names[name] = proc
        return proc

    def spawn_child(
        self,
        fn: Callable[..., Awaitable[object]],
        args: tuple[object, ...],
        *,
        parent: ProcessState | None = None,
        link_parent: bool = False,
        monitor_parent: bool = False,
        name: str | None = None,
        mailbox_size: int | None = None,
        trap_links: bool = False,
    ) -> ProcessState:
        """Start ``fn(process, *args)``; links, monitor and name are in place before it runs."""
        if not _async_function(fn) and not is_process_function(fn):
            raise NotAProcessFunctionError(fn)
        if self._process_nursery is None:
            raise RuntimeError("the node is not running")
        proc = self.new_process(name=name, mailbox_size=mailbox_size, trap_links=trap_links)
        proc.function = getattr(fn, "__qualname__", "") or type(fn).__name__
        if parent is not None:
            proc.parent = parent.pid
        if parent is not None and link_parent:
            link(parent, proc)
        if parent is not None and monitor_parent:
            monitor(parent, proc, proc.pid)
        self.spawned += 1
        for hook in self._spawn_hooks:
            hook(parent, proc)
        if self._listeners:
            self.emit("process", "started", str(proc.pid), proc.function)
        self._process_nursery.start_soon(run_body, proc, fn, args, name=proc.function)
        return proc

    @asynccontextmanager
    async def borrow(
        self, *, name: str | None = None, trap_links: bool = True
    ) -> AsyncGenerator[ProcessState, None]:
        """A process for code outside any process, for the length of the block: it exits
        normally when the block ends, or with the block's exception."""
        proc = self.new_process(name=name, trap_links=trap_links)
        proc.function = "<borrowed>"
        proc.status = "running"
        for hook in self._spawn_hooks:
            hook(None, proc)
        error: BaseException | None = None
        try:
            with trio.CancelScope() as proc.scope:
                yield proc
            if proc.scope.cancelled_caught and proc.exit_signal is not None:
                raise proc.exit_signal
        except Exception as exc:
            error = exc
            raise
        finally:
            finish(proc, None, error)

    # -- shutdown -------------------------------------------------------------------------------

    async def shutdown(self) -> None:
        """Stop every process: first the shutdown hooks in reverse order (supervision trees
        stop their children in order there), then Cancel to every process left, up to the
        grace period, then cancellation."""
        while self._shutdown_hooks:
            await self._shutdown_hooks.pop()()
        if self._procs:
            self._all_exited = trio.Event()
            for proc in list(self._procs.values()):
                proc.deliver_priority(Cancel("shutdown"))
            with trio.move_on_after(self.shutdown_grace):
                await self._all_exited.wait()
        if self._process_nursery is not None:
            self._process_nursery.cancel_scope.cancel()
