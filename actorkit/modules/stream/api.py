"""The stream API for other modules' handlers: hand a process a stream, consume one.

A module that produces bytes (an HTTP body, a child's stdout, a download) calls
:func:`attach` from its handler and returns the :class:`StreamHandle`; the calling process
then reads it with ``Read``/``ScannerScan``, and the stream is closed when that process
exits. A module that consumes bytes (an upload from a stream) reads a handle it was given
with :func:`read_some` or :func:`chunks`, or writes one with :func:`write_all`. Every
helper checks that the calling process owns the handle.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterable, Awaitable, Callable
from typing import IO, TYPE_CHECKING, cast

import trio

from .backends.base import Backend
from .backends.file import FileBackend
from .backends.iterator import IteratorBackend
from .backends.trio_stream import TrioStreamBackend
from .checks import DEFAULT_READ, MAX_READ
from .errors import StreamArgumentError, StreamOwnerError
from .handles import StreamHandle
from .state import streams

if TYPE_CHECKING:
    from actorkit.lowlevel import HandlerContext

Source = trio.abc.ReceiveStream | trio.abc.SendStream | AsyncIterable[bytes] | IO[bytes]
"""What :func:`attach` wraps."""


def attach(
    ctx: HandlerContext,
    source: Source | Backend,
    *,
    name: str = "",
    kind: str | None = None,
    size: int | None = None,
    on_close: Callable[[], Awaitable[object]] | None = None,
) -> StreamHandle:
    """Register ``source`` as a stream owned by the calling process; its handle.

    Not a checkpoint. The stream is closed by ``Close``, or when the process exits (even
    by crashing); ``on_close`` (for an async iterator) runs after the iterator is closed,
    to release what it reads from (``response.aclose``).

    Args:
        ctx: the handler's context: the caller becomes the owner.
        source: a Trio ``ReceiveStream`` / ``SendStream`` / ``Stream``, an async iterable
            of ``bytes`` chunks (read-only), a binary file object (``open(..., "rb")``,
            ``io.BytesIO``; its I/O runs in Trio's threads), or a :class:`Backend`.
        name: what it is, for people and error messages (``"GET https://…"``).
        kind: overrides the backend's kind (``"pipe"``, ``"file"``, …), e.g. ``"http"``.
        size: the length an async iterable will give, if known (``Stat`` reports it).
        on_close: awaited once when an async iterable's stream closes.

    Raises:
        StreamError: the stream module is not booted on the node.
        TypeError: ``source`` is none of the above (or ``size``/``on_close`` given for a
            source other than an async iterable).
    """
    table = streams(ctx.node)
    backend = as_backend(source, size=size, on_close=on_close)
    if kind is not None:
        backend.kind = kind
    return table.attach(ctx, backend, name)


def as_backend(
    source: Source | Backend,
    *,
    size: int | None = None,
    on_close: Callable[[], Awaitable[object]] | None = None,
) -> Backend:
    """The backend adapting ``source`` (see :func:`attach`)."""
    if isinstance(source, Backend):
        _no_extras(size, on_close)
        return source
    if isinstance(source, trio.abc.ReceiveStream | trio.abc.SendStream):
        _no_extras(size, on_close)  # checked before AsyncIterable: a ReceiveStream is one
        return TrioStreamBackend(source)
    if isinstance(source, io.IOBase) and not isinstance(source, io.TextIOBase):
        _no_extras(size, on_close)
        return FileBackend(cast("IO[bytes]", source))
    if isinstance(source, AsyncIterable):
        return IteratorBackend(source, kind="iterator", size=size, on_close=on_close)
    raise TypeError(
        f"attach: cannot make a stream of {type(source).__name__}; give a Trio stream, an "
        "async iterable of bytes, a binary file object or a stream Backend"
    )


async def read_some(
    ctx: HandlerContext, handle: StreamHandle, max_bytes: int = DEFAULT_READ, *, command: str = ""
) -> bytes:
    """Up to ``max_bytes`` bytes of the caller's stream, ``b""`` at the end. A checkpoint.

    ``command`` names the consuming command in errors (``"Upload (id=162)"``).

    Raises:
        StreamError: not the caller's stream, closed, not readable, or the source failed.
    """
    _check_size(max_bytes, command)
    entry = streams(ctx.node, command).get(ctx, handle, command)
    return await entry.read(max_bytes, command)


def _no_extras(size: int | None, on_close: object) -> None:
    if size is not None or on_close is not None:
        raise TypeError("attach: size and on_close apply to an async iterable source only")


def _check_size(max_bytes: int, command: str) -> None:
    if type(max_bytes) is not int or not 1 <= max_bytes <= MAX_READ:
        expected = f"an int from 1 to {MAX_READ}"
        raise StreamArgumentError(command or "read_some", "max_bytes", expected, max_bytes)


class Chunks:
    """The chunks of a stream, read on demand: ``async for chunk in chunks(ctx, h): ...``.

    Holds nothing but the handle: stopping early leaves the rest of the stream unread.
    """

    def __init__(self, ctx: HandlerContext, handle: StreamHandle, size: int, command: str) -> None:
        self._ctx = ctx
        self._handle = handle
        self._size = size
        self._command = command

    def __aiter__(self) -> Chunks:
        return self

    async def __anext__(self) -> bytes:
        data = await read_some(self._ctx, self._handle, self._size, command=self._command)
        if not data:
            raise StopAsyncIteration
        return data


def chunks(
    ctx: HandlerContext, handle: StreamHandle, chunk_size: int = DEFAULT_READ, *, command: str = ""
) -> Chunks:
    """Iterate over the caller's stream in chunks of at most ``chunk_size`` bytes.

    Each step is a checkpoint and may raise what :func:`read_some` raises.
    """
    _check_size(chunk_size, command)
    return Chunks(ctx, handle, chunk_size, command)


async def write_all(
    ctx: HandlerContext, handle: StreamHandle, data: bytes, *, command: str = ""
) -> None:
    """Write all of ``data`` to the caller's stream, waiting while it is full. A checkpoint.

    Raises:
        StreamError: not the caller's stream, closed, not writable, or the sink failed.
    """
    entry = streams(ctx.node, command).get(ctx, handle, command)
    await entry.write(data, command)


async def close(ctx: HandlerContext, handle: StreamHandle, *, command: str = "") -> bool:
    """Close the caller's stream; False if it was closed already. A checkpoint.

    Raises:
        StreamOwnerError: another process owns it.
        StreamIOError: the source failed to close (it is closed all the same).
    """
    table = streams(ctx.node, command)
    entry = table.open.get(handle.id)
    owner = handle.owner if entry is None else entry.handle.owner
    if owner != ctx.pid:
        detail = f"{handle.describe()} belongs to process {owner}, not {ctx.pid}"
        raise StreamOwnerError(detail, command=command)
    if entry is None:
        await trio.lowlevel.checkpoint()
        return False
    return await table.close(entry, f"closed by {command or 'its owner'}")
