"""Where a node keeps its storages: the node variable :data:`STORAGES`, name → backend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from actorkit.lowlevel import NodeVar

from .errors import NoStorageError

if TYPE_CHECKING:
    from actorkit import Node

    from .backends.base import Backend

STORAGES = NodeVar["dict[str, Backend]"]("cloudstorage")


def storages(node: Node) -> dict[str, Backend]:
    """The node's storages by name (made empty on first use)."""
    return STORAGES.setdefault(node, dict)


def storage_of(node: Node, name: str) -> Backend:
    """The backend of the storage ``name``.

    Raises:
        NoStorageError: no storage has that name.
    """
    found = STORAGES.find(node) or {}
    backend = found.get(name)
    if backend is None:
        booted = ", ".join(repr(n) for n in sorted(found)) or "none"
        raise NoStorageError(f"no storage named {name!r} (storages booted: {booted})")
    return backend
