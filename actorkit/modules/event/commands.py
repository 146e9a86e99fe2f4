"""Event-bus commands (IDs 90–99; Subscribe and Send numbered as in Wippy) and ``BusEvent``.

An event is ``(system, kind, path, data)``: ``system`` and ``kind`` are dot-separated names
(``"process"``, ``"member.joined"``), ``path`` says what it is about (a PID, a group, a
component), ``data`` is anything. Subscriptions match ``system`` and ``kind`` with patterns
(see :mod:`actorkit.modules.event.patterns`).

=====  ============  ===============================================================
 ID    command       notes
=====  ============  ===============================================================
 90    Subscribe     returns a subscription ID; events arrive as ``BusEvent``
 91    Send          publish; waits while a subscriber's mailbox is full
 92    Unsubscribe   False if the caller holds no such subscription
=====  ============  ===============================================================
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from actorkit._core._command import Command, command, declare_range
from actorkit._core._events import Event

declare_range("event", 90, 99)


@command(id=90, module="event")
class Subscribe(Command[int]):
    """Subscribe the caller to events whose system matches ``system`` and, if given, whose
    kind matches ``kind`` (None: any kind). Returns the subscription ID.

    Each matching event arrives as a :class:`BusEvent` carrying this ID (a process with two
    matching subscriptions gets it twice). The subscription ends with ``Unsubscribe`` or
    when the process exits.

    Raises (from ``call``):
        PatternError: a malformed pattern (empty segment, ``***``, ``a**b``, ...).
    """

    system: str
    kind: str | None = None


@command(id=91, module="event")
class Send(Command[int]):
    """Publish ``(system, kind, path, data)``; returns how many subscriptions matched.

    Every matching subscriber gets the event, in publication order. When a subscriber's
    mailbox is full the event waits in that subscriber's overflow queue (so nothing is
    lost and order is kept), and this call waits until it has been delivered into the
    mailbox (backpressure), except for the caller's own subscriptions (it cannot make room
    while it waits). Cancelling or timing out the call stops only the waiting: the event is
    already published and will still be delivered.

    Raises (from ``call``):
        InvalidEventError: ``system`` / ``kind`` not dot-separated names, ``path`` not a str.
    """

    system: str
    kind: str
    path: str = ""
    data: object = None


@command(id=92, module="event")
class Unsubscribe(Command[bool]):
    """End the caller's subscription; False if it holds no such subscription.

    Events published before this may still be queued in the caller's mailbox.
    """

    subscription: int


@attrs.frozen
class BusEvent(Event):
    """An event from the bus, for the subscription ``subscription``.

    Counts against the mailbox bound like a message, so a slow subscriber pushes back on
    publishers instead of growing its mailbox.
    """

    bounded: ClassVar[bool] = True
    system: str
    kind: str
    path: str
    data: object
    subscription: int
