"""The process module (IDs 1–9): messages, spawning, links, monitors and exits.

The node itself is the backend, so the node always boots this module; ``module()`` returns
that same component, for symmetry with the other modules (listing it changes nothing).
Its handlers, state and errors are the kernel's, so this module has only ``commands``.
"""

from actorkit.lowlevel import PROCESS_MODULE, Component

from .commands import Cancel, Exec, Link, Monitor, Send, Spawn, Terminate, Unlink, Unmonitor


def module() -> Component:
    """The process module's boot component (always booted by the node)."""
    return PROCESS_MODULE


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
