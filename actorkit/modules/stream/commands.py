"""Stream commands (IDs 50–59; 50–57 numbered as in Wippy) and their results.

Every command but Open takes a :class:`~.handles.StreamHandle` (or a scanner made from one)
that the calling process owns. Fields are checked when the command is built: a wrong one
raises :class:`~.errors.StreamArgumentError` naming the command, its ID and the field.
"""

from __future__ import annotations

import attrs

from actorkit.lowlevel import Command, command, declare_range

from .checks import (
    DATA,
    DEFAULT_READ,
    DELIMITER,
    HANDLE,
    MODE,
    OFFSET,
    PATH,
    SCANNER,
    SIZE,
    WHENCE,
)
from .handles import Scanner, StreamHandle, StreamStat

declare_range("stream", 50, 59)


@command(id=50, module="stream")
class Read(Command[bytes]):
    """Up to ``size`` bytes (at least one, as soon as some are there), or ``b""`` at the end.

    Waits until the source has data: a read of a pipe waits for the writer; nothing is
    read ahead, so a producer that outpaces its reader waits for it.
    """

    stream: StreamHandle = attrs.field(validator=HANDLE)
    size: int = attrs.field(default=DEFAULT_READ, validator=SIZE)


@command(id=51, module="stream")
class Close(Command[bool]):
    """Close the stream (a pipe's writer sends end-of-file); True if it was open.

    A read or write waiting on the stream fails with ``StreamClosedError``.
    """

    stream: StreamHandle = attrs.field(validator=HANDLE)


@command(id=52, module="stream")
class Write(Command[int]):
    """Write all of ``data``, waiting while the sink is full; returns ``len(data)``."""

    stream: StreamHandle = attrs.field(validator=HANDLE)
    data: bytes = attrs.field(validator=DATA)


@command(id=53, module="stream")
class Seek(Command[int]):
    """Move a file's position (``whence`` as ``os.SEEK_SET/CUR/END``); the new position."""

    stream: StreamHandle = attrs.field(validator=HANDLE)
    offset: int = attrs.field(validator=OFFSET)
    whence: int = attrs.field(default=0, validator=WHENCE)


@command(id=54, module="stream")
class Flush(Command[None]):
    """Push written data on (a file's buffer to the OS)."""

    stream: StreamHandle = attrs.field(validator=HANDLE)


@command(id=55, module="stream")
class Stat(Command[StreamStat]):
    """Counters, position and size of the stream (a :class:`~.handles.StreamStat`)."""

    stream: StreamHandle = attrs.field(validator=HANDLE)


@command(id=56, module="stream")
class ScannerCreate(Command[Scanner]):
    """A scanner splitting the stream into lines, or at ``delimiter``.

    Lines end at ``\\n``, and a ``\\r`` before it is dropped. ``max_token_size`` bounds a
    token (and the scanner's memory); a longer one fails the scan.
    """

    stream: StreamHandle = attrs.field(validator=HANDLE)
    delimiter: bytes | None = attrs.field(default=None, kw_only=True, validator=DELIMITER)
    max_token_size: int = attrs.field(default=DEFAULT_READ, kw_only=True, validator=SIZE)


@command(id=57, module="stream")
class ScannerScan(Command[bytes | None]):
    """The next token without its delimiter, or None at the end of the stream.

    The last token need not end with the delimiter.
    """

    scanner: Scanner = attrs.field(validator=SCANNER)


@command(id=58, module="stream")
class Open(Command[StreamHandle]):
    """Open a file under one of the node's allowed directories (binary).

    ``mode``: ``"r"`` read, ``"w"`` write (truncating), ``"a"`` append, ``"x"`` create a new
    file, ``"r+"`` read and write. The path, after symlinks, must lie inside a directory
    given to ``stream.module(allow_dirs=...)``; with none given, nothing may be opened.
    """

    path: str = attrs.field(validator=PATH)
    mode: str = attrs.field(default="r", validator=MODE)
