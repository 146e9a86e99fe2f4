"""The S3-compatible backend: SigV4 signed requests over one ``httpx.AsyncClient``.

Trio-native (httpx runs under Trio), so every request is cancellable with no thread. A
custom ``endpoint`` means path-style addressing (``<endpoint>/<bucket>/<key>``, as MinIO
and SeaweedFS want); without one, AWS's virtual-hosted style. Uploads of more than
:data:`PART` bytes, or from a pipe of unknown size, go up in parts (multipart upload) with
at most one part in memory; a failed or cancelled one is aborted, so nothing is visible.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import email.utils
import hashlib
import time
from collections.abc import AsyncIterator
from xml.etree import ElementTree as ET

import httpx
import trio

from ..commands import DeleteResult, ObjectInfo, ObjectList, ObjectSummary, UploadObject
from ..errors import (
    AccessDeniedError,
    InvalidRangeError,
    ObjectNotFoundError,
    PreconditionFailedError,
    StorageBackendError,
    StorageError,
)
from . import sigv4
from .base import CHUNK, Opened, Source

PART = 8 << 20
"""Bytes in one part of a multipart upload (8 MiB; S3 wants at least 5 MiB)."""

DEFAULT_TYPE = "application/octet-stream"
_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
_ERRORS: dict[int, type[StorageError]] = {
    403: AccessDeniedError,
    404: ObjectNotFoundError,
    412: PreconditionFailedError,
    416: InvalidRangeError,
}


class S3Backend:
    """One bucket of an S3-compatible server."""

    def __init__(
        self,
        name: str,
        bucket: str,
        creds: sigv4.Credentials,
        *,
        endpoint: str | None,
        timeout: float,
    ) -> None:
        self.name = name
        self.bucket = bucket
        self.creds = creds
        self.timeout = timeout
        if endpoint is None:
            self.base, self.prefix = f"https://{bucket}.s3.{creds.region}.amazonaws.com", ""
        else:
            self.base, self.prefix = endpoint.rstrip("/"), f"/{bucket}"
        self.host = httpx.URL(self.base).netloc.decode()
        self._client: httpx.AsyncClient | None = None

    async def open(self) -> None:
        """Open the HTTP client. A checkpoint."""
        self._client = httpx.AsyncClient(timeout=self.timeout)
        await trio.lowlevel.checkpoint()

    async def close(self) -> None:
        """Close the client and its connections. A checkpoint."""
        if self._client is not None:
            await self._client.aclose()

    def _path(self, key: str | None) -> str:
        return self.prefix + ("/" + sigv4.encode(key, slash=True) if key is not None else "/")

    async def _request(
        self,
        method: str,
        key: str | None,
        *,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        body: bytes | bytearray = b"",
        stream: bool = False,
    ) -> httpx.Response:
        assert self._client is not None, "storage used before open()"
        path, query = self._path(key), query or {}
        signed = sigv4.sign(
            self.creds,
            method,
            path,
            query,
            {"host": self.host, **(headers or {})},
            payload=hashlib.sha256(body).hexdigest(),
            now=time.time(),
        )
        qs = sigv4.query_string(query)
        url = f"{self.base}{path}" + (f"?{qs}" if qs else "")
        if len(body) > CHUNK:  # sent in slices: no whole copy of a part on the way out
            signed["content-length"] = str(len(body))
            content: bytes | AsyncIterator[bytes] = _slices(body)
        else:
            content = bytes(body)
        request = self._client.build_request(method, url, headers=signed, content=content)
        try:
            response = await self._client.send(request, stream=stream)
        except httpx.HTTPError as exc:
            raise StorageBackendError(f"S3 {method} {key!r}: {type(exc).__name__}: {exc}") from exc
        if response.status_code >= 300:
            await response.aread()
            raise _error(response, method, key)
        return response

    async def list(
        self, prefix: str, max_keys: int, token: str | None, delimiter: str | None = None
    ) -> ObjectList:
        """ListObjectsV2: a page under ``prefix`` (common prefixes with a delimiter)."""
        query = {"list-type": "2", "prefix": prefix, "max-keys": str(max_keys)}
        if token is not None:
            query["continuation-token"] = token
        if delimiter is not None:
            query["delimiter"] = delimiter
        root = ET.fromstring((await self._request("GET", None, query=query)).content)
        objects = tuple(_summary(item) for item in root.iter(f"{_NS}Contents"))
        prefixes = tuple(
            item.findtext(f"{_NS}Prefix") or "" for item in root.iter(f"{_NS}CommonPrefixes")
        )
        truncated = root.findtext(f"{_NS}IsTruncated") == "true"
        next_token = root.findtext(f"{_NS}NextContinuationToken") if truncated else None
        return ObjectList(objects, next_token or None, prefixes)

    async def head(self, key: str) -> ObjectInfo:
        """HEAD the object."""
        return _info(key, await self._request("HEAD", key))

    async def open_download(
        self, key: str, byte_range: tuple[int, int | None] | None, if_match: str | None
    ) -> Opened:
        """GET the object (a Range if asked); the body is read on demand."""
        headers: dict[str, str] = {}
        if byte_range is not None:
            start, end = byte_range
            headers["range"] = f"bytes={start}-{'' if end is None else end}"
        if if_match is not None:
            headers["if-match"] = if_match
        response = await self._request("GET", key, headers=headers, stream=True)
        try:
            info = _info(key, response)
            length = int(response.headers.get("content-length", "0"))
        except BaseException:
            await response.aclose()
            raise
        return Opened(info, length, _body(response), response.aclose)

    async def upload(self, cmd: UploadObject, source: Source) -> ObjectInfo:
        """PUT the object, or upload it in parts when large or of unknown size."""
        size = await source.size()
        headers = _put_headers(cmd)
        if size is not None and size <= PART:
            body = b"".join([chunk async for chunk in source.chunks()])
            await self._request("PUT", cmd.key, headers=headers, body=body)
        else:
            await self._multipart(cmd, source, headers)
        return await self.head(cmd.key)

    async def _multipart(self, cmd: UploadObject, source: Source, headers: dict[str, str]) -> None:
        conditions: dict[str, str] = {
            k: headers.pop(k) for k in ("if-match", "if-none-match") if k in headers
        }
        started = await self._request("POST", cmd.key, query={"uploads": ""}, headers=headers)
        upload_id = ET.fromstring(started.content).findtext(f"{_NS}UploadId") or ""
        try:
            etags: list[str] = []
            async for number, part in _parts(source):
                etags.append(await self._part(cmd.key, upload_id, number, part))
                del part  # one part in memory at a time
            body = _complete_xml(etags)
            query = {"uploadId": upload_id}
            await self._request("POST", cmd.key, query=query, headers=conditions, body=body)
        except BaseException:
            with trio.CancelScope(shield=True), trio.move_on_after(self.timeout):
                await self._abort(cmd.key, upload_id)
            raise

    async def _part(self, key: str, upload_id: str, number: int, data: bytearray) -> str:
        query = {"partNumber": str(number), "uploadId": upload_id}
        response = await self._request("PUT", key, query=query, body=data)
        return str(response.headers.get("etag", ""))

    async def _abort(self, key: str, upload_id: str) -> None:
        # on failure the server drops the unfinished upload by its own lifecycle rules
        with contextlib.suppress(StorageError):
            await self._request("DELETE", key, query={"uploadId": upload_id})

    async def delete(self, keys: tuple[str, ...]) -> tuple[DeleteResult, ...]:
        """DeleteObjects (POST ?delete): one result per key, in order."""
        items = "".join(f"<Object><Key>{_xml(k)}</Key></Object>" for k in keys)
        body = f"<Delete><Quiet>false</Quiet>{items}</Delete>".encode()
        md5 = base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode()
        headers = {"content-md5": md5, "content-type": "application/xml"}
        response = await self._request(
            "POST", None, query={"delete": ""}, headers=headers, body=body
        )
        root = ET.fromstring(response.content)
        errors = {
            err.findtext(f"{_NS}Key") or "": f"{err.findtext(f'{_NS}Code')}: "
            f"{err.findtext(f'{_NS}Message')}"
            for err in root.iter(f"{_NS}Error")
        }
        return tuple(DeleteResult(k, errors.get(k)) for k in keys)

    def presign(
        self,
        method: str,
        key: str,
        expires: int,
        content_type: str | None,
        content_length: int | None,
        *,
        now: float | None = None,
    ) -> str:
        """A SigV4 query-signed URL; content type and length are signed headers if given."""
        headers = {"host": self.host}
        if content_type is not None:
            headers["content-type"] = content_type
        if content_length is not None:
            headers["content-length"] = str(content_length)
        path = self._path(key)
        when = time.time() if now is None else now
        return f"{self.base}{path}?" + sigv4.presign(
            self.creds, method, path, headers, expires, when
        )


async def _body(response: httpx.Response) -> AsyncIterator[bytes]:
    try:
        async for chunk in response.aiter_bytes(CHUNK):
            yield chunk
    except httpx.HTTPError as exc:
        raise StorageBackendError(f"S3 GET: {type(exc).__name__}: {exc}") from exc


async def _slices(body: bytes | bytearray) -> AsyncIterator[bytes]:
    for start in range(0, len(body), CHUNK):
        yield bytes(body[start : start + CHUNK])


async def _parts(source: Source) -> AsyncIterator[tuple[int, bytearray]]:
    """The source in parts of :data:`PART` bytes (the last one shorter)."""
    buffer, number = bytearray(), 0
    async for chunk in source.chunks():
        buffer += chunk
        if len(buffer) >= PART:
            number += 1
            yield number, buffer
            buffer = bytearray()
    if buffer or number == 0:
        yield number + 1, buffer


def _complete_xml(etags: list[str]) -> bytes:
    parts = "".join(
        f"<Part><PartNumber>{n}</PartNumber><ETag>{_xml(e)}</ETag></Part>"
        for n, e in enumerate(etags, 1)
    )
    return f"<CompleteMultipartUpload>{parts}</CompleteMultipartUpload>".encode()


def _put_headers(cmd: UploadObject) -> dict[str, str]:
    headers = {"content-type": cmd.content_type or DEFAULT_TYPE}
    if cmd.cache_control is not None:
        headers["cache-control"] = cmd.cache_control
    for name, value in cmd.metadata.items():
        headers[f"x-amz-meta-{name}"] = value
    if cmd.if_match is not None:
        headers["if-match"] = cmd.if_match
    if cmd.absent:
        headers["if-none-match"] = "*"
    return headers


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _error(response: httpx.Response, method: str, key: str | None) -> StorageError:
    code, message = "", response.reason_phrase
    if response.content.startswith(b"<"):
        try:
            root = ET.fromstring(response.content)
            code, message = root.findtext("Code") or "", root.findtext("Message") or message
        except ET.ParseError:
            pass
    status = response.status_code
    kind = _ERRORS.get(status, StorageBackendError)
    if code == "NoSuchBucket":
        kind = StorageBackendError
    what = f"{key!r}" if key is not None else "the bucket"
    return kind(f"S3 {method} {what}: {status} {code or message}: {message}".rstrip(": "))


def _info(key: str, response: httpx.Response) -> ObjectInfo:
    h = response.headers
    size = int(h.get("content-length", "0"))
    if response.status_code == 206:
        size = int(h.get("content-range", "/0").rpartition("/")[2])
    meta = {k[11:]: v for k, v in h.items() if k.startswith("x-amz-meta-")}
    modified = email.utils.parsedate_to_datetime(h["last-modified"]).timestamp()
    return ObjectInfo(
        key,
        size,
        h.get("etag", ""),
        float(int(modified)),
        h.get("content-type", DEFAULT_TYPE),
        h.get("cache-control"),
        meta,
    )


def _summary(item: ET.Element) -> ObjectSummary:
    def text(name: str) -> str:
        return item.findtext(f"{_NS}{name}") or ""

    modified = dt.datetime.fromisoformat(text("LastModified").replace("Z", "+00:00"))
    return ObjectSummary(
        text("Key"), int(text("Size")), text("ETag"), float(int(modified.timestamp()))
    )
