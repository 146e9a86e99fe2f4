"""Where a node keeps its event bus: the node variable :data:`BUS`, while the module runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from actorkit.lowlevel import NodeVar

from .bus import Bus

if TYPE_CHECKING:
    from actorkit import Node

BUS = NodeVar[Bus]("event")
"""The node's bus, while the event module runs."""


def bus_of(node: Node) -> Bus | None:
    """The node's bus, or None when the event module is not running."""
    return BUS.find(node)
