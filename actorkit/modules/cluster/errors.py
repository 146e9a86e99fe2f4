"""The cluster module's errors, under :class:`actorkit.CommandError`.

::

    CommandError
     └─ ClusterError                 a cluster command failed; str() names the command
         ├─ ClusterArgumentError     a field of the command is wrong, found when it is built
         │                           (also CommandArgumentError and ValueError)
         ├─ PayloadEncodeError       a message, argument or reply cannot cross the wire
         │                           (also TypeError); raised at the sender's call
         ├─ NodeDownError            the node named is not a live member of the cluster
         ├─ NoConnectionError        what a process on a node that went down exited with,
         │                           as its watchers see it (reason ``noconnection``)
         ├─ RemoteError              an error raised on another node, carried back as its
         │                           type name and message
         ├─ UnknownFunctionError     no process function or virtual kind registered under
         │                           that name on the node asked (also LookupError)
         └─ FencedError              this node was declared down (it missed heartbeats
                                     past the bound) and cannot come back under the same
                                     identity; the node stops
"""

from __future__ import annotations

from actorkit.errors import ModuleArgumentError, ModuleError


class ClusterError(ModuleError):
    """A cluster command failed. ``command`` is like ``Spawn (id=220)``."""


class ClusterArgumentError(ClusterError, ModuleArgumentError, ValueError):
    """A field of a cluster command has the wrong type or value."""


class PayloadEncodeError(ClusterError, TypeError):
    """What was to cross to another node cannot be encoded (msgpack data, PIDs and
    errors can); the sender's call fails and nothing is sent."""


class NodeDownError(ClusterError):
    """The node named is not a live member of the cluster."""


class NoConnectionError(ClusterError):
    """The process's node went down (or this node lost the cluster): the ``error`` of an
    ``Exit`` or ``LinkDown`` with reason ``noconnection``."""


class RemoteError(ClusterError):
    """An error raised on another node: ``kind`` is its type's qualified name, ``detail``
    its message."""

    def __init__(self, detail: str, *, command: str = "", kind: str = "Exception") -> None:
        ClusterError.__init__(self, detail, command=command)
        self.kind = kind

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


class UnknownFunctionError(ClusterError, LookupError):
    """No process function (or virtual actor kind) is registered under that name."""


class FencedError(ClusterError):
    """This node was declared down by the cluster and cannot rejoin under its identity."""
