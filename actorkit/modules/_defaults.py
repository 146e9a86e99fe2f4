"""The modules a node boots with when nothing else is asked for: embedded, no servers."""

from __future__ import annotations

from actorkit.lowlevel import Component

from . import clock, event, pg, sql, store


def embedded() -> list[Component]:
    """Boot components for the embedded defaults (what ``actorkit run`` uses).

    The clock, the event bus, process groups, a memory store named ``"default"`` and an
    in-memory SQLite database named ``"default"``: everything runs in the node's own
    process, nothing needs a server.
    """
    return [
        clock.module(),
        event.module(),
        pg.module(),
        store.memory("default"),
        sql.sqlite("default", ":memory:"),
    ]
