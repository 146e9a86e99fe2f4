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

Fields are checked when a command is built: a malformed pattern raises ``PatternError``,
any other wrong field ``InvalidEventError`` (both ``CommandArgumentError``), naming the
command, its ID and the field.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from actorkit.checks import Check, integer, label, text
from actorkit.lowlevel import Command, Event, command, declare_range

from .errors import InvalidEventError, PatternError
from .patterns import PatternSyntaxError, compile_pattern, is_name

declare_range("event", 90, 99)

NAME = "a dot-separated name without empty segments or '*', '(', '|', ')'"
_TEXT = text()
_NAME = Check(lambda v: is_name(v) and _TEXT.test(v), NAME).raising(InvalidEventError)


def _pattern(cmd: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A subscription pattern that compiles (see :mod:`.patterns`) and encodes as UTF-8."""
    try:
        compile_pattern(value)
    except PatternSyntaxError as exc:
        raise PatternError(label(type(cmd)), attribute.name, value, str(exc)) from None
    if not _TEXT.test(value):
        raise PatternError(label(type(cmd)), attribute.name, value, "a lone surrogate")


@command(id=90, module="event")
class Subscribe(Command[int]):
    """Subscribe the caller to events whose system matches ``system`` and, if given, whose
    kind matches ``kind`` (None: any kind). Returns the subscription ID.

    Each matching event arrives as a :class:`BusEvent` carrying this ID (a process with two
    matching subscriptions gets it twice). The subscription ends with ``Unsubscribe`` or
    when the process exits.

    Raises (when built):
        PatternError: a malformed pattern (empty segment, ``***``, ``a**b``, ...).
    """

    system: str = attrs.field(validator=_pattern)
    kind: str | None = attrs.field(default=None, validator=attrs.validators.optional(_pattern))


@command(id=91, module="event")
class Send(Command[int]):
    """Publish ``(system, kind, path, data)``; returns how many subscriptions matched.

    Every matching subscriber gets the event, in publication order. When a subscriber's
    mailbox is full the event waits in that subscriber's overflow queue (so nothing is
    lost and order is kept), and this call waits until it has been delivered into the
    mailbox (backpressure), except for the caller's own subscriptions (it cannot make room
    while it waits). Cancelling or timing out the call stops only the waiting: the event is
    already published and will still be delivered.

    Raises (when built):
        InvalidEventError: ``system`` / ``kind`` not dot-separated names, ``path`` not a str.
    """

    system: str = attrs.field(validator=_NAME)
    kind: str = attrs.field(validator=_NAME)
    path: str = attrs.field(default="", validator=_TEXT.raising(InvalidEventError))
    data: object = None


@command(id=92, module="event")
class Unsubscribe(Command[bool]):
    """End the caller's subscription; False if it holds no such subscription.

    Events published before this may still be queued in the caller's mailbox.
    """

    subscription: int = attrs.field(validator=integer().raising(InvalidEventError))


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
    subscription: int = attrs.field(validator=integer().raising(InvalidEventError))
