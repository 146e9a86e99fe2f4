"""Store commands (IDs 120–129; 120–126 numbered as in Wippy) and their results.

Every command names its store (declared at boot: ``store.memory("cache")``). Keys are
non-empty strings without NUL or lone surrogates; values follow the JSON rule in
:mod:`.codec`. A ``ttl`` is in seconds (an int or float > 0, finite, not NaN, never a bool);
without one a write keeps the key until deleted. Every field is checked when the command is
built: a wrong one raises :class:`~.errors.StoreInputError` (a ``CommandArgumentError``)
naming the command, its ID and the field. Set and Put encode their value then, once.
"""

from __future__ import annotations

from typing import Any

import attrs

from actorkit.lowlevel import Command, command, declare_range

from .checks import ABSENT, AFTER, KEY, LIMIT, PREFIX, STORE, TTL, encoded, exclusive

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

    store: str = attrs.field(validator=STORE)
    key: str = attrs.field(validator=KEY)


@command(id=121, module="store")
class Set(Command[str]):
    """Write ``value`` under ``key`` (replacing any value and TTL); returns the new version."""

    store: str = attrs.field(validator=STORE)
    key: str = attrs.field(validator=KEY)
    value: Any
    ttl: float | None = attrs.field(default=None, kw_only=True, validator=TTL)
    encoded: bytes = attrs.field(init=False, repr=False, eq=False)
    """The value as stored (UTF-8 JSON), made when the command is built."""

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "encoded", encoded(self, self.value))


@command(id=122, module="store")
class Delete(Command[bool]):
    """Remove ``key``; True if it was there (and not expired)."""

    store: str = attrs.field(validator=STORE)
    key: str = attrs.field(validator=KEY)


@command(id=123, module="store")
class Has(Command[bool]):
    """True if ``key`` holds a value that has not expired."""

    store: str = attrs.field(validator=STORE)
    key: str = attrs.field(validator=KEY)


@command(id=124, module="store")
class Entry(Command[Item | None]):
    """The value of ``key`` with its version and TTL (an :class:`Item`), or None."""

    store: str = attrs.field(validator=STORE)
    key: str = attrs.field(validator=KEY)


@command(id=125, module="store")
class List(Command[list[str]]):
    """Live keys starting with ``prefix``, sorted by code point, each greater than ``after``.

    At most ``limit`` keys (all if None); page with ``after=`` the last key of the page
    before.
    """

    store: str = attrs.field(validator=STORE)
    prefix: str = attrs.field(default="", kw_only=True, validator=PREFIX)
    after: str | None = attrs.field(default=None, kw_only=True, validator=AFTER)
    limit: int | None = attrs.field(default=None, kw_only=True, validator=LIMIT)


@command(id=126, module="store")
class Put(Command[str | None]):
    """Write ``value`` if a condition holds, atomically; the new version, or None if not.

    ``only_if_absent``: only if ``key`` is missing (or expired). ``if_version``: only if
    ``key`` holds exactly that version (compare-and-set). At most one of the two; with
    neither, Put is Set.
    """

    store: str = attrs.field(validator=STORE)
    key: str = attrs.field(validator=KEY)
    value: Any
    ttl: float | None = attrs.field(default=None, kw_only=True, validator=TTL)
    only_if_absent: bool = attrs.field(default=False, kw_only=True, validator=ABSENT)
    if_version: str | None = attrs.field(default=None, kw_only=True, validator=exclusive)
    encoded: bytes = attrs.field(init=False, repr=False, eq=False)
    """The value as stored (UTF-8 JSON), made when the command is built."""

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "encoded", encoded(self, self.value))


@command(id=127, module="store")
class Info(Command[StoreInfo]):
    """What the store guarantees (:class:`StoreInfo`)."""

    store: str = attrs.field(validator=STORE)
