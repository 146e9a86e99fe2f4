"""The node's open streams and scanners, who owns them, and how they end.

Each stream belongs to the process it was attached for. A guard runs as background work
of that process (``ctx.start_background``): when the process exits, by returning,
crashing or being terminated, the guard closes every stream it still holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import structlog
import trio

from .entry import OpenStream
from .errors import StreamClosedError, StreamError, StreamOwnerError
from .handles import Scanner, StreamHandle

if TYPE_CHECKING:
    from actorkit.lowlevel import HandlerContext

    from .backends.base import Backend

log = structlog.get_logger(__name__)
ENDED_KEPT = 1024  # how many closed streams keep the story of their end for late calls


@attrs.frozen
class StreamConfig:
    """The stream module's options (``stream.module(...)``)."""

    allow_dirs: tuple[Path, ...] = ()


@attrs.define(eq=False)
class ScanState:
    """A scanner: its handle, its stream, and why it stopped (if it did)."""

    scanner: Scanner
    entry: OpenStream
    stopped: str = ""


class StreamTable:
    """Open streams by ID (the node variable :data:`~.state.STREAMS`)."""

    def __init__(self, config: StreamConfig) -> None:
        self.config = config
        self.open: dict[int, OpenStream] = {}
        self.scanners: dict[int, ScanState] = {}
        self._ended: dict[int, str] = {}
        self._next_id = 0

    def new_id(self) -> int:
        """A fresh number for a stream or a scanner (never reused on this node)."""
        self._next_id += 1
        return self._next_id

    def attach(self, ctx: HandlerContext, backend: Backend, name: str) -> StreamHandle:
        """Register ``backend`` as a stream owned by the caller; closed when it exits."""
        handle = StreamHandle(
            self.new_id(),
            ctx.pid,
            backend.kind,
            name,
            backend.readable,
            backend.writable,
            backend.seekable,
        )
        entry = OpenStream(handle, backend)
        self.open[handle.id] = entry
        entry.guard = ctx.start_background(self._guard, entry)
        return handle

    def get(self, ctx: HandlerContext, handle: StreamHandle, what: str) -> OpenStream:
        """The open stream of ``handle``, if the caller owns it.

        Raises:
            StreamClosedError: it is closed (or was never opened on this node).
            StreamOwnerError: another process owns it.
        """
        entry = self.open.get(handle.id)
        if entry is None:
            how = self._ended.get(handle.id, "or was never open on this node")
            raise StreamClosedError(f"{handle.describe()} is closed ({how})", command=what)
        if entry.handle.owner != ctx.pid:
            owner = entry.handle.owner
            detail = f"{entry.handle.describe()} belongs to process {owner}, not {ctx.pid}"
            raise StreamOwnerError(detail, command=what)
        return entry

    def scan_state(self, ctx: HandlerContext, scanner: Scanner, what: str) -> ScanState:
        """The scanner's state, if the caller owns its stream (which is open)."""
        self.get(ctx, scanner.stream, what)
        state = self.scanners.get(scanner.id)
        if state is None:
            raise StreamError(f"scanner {scanner.id} is not open on this node", command=what)
        return state

    def add_scanner(self, scanner: Scanner, entry: OpenStream) -> None:
        """Register a scanner over an open stream."""
        self.scanners[scanner.id] = ScanState(scanner, entry)

    async def close(self, entry: OpenStream, why: str) -> bool:
        """Close the stream; False if it was closed already. A checkpoint.

        Raises:
            StreamIOError: the backend failed to close (the stream is gone all the same).
        """
        if entry.closed:
            await trio.lowlevel.checkpoint()
            return False
        self._forget(entry, why)
        await entry.close(why)
        return True

    def _forget(self, entry: OpenStream, why: str) -> None:
        sid = entry.handle.id
        self.open.pop(sid, None)
        for key in [k for k, s in self.scanners.items() if s.entry is entry]:
            del self.scanners[key]
        self._ended[sid] = why
        if len(self._ended) > ENDED_KEPT:
            del self._ended[next(iter(self._ended))]  # the oldest

    async def close_all(self, why: str) -> None:
        """Close every stream still open (the module stopping). A checkpoint."""
        for entry in list(self.open.values()):
            await self._close_quietly(entry, why)
        await trio.lowlevel.checkpoint()

    async def _guard(self, entry: OpenStream) -> None:
        try:
            await trio.sleep_forever()
        finally:
            if not entry.closed:
                with trio.CancelScope(shield=True):
                    await self._close_quietly(entry, "its process exited")

    async def _close_quietly(self, entry: OpenStream, why: str) -> None:
        try:
            await self.close(entry, why)
        except StreamError as exc:
            log.warning("stream_close_failed", stream=entry.handle.id, why=why, error=repr(exc))
