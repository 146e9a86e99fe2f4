"""One deadline heap per node for the timeouts of waiting ``receive(timeout=)`` and
``request`` calls.

A cancel scope per wait costs a scope's enter and exit and a registered deadline each
time; a busy request/reply loop spends a fifth of its time there. Instead a wait adds an
entry ``[deadline, seq, mailbox]`` to the node's heap (a push) and marks it dead when it
ends (lazy deletion, compacted when dead entries are most of the heap). One timer task
sleeps until the earliest deadline and then expires the mailboxes whose time is up: each
gets ``timed_out`` set and its parked owner woken, and the waiting call raises
``trio.TooSlowError`` itself.
"""

from __future__ import annotations

import heapq
import itertools
import math
from typing import TYPE_CHECKING, Any

import trio

if TYPE_CHECKING:
    from ._mailbox import Mailbox

Entry = list[Any]  # [deadline, seq, mailbox | None]: lists compare in C
_COMPACT_AT = 256


class Timers:
    """The node's deadline heap and its timer task's cancel scope."""

    __slots__ = ("_dead", "_heap", "_scope", "_seq", "_wake_at")

    def __init__(self) -> None:
        self._heap: list[Entry] = []
        self._seq = itertools.count()
        self._scope: trio.CancelScope | None = None
        self._wake_at = math.inf  # the timer task's deadline (the scope's, read without it)
        self._dead = 0

    def __len__(self) -> int:
        """The waits still pending."""
        return len(self._heap) - self._dead

    @property
    def stored(self) -> int:
        """Entries held, dead ones not yet dropped included (bounded by compaction)."""
        return len(self._heap)

    def add(self, deadline: float, mailbox: Mailbox) -> Entry:
        """Expire ``mailbox`` at ``deadline`` unless :meth:`discard` comes first."""
        entry: Entry = [deadline, next(self._seq), mailbox]
        heapq.heappush(self._heap, entry)
        if deadline < self._wake_at:
            scope = self._scope
            if scope is not None:
                scope.deadline = self._wake_at = deadline
        return entry

    def discard(self, entry: Entry) -> None:
        """The wait ended first: forget its entry (lazily)."""
        if entry[2] is not None:
            entry[2] = None
            self._dead += 1
            if self._dead > _COMPACT_AT and self._dead * 2 > len(self._heap):
                self._heap = [e for e in self._heap if e[2] is not None]
                heapq.heapify(self._heap)
                self._dead = 0

    async def run(self) -> None:
        """The timer task (the node's services run it): sleep until the earliest deadline,
        expire, repeat."""
        try:
            while True:
                self._wake_at = self._next()
                with trio.CancelScope(deadline=self._wake_at) as scope:
                    self._scope = scope
                    await trio.sleep_forever()
                self._scope = None
                self._wake_at = math.inf
                self._expire(trio.current_time())
        finally:
            self._scope = None
            self._wake_at = math.inf

    def _next(self) -> float:
        heap = self._heap
        while heap and heap[0][2] is None:
            heapq.heappop(heap)
            self._dead -= 1
        return float(heap[0][0]) if heap else math.inf

    def _expire(self, now: float) -> None:
        heap = self._heap
        while heap and heap[0][0] <= now:
            entry = heapq.heappop(heap)
            mailbox = entry[2]
            if mailbox is None:
                self._dead -= 1
                continue
            entry[2] = None
            mailbox.expire()
