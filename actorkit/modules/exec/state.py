"""Where a node keeps its OS processes: the node variable :data:`EXEC`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from actorkit.lowlevel import NodeVar

from .errors import ExecError
from .table import ExecTable

if TYPE_CHECKING:
    from actorkit import Node

EXEC = NodeVar[ExecTable]("exec")
"""The node's :class:`~.table.ExecTable`, set when the exec module loads."""


def table(node: Node, what: str = "") -> ExecTable:
    """The node's exec table.

    Raises:
        ExecError: the exec module is not booted on ``node``.
    """
    found = EXEC.find(node)
    if found is None:
        detail = "the exec module is not booted: add exec.module() to the node's modules"
        raise ExecError(detail, command=what)
    return found
