"""Where a node keeps its functions: the node variable :data:`TABLE`, a :class:`FunctionTable`."""

from __future__ import annotations

from actorkit.lowlevel import NodeVar

from .table import FunctionTable

TABLE = NodeVar[FunctionTable]("function")
"""The node's :class:`FunctionTable`."""
