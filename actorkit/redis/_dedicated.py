"""A connection of one's own, for blocking commands (BLPOP, BLMPOP, XREAD BLOCK …)."""

from __future__ import annotations

from ._connection import Connection
from ._link import Link

__all__ = ["Dedicated"]


class Dedicated(Link):
    """A connection only its holder uses (``Redis.dedicated()``), with ``execute`` and
    ``pipeline`` as on :class:`Redis`. Cancelling a call that waits on it closes it, so it
    is never reused with a reply pending; the next call opens a new one."""

    def release(self) -> Connection | None:
        """End this holder's use (``Redis.dedicated`` calls it at the end of its block):
        the connection, taken away, when it can serve someone else (no reply pending),
        else None (it is closed)."""
        conn, self._conn = self._conn, None
        self._closed = True
        if conn is not None and conn.idle:
            return conn
        if conn is not None:
            conn.lose("the dedicated connection was closed with a reply pending")
        return None
