"""Process groups (IDs 200–212): named groups of processes, Erlang ``pg`` style.

A process joins groups (several times if it likes, leaving as many times); anyone can list
a group's members, broadcast a message to them, or monitor a group: an atomic snapshot of
its members plus a :class:`GroupChanged` event for every later join and leave (``Events``
does the same for every group of the scope at once). Members leave, and monitors end, when
their process exits. Groups live in scopes, each booted
with ``pg.module(scope=...)``; every command takes ``scope=`` (default ``"default"``).

Membership changes are also published as runtime events ``("pg", "member.joined" |
"member.left", group, Membership)``, which the event module puts on its bus.
"""

from __future__ import annotations

from .commands import (
    DEFAULT_SCOPE,
    Broadcast,
    BroadcastLocal,
    Demonitor,
    Events,
    GroupChanged,
    GroupsSnapshot,
    Join,
    Leave,
    LocalMembers,
    Members,
    Membership,
    Monitor,
    Monitoring,
    WhichGroups,
    WhichLocalGroups,
)
from .components import module
from .errors import InvalidArgumentError, UnknownScopeError

__all__ = [
    "DEFAULT_SCOPE",
    "Broadcast",
    "BroadcastLocal",
    "Demonitor",
    "Events",
    "GroupChanged",
    "GroupsSnapshot",
    "InvalidArgumentError",
    "Join",
    "Leave",
    "LocalMembers",
    "Members",
    "Membership",
    "Monitor",
    "Monitoring",
    "UnknownScopeError",
    "WhichGroups",
    "WhichLocalGroups",
    "module",
]
