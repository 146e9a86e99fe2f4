"""Store commands (IDs 120–129; 120–126 numbered as in Wippy) and their results.

Every command names its store (declared at boot: ``store.memory("cache")``). Keys are
non-empty strings without NUL; values follow the JSON rule in :mod:`.codec`. A ``ttl`` is
in seconds (a positive finite number); without one a write keeps the key until deleted.
"""

from __future__ import annotations

from typing import Any

import attrs

from actorkit._core._command import Command, command, declare_range

declare_range("store", 120, 129)


@attrs.frozen
class Item:
    """A stored value with its version and time to live.

    Attributes:
        value: the value (decoded JSON).
        version: an opaque string, new on every write and never reused in the store; pass it
            to ``Put(..., if_version=...)`` to write only if nobody wrote since.
        expires_in: seconds until the key expires, or None if it does not expire.
    """

    value: Any
    version: str
    expires_in: float | None


@attrs.frozen
class StoreInfo:
    """What a store guarantees.

    Attributes:
        name: the store's name.
        backend: ``"memory"``, ``"sqlite"`` or ``"redis"``.
        durable: writes survive a restart of the program.
        versioned: entries carry versions (``Entry``) usable for compare-and-set.
        conditional_put: ``Put`` honours ``only_if_absent`` and ``if_version`` atomically.
        ttl: keys can expire.
        list: ``List`` is supported.
        consistency: ``"local"`` (this node only) or ``"linearizable"`` (one shared copy that
            other programs see, every operation atomic).
    """

    name: str
    backend: str
    durable: bool
    versioned: bool
    conditional_put: bool
    ttl: bool
    list: bool
    consistency: str


@command(id=120, module="store")
class Get(Command[Any]):
    """The value of ``key``, or None if it is missing or expired."""

    store: str
    key: str


@command(id=121, module="store")
class Set(Command[str]):
    """Write ``value`` under ``key`` (replacing any value and TTL); returns the new version."""

    store: str
    key: str
    value: Any
    ttl: float | None = attrs.field(default=None, kw_only=True)


@command(id=122, module="store")
class Delete(Command[bool]):
    """Remove ``key``; True if it was there (and not expired)."""

    store: str
    key: str


@command(id=123, module="store")
class Has(Command[bool]):
    """True if ``key`` holds a value that has not expired."""

    store: str
    key: str


@command(id=124, module="store")
class Entry(Command[Item | None]):
    """The value of ``key`` with its version and TTL (an :class:`Item`), or None."""

    store: str
    key: str


@command(id=125, module="store")
class List(Command[list[str]]):
    """Live keys starting with ``prefix``, sorted by code point, each greater than ``after``.

    At most ``limit`` keys (all if None); page with ``after=`` the last key of the page
    before.
    """

    store: str
    prefix: str = attrs.field(default="", kw_only=True)
    after: str | None = attrs.field(default=None, kw_only=True)
    limit: int | None = attrs.field(default=None, kw_only=True)


@command(id=126, module="store")
class Put(Command[str | None]):
    """Write ``value`` if a condition holds, atomically; the new version, or None if not.

    ``only_if_absent``: only if ``key`` is missing (or expired). ``if_version``: only if
    ``key`` holds exactly that version (compare-and-set). At most one of the two; with
    neither, Put is Set.
    """

    store: str
    key: str
    value: Any
    ttl: float | None = attrs.field(default=None, kw_only=True)
    only_if_absent: bool = attrs.field(default=False, kw_only=True)
    if_version: str | None = attrs.field(default=None, kw_only=True)


@command(id=127, module="store")
class Info(Command[StoreInfo]):
    """What the store guarantees (:class:`StoreInfo`)."""

    store: str
