"""The stream module (IDs 50–59): one stream abstraction over files, pipes, exec stdio and
HTTP bodies, owned by a process and closed when it exits.

A process reads and writes streams it was handed by commands::

    handle = await proc.call(stream.Open("report.csv"))          # or exec / http handles
    scanner = await proc.call(stream.ScannerCreate(handle))
    while (line := await proc.call(stream.ScannerScan(scanner))) is not None:
        ...
    await proc.call(stream.Close(handle))

Modules hand streams out from their handlers with :func:`attach` and consume them with
:func:`read_some`, :func:`chunks` and :func:`write_all`. See ``docs/guides/stream.md``.
"""

from __future__ import annotations

from .api import Chunks, Source, as_backend, attach, chunks, close, read_some, write_all
from .backends.base import Backend
from .checks import DEFAULT_READ, MAX_READ
from .commands import Close, Flush, Open, Read, ScannerCreate, ScannerScan, Seek, Stat, Write
from .components import module
from .errors import (
    StreamArgumentError,
    StreamClosedError,
    StreamError,
    StreamIOError,
    StreamOwnerError,
    StreamPathError,
    StreamUnsupportedError,
    TokenTooLongError,
)
from .handles import Scanner, StreamHandle, StreamStat

__all__ = [
    "DEFAULT_READ",
    "MAX_READ",
    "Backend",
    "Chunks",
    "Close",
    "Flush",
    "Open",
    "Read",
    "Scanner",
    "ScannerCreate",
    "ScannerScan",
    "Seek",
    "Source",
    "Stat",
    "StreamArgumentError",
    "StreamClosedError",
    "StreamError",
    "StreamHandle",
    "StreamIOError",
    "StreamOwnerError",
    "StreamPathError",
    "StreamStat",
    "StreamUnsupportedError",
    "TokenTooLongError",
    "Write",
    "as_backend",
    "attach",
    "chunks",
    "close",
    "module",
    "read_some",
    "write_all",
]
