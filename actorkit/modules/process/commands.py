"""Process commands (IDs 1–9). The node is this module's backend and the ``Process`` handle
builds them, so they are declared with it (in the user API) and re-exported here; ``Cancel``
is the command (id=4), not the event it delivers."""

from actorkit.lowlevel import CancelCommand as Cancel
from actorkit.lowlevel import Exec, Link, Monitor, Send, Spawn, Terminate, Unlink, Unmonitor

__all__ = ["Cancel", "Exec", "Link", "Monitor", "Send", "Spawn", "Terminate", "Unlink", "Unmonitor"]
