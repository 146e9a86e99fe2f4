"""What a process holds: a :class:`StreamHandle` (and a :class:`Scanner` over one), plain data.

Handles can be stored, compared and sent in a message, but a stream works only in the
process that owns it (the one it was opened for); any other process gets
:class:`~.errors.StreamOwnerError`.
"""

from __future__ import annotations

import attrs

from actorkit import PID


@attrs.frozen
class StreamHandle:
    """An open stream owned by process ``owner``.

    Attributes:
        id: the stream's number on its node (never reused while the node runs).
        owner: the process that may use it; it is closed when that process exits.
        kind: where the bytes come from or go: ``"file"``, ``"pipe"``, ``"http"``, …
        name: what it is, for people (``"stdout of /bin/cat"``, a path, a URL).
        readable: ``Read`` and the scanner work.
        writable: ``Write`` and ``Flush`` work.
        seekable: ``Seek`` works.
    """

    id: int
    owner: PID
    kind: str
    name: str
    readable: bool
    writable: bool
    seekable: bool

    def describe(self) -> str:
        """``stream 7 (stdout of /bin/cat)``: how errors name it."""
        return f"stream {self.id} ({self.name})" if self.name else f"stream {self.id}"


@attrs.frozen
class StreamStat:
    """What ``Stat`` tells about a stream.

    Attributes:
        handle: the stream.
        bytes_read: bytes handed out by reads so far (scanners included).
        bytes_written: bytes accepted by writes so far.
        eof: a read has seen the end of the stream.
        position: the file position (seekable streams), else None.
        size: the file's size, or the length the source declared (an HTTP
            ``Content-Length``), else None.
    """

    handle: StreamHandle
    bytes_read: int
    bytes_written: int
    eof: bool
    position: int | None
    size: int | None


@attrs.frozen
class Scanner:
    """A scanner (``ScannerCreate``) splitting ``stream`` into tokens.

    Attributes:
        id: the scanner's number on its node.
        stream: the stream it reads.
        delimiter: the separator; None for lines (``\\n``, with a ``\\r`` before it dropped).
        max_token_size: the longest token it accepts, in bytes.
    """

    id: int
    stream: StreamHandle
    delimiter: bytes | None
    max_token_size: int
