"""The memory backend: a dict in the node, the default store.

Every operation completes at once, so calls on a memory store complete inline. Expired
keys vanish when read (lazily) and in a periodic sweep (``purge``). Versions come from one
counter per store, so a version is never reused, even after a delete.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

import attrs
import trio

from ..commands import StoreInfo
from ..errors import StoreFullError
from .base import RawItem


@attrs.define(slots=True)
class _Slot:
    data: bytes
    version: str
    expires: float | None


class MemoryBackend:
    """A store in a dict, bounded to ``max_size`` keys, with expiry on ``clock``."""

    def __init__(self, name: str, *, max_size: int, clock: Callable[[], float]) -> None:
        self.name = name
        self.max_size = max_size
        self._clock = clock
        self._slots: dict[str, _Slot] = {}
        self._version = 0

    async def open(self, nursery: trio.Nursery) -> None:
        """Nothing to open. A checkpoint."""
        await trio.lowlevel.checkpoint()

    async def close(self) -> None:
        """Drop every key. A checkpoint."""
        self._slots.clear()
        await trio.lowlevel.checkpoint()

    async def sweep(self) -> None:
        """Drop expired keys (``purge``). A checkpoint."""
        self.purge()
        await trio.lowlevel.checkpoint()

    def __len__(self) -> int:
        """Keys held, expired ones not yet swept included."""
        return len(self._slots)

    def info(self) -> StoreInfo:
        """Versioned, conditional, with TTL and List; not durable; local to this node."""
        return StoreInfo(self.name, "memory", False, True, True, True, True, "local")

    def get(self, key: str) -> bytes | None:
        """The encoded value, or None."""
        slot = self._live(key)
        return None if slot is None else slot.data

    def entry(self, key: str) -> RawItem | None:
        """Value, version and seconds left, or None."""
        slot = self._live(key)
        if slot is None:
            return None
        left = None if slot.expires is None else slot.expires - self._clock()
        return slot.data, slot.version, left

    def has(self, key: str) -> bool:
        """True if the key is live."""
        return self._live(key) is not None

    def delete(self, key: str) -> bool:
        """Remove the key; True if it was live."""
        live = self._live(key) is not None
        self._slots.pop(key, None)
        return live

    def put(
        self, key: str, data: bytes, ttl: float | None, absent: bool, version: str | None
    ) -> str | None:
        """Write if the condition holds; the new version or None.

        Raises:
            StoreFullError: the key is new and the store holds ``max_size`` live keys.
        """
        slot = self._live(key)
        if (absent and slot is not None) or (
            version is not None and (slot is None or slot.version != version)
        ):
            return None
        if slot is None and len(self._slots) >= self.max_size and self.purge() == 0:
            raise StoreFullError(self.name, self.max_size)
        self._version += 1
        new = str(self._version)
        expires = None if ttl is None else self._clock() + ttl
        self._slots[key] = _Slot(data, new, expires)
        return new

    def list(self, prefix: str, after: str | None, limit: int | None) -> list[str]:
        """Live keys with ``prefix`` greater than ``after``, sorted, at most ``limit``."""
        now = self._clock()
        keys = (
            key
            for key, slot in self._slots.items()
            if key.startswith(prefix)
            and (after is None or key > after)
            and (slot.expires is None or slot.expires > now)
        )
        if limit is None:
            return sorted(keys)
        return heapq.nsmallest(limit, keys)

    def purge(self) -> int:
        """Drop every expired key; how many were dropped."""
        now = self._clock()
        dead = [k for k, s in self._slots.items() if s.expires is not None and s.expires <= now]
        for key in dead:
            del self._slots[key]
        return len(dead)

    def _live(self, key: str) -> _Slot | None:
        slot = self._slots.get(key)
        if slot is not None and slot.expires is not None and slot.expires <= self._clock():
            del self._slots[key]
            return None
        return slot
