"""Where a node keeps its timer wheel: the node variable :data:`WHEEL` (see :mod:`.wheel`)."""

from __future__ import annotations

from actorkit.lowlevel import NodeVar

from .wheel import Wheel

WHEEL = NodeVar[Wheel]("clock")
"""The node's timer wheel: every sleep, ticker and timer of its processes."""
