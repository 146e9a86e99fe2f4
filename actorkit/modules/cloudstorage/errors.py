"""Cloud storage errors, under :class:`actorkit.CommandError`.

::

    CommandError
     └─ StorageError                  a storage command failed; str() names the command
         ├─ NoStorageError            no storage has that name (also a LookupError)
         ├─ StorageInputError         a field of the command is wrong, found when it is
         │                            built (also CommandArgumentError and ValueError)
         ├─ InvalidKeyError           the local directory cannot hold that key (it would
         │                            leave the root, crosses a symlink, or a file is
         │                            where a folder must be); also a ValueError
         ├─ ObjectNotFoundError       no object has that key (also a LookupError)
         ├─ PreconditionFailedError   if_match / if_none_match / only_if_absent did not hold
         ├─ InvalidRangeError         the byte range starts past the object's end
         ├─ AccessDeniedError         the backend refused (credentials, permissions, a
         │                            read-only storage); also a PermissionError
         ├─ PresignedURLError         a presigned URL was refused: tampered, wrong method,
         │   │                        wrong length, another storage's (also AccessDenied)
         │   └─ ExpiredURLError       … or simply past its expiry
         └─ StorageBackendError       anything else the backend reported

Both backends raise the same error for the same case; the backend's own error (an OSError,
an S3 error response) is the ``__cause__`` or is named in the message.
"""

from __future__ import annotations

from actorkit.checks import describe
from actorkit.errors import CommandArgumentError, CommandError


class StorageError(CommandError):
    """A storage command failed. ``command`` is like ``HeadObject (id=166)``."""

    def __init__(self, detail: str, *, command: str = "") -> None:
        CommandError.__init__(self, detail)
        self.detail = detail
        self.command = command

    def __str__(self) -> str:
        return f"{self.command}: {self.detail}" if self.command else self.detail

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the detail and the command."""
        return (_rebuild, (type(self), self.detail, self.command))


def _rebuild(cls: type[StorageError], detail: str, command: str) -> StorageError:
    exc = cls.__new__(cls)
    StorageError.__init__(exc, detail, command=command)
    return exc


class NoStorageError(StorageError, LookupError):
    """No storage with that name was booted."""


class StorageInputError(StorageError, CommandArgumentError):
    """A field of the command has the wrong type or value; raised when it is built."""

    def __init__(self, command: str, field: str, expected: str, value: object) -> None:
        detail = f"{field} must be {expected}, got {describe(value)} ({type(value).__name__})"
        StorageError.__init__(self, detail, command=command)
        self.field = field
        self.expected = expected
        self.value = value

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the constructor's arguments."""
        return (type(self), (self.command, self.field, self.expected, self.value))


class InvalidKeyError(StorageError, ValueError):
    """The local directory cannot hold the key: ``..`` or an absolute path (it would leave
    the root), a symlink on the way, or a file where the key needs a folder."""


class ObjectNotFoundError(StorageError, LookupError):
    """No object has that key."""


class PreconditionFailedError(StorageError):
    """``if_match``, ``if_none_match`` or ``only_if_absent`` did not hold; nothing was
    written (an upload) or sent (a download)."""


class InvalidRangeError(StorageError, ValueError):
    """The byte range starts at or past the end of the object."""


class AccessDeniedError(StorageError, PermissionError):
    """The backend refused: wrong credentials, no permission, a read-only storage."""


class PresignedURLError(AccessDeniedError):
    """A presigned URL was refused: its signature does not match what it asks for (a
    tampered query, another method, another length, another storage's URL)."""


class ExpiredURLError(PresignedURLError):
    """A presigned URL was refused because its expiry has passed."""


class StorageBackendError(StorageError):
    """The backend failed in a way the other errors do not name; the detail says how."""
