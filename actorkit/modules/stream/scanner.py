"""Scanners: split a stream into tokens (lines, or at a delimiter), as Go's ``bufio.Scanner``.

A scanner keeps at most ``max_token_size`` plus the delimiter in memory: a token that grows
past that fails with :class:`~.errors.TokenTooLongError` and stops the scanner. Bytes read
past a token stay in the stream's ``pending`` buffer for the next scan or read.
"""

from __future__ import annotations

import trio

from .entry import OpenStream
from .errors import TokenTooLongError
from .table import ScanState

CHUNK = 64 * 1024  # the most a scan asks the source for at once


async def scan(state: ScanState, what: str) -> bytes | None:
    """The next token without its delimiter, or None at the end. A checkpoint.

    Raises:
        TokenTooLongError: no delimiter within ``max_token_size`` bytes (then, and on every
            later scan: the scanner has stopped).
    """
    entry = state.entry
    if state.stopped:
        await trio.lowlevel.checkpoint()
        raise _too_long(state, what)
    return await entry.run(what, entry.reading, lambda: _next(state, entry, what))


async def _next(state: ScanState, entry: OpenStream, what: str) -> bytes | None:
    await trio.lowlevel.checkpoint()
    scanner = state.scanner
    delimiter = scanner.delimiter or b"\n"
    limit = scanner.max_token_size + len(delimiter)
    buf = entry.pending
    searched = 0
    while True:
        at = buf.find(delimiter, max(0, searched - len(delimiter) + 1))
        if 0 <= at <= scanner.max_token_size:
            token = bytes(buf[:at])
            del buf[: at + len(delimiter)]
            return _trim(token, scanner.delimiter)
        if at > scanner.max_token_size or len(buf) >= limit:
            state.stopped = f"a token was longer than max_token_size={scanner.max_token_size}"
            raise _too_long(state, what)
        searched = len(buf)
        chunk = await entry.pull(min(CHUNK, limit - len(buf)))
        if not chunk:
            return _last(buf, scanner.delimiter)
        buf += chunk


def _last(buf: bytearray, delimiter: bytes | None) -> bytes | None:
    if not buf:
        return None
    token = bytes(buf)
    buf.clear()
    return _trim(token, delimiter)


def _trim(token: bytes, delimiter: bytes | None) -> bytes:
    if delimiter is None and token.endswith(b"\r"):
        return token[:-1]
    return token


def _too_long(state: ScanState, what: str) -> TokenTooLongError:
    scanner = state.scanner
    sep = "line end" if scanner.delimiter is None else f"delimiter {scanner.delimiter!r}"
    detail = (
        f"scanner {scanner.id} on {scanner.stream.describe()} found no {sep} within "
        f"max_token_size={scanner.max_token_size} bytes; the scanner has stopped"
    )
    return TokenTooLongError(detail, command=what)
