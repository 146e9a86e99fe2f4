"""Gateway routes that serve a local storage's presigned URLs.

:func:`presigned_routes` gives a GET route (download the object with its content type)
and a PUT route (upload the body, which must be exactly the signed content length when the
URL binds one) under ``<prefix>/<storage>/<key>``. Each request is checked with
:func:`~actorkit.modules.cloudstorage.verify_presigned`: an expired, tampered, wrong-method,
wrong-type or wrong-length URL gets 403 with the reason, a missing object 404.

The URL is checked as the storage signed it: the storage's ``base_url`` origin (scheme and
host) with the request's path and query, so a gateway behind a proxy or on another port
still accepts its own URLs; the path must be the one the storage signed.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import quote, urlencode, urlsplit

from actorkit import Process
from actorkit.gateway import HttpRequest, HttpResponse, Route, route

from .backends.local import LocalBackend
from .commands import DownloadObject, UploadObject
from .errors import (
    AccessDeniedError,
    InvalidKeyError,
    NoStorageError,
    ObjectNotFoundError,
    PresignedURLError,
    StorageError,
    StorageInputError,
)
from .presign import Presigned
from .state import storage_of

MAX_DEPTH = 16
"""How many ``/``-separated parts a served key may have by default."""

_STATUS: tuple[tuple[type[StorageError], int], ...] = (
    (AccessDeniedError, 403),  # PresignedURLError and ExpiredURLError are ones
    (StorageInputError, 400),
    (ObjectNotFoundError, 404),
    (NoStorageError, 404),
    (InvalidKeyError, 400),
)


def presigned_routes(
    storage: str,
    *,
    prefix: str = "/storage",
    max_body: int | None = None,
    max_depth: int = MAX_DEPTH,
) -> list[Route]:
    """Gateway routes serving the presigned GET and PUT URLs of the local storage
    ``storage``: ``<prefix>/<storage>/<key>``, matching a ``local(..., base_url=...)``
    whose path is ``prefix`` (the default ``base_url`` ends in ``/storage``).

    Args:
        storage: the local storage's name.
        prefix: the path the storage's ``base_url`` ends in.
        max_body: the largest PUT body in bytes (413 above it); None for the gateway's.
        max_depth: the most ``/``-separated parts a key may have (one route each).

    Raises:
        RouteError: ``prefix`` or ``storage`` does not make a valid route path.
    """
    base = f"{prefix.rstrip('/')}/{storage}"
    routes: list[Route] = []
    for depth in range(1, max_depth + 1):
        path = base + "".join(f"/{{k{i}}}" for i in range(depth))
        routes.append(route("GET", path, partial(_get, storage)))
        routes.append(route("PUT", path, partial(_put, storage), max_body=max_body))
    return routes


async def _get(storage: str, proc: Process, request: HttpRequest) -> HttpResponse:
    try:
        grant = _verify(storage, proc, request)
        got = await proc.call(DownloadObject(storage, grant.key))
    except StorageError as exc:
        return _refused(exc)
    info = got.info
    headers = [("content-type", info.content_type), ("etag", info.etag)]
    if info.cache_control is not None:
        headers.append(("cache-control", info.cache_control))
    return HttpResponse(200, got.data or b"", tuple(headers))


async def _put(storage: str, proc: Process, request: HttpRequest) -> HttpResponse:
    try:
        grant = _verify(storage, proc, request)
        if grant.content_length is not None and len(request.body) != grant.content_length:
            raise PresignedURLError(
                f"presigned URL refused: content length must be {grant.content_length}"
            )
        ctype = grant.content_type or request.header("content-type")
        cmd = UploadObject(storage, grant.key, request.body, content_type=ctype)
        info = await proc.call(cmd)
    except StorageError as exc:
        return _refused(exc)
    return HttpResponse(200, b"", (("etag", info.etag),))


def _verify(storage: str, proc: Process, request: HttpRequest) -> Presigned:
    backend = storage_of(proc.node, storage)
    if not isinstance(backend, LocalBackend):
        raise PresignedURLError(f"storage {storage!r} is not local; its server checks its URLs")
    origin = urlsplit(backend.base_url)
    url = f"{origin.scheme}://{origin.netloc}{quote(request.path, safe='/~')}"
    url += f"?{urlencode(dict(request.query))}"
    length = request.header("content-length")
    return backend.verify(
        url,
        request.method,
        request.header("content-type"),
        int(length) if length is not None and length.isdigit() else None,
    )


def _refused(exc: StorageError) -> HttpResponse:
    status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 500)
    return HttpResponse.json({"error": str(exc)}, status)
