"""The local directory backend: each object a file under a root, its metadata beside it.

Key ``a/b.txt`` is the file ``<root>/a/b.txt``; its metadata (ETag, content type, cache
control, user metadata) is the JSON file ``<root>/a/.actorkit-meta.b.txt.json``. Uploads go
to a temp file in the same folder and are renamed into place, so a reader sees the old
object or the new one, never part of one; a cancelled upload removes its temp file.
Writes are durable once an upload returns: the temp files (object and metadata) are
fsynced before the renames, and the folder after them (and a folder's parent when the
upload made the folder), so a power cut cannot leave an empty or partial object. Keys
that would leave the root (``..``, an absolute path), cross a symlink, or use the
``.actorkit-`` names are refused with InvalidKeyError. Blocking file calls run in Trio's
worker threads, one chunk at a time, so a cancel takes effect between chunks.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
import stat
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import IO, Any

import trio

from .. import presign as signing
from ..commands import DeleteResult, ObjectInfo, ObjectList, ObjectSummary, UploadObject
from ..errors import (
    AccessDeniedError,
    InvalidKeyError,
    ObjectNotFoundError,
    PreconditionFailedError,
    StorageBackendError,
    StorageError,
)
from ..presign import Presigned
from .base import CHUNK, Opened, Source, check_range, normal_etag

RESERVED = ".actorkit-"
META = ".actorkit-meta."
TEMP = ".actorkit-tmp."
DEFAULT_TYPE = "application/octet-stream"

_run = trio.to_thread.run_sync
Parts = list[str]


class LocalBackend:
    """Objects as files under ``root``."""

    def __init__(
        self,
        name: str,
        root: str,
        *,
        secret: bytes,
        base_url: str,
        read_only: bool,
        clock: Callable[[], float],
    ) -> None:
        self.name = name
        self.root = Path(root)
        self.base_url = base_url.rstrip("/")
        self.read_only = read_only
        self.clock = clock
        self._secret = secret
        self._lock = trio.Lock()

    async def open(self) -> None:
        """Make the root folder if it is missing. A checkpoint."""
        await _run(lambda: self.root.mkdir(parents=True, exist_ok=True))
        self.root = await _run(self.root.resolve)

    async def close(self) -> None:
        """Nothing to release. A checkpoint."""
        await trio.lowlevel.checkpoint()

    async def list(
        self, prefix: str, max_keys: int, token: str | None, delimiter: str | None = None
    ) -> ObjectList:
        """A page of keys under ``prefix``, in UTF-8 byte order, after the token's entry;
        with ``delimiter``, keys holding it after the prefix rolled up into prefixes."""
        after = _untoken(token)
        return await _run(self._list, prefix, max_keys, after, delimiter)

    async def head(self, key: str) -> ObjectInfo:
        """The object's info."""
        parts = _parts(key)
        async with self._lock:
            return await _run(self._head, key, parts)

    async def open_download(
        self, key: str, byte_range: tuple[int, int | None] | None, if_match: str | None
    ) -> Opened:
        """Open the object's file; its chunks are read on demand."""
        parts = _parts(key)
        async with self._lock:
            f, info = await _run(self._open, key, parts)
        try:
            if if_match is not None and not _matches(info.etag, if_match):
                raise PreconditionFailedError(f"{key!r} has ETag {info.etag}, not {if_match}")
            span = check_range(byte_range, info.size)
            await _run(f.seek, span.start)
        except BaseException:
            f.close()
            raise

        async def close() -> None:
            f.close()
            await trio.lowlevel.checkpoint()

        return Opened(info, len(span), _read(f, len(span)), close)

    async def upload(self, cmd: UploadObject, source: Source) -> ObjectInfo:
        """Write to a temp file, then rename it into place if the conditions hold."""
        self._writable(cmd.key)
        parts = _parts(cmd.key)
        async with self._lock:  # so a delete emptying the folder cannot remove it now
            target, temp, f = await _run(self._start, parts)
        try:
            digest, size = await _copy(source, f)
            meta = _meta(cmd, f'"{digest}"')
            async with self._lock:
                return await _run(self._commit, cmd, target, temp, meta, size)
        finally:
            f.close()
            temp.unlink(missing_ok=True)
            temp.with_name(temp.name + ".json").unlink(missing_ok=True)

    async def delete(self, keys: tuple[str, ...]) -> tuple[DeleteResult, ...]:
        """Remove each object and its metadata; folders left empty go too. A key that
        cannot be deleted gets an error like S3's: ``AccessDenied: …``, ``InvalidKey: …``."""
        async with self._lock:
            return tuple([await _run(self._delete_one, key) for key in keys])

    def presign(
        self,
        method: str,
        key: str,
        expires: int,
        content_type: str | None,
        content_length: int | None,
    ) -> str:
        """A URL signed with this storage's secret (HMAC-SHA256, see ``presign``)."""
        _parts(key)
        grant = Presigned(self.name, method, key, content_type, content_length)
        return signing.sign(self._secret, self.base_url, grant, int(self.clock()) + expires)

    def verify(
        self, url: str, method: str, content_type: str | None, content_length: int | None
    ) -> Presigned:
        """Check a presigned URL of this storage against the request bringing it."""
        grant = signing.verify(
            self._secret,
            self.name,
            self.base_url,
            url,
            method=method,
            now=self.clock(),
            content_type=content_type,
            content_length=content_length,
        )
        _parts(grant.key)
        if grant.method != "GET":
            self._writable(grant.key)
        return grant

    # -- in worker threads ------------------------------------------------------------

    def _writable(self, key: str) -> None:
        if self.read_only:
            raise AccessDeniedError(f"storage {self.name!r} is read-only; {key!r} not written")

    def _find(self, key: str, parts: Parts) -> Path:
        path = self.root
        for part in parts:
            path = path / part
            try:
                mode = path.lstat().st_mode
            except FileNotFoundError:
                raise ObjectNotFoundError(f"no object {key!r}") from None
            if stat.S_ISLNK(mode):
                raise InvalidKeyError(f"key {key!r} crosses a symlink")
        if not stat.S_ISREG(path.lstat().st_mode):
            raise ObjectNotFoundError(f"no object {key!r}")
        return path

    def _prepare(self, parts: Parts) -> Path:
        path = self.root
        for part in parts[:-1]:
            path = path / part
            try:
                path.mkdir()
                fsync_dir(path.parent)  # the new folder's entry is durable
            except FileExistsError:
                mode = path.lstat().st_mode
                if stat.S_ISLNK(mode) or not stat.S_ISDIR(mode):
                    raise InvalidKeyError(
                        f"{part!r} in {'/'.join(parts)!r} is not a folder"
                    ) from None
        return path / parts[-1]

    def _start(self, parts: Parts) -> tuple[Path, Path, IO[bytes]]:
        target = self._prepare(parts)
        temp = target.parent / f"{TEMP}{secrets.token_hex(8)}"
        return target, temp, temp.open("xb")

    def _head(self, key: str, parts: Parts) -> ObjectInfo:
        path = self._find(key, parts)
        return _info(key, path, path.stat())

    def _open(self, key: str, parts: Parts) -> tuple[IO[bytes], ObjectInfo]:
        path = self._find(key, parts)
        f = path.open("rb")
        return f, _info(key, path, os.fstat(f.fileno()))

    def _commit(
        self, cmd: UploadObject, target: Path, temp: Path, meta: dict[str, Any], size: int
    ) -> ObjectInfo:
        if target.is_symlink() or target.is_dir():
            raise InvalidKeyError(f"{cmd.key!r} is a folder or a symlink, not an object")
        current = _read_meta(target)["etag"] if target.exists() else None
        _check_conditions(cmd, current)
        meta_temp = temp.with_name(temp.name + ".json")
        with meta_temp.open("x") as f:
            f.write(json.dumps(meta))
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, target)  # the object's bytes were fsynced by _copy
        os.replace(meta_temp, _meta_path(target))
        fsync_dir(target.parent)  # the renames are durable
        return _info(cmd.key, target, target.stat())

    def _delete_one(self, key: str) -> DeleteResult:
        try:
            self._writable(key)
            path = self._find(key, _parts(key))
        except ObjectNotFoundError:
            return DeleteResult(key)
        except StorageError as exc:
            code = "AccessDenied" if isinstance(exc, AccessDeniedError) else "InvalidKey"
            return DeleteResult(key, f"{code}: {exc.detail}")
        path.unlink()
        _meta_path(path).unlink(missing_ok=True)
        self._prune(path.parent)
        return DeleteResult(key)

    def _prune(self, folder: Path) -> None:
        while folder != self.root:
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent

    def _list(
        self, prefix: str, max_keys: int, after: str | None, delimiter: str | None
    ) -> ObjectList:
        folder = prefix.rpartition("/")[0]
        start = self.root.joinpath(*folder.split("/")) if folder else self.root
        if folder and not _safe_folder(folder):
            return ObjectList((), None)
        keys = sorted(
            (k for k in _walk(start, folder) if k.startswith(prefix)), key=lambda k: k.encode()
        )
        entries = _rolled_up(keys, prefix, delimiter)
        if after is not None:  # the last entry handed out: a key or a common prefix
            entries = [e for e in entries if e[0].encode() > after.encode()]
        page = entries[:max_keys]
        objects = tuple(self._summary(name) for name, rolled in page if not rolled)
        prefixes = tuple(name for name, rolled in page if rolled)
        more = len(entries) > max_keys
        return ObjectList(objects, _token(page[-1][0]) if more else None, prefixes)

    def _summary(self, key: str) -> ObjectSummary:
        path = self.root.joinpath(*key.split("/"))
        info = _info(key, path, path.stat())
        return ObjectSummary(key, info.size, info.etag, info.last_modified)


