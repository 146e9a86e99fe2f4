"""The in-node event bus: subscriptions, fan-out, and lossless delivery to slow subscribers.

Delivery never drops an event and never blocks the publisher's thread of control:

- Each subscribing process has an *overflow* queue. An event goes straight into the
  mailbox (``put_nowait``) when the overflow is empty and there is room; otherwise it is
  appended to the overflow, and a drain task (one per subscriber, started on demand in
  the component's service nursery) moves the overflow into the mailbox with ``await
  put`` as room appears. Every event to a subscriber passes the same queue, so the
  subscriber sees events in publication order.
- Runtime events arrive through a synchronous node listener, which may not wait: they
  only ever go into the overflow, which is unbounded for them (it grows only while a
  subscriber is slower than the runtime's own events).
- The ``Send`` command does wait: it returns once every event it put in an overflow has
  reached the mailbox (``Waiter``), so processes that publish get backpressure.
- A subscriber that exits is removed by the exit hook; its overflow is dropped (nobody
  can receive it) and any publisher waiting for it is released.

Matching is done once per ``(system, kind)`` and cached until the subscriptions change.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

import trio

from .commands import BusEvent

if TYPE_CHECKING:
    from actorkit import Node
    from actorkit.lowlevel import ProcessRef, RuntimeEvent

    from .patterns import Matcher

CACHE_SIZE = 4096  # distinct (system, kind) pairs remembered before the cache is reset


class Waiter:
    """Counts a publisher's events still in overflow queues; ``done`` is set at zero."""

    __slots__ = ("done", "remaining")

    def __init__(self) -> None:
        self.remaining = 0
        self.done = trio.Event()

    def release(self) -> None:
        """One event reached its mailbox (or its subscriber exited)."""
        self.remaining -= 1
        if self.remaining == 0:
            self.done.set()


class Subscriber:
    """A subscribing process: its subscriptions and its overflow queue."""

    __slots__ = ("draining", "overflow", "proc", "subscriptions")

    def __init__(self, proc: ProcessRef) -> None:
        self.proc = proc
        self.subscriptions: set[int] = set()
        self.overflow: deque[tuple[BusEvent, Waiter | None]] = deque()
        self.draining = False


class Subscription:
    """One ``Subscribe``: compiled matchers for system and kind."""

    __slots__ = ("id", "kind", "subscriber", "system")

    def __init__(
        self, sub_id: int, subscriber: Subscriber, system: Matcher, kind: Matcher | None
    ) -> None:
        self.id = sub_id
        self.subscriber = subscriber
        self.system = system
        self.kind = kind

    def matches(self, system: str, kind: str) -> bool:
        """True if the event's system and kind match."""
        return self.system(system) and (self.kind is None or self.kind(kind))


Tap = Callable[[str, str, str, object], None]
"""Sees each event published on a bus: ``tap(system, kind, path, data)``; must not block."""


class Bus:
    """The node's event bus (kept in :data:`BUS`)."""

    def __init__(self, node: Node, nursery: trio.Nursery) -> None:
        self.node = node
        self.published = 0
        self._nursery = nursery
        self._subs: dict[int, Subscription] = {}
        self._subscribers: dict[ProcessRef, Subscriber] = {}
        self._cache: dict[tuple[str, str], tuple[Subscription, ...]] = {}
        self._next_id = 0
        self.taps: list[Tap] = []

    # -- subscriptions ----------------------------------------------------------------------

    def subscribe(self, proc: ProcessRef, system: Matcher, kind: Matcher | None) -> int:
        """Add a subscription for ``proc``; returns its ID."""
        subscriber = self._subscribers.get(proc)
        if subscriber is None:
            subscriber = self._subscribers[proc] = Subscriber(proc)
        self._next_id += 1
        self._subs[self._next_id] = Subscription(self._next_id, subscriber, system, kind)
        subscriber.subscriptions.add(self._next_id)
        self._cache.clear()
        return self._next_id

    def unsubscribe(self, proc: ProcessRef, sub_id: int) -> bool:
        """Remove ``proc``'s subscription ``sub_id``; False if it holds no such one."""
        sub = self._subs.get(sub_id)
        if sub is None or sub.subscriber.proc is not proc:
            return False
        del self._subs[sub_id]
        sub.subscriber.subscriptions.discard(sub_id)
        self._cache.clear()
        return True

    def on_exit(self, proc: ProcessRef, _result: object, _error: BaseException | None) -> None:
        """The node's exit hook: forget the process's subscriptions."""
        subscriber = self._subscribers.pop(proc, None)
        if subscriber is None:
            return
        for sub_id in subscriber.subscriptions:
            del self._subs[sub_id]
        self._cache.clear()

    # -- publishing -------------------------------------------------------------------------

    def on_runtime_event(self, event: RuntimeEvent) -> None:
        """The node listener: put the runtime's own events on the bus (never blocks)."""
        if self._subs:
            self.publish(event.system, event.kind, event.path, event.data)

    def publish(
        self,
        system: str,
        kind: str,
        path: str,
        data: object,
        sender: ProcessRef | None = None,
        *,
        tapped: bool = True,
    ) -> tuple[int, Waiter | None]:
        """Deliver to every matching subscription, now or through its overflow.

        Returns the number of matching subscriptions and, if ``sender`` is given and some
        event to another process went to an overflow queue, a ``Waiter`` for them. Taps
        see every published event unless ``tapped`` is False (one that came from a tap's
        own forwarding, say).
        """
        self.published += 1
        if tapped:
            for tap in self.taps:
                tap(system, kind, path, data)
        if not self._subs:
            return 0, None
        targets = self._cache.get((system, kind))
        if targets is None:
            targets = self._match(system, kind)
        waiter = None
        for sub in targets:
            event = BusEvent(system, kind, path, data, sub.id)
            subscriber = sub.subscriber
            proc = subscriber.proc
            if not proc.alive or (not subscriber.overflow and proc.offer(event)):
                continue
            if sender is not None and subscriber.proc is not sender:
                waiter = waiter or Waiter()
                waiter.remaining += 1
                self._queue(subscriber, event, waiter)
            else:
                self._queue(subscriber, event, None)
        return len(targets), waiter

    def _match(self, system: str, kind: str) -> tuple[Subscription, ...]:
        found = tuple(sub for sub in self._subs.values() if sub.matches(system, kind))
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        self._cache[system, kind] = found
        return found

    def _queue(self, subscriber: Subscriber, event: BusEvent, waiter: Waiter | None) -> None:
        subscriber.overflow.append((event, waiter))
        if not subscriber.draining:
            subscriber.draining = True
            self._nursery.start_soon(_drain, subscriber)

    def statistics(self) -> dict[str, int]:
        """Counts for a live view of the node."""
        return {
            "subscriptions": len(self._subs),
            "subscribers": len(self._subscribers),
            "overflow": sum(len(s.overflow) for s in self._subscribers.values()),
            "published": self.published,
        }


async def _drain(subscriber: Subscriber) -> None:
    """Move a subscriber's overflow into its mailbox as room appears, in order."""
    overflow = subscriber.overflow
    proc = subscriber.proc
    while overflow:
        event, waiter = overflow[0]
        if not await proc.deliver(event):
            break  # the subscriber exited: nobody can receive the rest
        overflow.popleft()
        if waiter is not None:
            waiter.release()
    for _event, waiter in overflow:
        if waiter is not None:
            waiter.release()
    overflow.clear()
    subscriber.draining = False
