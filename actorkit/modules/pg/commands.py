"""Process-group commands (IDs 200–212, numbered as in Wippy) and the events they deliver.

Every command acts on one *scope* (``"default"`` unless given): an independent namespace
of groups booted with ``pg.module(scope=...)``.

ID map (Wippy's numbers where it has the command):

=====  ==================  ==========================================================
 ID    command             notes
=====  ==================  ==========================================================
 200   Join                the caller joins a group (again: it counts)
 201   Leave               undo one Join; False when the caller is not in the group
 202   Members             every member, once per join (Erlang ``get_members``)
 203   LocalMembers        members on this node (all of them, until clustering)
 204   WhichGroups         groups with at least one member
 205   Broadcast           a message to every distinct member
 206   BroadcastLocal      the same, restricted to members on this node
 207   WhichLocalGroups    groups with a member on this node
 208   Monitor             atomic snapshot + subscription to a group's changes
 209   Events              atomic snapshot of every group + subscription to all changes
 210   —                   reserved (Wippy: JoinGroups)
 211   —                   reserved (Wippy: LeaveGroups)
 212   Demonitor           end a Monitor or Events subscription (not in Wippy, which
                           ends one with the ``Unsubscribe`` function in its result;
                           it was 209, Wippy's ``Events``, until Events came)
=====  ==================  ==========================================================

Fields are checked when a command is built: ``group`` and ``scope`` are non-empty strs,
``topic`` a str and ``ref`` an int; a wrong one raises :class:`InvalidArgumentError` (a
``CommandArgumentError``) naming the command, its ID and the field.
"""

from __future__ import annotations

from typing import Literal

import attrs

from actorkit import PID
from actorkit.checks import integer, text
from actorkit.lowlevel import Command, Event, command, declare_range

from .errors import InvalidArgumentError

declare_range("pg", 200, 212)

DEFAULT_SCOPE = "default"

_NAME = text(non_empty=True).raising(InvalidArgumentError)
_TOPIC = text().raising(InvalidArgumentError)
_REF = integer().raising(InvalidArgumentError)


@command(id=200, module="pg")
class Join(Command[None]):
    """The calling process joins ``group``; a process may join a group several times and
    stays a member until it has left as many times (or exits)."""

    group: str = attrs.field(validator=_NAME)
    scope: str = attrs.field(default=DEFAULT_SCOPE, kw_only=True, validator=_NAME)


@command(id=201, module="pg")
class Leave(Command[bool]):
    """Undo one ``Join`` of ``group`` by the calling process.

    Returns False (Erlang's ``not_joined``) when the caller is not in the group.
    """

    group: str = attrs.field(validator=_NAME)
    scope: str = attrs.field(default=DEFAULT_SCOPE, kw_only=True, validator=_NAME)


@command(id=202, module="pg")
class Members(Command[tuple[PID, ...]]):
    """The members of ``group`` in join order, a PID once per join; empty for an unknown group."""

    group: str = attrs.field(validator=_NAME)
    scope: str = attrs.field(default=DEFAULT_SCOPE, kw_only=True, validator=_NAME)


@command(id=203, module="pg")
class LocalMembers(Command[tuple[PID, ...]]):
    """Like ``Members``, restricted to processes on this node."""

    group: str = attrs.field(validator=_NAME)
    scope: str = attrs.field(default=DEFAULT_SCOPE, kw_only=True, validator=_NAME)


@command(id=204, module="pg")
class WhichGroups(Command[tuple[str, ...]]):
    """Every group that has a member, sorted."""

    scope: str = attrs.field(default=DEFAULT_SCOPE, kw_only=True, validator=_NAME)


@command(id=205, module="pg")
class Broadcast(Command[int]):
    """Send ``Message(topic, payload, caller)`` to every distinct member of ``group``.

    A member that joined twice gets one copy; the caller gets one too if it is a member.
    Waits while a member's mailbox is full (backpressure). Returns how many members got
    it (a member that exits meanwhile is skipped). A cancelled or timed-out Broadcast may
    have reached only some members.
    """

    group: str = attrs.field(validator=_NAME)
    topic: str = attrs.field(validator=_TOPIC)
    payload: object = None
    scope: str = attrs.field(default=DEFAULT_SCOPE, kw_only=True, validator=_NAME)


@command(id=206, module="pg")
class BroadcastLocal(Command[int]):
    """Like ``Broadcast``, restricted to members on this node."""

    group: str = attrs.field(validator=_NAME)
    topic: str = attrs.field(validator=_TOPIC)
    payload: object = None
    scope: str = attrs.field(default=DEFAULT_SCOPE, kw_only=True, validator=_NAME)


@command(id=207, module="pg")
class WhichLocalGroups(Command[tuple[str, ...]]):
    """Every group that has a member on this node, sorted."""

    scope: str = attrs.field(default=DEFAULT_SCOPE, kw_only=True, validator=_NAME)


@attrs.frozen
class Monitoring:
    """What ``Monitor`` returns: the subscription's ``ref`` and the members at that moment."""

    ref: int
    members: tuple[PID, ...]


@command(id=208, module="pg")
class Monitor(Command[Monitoring]):
    """Snapshot ``group``'s members and subscribe to its changes, atomically.

    Every later join or leave arrives as a :class:`GroupChanged` event carrying the
    returned ``ref``, so no change is missed or seen twice. The subscription ends with
    ``Demonitor`` or when the calling process exits.
    """

    group: str = attrs.field(validator=_NAME)
    scope: str = attrs.field(default=DEFAULT_SCOPE, kw_only=True, validator=_NAME)


@attrs.frozen
class GroupsSnapshot:
    """What ``Events`` returns: the subscription's ``ref`` and every group's members at that
    moment (groups sorted, members as ``Members`` lists them)."""

    ref: int
    groups: dict[str, tuple[PID, ...]]


@command(id=209, module="pg")
class Events(Command[GroupsSnapshot]):
    """Snapshot every group of the scope and subscribe to all their changes, atomically.

    Every later join or leave, of any group, arrives as a :class:`GroupChanged` event
    carrying the returned ``ref``. The subscription ends with ``Demonitor`` or when the
    calling process exits.
    """

    scope: str = attrs.field(default=DEFAULT_SCOPE, kw_only=True, validator=_NAME)


@command(id=212, module="pg")
class Demonitor(Command[bool]):
    """End the caller's ``Monitor`` or ``Events`` subscription ``ref``; False if the caller
    holds no such subscription.

    No ``GroupChanged`` for ``ref`` is queued after this returns (ones already queued stay).
    """

    ref: int = attrs.field(validator=_REF)
    scope: str = attrs.field(default=DEFAULT_SCOPE, kw_only=True, validator=_NAME)


@attrs.frozen
class GroupChanged(Event):
    """A group watched by ``Monitor`` or ``Events`` changed: ``pids`` ``joined`` or ``left``
    (a PID once per join).

    Travels on the priority lane like ``Exit``: membership news is never held back by a
    full mailbox, and it is bounded by the joins and leaves that happen.
    """

    ref: int
    group: str
    kind: Literal["joined", "left"]
    pids: tuple[PID, ...]


@attrs.frozen
class Membership:
    """The data of the ``("pg", "member.joined" | "member.left", group, ...)`` runtime event."""

    scope: str
    group: str
    pids: tuple[PID, ...]
