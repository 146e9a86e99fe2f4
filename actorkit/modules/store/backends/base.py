"""What a store backend implements, and helpers every backend shares.

Each method returns its result directly when it can answer at once (the memory backend:
the call then completes inline, without a task) or an awaitable of it (SQLite, Redis: the
dispatcher awaits it as the call's work, under the caller's cancel scope). Backends see
encoded values (bytes) and checked arguments; the dispatcher does the rest.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Protocol, TypeAlias, TypeVar

import trio

from ..commands import StoreInfo

T = TypeVar("T")
Maybe: TypeAlias = T | Awaitable[T]
"""A result now, or an awaitable of it."""

RawItem: TypeAlias = tuple[bytes, str, float | None]
"""An entry as a backend returns it: (encoded value, version, seconds left or None)."""


class Backend(Protocol):
    """One named store."""

    async def open(self, nursery: trio.Nursery) -> None:
        """Connect; long-running tasks go in ``nursery``. A checkpoint."""
        ...

    async def close(self) -> None:
        """Disconnect and release everything. A checkpoint."""
        ...

    async def sweep(self) -> None:
        """Remove expired keys (run periodically). A checkpoint."""
        ...

    def info(self) -> StoreInfo:
        """The store's guarantees."""
        ...

    def get(self, key: str) -> Maybe[bytes | None]:
        """The encoded value of a live key, or None."""
        ...

    def entry(self, key: str) -> Maybe[RawItem | None]:
        """The encoded value, version and seconds left of a live key, or None."""
        ...

    def has(self, key: str) -> Maybe[bool]:
        """True if the key is live."""
        ...

    def delete(self, key: str) -> Maybe[bool]:
        """Remove the key; True if it was live."""
        ...

    def put(
        self, key: str, data: bytes, ttl: float | None, absent: bool, version: str | None
    ) -> Maybe[str | None]:
        """Write if the condition holds (``absent``: key not live; ``version``: key holds that
        version; neither: always), atomically; the new version or None."""
        ...

    def list(self, prefix: str, after: str | None, limit: int | None) -> Maybe[list[str]]:
        """Live keys with ``prefix``, greater than ``after``, sorted, at most ``limit``."""
        ...


def prefix_end(prefix: str) -> str | None:
    """The least string greater than every string starting with ``prefix`` (None: no bound).

    Code point order, which is also the byte order of UTF-8, so SQLite's BINARY collation
    and Python's ``<`` agree with it.
    """
    stripped = prefix.rstrip("\U0010ffff")
    if not stripped:
        return None
    nxt = ord(stripped[-1]) + 1
    if 0xD800 <= nxt <= 0xDFFF:
        nxt = 0xE000
    return stripped[:-1] + chr(nxt)
