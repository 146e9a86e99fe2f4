"""Is an idle pooled connection still alive? A check that costs no round trip.

An idle connection in autocommit mode has nothing to read: the server speaks only when
asked. So if its socket is readable, the server sent something on its own (a FATAL
"terminating connection" from PostgreSQL's ``pg_terminate_backend``) or closed it (MySQL /
MariaDB ``KILL``, a restart, an idle timeout): either way the connection is not to be used.
"""

from __future__ import annotations

import select


def has_input(fd: int) -> bool:
    """True if socket ``fd`` has data or an end of stream waiting (never blocks)."""
    if fd < 0:
        return True
    if hasattr(select, "poll"):  # no FD_SETSIZE limit
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
    ready, _, _ = select.select([fd], [], [], 0)  # pragma: no cover - Windows
    return bool(ready)
