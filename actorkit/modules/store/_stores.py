"""Where a node keeps its stores: ``node.resources["store"]``, a dict of name → backend."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from .errors import NoStoreError, StoreInputError

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
        StoreInputError: the name is not a string.
    """
    name = cmd.store
    found = cast("dict[str, Backend]", node.resources.get(RESOURCE, _NONE))
    backend = found.get(name) if type(name) is str else None
    if backend is None:
        raise _missing(name, found)
    return backend


def _missing(name: object, found: dict[str, Backend]) -> Exception:
    if type(name) is not str:
        return StoreInputError(f"store name must be a str, got {type(name).__name__} {name!r}")
    booted = ", ".join(repr(n) for n in sorted(found)) or "none"
    return NoStoreError(f"no store named {name!r} (stores booted: {booted})")
