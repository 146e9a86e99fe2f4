"""The running supervisor: its event loop, restarts, shutdown and request handling.

One loop takes the supervisor's events in order: a child's ``Exit`` (restart it, its group,
or give up), a request from a :class:`SupervisorClient`, a ``Cancel`` (stop the children
and return) or a ``LinkDown`` from the process that spawned it (stop the children and fail).
A pending restart is a deadline on that loop, so backing off never blocks requests.
"""

from __future__ import annotations

import math
import random
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, NoReturn

import structlog
import trio

from actorkit import Cancel, Event, Exit, LinkDown, Message, Request
from actorkit.errors import ActorkitError, LinkedExitError
from actorkit.lowlevel import lookup, parent_of, trap_links

from ._children import Child, Children, Pending, should_restart
from ._intensity import Intensity, Limit
from ._label import label_child, labelled
from ._protocol import REQUEST_TOPIC, STARTED_TOPIC, Operation, Started, new_ref, started_or_exit
from ._spec import ChildSpec
from .errors import RestartLimitError, SupervisorError

if TYPE_CHECKING:
    from actorkit import PID, Process

    from ._supervisor import Supervisor

log = structlog.get_logger("actorkit.supervisor")


class Supervision:
    """The running state of one supervisor process."""

    def __init__(self, proc: Process, spec: Supervisor, path: str) -> None:
        self.proc = proc
        self.spec = spec
        self.path = path
        self.children = Children()
        self.intensity = Intensity(spec.max_restarts, spec.period)
        self.rng = random.Random()
        self.handlers: dict[type[Event], Callable[[Any], Awaitable[bool]]] = {
            Exit: self._on_exit,
            Message: self._on_message,
            Request: self._on_message,
            Cancel: self._on_cancel,
            LinkDown: self._on_link_down,
        }
        self.ops: dict[str, Callable[[Any], Awaitable[object]]] = {
            "start_child": self._start_child,
            "terminate_child": self._terminate_child,
            "restart_child": self._restart_child,
            "delete_child": self._delete_child,
            "which_children": self._which_children,
        }

    async def run(self) -> None:
        """Start the children, then handle events and due restarts until told to stop."""
        trap_links(self.proc)
        await self._start_initial()
        while True:
            event = await self._next_event()
            if event is None:
                await self._restart_due()
            elif await self.handlers.get(type(event), self._unexpected)(event):
                return

    async def _start_initial(self) -> None:
        for spec in self.spec.children:
            child = self.children.add(spec, self.path)
            try:
                await self._spawn(child)
            except ActorkitError:
                self.children.remove(child)
                await self._shutdown()
                raise

    async def _next_event(self) -> Event | None:
        """The next event, or None when a pending restart falls due first."""
        due = self.children.next_due()
        if due == math.inf:
            return await self.proc.receive(kind=Event)
        with trio.move_on_at(due):
            return await self.proc.receive(kind=Event)
        return None

    # -- children: start, stop -----------------------------------------------------------

    async def _spawn(self, child: Child) -> PID:
        """Start a child; a child supervisor has started its own children on return."""
        spec = child.spec
        nested = getattr(spec.fn, "is_supervisor", False)
        args = (f"{self.path}/{spec.id}",) if nested and not spec.args else spec.args
        # spawn types fn against args; a spec's args are a tuple of unknown length
        fn = labelled(spec.fn, self.path, spec.id)
        pid = await self.proc.spawn(fn, *args, link=True, monitor=True, name=spec.name)  # pyright: ignore[reportArgumentType]
        label_child(self.proc, pid, self.path, spec.id)
        self.children.running(child, pid, trio.current_time())
        if nested:
            try:
                await self._started(child, pid)
            except SupervisorError:
                self.children.stopped(child)
                raise
        return pid

    async def _started(self, child: Child, pid: PID) -> None:
        """Wait until a child supervisor has started its children (OTP's synchronous start).

        Its first answer comes after that; a Cancel meanwhile waits in the inbox.
        """
        ref = new_ref()
        await self.proc.send(pid, STARTED_TOPIC, ref)
        answer = await self.proc.receive(kind=Event, match=started_or_exit(ref, pid))
        if isinstance(answer, Exit):
            error = answer.error
            message = f"supervisor {self.path}: child {child.spec.id!r} failed to start: {error!r}"
            raise SupervisorError(message) from error

    async def _stop(self, child: Child) -> None:
        """Stop a child: ``Cancel``, its grace period, then kill. Its Exit is ignored."""
        pid = self.children.stopped(child)
        if pid is not None:
            await self.proc.terminate(pid, "shutdown", grace=child.spec.grace or None)

    async def _shutdown(self) -> None:
        """Stop every child in reverse start order."""
        for child in reversed(self.children):
            await self._stop(child)

    # -- events --------------------------------------------------------------------------

    async def _on_exit(self, event: Exit) -> bool:
        child = self.children.exited(event.pid)
        if child is None:
            return False  # a child this supervisor stopped, or one it no longer has
        if should_restart(child, event.reason):
            await self._restart(child, event.reason)
        elif child.spec.restart == "temporary":
            self.children.remove(child)
        return False

    async def _on_cancel(self, _event: Cancel) -> bool:
        await self._shutdown()
        return True

    async def _on_link_down(self, event: LinkDown) -> bool:
        if event.pid != parent_of(self.proc):
            return False  # a child's: its Exit follows
        await self._shutdown()
        raise LinkedExitError(event.pid, event.error)

    async def _on_message(self, msg: Message) -> bool:
        if msg.topic == REQUEST_TOPIC and isinstance(msg, Request):
            if isinstance(msg.payload, Operation):
                value, error = await self._operate(msg.payload)
                self.proc.reply(msg, value, error=error)
                return False
        elif msg.topic == STARTED_TOPIC and type(msg.payload) is int and msg.sender is not None:
            parent = lookup(self.proc.node, msg.sender)
            if parent is not None:
                parent.post(Started(msg.payload))
            return False
        return await self._unexpected(msg)

    async def _operate(self, operation: Operation) -> tuple[object, ActorkitError | None]:
        """Run a client's operation: its result, or the refusal to raise at the client."""
        try:
            op = self.ops.get(operation.op)
            if op is None:
                raise SupervisorError(f"supervisor {self.path}: no operation {operation.op!r}")
            return await op(operation.arg), None
        except ActorkitError as exc:
            return None, exc

    async def _unexpected(self, event: Event) -> bool:
        log.warning("supervisor_unexpected_event", supervisor=self.path, unexpected=repr(event))
        return False

    # -- restarts ------------------------------------------------------------------------

    async def _restart(self, child: Child, reason: str, *, started: bool = True) -> None:
        """A child failed: count it, stop its group, schedule the group's restart.

        ``started`` is False when the child could not even start: it ran for no time, so its
        backoff keeps growing however long ago it last started.
        """
        now = trio.current_time()
        if started and now - child.started_at >= self.spec.stable_period:
            child.attempts = 0
        child.attempts += 1
        attempt = child.attempts  # this restart's number in a row, counting from 1
        limit = self.intensity.exceeded(now, attempt)
        if limit is not None:
            await self._give_up(child, reason, limit)
        delay = self.spec.backoff.delay(attempt, self.rng)
        group = self.children.group(child, self.spec.strategy)
        for sibling in reversed(group):
            if sibling is not child:
                await self._stop(sibling)
        due = trio.current_time() + delay
        for member in group:
            if member is not child and member.spec.restart == "temporary":
                self.children.remove(member)
                continue
            why = reason if member is child else "shutdown"
            self.children.restarting(member, Pending(due, child.spec.id, why, attempt, delay))

    async def _restart_due(self) -> None:
        now = trio.current_time()
        for child in self.children.due(now):
            pending = child.pending
            if pending is None or pending.due > now:
                continue  # a restart earlier in this round rescheduled it
            try:
                pid = await self._spawn(child)
            except ActorkitError as exc:
                log.warning(
                    "child_start_failed", supervisor=self.path, child=child.spec.id, error=str(exc)
                )
                await self._restart(child, "error", started=False)
                continue
            self._report(child, pid, pending)

    def _report(self, child: Child, pid: PID, pending: Pending) -> None:
        data: dict[str, object] = {
            "supervisor": self.path,
            "child": child.spec.id,
            "pid": str(pid),
            "previous": str(child.previous) if child.previous is not None else None,
            "cause": pending.cause,
            "reason": pending.reason,
            "attempt": pending.attempt,
            "delay": pending.delay,
        }
        log.info("child_restarted", **data)
        self.proc.node.emit("supervisor", "restart", f"{self.path}/{child.spec.id}", data)

    async def _give_up(self, child: Child, reason: str, limit: Limit) -> NoReturn:
        error = RestartLimitError(
            self.path,
            child.spec.id,
            self.spec.max_restarts,
            self.spec.period,
            stable_period=self.spec.stable_period if limit == "in_a_row" else None,
        )
        data: dict[str, object] = {
            "child": child.spec.id,
            "reason": reason,
            "limit": limit,
            "max_restarts": error.max_restarts,
            "period": error.period,
            "stable_period": error.stable_period,
        }
        log.error("supervisor_gave_up", supervisor=self.path, detail=error.detail, **data)
        self.proc.node.emit("supervisor", "gave_up", self.path, data)
        await self._shutdown()
        raise error

    # -- requests (see SupervisorClient) -------------------------------------------------

    async def _start_child(self, spec: object) -> PID:
        if not isinstance(spec, ChildSpec):
            raise SupervisorError(f"start_child expects a ChildSpec, got {spec!r}")
        child = self.children.add(spec, self.path)
        try:
            return await self._spawn(child)
        except ActorkitError:
            self.children.remove(child)
            raise

    async def _terminate_child(self, child_id: object) -> None:
        child = self.children.get(str(child_id), self.path)
        cause = child.pending.cause if child.pending is not None else None
        await self._stop(child)
        if child.spec.restart == "temporary":
            self.children.remove(child)
        elif cause is not None:
            self.children.hold(child, cause)

    async def _restart_child(self, child_id: object) -> PID:
        """Start a stopped child, and the siblings it holds, in start order (all or none)."""
        child = self.children.get(str(child_id), self.path)
        if child.status != "stopped":
            raise self._busy(child)
        group = self.children.with_held(child)
        started: list[Child] = []
        try:
            for member in group:
                await self._spawn(member)
                started.append(member)
        except ActorkitError:
            for member in reversed(started):
                await self._stop(member)
            self.children.hold_again(child, group)
            raise
        assert child.pid is not None
        return child.pid

    async def _delete_child(self, child_id: object) -> None:
        child = self.children.get(str(child_id), self.path)
        if child.status != "stopped":
            raise self._busy(child)
        self.children.remove(child)

    def _busy(self, child: Child) -> SupervisorError:
        return SupervisorError(f"supervisor {self.path}: child {child.spec.id!r} is {child.status}")

    async def _which_children(self, _arg: object) -> list[object]:
        return [child.info() for child in self.children]
