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

from actorkit.errors import ModuleArgumentError, ModuleError


class StorageError(ModuleError):
    """A storage command failed. ``command`` is like ``HeadObject (id=166)``."""


class NoStorageError(StorageError, LookupError):
    """No storage with that name was booted."""


class StorageInputError(StorageError, ModuleArgumentError):
    """A field of the command has the wrong type or value; raised when it is built."""


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
