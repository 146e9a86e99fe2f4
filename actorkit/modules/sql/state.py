"""Where a node keeps its databases: the node variable :data:`DATABASES`, name → database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from actorkit.lowlevel import NodeVar

from ._database import Database

if TYPE_CHECKING:
    from actorkit import Node

DATABASES = NodeVar[dict[str, Database]]("sql")
"""The node's databases by name."""


def databases(node: Node) -> dict[str, Database]:
    """The node's databases by name (made empty on first use)."""
    return DATABASES.setdefault(node, dict)
