"""Store errors, under :class:`actorkit.CommandError`.

::

    CommandError
     └─ StoreError             a store command failed; str() names the command and ID
         ├─ NoStoreError       no store has that name (also a LookupError)
         ├─ StoreInputError    a wrong type or value in the command (also TypeError, ValueError)
         ├─ StoreFullError     the memory store holds max_size keys
         └─ StoreBackendError  the backend failed (its error is the ``__cause__``)

A Put whose condition does not hold is not an error: it returns None.
"""

from __future__ import annotations

from actorkit._core._exceptions import CommandError


class StoreError(CommandError):
    """A store command failed. ``command`` is like ``Get (id=120)``, set by the dispatcher."""

    def __init__(self, detail: str, *, command: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.command = command

    def __str__(self) -> str:
        return f"{self.command}: {self.detail}" if self.command else self.detail


class NoStoreError(StoreError, LookupError):
    """No store with that name was booted."""


class StoreInputError(StoreError, TypeError, ValueError):
    """The command carries a wrong type or value (key, value, ttl, limit, …)."""


class StoreFullError(StoreError):
    """A memory store already holds ``max_size`` live keys and the write adds one."""

    def __init__(self, store: str, max_size: int) -> None:
        super().__init__(f"store {store!r} is full (max_size={max_size} keys)")
        self.store = store
        self.max_size = max_size


class StoreBackendError(StoreError):
    """The backend (SQLite, Redis) raised; the original error is ``__cause__``."""
