"""Where a node keeps its streams: the node variable :data:`STREAMS`, a :class:`StreamTable`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from actorkit.lowlevel import NodeVar

from .errors import StreamError
from .table import StreamTable

if TYPE_CHECKING:
    from actorkit import Node

STREAMS = NodeVar[StreamTable]("stream")
"""The node's :class:`StreamTable`, set when the stream module loads."""


def streams(node: Node, what: str = "") -> StreamTable:
    """The node's stream table.

    Raises:
        StreamError: the stream module is not booted on ``node``.
    """
    table = STREAMS.find(node)
    if table is None:
        detail = "the stream module is not booted: add stream.module() to the node's modules"
        raise StreamError(detail, command=what)
    return table