def _parts(key: str) -> Parts:
    """The path segments of ``key``; InvalidKeyError for one the directory cannot hold."""
    parts = key.split("/")
    if key.startswith("/") or "\\" in key:
        raise InvalidKeyError(f"key {key!r} is an absolute path or has a backslash")
    for part in parts:
        if part in ("", ".", ".."):
            raise InvalidKeyError(f"key {key!r} has an empty, '.' or '..' segment")
        if part.startswith(RESERVED):
            raise InvalidKeyError(f"key {key!r} uses the reserved name {RESERVED}*")
    return parts


def _safe_folder(folder: str) -> bool:
    try:
        _parts(folder)
    except InvalidKeyError:
        return False
    return True


def _rolled_up(keys: list[str], prefix: str, delimiter: str | None) -> list[tuple[str, bool]]:
    """``(name, is_prefix)`` in order: each key, or, when it holds ``delimiter`` after
    ``prefix``, its common prefix once (sorted keys keep a prefix's keys together, and the
    prefix sorts where its first key was)."""
    if delimiter is None:
        return [(key, False) for key in keys]
    entries: list[tuple[str, bool]] = []
    for key in keys:
        cut = key.find(delimiter, len(prefix))
        if cut < 0:
            entries.append((key, False))
            continue
        common = key[: cut + len(delimiter)]
        if not entries or entries[-1] != (common, True):
            entries.append((common, True))
    return entries


