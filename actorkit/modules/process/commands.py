"""Process commands (IDs 1–9). The kernel handles them (the node is this module's backend),
so they are declared there and re-exported here; ``Cancel`` is the command (id=4), not the
event it delivers."""

from actorkit.lowlevel import CancelCommand as Cancel
from actorkit.lowlevel import Exec, Link, Monitor, Send, Spawn, Terminate, Unlink, Unmonitor

__all__ = ["Cancel", "Exec", "Link", "Monitor", "Send", "Spawn", "Terminate", "Unlink", "Unmonitor"]
