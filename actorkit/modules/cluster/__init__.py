"""Distribution (IDs 220–239): nodes joined into a cluster through Redis.

Boot ``cluster.module(url, cluster=...)`` on every node (each with its own ``name`` in
``open_node``). Then a PID of any node works with the process API as a local one does:
``send``, ``request``/``reply``, ``monitor``, ``link``, cancel; a node that goes down
makes its processes' watchers get ``Exit`` with reason ``noconnection``. On top of that:
remote spawn of registered functions (:class:`Spawn`), cluster-wide names and groups, and
virtual actors (:class:`SendVirtual`, :func:`request_virtual`). See the distribution guide
for the failure model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from actorkit.errors import RequestFailedError

from .codec import Codec
from .commands import (
    Broadcast,
    Join,
    Leave,
    Locate,
    Members,
    Nodes,
    Register,
    SendVirtual,
    Spawn,
    Unregister,
    WhereIs,
)
from .components import DEFAULT_URL, module
from .durable import Durable, durable, send_virtual
from .errors import (
    ClusterArgumentError,
    ClusterError,
    FencedError,
    NoConnectionError,
    NodeDownError,
    PayloadEncodeError,
    RemoteError,
    UnknownFunctionError,
)
from .waiting import live_nodes, wait_members, wait_nodes

if TYPE_CHECKING:
    from actorkit import Process

__all__ = [
    "DEFAULT_URL",
    "Durable",
    "Broadcast",
    "ClusterArgumentError",
    "ClusterError",
    "Codec",
    "FencedError",
    "Join",
    "Leave",
    "Locate",
    "Members",
    "NoConnectionError",
    "NodeDownError",
    "Nodes",
    "PayloadEncodeError",
    "Register",
    "RemoteError",
    "SendVirtual",
    "Spawn",
    "UnknownFunctionError",
    "Unregister",
    "WhereIs",
    "durable",
    "module",
    "live_nodes",
    "request_virtual",
    "send_virtual",
    "wait_members",
    "wait_nodes",
]


async def request_virtual(
    proc: Process, kind: str, key: str, topic: str, payload: object = None, *, timeout: float = 5.0
) -> Any:
    """Ask the virtual actor ``(kind, key)`` and wait for its reply (``proc.request``).

    Locates (activating on demand) the activation first; if that activation was just
    deactivated (it exits with reason ``noproc`` or ``cancelled`` before it answers), it
    locates again, once.
    """
    for attempt in (1, 2):
        pid = await proc.call(Locate(kind, key), timeout=timeout)
        try:
            return await proc.request(pid, topic, payload, timeout=timeout)
        except RequestFailedError as exc:
            if attempt == 2 or exc.reason not in ("noproc", "cancelled"):
                raise
    raise AssertionError("unreachable")