def _walk(folder: Path, key: str) -> Iterator[str]:
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.name.startswith(RESERVED) or entry.is_symlink():
            continue
        child = f"{key}/{entry.name}" if key else entry.name
        if entry.is_dir():
            yield from _walk(Path(entry.path), child)
        elif entry.is_file():
            yield child


async def _read(f: IO[bytes], length: int) -> AsyncIterator[bytes]:
    left = length
    while left > 0 and (chunk := await _run(f.read, min(CHUNK, left))):
        left -= len(chunk)
        yield chunk


def _token(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode()


def _untoken(token: str | None) -> str | None:
    if token is None:
        return None
    try:
        return base64.b64decode(token.encode(), altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise StorageBackendError(f"continuation token {token!r} is not one of ours") from None


def _matches(etag: str, wanted: str) -> bool:
    return wanted == "*" or normal_etag(etag) == normal_etag(wanted)


def _check_conditions(cmd: UploadObject, current: str | None) -> None:
    if cmd.absent and current is not None:
        raise PreconditionFailedError(f"{cmd.key!r} exists (ETag {current})")
    if cmd.if_match is not None and (current is None or not _matches(current, cmd.if_match)):
        found = "no object" if current is None else f"ETag {current}"
        raise PreconditionFailedError(f"{cmd.key!r} has {found}, not {cmd.if_match}")


async def _copy(source: Source, f: IO[bytes]) -> tuple[str, int]:
    """Write the source to ``f``, MD5-summed; small chunks (a request body comes in 64 KiB
    pieces) are gathered up to :data:`CHUNK` so each worker-thread call writes a lot."""
    digest = hashlib.md5(usedforsecurity=False)
    size = 0
    pending = bytearray()
    async for chunk in source.chunks():
        size += len(chunk)
        if not pending and len(chunk) >= CHUNK:
            await _run(_write, f, digest, chunk)  # big enough already: no copy
            continue
        pending += chunk
        if len(pending) >= CHUNK:
            await _run(_write, f, digest, pending)
            pending = bytearray()
    if pending:
        await _run(_write, f, digest, pending)
    await _run(_flush_and_sync, f)
    return digest.hexdigest(), size


def _write(f: IO[bytes], digest: Any, data: bytes | bytearray) -> None:
    digest.update(data)
    f.write(data)


def _flush_and_sync(f: IO[bytes]) -> None:
    f.flush()
    os.fsync(f.fileno())


def fsync_dir(folder: Path) -> None:
    """Make the entries of ``folder`` (renames, new files and folders) durable."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _meta(cmd: UploadObject, etag: str) -> dict[str, Any]:
    return {
        "etag": etag,
        "content_type": cmd.content_type or DEFAULT_TYPE,
        "cache_control": cmd.cache_control,
        "metadata": cmd.metadata,
    }


def _meta_path(path: Path) -> Path:
    return path.with_name(f"{META}{path.name}.json")


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        meta: dict[str, Any] = json.loads(_meta_path(path).read_text())
    except FileNotFoundError:
        meta = {"etag": f'"{_md5_of(path)}"'}
    return meta


def _md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _info(key: str, path: Path, st: os.stat_result) -> ObjectInfo:
    meta = _read_meta(path)
    return ObjectInfo(
        key,
        st.st_size,
        meta["etag"],
        float(int(st.st_mtime)),
        meta.get("content_type") or DEFAULT_TYPE,
        meta.get("cache_control"),
        dict(meta.get("metadata") or {}),
    )
