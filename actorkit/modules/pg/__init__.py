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

from actorkit.lowlevel import Boot, Component, add_exit_hook, remove_exit_hook

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
from .dispatcher import register_all
from .errors import InvalidArgumentError, UnknownScopeError
from .scope import SCOPES, Scope, Scopes, scopes_of


def module(scope: str = DEFAULT_SCOPE) -> Component:
    """The boot component of one pg scope (named ``pg``, or ``pg.<scope>`` for others).

    Boot several with different ``scope`` names for independent namespaces of groups.

    Raises:
        ValueError: ``scope`` is not a non-empty string.
    """
    if type(scope) is not str or not scope:
        raise ValueError(f"pg scope must be a non-empty string, got {scope!r}")

    def load(boot: Boot) -> None:
        node = boot.node
        scopes = scopes_of(node)
        if scopes is None:
            scopes = Scopes()
            SCOPES.set(node, scopes)
            register_all(boot.register)
        state = scopes[scope] = Scope(node, scope)
        add_exit_hook(node, state.on_exit)

    async def stop(boot: Boot) -> None:
        scopes = scopes_of(boot.node)
        state = scopes.pop(scope, None) if scopes is not None else None
        if state is not None:
            remove_exit_hook(boot.node, state.on_exit)

    name = "pg" if scope == DEFAULT_SCOPE else f"pg.{scope}"
    return Component(name, load=load, stop=stop)


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
