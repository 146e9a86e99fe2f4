"""Where a node keeps its stores: ``node.resources["store"]``, a dict of name → backend."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from .errors import NoStoreError

if TYPE_CHECKING:
    from actorkit._core._node import Node

    from .backends.base import Backend

RESOURCE = "store"
_NONE: dict[str, Backend] = {}


class Named(Protocol):
    """A command that names its store."""

    @property
    def store(self) -> str: ...


def stores(node: Node) -> dict[str, Backend]:
    """The node's stores by name (made empty on first use)."""
    found = node.resources.get(RESOURCE)
    if found is None:
        found = node.resources[RESOURCE] = {}
    return cast("dict[str, Backend]", found)


def store_of(node: Node, cmd: Named) -> Backend:
    """The backend of the store ``cmd`` names.

    Raises:
        NoStoreError: no store has that name.
    """
    found = cast("dict[str, Backend]", node.resources.get(RESOURCE, _NONE))
    backend = found.get(cmd.store)
    if backend is None:
        booted = ", ".join(repr(n) for n in sorted(found)) or "none"
        raise NoStoreError(f"no store named {cmd.store!r} (stores booted: {booted})")
    return backend
