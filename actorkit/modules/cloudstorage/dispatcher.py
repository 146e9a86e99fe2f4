"""Cloud storage handlers: find the command's storage, run the backend, name the command.

Commands check their fields when they are built, so handlers do not. Each handler is an
``async def``: its work runs under the caller's cancel scope, so a timeout, a cancel or the
caller's exit cancels it (an upload then leaves no object; a download to a file removes
the partial file). Every StorageError leaving a handler names the command and its ID; any
other backend failure becomes a StorageBackendError with it as the ``__cause__``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import trio

from actorkit.checks import label
from actorkit.lowlevel import HandlerContext, HandlerTable
from actorkit.modules import stream

from .backends.base import CHUNK, Opened, Source
from .commands import (
    DeleteObjects,
    DeleteResult,
    Downloaded,
    DownloadObject,
    HeadObject,
    ListObjects,
    ObjectInfo,
    ObjectList,
    PresignedGetURL,
    PresignedPutURL,
    UploadObject,
)
from .errors import StorageBackendError, StorageError
from .state import storage_of

C = TypeVar("C")
R = TypeVar("R")
AsyncHandler = Callable[[HandlerContext, C], Awaitable[R]]


async def handle_list(ctx: HandlerContext, cmd: ListObjects) -> ObjectList:
    """A page of objects."""
    backend = storage_of(ctx.node, cmd.storage)
    return await backend.list(cmd.prefix, cmd.max_keys, cmd.continuation_token, cmd.delimiter)


async def handle_download(ctx: HandlerContext, cmd: DownloadObject) -> Downloaded:
    """The object's bytes: in memory, written to ``to_file``, or as a stream."""
    backend = storage_of(ctx.node, cmd.storage)
    opened = await backend.open_download(cmd.key, cmd.byte_range, cmd.if_match)
    if cmd.to_stream:
        return await _as_stream(ctx, cmd, opened)
    try:
        if cmd.to_file is None:
            data = b"".join([chunk async for chunk in opened.chunks])
            return Downloaded(opened.info, data, len(data))
        return Downloaded(opened.info, None, await _to_file(opened, cmd.to_file))
    finally:
        with trio.CancelScope(shield=True):
            await opened.close()


async def _as_stream(ctx: HandlerContext, cmd: DownloadObject, opened: Opened) -> Downloaded:
    """Hand the caller the bytes as a stream it owns; closing it releases the download."""
    name = f"{cmd.storage}:{cmd.key}"
    try:
        handle = stream.attach(
            ctx,
            opened.chunks,
            name=name,
            kind="cloudstorage",
            size=opened.length,
            on_close=opened.close,
        )
    except BaseException:
        with trio.CancelScope(shield=True):
            await opened.close()
        raise
    await trio.lowlevel.checkpoint()
    return Downloaded(opened.info, None, opened.length, handle)


async def _to_file(opened: Opened, path: str) -> int:
    written = 0
    try:
        async with await trio.open_file(path, "wb") as f:
            async for chunk in opened.chunks:
                await f.write(chunk)
                written += len(chunk)
    except BaseException:
        with trio.CancelScope(shield=True):
            await trio.to_thread.run_sync(_remove, path)
        raise
    return written


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


async def handle_upload(ctx: HandlerContext, cmd: UploadObject) -> ObjectInfo:
    """Write the object if its conditions hold."""
    backend = storage_of(ctx.node, cmd.storage)
    pulled = None
    if cmd.from_stream is not None:
        pulled = stream.chunks(ctx, cmd.from_stream, CHUNK, command=label(type(cmd)))
    return await backend.upload(cmd, Source(cmd.data, cmd.from_file, pulled))


async def handle_delete(ctx: HandlerContext, cmd: DeleteObjects) -> tuple[DeleteResult, ...]:
    """Delete the keys; one result each."""
    return await storage_of(ctx.node, cmd.storage).delete(cmd.keys)


async def handle_head(ctx: HandlerContext, cmd: HeadObject) -> ObjectInfo:
    """The object's info."""
    return await storage_of(ctx.node, cmd.storage).head(cmd.key)


async def handle_presigned_get(ctx: HandlerContext, cmd: PresignedGetURL) -> str:
    """A URL to GET the object with."""
    await trio.lowlevel.checkpoint()
    return storage_of(ctx.node, cmd.storage).presign("GET", cmd.key, cmd.expires, None, None)


async def handle_presigned_put(ctx: HandlerContext, cmd: PresignedPutURL) -> str:
    """A URL to PUT the object with."""
    await trio.lowlevel.checkpoint()
    backend = storage_of(ctx.node, cmd.storage)
    return backend.presign("PUT", cmd.key, cmd.expires, cmd.content_type, cmd.content_length)


def _named(handler: AsyncHandler[C, R]) -> AsyncHandler[C, R]:
    """``handler``, its errors naming the command (a StorageError) or wrapped in one."""

    async def handle(ctx: HandlerContext, cmd: C) -> R:
        try:
            return await handler(ctx, cmd)
        except StorageError as exc:
            exc.command = exc.command or label(type(cmd))
            raise
        except stream.StreamError:
            raise  # the caller's stream failed (not its owner, closed, …): its own error
        except Exception as exc:
            raise StorageBackendError(_failed(cmd, exc), command=label(type(cmd))) from exc

    return handle


def _failed(cmd: Any, exc: BaseException) -> str:
    kind = f"{type(exc).__module__}.{type(exc).__qualname__}"
    return f"storage {cmd.storage!r} failed: {kind}: {exc}"


TABLE: HandlerTable = {
    ListObjects: _named(handle_list),
    DownloadObject: _named(handle_download),
    UploadObject: _named(handle_upload),
    DeleteObjects: _named(handle_delete),
    PresignedGetURL: _named(handle_presigned_get),
    PresignedPutURL: _named(handle_presigned_put),
    HeadObject: _named(handle_head),
}
