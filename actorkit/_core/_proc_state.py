"""The runtime side of a process: its mailbox, in-flight commands, links and monitors.

The user's ``Process`` handle (``actorkit/_api/_process.py``) builds on this; handlers and
the node use it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Protocol

import trio

from ..errors import CancelRequested, ExitSignal, NotACommandError, UnknownCommandError
from ._events import Completion, Event, exit_reason
from ._mailbox import WAKE_ON_COMPLETION, Mailbox
from ._registry import SYSTEM_SLOTS

if TYPE_CHECKING:
    from ._handler import Handler, Receiver, Seam
    from ._node import Runtime
    from ._pid import PID

REDUCTIONS = 64


class Cancellable(Protocol):
    """What stops a command's work: a cancel scope, or a backend's own handle."""

    def cancel(self) -> None: ...  # events a process may take before it must yield to Trio


class ProcessState:
    """Everything the runtime keeps about one process."""

    __slots__ = (
        "_ctx",
        "_exited",
        "_inflight",
        "_owned",
        "_tag",
        "_waiting",
        "alias",
        "call_deadline",
        "cancel_reason",
        "current",
        "exit_error",
        "exit_result",
        "exit_signal",
        "function",
        "handle",
        "label",
        "links",
        "mailbox",
        "monitored_by",
        "monitoring",
        "name",
        "node",
        "parent",
        "pid",
        "pvars",
        "reductions",
        "scope",
        "seam",
        "seams",
        "slot",
        "status",
        "trap_links",
    )

    def __init__(
        self, node: Runtime, pid: PID, capacity: int, name: str | None, trap_links: bool
    ) -> None:
        self.node = node
        self.pid = pid
        self.name = name
        self.trap_links = trap_links
        self.mailbox = Mailbox(capacity)
        self.status = "starting"
        self.function = ""
        self.label: str | None = None  # what people see for it (a supervised child's id)
        # Tags of started commands not yet completed, with what cancels their work (made on
        # first use, see ``inflight``).
        self._inflight: dict[int, Cancellable | None] | None = None
        self.call_deadline = math.inf
        self.cancel_reason: str | None = None
        self.current: object = None
        self.parent: PID | None = None
        self.scope: trio.CancelScope | None = None
        self.links: set[ProcessState] | None = None
        self.monitored_by: set[ProcessState] | None = None
        self.monitoring: set[ProcessState] | None = None
        self.exit_signal: BaseException | None = None
        self.exit_result: object = None
        self.exit_error: BaseException | None = None
        self.reductions = REDUCTIONS
        self._tag = 0
        self.alias = 0  # the ref of the request this process waits on (0: none)
        self._waiting = 0
        self.slot: tuple[object, BaseException | None] | None = None
        self._ctx: object = None  # the handler context, made by the node on first use
        self.handle: object = None  # the user's handle, made by the node
        self._owned: set[trio.CancelScope] | None = None
        self._exited: trio.Event | None = None
        self.pvars: dict[object, object] | None = None  # ProcessVar values
        self.seam: Seam | None = None  # the composed seams (see lowlevel/_seam.py)
        self.seams: tuple[Seam, ...] | None = None

    def __repr__(self) -> str:
        return f"<Process {self.pid} {self.name or self.function} {self.status}>"

    @property
    def alive(self) -> bool:
        """False once the process has exited."""
        return self.status != "exited"

    # -- commands ------------------------------------------------------------------------

    @property
    def inflight(self) -> dict[int, Cancellable | None]:
        """Tags of started commands not yet completed, with what cancels their work. The
        awaited call's tag lives in ``_waiting`` and enters this map only with work. Made
        on first use: most processes never start a command that outlives its call."""
        inflight = self._inflight
        if inflight is None:
            inflight = self._inflight = {}
        return inflight

    def context(self) -> object:
        """The handler context of this process (made by the node on first use)."""
        ctx = self._ctx
        if ctx is None:
            ctx = self._ctx = self.node.new_context(self)
        return ctx

    def dispatch(self, cmd: object, wait: bool) -> int:
        """Hand ``cmd`` to its handler under a new tag; ``wait`` routes the result to
        the completion slot that ``call`` reads instead of the inbox."""
        cid = getattr(type(cmd), "ID", None)
        if type(cid) is not int:
            raise NotACommandError(cmd)
        tag = self._tag = self._tag + 1
        if wait:
            if self._waiting:
                raise _concurrent_call(self, cmd, cid)
            self._waiting = tag
            self.current = cmd
        else:
            self.inflight[tag] = None
        node = self.node
        node.commands += 1
        if 0 <= cid < SYSTEM_SLOTS:
            handler = node.registry.system[cid]
            node.command_counts[cid] += 1
        else:
            handler = node.registry.get(cid)
            node.custom_counts[cid] = node.custom_counts.get(cid, 0) + 1
        if self.seam is not None:
            self._through_seam(self.seam, cmd, tag, handler or _unknown)
            return tag
        if handler is None:
            self.complete_yield(tag, None, UnknownCommandError(type(cmd).__name__, cid))
            return tag
        try:
            handler(self._ctx or self.context(), cmd, tag, self)
        except Exception as exc:
            self.complete_yield(tag, None, exc)
        return tag

    def _through_seam(self, seam: Seam, cmd: object, tag: int, handler: Handler) -> None:
        try:
            seam(self._ctx or self.context(), cmd, tag, self, handler)
        except Exception as exc:
            self.complete_yield(tag, None, exc)

    def new_ref(self) -> int:
        """A number no earlier call or request of this process has used."""
        self._tag += 1
        return self._tag

    def complete_yield(self, tag: int, data: object, error: BaseException | None) -> None:
        """Deliver the result of call ``tag``; a late or repeated completion is dropped."""
        if tag == self._waiting:
            self._waiting = 0
            self.slot = (data, error)
            if self._inflight:
                self._cancel_work_of(tag)
            self.mailbox.wake_for_completion()
        elif self._inflight and tag in self._inflight:
            self._cancel_work_of(tag)
            self.mailbox.put_priority(Completion(tag, data, error))

    def is_pending(self, tag: int) -> bool:
        """True while call ``tag`` has not completed, timed out or been abandoned."""
        return tag == self._waiting or (self._inflight is not None and tag in self._inflight)

    def _cancel_work_of(self, tag: int) -> None:
        work = self._inflight.pop(tag, None) if self._inflight else None
        if work is not None:
            work.cancel()

    def take_result(self) -> tuple[object, BaseException | None] | None:
        """The completion of the awaited call, if it has arrived (and forget it)."""
        slot = self.slot
        if slot is not None:
            self.slot = None
            self.current = None
        return slot

    async def wait_result(self, tag: int) -> tuple[object, BaseException | None]:
        """Park until call ``tag`` completes; on cancellation abandon the call.

        Whichever way the wait ends, the slot is emptied: a completion that lands in the
        same tick as the caller's cancellation belongs to the abandoned call and is dropped
        with it, never left for the next call to read.
        """
        try:
            while self.slot is None:
                await self.mailbox.park(WAKE_ON_COMPLETION)
        finally:
            slot = self.slot
            self.slot = None
            self.current = None
            if slot is None:
                self.abandon(tag)
        assert slot is not None
        return slot

    def abandon(self, tag: int) -> None:
        """Forget call ``tag`` and cancel its work; its completion will be dropped."""
        self._waiting = 0
        self.current = None
        self._cancel_work_of(tag)

    # -- work owned by the process --------------------------------------------------------

    def own(self, scope: trio.CancelScope) -> None:
        """Tie background work to this process: it is cancelled when the process exits."""
        if self._owned is None:
            self._owned = set()
        self._owned.add(scope)
        if not self.alive:
            scope.cancel()

    def disown(self, scope: trio.CancelScope) -> None:
        """Forget background work that has finished."""
        if self._owned is not None:
            self._owned.discard(scope)

    def cancel_work(self) -> None:
        """Cancel every in-flight call and all background work (the process is exiting)."""
        self._waiting = 0
        inflight = self._inflight
        if inflight:
            for work in inflight.values():
                if work is not None:
                    work.cancel()
            inflight.clear()
        for scope in self._owned or ():
            scope.cancel()
        self._owned = None

    # -- delivery and exit -----------------------------------------------------------------

    def deliver_priority(self, event: Event) -> None:
        """Queue a lifecycle event past the mailbox bound."""
        self.mailbox.put_priority(event)

    post = deliver_priority

    def offer(self, event: Event) -> bool:
        """Queue a bounded event if there is room; False when full or exited."""
        return self.mailbox.put_nowait(event)

    async def deliver(self, event: Event) -> bool:
        """Queue a bounded event, waiting for room; False if the process exits first."""
        return await self.mailbox.put(event)

    def signal_exit(self, error: BaseException) -> None:
        """Stop the process from outside with ``error`` as its exit reason."""
        if not self.alive:
            return
        if self.exit_signal is None:
            self.exit_signal = error
        if self.scope is not None:
            self.scope.cancel()

    @property
    def exit_reason(self) -> str:
        """How the process ended (see ``Exit.reason``): exit signals (the runtime's, or one
        the process raises to follow a link or a terminate) and a refused Cancel are
        classified; any other exception, a ``NoProcessError`` included, is ``error``."""
        error = self.exit_error
        if error is None:
            return "normal"
        if error is self.exit_signal or isinstance(error, ExitSignal | CancelRequested):
            return exit_reason(error)
        return "error"

    def mark_exited(self, result: object, error: BaseException | None) -> None:
        """Record the exit reason and wake whoever waits for it."""
        self.status = "exited"
        self.exit_result = result
        self.exit_error = error
        if self._exited is not None:
            self._exited.set()

    async def wait_exit(self) -> None:
        """Block until the process has exited."""
        if not self.alive:
            await trio.lowlevel.checkpoint()
            return
        if self._exited is None:
            self._exited = trio.Event()
        await self._exited.wait()


def _unknown(ctx: object, cmd: object, tag: int, receiver: Receiver) -> None:
    """What a seam hands on for an ID nobody registered."""
    error = UnknownCommandError(type(cmd).__name__, getattr(type(cmd), "ID", -1))
    receiver.complete_yield(tag, None, error)


def _concurrent_call(proc: ProcessState, cmd: object, cid: int) -> RuntimeError:
    return RuntimeError(
        f"{proc.pid}: {type(cmd).__name__} (id={cid}) called while another call is awaited; "
        "a process makes one call at a time (start more with yield_)"
    )
