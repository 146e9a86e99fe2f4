"""Gateway routes that serve a local storage's presigned URLs.

:func:`presigned_routes` gives a GET route (download the object with its content type)
and a PUT route (upload the body, which must be exactly the signed content length when the
URL binds one) under ``<prefix>/<storage>/<key>``, one ``{key:path}`` route each. Both
stream: a PUT's body reaches the storage a chunk at a time as it arrives, a GET's object
leaves a chunk at a time, so memory stays bounded whatever the object's size. Each request
is checked with :func:`~actorkit.modules.cloudstorage.verify_presigned`: an expired,
tampered, wrong-method, wrong-type or wrong-length URL gets 403 with the reason, a missing
object 404.

The URL is checked as the storage signed it: the storage's ``base_url`` origin (scheme and
host) with the request's path and query, so a gateway behind a proxy or on another port
still accepts its own URLs; the path must be the one the storage signed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import partial
from urllib.parse import quote, urlencode, urlsplit

import trio

from actorkit import Process
from actorkit.gateway import BodyStream, HttpRequest, HttpResponse, Route, route

from .backends.base import Opened, Source
from .backends.local import LocalBackend
from .commands import UploadObject
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
    max_depth: int | None = None,
    timeout: float | None = None,
) -> list[Route]:
    """Gateway routes serving the presigned GET and PUT URLs of the local storage
    ``storage``: ``<prefix>/<storage>/<key>``, matching a ``local(..., base_url=...)``
    whose path is ``prefix`` (the default ``base_url`` ends in ``/storage``).

    Both stream: a PUT body goes to the storage a chunk at a time as it arrives, and a
    GET answers the object a chunk at a time as the client takes it, so neither holds a
    whole object.

    Args:
        storage: the local storage's name.
        prefix: the path the storage's ``base_url`` ends in.
        max_body: the largest PUT body in bytes (413 once passed, counted as it streams,
            nothing stored); None for the gateway's.
        max_depth: the most ``/``-separated parts a key may have (404 above); None for
            any.
        timeout: seconds a request may take until the response starts (a PUT's whole
            upload, a GET's opening); None for the gateway's.

    Raises:
        RouteError: ``prefix`` or ``storage`` does not make a valid route path.
    """
    path = f"{prefix.rstrip('/')}/{storage}/{{key:path}}"
    return [
        route("GET", path, partial(_get, storage, max_depth), timeout=timeout),
        route(
            "PUT", path, partial(_put, storage, max_depth),
            max_body=max_body, timeout=timeout, stream=True,
        ),
    ]  # fmt: skip


async def _get(
    storage: str, max_depth: int | None, proc: Process, request: HttpRequest
) -> HttpResponse:
    try:
        backend, grant = _verify(storage, max_depth, proc, request)
        opened = await backend.open_download(grant.key, None, None)
    except StorageError as exc:
        return _refused(exc)
    info = opened.info
    headers = [("content-type", info.content_type), ("etag", info.etag)]
    if info.cache_control is not None:
        headers.append(("cache-control", info.cache_control))
    return HttpResponse.streamed(_sent(opened), headers=tuple(headers), length=opened.length)


async def _sent(opened: Opened) -> AsyncIterator[bytes]:
    """The download's chunks; the file is closed however the response ends."""
    try:
        async for chunk in opened.chunks:
            yield chunk
    finally:
        with trio.CancelScope(shield=True):
            await opened.close()


async def _put(
    storage: str, max_depth: int | None, proc: Process, request: HttpRequest
) -> HttpResponse:
    assert request.stream is not None  # a stream=True route
    try:
        backend, grant = _verify(storage, max_depth, proc, request)
        ctype = grant.content_type or request.header("content-type")
        # the bytes come from the request body, a chunk at a time: b"" only fills the
        # command's one-source rule, the backend reads ``source``
        cmd = UploadObject(storage, grant.key, b"", content_type=ctype)
        source = Source(None, None, _counted(request.stream, grant.content_length))
        info = await backend.upload(cmd, source)
    except StorageError as exc:
        return _refused(exc)
    return HttpResponse(200, b"", (("etag", info.etag),))


async def _counted(body: BodyStream, length: int | None) -> AsyncIterator[bytes]:
    """The request body's chunks; a body of another length than the URL binds fails
    (so the upload stores nothing)."""
    received = 0
    async for chunk in body:
        received += len(chunk)
        if length is not None and received > length:
            break
        yield chunk
    if length is not None and received != length:
        raise PresignedURLError(f"presigned URL refused: content length must be {length}")


def _verify(
    storage: str, max_depth: int | None, proc: Process, request: HttpRequest
) -> tuple[LocalBackend, Presigned]:
    backend = storage_of(proc.node, storage)
    if not isinstance(backend, LocalBackend):
        raise PresignedURLError(f"storage {storage!r} is not local; its server checks its URLs")
    if max_depth is not None and request.params["key"].count("/") >= max_depth:
        raise ObjectNotFoundError(f"no object {request.params['key']!r} (over {max_depth} parts)")
    origin = urlsplit(backend.base_url)
    url = f"{origin.scheme}://{origin.netloc}{quote(request.path, safe='/~')}"
    url += f"?{urlencode(dict(request.query))}"
    length = request.header("content-length")
    grant = backend.verify(
        url,
        request.method,
        request.header("content-type"),
        int(length) if length is not None and length.isdigit() else None,
    )
    return backend, grant


def _refused(exc: StorageError) -> HttpResponse:
    status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 500)
    return HttpResponse.json({"error": str(exc)}, status)
