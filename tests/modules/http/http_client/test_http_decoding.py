"""Compressed bodies: decoded a bounded piece at a time, so a gzip bomb from a real server
fails as soon as its decoded size passes the limit, having read only the start of it."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib

import pytest

import actorkit
from actorkit.modules import http
from actorkit.modules.http.decoding import PIECE, BodyDecoder, DecodeError

from ._server import BLOCK, HEAD, MIB, Server, established_to

BOMB_MIB = 64
"""The bomb's compressed size: about 64 GiB decoded, far past any socket buffer."""


async def test_http_gzip_bomb_fails_at_the_limit_having_read_little(
    hnode: actorkit.Node, server: Server
) -> None:
    url = f"{server.url}/bomb?mib={BOMB_MIB}"
    tracemalloc.start()
    try:
        async with hnode.process() as proc:
            with pytest.raises(
                http.ResponseTooLargeError, match=r"exceeds max_response_body \(1048576 bytes\)"
            ):
                await proc.call(http.Request("GET", url, max_response_body=MIB))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert 0 < server.bomb_sent < BOMB_MIB * MIB  # not everything was sent, let alone read
    assert established_to(server.port) == 0  # the connection was cut, not pooled
    # decoded a piece at a time: nothing near the 64 MiB one raw chunk decodes to
    assert peak < 16 * MIB


def test_http_decoder_bounds_each_piece() -> None:
    decoder = BodyDecoder(["gzip"])
    pieces = decoder.feed(HEAD + BLOCK * 3)
    first = next(pieces)
    assert len(first) == PIECE and not any(first)
    assert (
        sum(len(p) for p in pieces) + len(first) + sum(len(p) for p in decoder.flush()) == 4 * MIB
    )


@pytest.mark.parametrize(
    ("encodings", "packed"),
    [
        (["gzip"], gzip.compress(b"hello " * 1000)),
        (["x-gzip"], gzip.compress(b"hello " * 1000)),
        (["deflate"], zlib.compress(b"hello " * 1000)),
        (["deflate"], zlib.compress(b"hello " * 1000, wbits=-zlib.MAX_WBITS)),  # raw deflate
        (["gzip", "deflate"], zlib.compress(gzip.compress(b"hello " * 1000))),
        (["identity"], b"hello " * 1000),
        (["br"], b"hello " * 1000),  # not asked for: passed through, as httpx does
    ],
)
def test_http_decoder_encodings(encodings: list[str], packed: bytes) -> None:
    decoder = BodyDecoder(encodings)
    out = b"".join([*decoder.feed(packed[:10]), *decoder.feed(packed[10:]), *decoder.flush()])
    assert out == b"hello " * 1000


def test_http_decoder_refuses_garbage() -> None:
    with pytest.raises(DecodeError, match="not valid compressed data"):
        list(BodyDecoder(["gzip"]).feed(b"this is not gzip"))


async def test_http_gzip_body_is_decoded(hnode: actorkit.Node, server: Server) -> None:
    # the bomb's head alone (mib=0: no blocks, no trailer), under a limit that holds it
    url = f"{server.url}/bomb?mib=0"
    async with hnode.process() as proc:
        response = await proc.call(http.Request("GET", url, max_response_body=2 * MIB))
    assert response.body == bytes(MIB)
