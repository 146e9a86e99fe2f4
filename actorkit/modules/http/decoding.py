"""Decoding a compressed body (``Content-Encoding``) a bounded piece at a time.

httpx decodes each chunk read from the socket in one go: 64 KiB of a gzip bomb become
64 MiB in memory before anyone can count them. :class:`BodyDecoder` decodes lazily instead:
each raw chunk yields pieces of at most :data:`PIECE` decoded bytes, produced only when the
reader asks for the next one, so a reader that stops at a size limit has decoded at most
the limit plus one piece. ``gzip`` (and ``x-gzip``) and ``deflate`` (zlib or raw, as httpx
takes it) are decoded, in the reverse of the order the header lists them; ``identity`` and
encodings the client does not ask for (it sends ``Accept-Encoding: gzip, deflate``) are
passed through as they are, as httpx does.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Iterable, Iterator

PIECE = 64 * 1024
"""The most decoded bytes one piece holds."""

ACCEPT_ENCODING = "gzip, deflate"
"""What the client asks for: the encodings :class:`BodyDecoder` decodes."""


class DecodeError(Exception):
    """The body does not decode as its ``Content-Encoding`` says."""


class _Inflate:
    """One zlib layer: gzip, or deflate (zlib-wrapped, else raw, decided on the first
    chunk)."""

    def __init__(self, gzip: bool) -> None:
        self._fallback = not gzip
        wbits = zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS
        self._inflater = zlib.decompressobj(wbits)

    def decode(self, pieces: Iterable[bytes]) -> Iterator[bytes]:
        for data in pieces:
            yield from self._inflate(data)

    def flush(self) -> Iterator[bytes]:
        rest = self._inflater.flush()  # what a short last piece left: at most a window
        if rest:
            yield rest

    def _inflate(self, data: bytes) -> Iterator[bytes]:
        while True:
            out = self._decompress(data)
            if out:
                yield out
            data = self._inflater.unconsumed_tail
            if not data and len(out) < PIECE:
                return

    def _decompress(self, data: bytes) -> bytes:
        fallback, self._fallback = self._fallback, False
        try:
            return self._inflater.decompress(data, PIECE)
        except zlib.error as exc:
            if fallback:  # deflate sent raw, without the zlib wrapper
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                return self._decompress(data)
            raise DecodeError(f"the body is not valid compressed data: {exc}") from exc


_LAYERS = {"gzip": True, "x-gzip": True, "deflate": False}


class BodyDecoder:
    """Decodes a body sent with the given ``Content-Encoding`` values, lazily."""

    def __init__(self, encodings: Iterable[str]) -> None:
        names = [name.strip().lower() for name in encodings]
        self._layers = [_Inflate(_LAYERS[name]) for name in reversed(names) if name in _LAYERS]

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decoded pieces of the raw chunk ``data`` (non-empty, each at most
        :data:`PIECE` bytes), decoded as they are taken.

        Raises:
            DecodeError: the data does not decode.
        """
        pieces: Iterable[bytes] = (data,) if data else ()
        for layer in self._layers:
            pieces = layer.decode(pieces)
        return iter(pieces)

    def flush(self) -> Iterator[bytes]:
        """What is left once the raw body has ended."""
        pieces: Iterable[bytes] = ()
        for layer in self._layers:
            pieces = itertools.chain(layer.decode(pieces), layer.flush())
        return iter(pieces)
