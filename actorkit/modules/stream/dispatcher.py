"""stream handlers: one per command, each finding the caller's stream in the node's table."""

from __future__ import annotations

from actorkit.checks import label
from actorkit.lowlevel import HandlerContext, HandlerTable, Receiver

from . import api
from .commands import (
    Close,
    Flush,
    Open,
    Read,
    ScannerCreate,
    ScannerScan,
    Seek,
    Stat,
    Write,
)
from .files import open_file
from .handles import Scanner, StreamHandle, StreamStat
from .scanner import scan
from .state import streams

_READ, _CLOSE, _WRITE, _SEEK = label(Read), label(Close), label(Write), label(Seek)
_FLUSH, _STAT, _OPEN = label(Flush), label(Stat), label(Open)
_CREATE, _SCAN = label(ScannerCreate), label(ScannerScan)


async def handle_read(ctx: HandlerContext, cmd: Read) -> bytes:
    """Up to ``size`` bytes, ``b""`` at the end."""
    return await streams(ctx.node, _READ).get(ctx, cmd.stream, _READ).read(cmd.size, _READ)


async def handle_close(ctx: HandlerContext, cmd: Close) -> bool:
    """Close the stream; False if it was closed already."""
    return await api.close(ctx, cmd.stream, command=_CLOSE)


async def handle_write(ctx: HandlerContext, cmd: Write) -> int:
    """Write all of ``data``."""
    await streams(ctx.node, _WRITE).get(ctx, cmd.stream, _WRITE).write(cmd.data, _WRITE)
    return len(cmd.data)


async def handle_seek(ctx: HandlerContext, cmd: Seek) -> int:
    """Move the position."""
    entry = streams(ctx.node, _SEEK).get(ctx, cmd.stream, _SEEK)
    return await entry.seek(cmd.offset, cmd.whence, _SEEK)


async def handle_flush(ctx: HandlerContext, cmd: Flush) -> None:
    """Push written data on."""
    await streams(ctx.node, _FLUSH).get(ctx, cmd.stream, _FLUSH).flush(_FLUSH)


async def handle_stat(ctx: HandlerContext, cmd: Stat) -> StreamStat:
    """Counters, position and size."""
    return await streams(ctx.node, _STAT).get(ctx, cmd.stream, _STAT).stat(_STAT)


def handle_scanner_create(ctx: HandlerContext, cmd: ScannerCreate, tag: int, rcv: Receiver) -> None:
    """A scanner over the caller's readable stream (completes at once)."""
    table = streams(ctx.node, _CREATE)
    entry = table.get(ctx, cmd.stream, _CREATE)
    entry.require("readable", _CREATE)
    scanner = Scanner(table.new_id(), entry.handle, cmd.delimiter, cmd.max_token_size)
    table.add_scanner(scanner, entry)
    rcv.complete_yield(tag, scanner, None)


async def handle_scanner_scan(ctx: HandlerContext, cmd: ScannerScan) -> bytes | None:
    """The next token, or None at the end."""
    return await scan(streams(ctx.node, _SCAN).scan_state(ctx, cmd.scanner, _SCAN), _SCAN)


async def handle_open(ctx: HandlerContext, cmd: Open) -> StreamHandle:
    """Open a file under an allowed directory."""
    table = streams(ctx.node, _OPEN)
    backend = await open_file(table.config, cmd.path, cmd.mode, _OPEN)
    return table.attach(ctx, backend, cmd.path)


TABLE: HandlerTable = {
    Read: handle_read,
    Close: handle_close,
    Write: handle_write,
    Seek: handle_seek,
    Flush: handle_flush,
    Stat: handle_stat,
    ScannerCreate: handle_scanner_create,
    ScannerScan: handle_scanner_scan,
    Open: handle_open,
}
