"""A supervisor's children in start order, with their pending restarts.

Plain synchronous state; the running supervisor (``_running``) does the effects.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import attrs

from actorkit import PID

from ._spec import ChildInfo, ChildSpec, ChildStatus, Strategy
from .errors import SupervisorError


@attrs.define
class Pending:
    """A restart waiting for its backoff to run out."""

    due: float
    cause: str
    """The id of the child whose failure causes this restart."""
    reason: str
    """Why the child went down: the cause's exit reason, or ``shutdown`` for a sibling."""
    attempt: int
    """The cause's restart number in a row, counting from 1 (see ``Child.attempts``)."""
    delay: float


@attrs.define(eq=False)
class Child:
    """One child of a supervisor."""

    spec: ChildSpec
    pid: PID | None = None
    status: ChildStatus = "stopped"
    started_at: float = -math.inf
    attempts: int = 0
    """Restarts in a row without a stable run in between (they grow the backoff); the
    n-th such restart is attempt ``n``, counting from 1."""
    previous: PID | None = None
    pending: Pending | None = None
    held_by: str | None = None
    """The id of the child whose group restart this stopped child waits for: that child was
    stopped by hand while restarting (see ``Children.hold``)."""

    def info(self) -> ChildInfo:
        """The row ``which_children`` reports."""
        spec = self.spec
        sup = bool(getattr(spec.fn, "is_supervisor", False))
        return ChildInfo(spec.id, self.pid, spec.restart, self.status, sup)


def should_restart(child: Child, reason: str) -> bool:
    """Whether a child that exited with ``reason`` (see ``Exit.reason``) is restarted.

    A transient child is not restarted after a normal exit or after honouring a ``Cancel``.
    """
    restart = child.spec.restart
    if restart == "permanent":
        return True
    return restart == "transient" and reason not in ("normal", "cancelled")


class Children:
    """The children in start order, found by id or by PID."""

    def __init__(self) -> None:
        self._by_id: dict[str, Child] = {}
        self._by_pid: dict[PID, Child] = {}

    def __iter__(self) -> Iterator[Child]:
        return iter(list(self._by_id.values()))

    def __reversed__(self) -> Iterator[Child]:
        return reversed(list(self._by_id.values()))

    def __len__(self) -> int:
        return len(self._by_id)

    def add(self, spec: ChildSpec, where: str) -> Child:
        """Append a stopped child; ``SupervisorError`` if the id is taken."""
        if spec.id in self._by_id:
            raise SupervisorError(f"supervisor {where}: a child with id {spec.id!r} exists")
        child = self._by_id[spec.id] = Child(spec)
        return child

    def get(self, child_id: str, where: str) -> Child:
        """The child with that id; ``SupervisorError`` if there is none."""
        child = self._by_id.get(child_id)
        if child is None:
            raise SupervisorError(f"supervisor {where}: no child with id {child_id!r}")
        return child

    def remove(self, child: Child) -> None:
        """Forget a child (it must not be running); the children it held stay stopped."""
        self._by_id.pop(child.spec.id, None)
        for other in self._by_id.values():
            if other.held_by == child.spec.id:
                other.held_by = None

    def running(self, child: Child, pid: PID, now: float) -> None:
        """Record that ``child`` runs as ``pid`` since ``now``."""
        child.pid, child.status, child.started_at, child.pending = pid, "running", now, None
        child.held_by = None
        self._by_pid[pid] = child

    def stopped(self, child: Child) -> PID | None:
        """Mark ``child`` stopped (dropping a pending restart); return the PID it ran as."""
        pid = child.pid
        if pid is not None:
            self._by_pid.pop(pid, None)
            child.previous = pid
        child.pid, child.status, child.pending = None, "stopped", None
        return pid

    def exited(self, pid: PID) -> Child | None:
        """The child that ran as ``pid``, now stopped; None for a PID no child runs as."""
        child = self._by_pid.get(pid)
        if child is not None:
            self.stopped(child)
        return child

    def hold(self, child: Child, cause: str) -> None:
        """``child`` (now stopped) was restarting because ``cause`` failed: if it is that
        failed child, the siblings whose restart waits for it stop waiting on the clock and
        stay stopped, held until it is restarted (OTP: they stay down with it)."""
        if child.spec.id != cause:
            return
        for other in self._by_id.values():
            if other.pending is not None and other.pending.cause == cause:
                other.status, other.pending, other.held_by = "stopped", None, cause

    def hold_again(self, child: Child, group: list[Child]) -> None:
        """Undo a failed start of ``child`` with its held siblings (all stopped again)."""
        for member in group:
            member.held_by = None if member is child else child.spec.id

    def with_held(self, child: Child) -> list[Child]:
        """``child`` and the siblings it holds, in start order."""
        key = child.spec.id
        return [c for c in self._by_id.values() if c is child or c.held_by == key]

    def restarting(self, child: Child, pending: Pending) -> None:
        """Schedule ``child`` to restart when ``pending.due`` comes."""
        child.status, child.pending = "restarting", pending

    def group(self, child: Child, strategy: Strategy) -> list[Child]:
        """The children that restart with ``child``, in start order (stopped ones stay)."""
        if strategy == "one_for_one":
            return [child]
        order = list(self._by_id.values())
        if strategy == "rest_for_one":
            order = order[order.index(child) :]
        return [c for c in order if c is child or c.status != "stopped"]

    def next_due(self) -> float:
        """When the earliest pending restart is due (``inf`` if none is)."""
        return min((c.pending.due for c in self._by_id.values() if c.pending), default=math.inf)

    def due(self, now: float) -> list[Child]:
        """The children whose restart is due at ``now``, in start order."""
        return [c for c in self._by_id.values() if c.pending and c.pending.due <= now]
