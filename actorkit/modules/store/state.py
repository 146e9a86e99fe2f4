"""Where a node keeps its stores: the node variable :data:`STORES`, name → backend."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from actorkit.lowlevel import NodeVar

from .errors import NoStoreError

if TYPE_CHECKING:
    from actorkit import Node

    from .backends.base import Backend

STORES = NodeVar["dict[str, Backend]"]("store")
_NONE: dict[str, Backend] = {}


class Named(Protocol):
    """A command that names its store."""

    @property
    def store(self) -> str: ...


def stores(node: Node) -> dict[str, Backend]:
    """The node's stores by name (made empty on first use)."""
    return STORES.setdefault(node, dict)


def store_of(node: Node, cmd: Named) -> Backend:
    """The backend of the store ``cmd`` names.

    Raises:
        NoStoreError: no store has that name.
    """
    found = STORES.find(node) or _NONE
    backend = found.get(cmd.store)
    if backend is None:
        booted = ", ".join(repr(n) for n in sorted(found)) or "none"
        raise NoStoreError(f"no store named {cmd.store!r} (stores booted: {booted})")
    return backend
