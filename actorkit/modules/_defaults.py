"""The modules a node boots with when nothing else is asked for: embedded, no servers."""

from __future__ import annotations

from actorkit._core._boot import Component

from . import clock


def embedded() -> list[Component]:
    """Boot components for the embedded defaults (what ``actorkit run`` uses)."""
    return [clock.module()]
