"""The node's timer wheel: one task runs every sleep, ticker and timer of the node.

A heap of deadlines and one task that wakes at the earliest, fires everything due, and
sleeps again: firing costs a heap operation and a mailbox append, not a task, a cancel
scope and a ``Cancelled`` exception per timer (which made ten thousand tickers overload
the scheduler). Stopping an entry marks it dead; dead entries leave the heap when they
come due, or all at once when they outnumber the live ones.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable

import trio


class Entry:
    """Something to do at ``deadline``: ``fire(now)`` returns the next deadline, or None."""

    __slots__ = ("_wheel", "deadline", "fire", "live", "queued")

    def __init__(self, wheel: Wheel, deadline: float, fire: Callable[[float], float | None]):
        self._wheel = wheel
        self.deadline = deadline
        self.fire = fire
        self.live = True
        self.queued = False

    def __lt__(self, other: Entry) -> bool:
        return self.deadline < other.deadline

    def cancel(self) -> None:
        """Stop the entry; it will not fire again."""
        if self.live:
            self.live = False
            if self.queued:
                self._wheel.dead += 1


class Wheel:
    """The timers of one node, run by :meth:`run` in the node's service nursery."""

    def __init__(self) -> None:
        self._heap: list[Entry] = []
        self._scope: trio.CancelScope | None = None
        self.dead = 0

    def __len__(self) -> int:
        return len(self._heap) - self.dead

    def at(self, deadline: float, fire: Callable[[float], float | None]) -> Entry:
        """Call ``fire(now)`` at ``deadline`` (and again at the deadline it returns)."""
        entry = Entry(self, deadline, fire)
        self._push(entry)
        return entry

    def _push(self, entry: Entry) -> None:
        entry.queued = True
        heapq.heappush(self._heap, entry)
        scope = self._scope
        if scope is not None and entry.deadline < scope.deadline:
            scope.deadline = entry.deadline

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        """Fire entries as they come due, until cancelled. Never returns by itself."""
        task_status.started()
        while True:
            self._fire_due(trio.current_time())
            with trio.CancelScope(deadline=self._next()) as self._scope:
                await trio.sleep_forever()
            self._scope = None

    def _next(self) -> float:
        return self._heap[0].deadline if self._heap else math.inf

    def _fire_due(self, now: float) -> None:
        heap = self._heap
        again: list[Entry] = []  # fired again on a later pass, even when already due
        while heap and heap[0].deadline <= now:
            entry = heapq.heappop(heap)
            entry.queued = False
            if not entry.live:
                self.dead -= 1
                continue
            deadline = entry.fire(now)
            if deadline is None:
                entry.live = False
            elif entry.live:
                entry.deadline = deadline
                again.append(entry)
        for entry in again:
            self._push(entry)
        if self.dead > 64 and self.dead > len(heap) // 2:
            self._prune()

    def _prune(self) -> None:
        self._heap = [entry for entry in self._heap if entry.live]
        heapq.heapify(self._heap)
        self.dead = 0
