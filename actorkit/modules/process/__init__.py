"""The process module (IDs 1–9): messages, spawning, links, monitors and exits.

The node itself is the backend, so the node always boots this module; ``module()`` exists
for symmetry with the other modules and is never needed in ``modules=[...]``.
"""

from actorkit._core._process_commands import (
    Cancel,
    Exec,
    Link,
    Monitor,
    Send,
    Spawn,
    Terminate,
    Unlink,
    Unmonitor,
)

__all__ = ["Cancel", "Exec", "Link", "Monitor", "Send", "Spawn", "Terminate", "Unlink", "Unmonitor"]
