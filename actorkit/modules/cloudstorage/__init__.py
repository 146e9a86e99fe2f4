"""The cloud storage module (IDs 160–169): objects in a local directory or an S3 bucket.

Declare storages at boot, then name them in commands::

    actorkit.run(main, modules=[cloudstorage.local("files", "/srv/objects")])
    ...
    info = await proc.call(cloudstorage.UploadObject("files", "a.txt", b"hi"))
    got = await proc.call(cloudstorage.DownloadObject("files", "a.txt"))
    url = await proc.call(cloudstorage.PresignedGetURL("files", "a.txt", expires=300))

Backends: ``local`` (the embedded default: files under a root, atomic uploads, HMAC-signed
presigned URLs served by the gateway through :func:`presigned_routes`) and ``s3`` (any
S3-compatible server, SigV4 over httpx). Both pass one contract suite: same results, same
errors, same pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .backends.local import LocalBackend
from .commands import (
    DeleteObjects,
    DeleteResult,
    Downloaded,
    DownloadObject,
    HeadObject,
    ListObjects,
    ObjectInfo,
    ObjectList,
    ObjectSummary,
    PresignedGetURL,
    PresignedPutURL,
    UploadObject,
)
from .components import local, s3
from .errors import (
    AccessDeniedError,
    ExpiredURLError,
    InvalidKeyError,
    InvalidRangeError,
    NoStorageError,
    ObjectNotFoundError,
    PreconditionFailedError,
    PresignedURLError,
    StorageBackendError,
    StorageError,
    StorageInputError,
)
from .presign import Presigned
from .serving import presigned_routes
from .state import storage_of

if TYPE_CHECKING:
    from actorkit import Node


def verify_presigned(
    node: Node,
    storage: str,
    url: str,
    *,
    method: str,
    content_type: str | None = None,
    content_length: int | None = None,
) -> Presigned:
    """Check a presigned URL of the local storage ``storage``, for a gateway serving it.

    Args:
        node: the node the storage is booted on.
        storage: the storage's name.
        url: the URL the request asked for, query included.
        method: the request's method (``GET`` or ``PUT``).
        content_type: the request's ``Content-Type`` (checked if the URL binds one).
        content_length: the request's ``Content-Length`` (checked if the URL binds one).

    Returns:
        What the URL allows: then serve it with DownloadObject or UploadObject on
        ``grant.key``.

    Raises:
        NoStorageError: no storage has that name.
        ExpiredURLError: the URL has expired.
        PresignedURLError: it was tampered with, is for another method, length, type or
            storage, or the storage is not a local one (S3 checks its own URLs).
        AccessDeniedError: a PUT on a read-only storage.
    """
    backend = storage_of(node, storage)
    if not isinstance(backend, LocalBackend):
        raise PresignedURLError(f"storage {storage!r} is not local; its server checks its URLs")
    return backend.verify(url, method, content_type, content_length)


__all__ = [
    "AccessDeniedError",
    "DeleteObjects",
    "DeleteResult",
    "DownloadObject",
    "Downloaded",
    "ExpiredURLError",
    "HeadObject",
    "InvalidKeyError",
    "InvalidRangeError",
    "ListObjects",
    "NoStorageError",
    "ObjectInfo",
    "ObjectList",
    "ObjectNotFoundError",
    "ObjectSummary",
    "PreconditionFailedError",
    "Presigned",
    "PresignedGetURL",
    "PresignedPutURL",
    "PresignedURLError",
    "StorageBackendError",
    "StorageError",
    "StorageInputError",
    "UploadObject",
    "local",
    "presigned_routes",
    "s3",
    "verify_presigned",
]
