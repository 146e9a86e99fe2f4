"""A process's inbox: one ordered queue, a bound on messages, and a single parked reader.

Messages count against the bound; completions and lifecycle events (the priority lane)
never do, so a full mailbox cannot deadlock a ``call`` or hide a crash. Only the owning
task ever parks on a mailbox; any number of senders may wait for space.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

import trio

from ._events import Cancel, Event

if TYPE_CHECKING:
    from trio.lowlevel import Task

WAKE_ON_EVENT = 1
WAKE_ON_COMPLETION = 2

Kind = type[Event] | tuple[type[Event], ...]


class Mailbox:
    """The event queue of one process."""

    __slots__ = (
        "_mode",
        "_space",
        "_task",
        "bounded",
        "capacity",
        "closed",
        "queue",
        "received",
        "timed_out",
    )

    def __init__(self, capacity: int) -> None:
        self.queue: deque[Event] | None = None  # made on first use: an idle process stays small
        self.bounded = 0
        self.capacity = capacity
        self.closed = False
        self.received = 0
        self._task: Task | None = None
        self._mode = 0
        self._space: trio.lowlevel.ParkingLot | None = None
        self.timed_out = False  # set by the node's timers when the owner's wait is up

    def __len__(self) -> int:
        return len(self.queue) if self.queue is not None else 0

    def _append(self, event: Event) -> None:
        queue = self.queue
        if queue is None:
            queue = self.queue = deque()
        queue.append(event)
        if self._mode == WAKE_ON_EVENT:
            self.wake()

    # -- putting -------------------------------------------------------------------------

    def put_nowait(self, event: Event) -> bool:
        """Queue a bounded event; False when the mailbox is full or closed."""
        if self.bounded >= self.capacity or self.closed:
            return False
        self.bounded += 1
        queue = self.queue  # _append, inlined: a call less per message
        if queue is None:
            queue = self.queue = deque()
        queue.append(event)
        if self._mode == WAKE_ON_EVENT:
            self.wake()
        return True

    async def put(self, event: Event) -> bool:
        """Queue a bounded event, waiting for space; False when the mailbox closed."""
        while not self.put_nowait(event):
            if self.closed:
                return False
            if self._space is None:
                self._space = trio.lowlevel.ParkingLot()
            await self._space.park()
        return True

    def put_priority(self, event: Event) -> None:
        """Queue an event past the bound (completions and lifecycle events)."""
        if not self.closed:
            self._append(event)

    # -- taking --------------------------------------------------------------------------

    def find(
        self, kind: Kind, topic: str | None, match: Callable[[Event], bool] | None, start: int
    ) -> int:
        """Index of the first event from ``start`` that matches, or of a Cancel the caller
        does not accept; -1 when there is none."""
        queue = self.queue
        if queue is None:
            return -1
        for index in range(start, len(queue)):
            event = queue[index]
            if (
                isinstance(event, kind)
                and (topic is None or getattr(event, "topic", None) == topic)
                and (match is None or match(event))
            ):
                return index
            if type(event) is Cancel and not issubclass(Cancel, kind):
                return index
        return -1

    def take(self, index: int) -> Event:
        """Remove and return the event at ``index``, making room for a waiting sender."""
        queue = self.queue
        assert queue is not None
        if index == 0:
            event = queue.popleft()
        else:
            event = queue[index]
            del queue[index]
        self.received += 1
        if event.bounded:
            self.bounded -= 1
            if self._space:
                self._space.unpark()
        return event

    # -- parking the owner ----------------------------------------------------------------

    def park(self, mode: int) -> Coroutine[Any, Any, object]:
        """Block the owning task until ``wake`` (await the result at once); ``mode`` says
        which arrivals wake it. Not a coroutine itself, so a parked process keeps one frame
        less (about 280 bytes)."""
        self._task = trio.lowlevel.current_task()
        self._mode = mode
        return trio.lowlevel.wait_task_rescheduled(self._abort)  # noqa: ASYNC105 (awaited by the caller)

    def _abort(self, _raise_cancel: object) -> trio.lowlevel.Abort:
        self._task = None
        self._mode = 0
        return trio.lowlevel.Abort.SUCCEEDED

    def parked_mode(self) -> int:
        """How the owner is parked: 0 (not parked), WAKE_ON_EVENT or WAKE_ON_COMPLETION."""
        return self._mode if self._task is not None else 0

    def wake(self) -> None:
        """Reschedule the parked owner, if any."""
        task = self._task
        if task is not None:
            self._task = None
            self._mode = 0
            trio.lowlevel.reschedule(task)

    def expire(self) -> None:
        """The owner's timed wait is up (see ``_timers``): note it and wake the owner."""
        self.timed_out = True
        self.wake()

    def wake_for_completion(self) -> None:
        """Wake the owner if it is parked waiting for a command's completion."""
        if self._mode == WAKE_ON_COMPLETION:
            self.wake()

    def close(self) -> list[Event]:
        """Refuse further events, release waiting senders, and return what was queued."""
        self.closed = True
        if self._space is not None:
            self._space.unpark_all()
        left = list(self.queue or ())
        self.queue = None
        return left


def wanted(kind: Kind, topic: str | None, match: Callable[[Event], bool] | None) -> str:
    """What a find looked for, in words: ``Message with topic 'reply' matching <lambda>``."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    what = " or ".join(k.__name__ for k in kinds)
    if topic is not None:
        what += f" with topic {topic!r}"
    if match is not None:
        what += f" matching {getattr(match, '__qualname__', repr(match))}"
    return what
