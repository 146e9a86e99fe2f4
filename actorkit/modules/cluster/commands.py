"""Cluster commands (IDs 220–239).

Sends, requests, replies, monitors, links and cancels of another node's process are the
process module's own commands (a PID carries its node); these are what only a cluster has.

=====  ============  ===============================================================
 ID    command       what it does
=====  ============  ===============================================================
 220   Spawn         start a registered process function on a node, by name
 221   Register      give the caller a cluster-wide name (atomic; False if taken)
 222   Unregister    release a cluster-wide name the caller holds
 223   WhereIs       the PID holding a cluster-wide name, or None
 224   Join          the caller joins a cluster-wide group
 225   Leave         the caller leaves a cluster-wide group
 226   Members       the members of a cluster-wide group, on every node
 227   Broadcast     a message to every member of a cluster-wide group
 228   Nodes         the live members of the cluster, by name
 229   SendVirtual   a message to a virtual actor (activated on demand)
 230   Locate        the PID of a virtual actor's activation (activated on demand)
=====  ============  ===============================================================

Fields are checked when a command is built; a wrong one raises
:class:`ClusterArgumentError` naming the command, its ID and the field.
"""

from __future__ import annotations

import attrs

from actorkit import PID
from actorkit.checks import arguments, flag, text
from actorkit.lowlevel import Command, command, declare_range

from .errors import ClusterArgumentError

declare_range("cluster", 220, 239)

_NAME = text(non_empty=True).raising(ClusterArgumentError)
_OPTIONAL_NAME = text(non_empty=True, optional=True).raising(ClusterArgumentError)
_TOPIC = text().raising(ClusterArgumentError)
_KEY = text().raising(ClusterArgumentError)
_FLAG = flag().raising(ClusterArgumentError)
_ARGS = arguments().raising(ClusterArgumentError)


@command(id=220, module="cluster")
class Spawn(Command[PID]):
    """Start the process function registered as ``function`` on ``node`` with ``args``
    (which must cross the wire); ``link`` / ``monitor`` are set up before it runs."""

    node: str = attrs.field(validator=_NAME)
    function: str = attrs.field(validator=_NAME)
    args: tuple[object, ...] = attrs.field(default=(), validator=_ARGS)
    name: str | None = attrs.field(default=None, kw_only=True, validator=_OPTIONAL_NAME)
    link: bool = attrs.field(default=False, kw_only=True, validator=_FLAG)
    monitor: bool = attrs.field(default=False, kw_only=True, validator=_FLAG)


@command(id=221, module="cluster")
class Register(Command[bool]):
    """Register the caller under ``name`` cluster-wide; False if a live process holds it.

    Released when the caller exits, unregisters, or its node goes down."""

    name: str = attrs.field(validator=_NAME)


@command(id=222, module="cluster")
class Unregister(Command[bool]):
    """Release ``name`` if the caller holds it; True if it did."""

    name: str = attrs.field(validator=_NAME)


@command(id=223, module="cluster")
class WhereIs(Command[PID | None]):
    """The PID registered under ``name`` anywhere in the cluster, or None."""

    name: str = attrs.field(validator=_NAME)


@command(id=224, module="cluster")
class Join(Command[None]):
    """The caller joins the cluster-wide ``group`` (left when it exits or its node goes
    down)."""

    group: str = attrs.field(validator=_NAME)


@command(id=225, module="cluster")
class Leave(Command[bool]):
    """The caller leaves ``group``; False if it was not a member."""

    group: str = attrs.field(validator=_NAME)


@command(id=226, module="cluster")
class Members(Command[tuple[PID, ...]]):
    """The members of ``group`` on every node (sorted by node, then serial)."""

    group: str = attrs.field(validator=_NAME)


@command(id=227, module="cluster")
class Broadcast(Command[int]):
    """Send ``Message(topic, payload, caller)`` to every member of ``group``; returns how
    many it was sent to (one whose node went down meanwhile is skipped)."""

    group: str = attrs.field(validator=_NAME)
    topic: str = attrs.field(validator=_TOPIC)
    payload: object = None


@command(id=228, module="cluster")
class Nodes(Command[tuple[str, ...]]):
    """The live members of the cluster as this node sees them, sorted."""


@command(id=229, module="cluster")
class SendVirtual(Command[None]):
    """Send ``Message(topic, payload, caller)`` to the virtual actor ``(kind, key)``,
    placing and activating it first if it has no activation."""

    kind: str = attrs.field(validator=_NAME)
    key: str = attrs.field(validator=_KEY)
    topic: str = attrs.field(validator=_TOPIC)
    payload: object = None


@command(id=230, module="cluster")
class Locate(Command[PID]):
    """The PID of the virtual actor ``(kind, key)``'s activation, activating it first if
    needed (``cluster.request_virtual`` uses it, then ``proc.request``)."""

    kind: str = attrs.field(validator=_NAME)
    key: str = attrs.field(validator=_KEY)
