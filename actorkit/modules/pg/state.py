"""Where a node keeps its pg scopes: the node variable :data:`SCOPES`, name → :class:`Scope`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from actorkit.lowlevel import NodeVar

from .scope import Scope

if TYPE_CHECKING:
    from actorkit import Node


class Scopes(dict[str, Scope]):
    """The pg scopes booted on a node, by name (kept in :data:`SCOPES`)."""


SCOPES = NodeVar[Scopes]("pg")
"""The node's pg scopes by name, once one is booted."""


def scopes_of(node: Node) -> Scopes | None:
    """The node's pg scopes, or None when no pg scope was booted."""
    return SCOPES.find(node)
