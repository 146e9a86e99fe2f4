"""Checks of stream command fields, run when a command is built (attrs validators).

Each raises :class:`~.errors.StreamArgumentError` naming the command, its ID, the field and
the value.
"""

from __future__ import annotations

from typing import Any

from actorkit.checks import Check, instance_of, integer, text

from .errors import StreamArgumentError
from .handles import Scanner, StreamHandle

MAX_READ = 16 * 1024 * 1024
"""The most one Read (or one scanner token) may ask for: 16 MiB."""
DEFAULT_READ = 64 * 1024
"""What a Read asks for when it does not say: 64 KiB."""
MODES = ("r", "w", "a", "x", "r+")
"""Open's modes (always binary): read, write (truncate), append, create new, read/write."""


def field(check: Check) -> Check:
    """``check`` (an attrs validator) raising StreamArgumentError."""
    return check.raising(StreamArgumentError)


def _size(value: Any) -> bool:
    return type(value) is int and 1 <= value <= MAX_READ


def _delimiter(value: Any) -> bool:
    return value is None or (type(value) is bytes and value != b"")


HANDLE = field(instance_of(StreamHandle, expected="a StreamHandle"))
SCANNER = field(instance_of(Scanner, expected="a Scanner (from ScannerCreate)"))
SIZE = field(Check(_size, f"an int from 1 to {MAX_READ} (bytes)"))
DATA = field(Check(lambda v: type(v) is bytes, "bytes (encode text first)"))
OFFSET = field(integer())
WHENCE = field(Check(lambda v: type(v) is int and v in (0, 1, 2), "0, 1 or 2 (os.SEEK_*)"))
DELIMITER = field(Check(_delimiter, "None (lines) or non-empty bytes"))
PATH = field(text(non_empty=True))
MODE = field(Check(lambda v: v in MODES and type(v) is str, "one of " + ", ".join(MODES)))
