"""The process module (IDs 1–9): messages, spawning, links, monitors and exits.

The node itself is the backend, so the node always boots this module; ``module()`` returns
that same component, for symmetry with the other modules (listing it changes nothing).
Its state is the kernel's and its errors are the core tree's; its handlers (``dispatcher``)
act through the door.
"""

from actorkit import lowlevel

from .commands import Cancel, Exec, Link, Monitor, Send, Spawn, Terminate, Unlink, Unmonitor
from .dispatcher import TABLE

_MODULE = lowlevel.handlers("process", TABLE)


def module() -> lowlevel.Component:
    """The process module's boot component (always booted by the node)."""
    return _MODULE


__all__ = [
    "Cancel",
    "Exec",
    "Link",
    "Monitor",
    "Send",
    "Spawn",
    "Terminate",
    "Unlink",
    "Unmonitor",
    "module",
]
