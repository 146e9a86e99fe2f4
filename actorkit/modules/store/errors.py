"""Store errors, under :class:`actorkit.errors.ModuleError`.

::

    CommandError
     └─ ModuleError
         └─ StoreError               a store command failed; str() names the command and ID
             ├─ NoStoreError         no store has that name (also a LookupError)
             ├─ StoreInputError      a field of the command is wrong, found when it is built
             │                       (also CommandArgumentError, TypeError and ValueError)
             ├─ StoreFullError       the memory store holds max_size keys
             ├─ StoreBackendError    the backend failed; a write that fails so was not applied
             └─ OutcomeUnknownError  a write was sent but its answer was lost: it may or may
                                     not have been applied

A Put whose condition does not hold is not an error: it returns None. The backend's own
error is the ``__cause__`` of a StoreBackendError or an OutcomeUnknownError.
"""

from __future__ import annotations

from actorkit.errors import ModuleArgumentError, ModuleError


class StoreError(ModuleError):
    """A store command failed. ``command`` is like ``Get (id=120)``, set by the dispatcher."""


class NoStoreError(StoreError, LookupError):
    """No store with that name was booted."""


class StoreInputError(StoreError, ModuleArgumentError, TypeError):
    """A field of the command has the wrong type or value (store, key, value, ttl, …).

    Raised when the command is built, before anything runs; the message names the
    command, its ID, the field and the value.
    """


class StoreFullError(StoreError):
    """A memory store already holds ``max_size`` live keys and the write adds one."""

    def __init__(self, store: str, max_size: int) -> None:
        super().__init__(f"store {store!r} is full (max_size={max_size} keys)")
        self.store = store
        self.max_size = max_size

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the constructor's arguments."""
        return (_rebuild_full, (self.store, self.max_size, self.command))


class StoreBackendError(StoreError):
    """The backend (SQLite, Redis) raised; the original error is ``__cause__``.

    A write (Set, Put, Delete) that fails with this error was not applied.
    """


class OutcomeUnknownError(StoreError):
    """A write reached the backend, or may have, but its answer was lost (the connection
    dropped): it may or may not have been applied.

    Never a conflict, and never retried by the store: read the key to find out, and make
    your next write conditional on what you read. The lost connection's error is the
    ``__cause__``.
    """

    def __init__(self, store: str, key: str, *, command: str = "") -> None:
        super().__init__(
            f"store {store!r}: the write to key {key!r} may or may not have been applied "
            "(the connection was lost before the answer came); read the key to find out",
            command=command,
        )
        self.store = store
        self.key = key

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the constructor's arguments."""
        return (_rebuild_unknown, (self.store, self.key, self.command))


def _rebuild_unknown(store: str, key: str, command: str) -> OutcomeUnknownError:
    return OutcomeUnknownError(store, key, command=command)


def _rebuild_full(store: str, max_size: int, command: str) -> StoreFullError:
    error = StoreFullError(store, max_size)
    error.command = command
    return error
