"""The store module (IDs 120–129): named key-value stores with versions, TTL and CAS.

Declare stores at boot, then name them in commands::

    actorkit.run(main, modules=[store.memory("cache"), store.sqlite("durable", "app.db")])
    ...
    version = await proc.call(store.Set("cache", "greeting", {"text": "hi"}, ttl=60))
    item = await proc.call(store.Entry("cache", "greeting"))
    await proc.call(store.Put("cache", "greeting", {"text": "ho"}, if_version=item.version))

Backends: ``memory`` (default; inline, bounded), ``sqlite`` (durable, embedded) and
``redis`` (shared; the ``redis`` extra). Values follow one rule on every backend: what
``json.loads(json.dumps(value))`` gives back (see :mod:`actorkit.modules.store.codec`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .commands import Delete, Entry, Get, Has, Info, Item, List, Put, Set, StoreInfo
from .components import memory, redis, sqlite
from .errors import (
    NoStoreError,
    OutcomeUnknownError,
    StoreBackendError,
    StoreError,
    StoreFullError,
    StoreInputError,
)
from .state import stores

if TYPE_CHECKING:
    from actorkit import Node


def info(node: Node, name: str) -> StoreInfo:
    """The guarantees of the store ``name`` booted on ``node`` (what ``Info`` returns).

    Raises:
        NoStoreError: no store has that name.
    """
    backend = stores(node).get(name)
    if backend is None:
        raise NoStoreError(f"no store named {name!r}")
    return backend.info()


__all__ = [
    "Delete",
    "Entry",
    "Get",
    "Has",
    "Info",
    "Item",
    "List",
    "NoStoreError",
    "OutcomeUnknownError",
    "Put",
    "Set",
    "StoreBackendError",
    "StoreError",
    "StoreFullError",
    "StoreInfo",
    "StoreInputError",
    "info",
    "memory",
    "redis",
    "sqlite",
]
