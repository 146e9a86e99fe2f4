"""presigned_routes: a real gateway on loopback serves a local storage's presigned URLs
to a plain HTTP client (httpx); bad URLs get 403 with the reason, missing objects 404."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

import actorkit
from actorkit.gateway import RouteError, gateway, gateway_address, gateway_stats
from actorkit.modules import cloudstorage
from actorkit.modules.cloudstorage import (
    DownloadObject,
    HeadObject,
    ObjectNotFoundError,
    PresignedGetURL,
    PresignedPutURL,
    UploadObject,
)

BASE = "http://127.0.0.1:8000/storage"


@asynccontextmanager
async def serving(
    tmp_path: Path,
    clock: list[float],
    *,
    max_body: int | None = None,
    max_depth: int | None = None,
) -> AsyncGenerator[tuple[actorkit.Node, httpx.AsyncClient], None]:
    """A node with storages ``files`` and ``ro`` (read-only) and a gateway on port 0
    serving both; the client goes to the gateway's real port."""
    files = cloudstorage.local("files", str(tmp_path / "f"), clock=lambda: clock[0])
    ro = cloudstorage.local("ro", str(tmp_path / "r"), read_only=True)
    routes = cloudstorage.presigned_routes("files", max_body=max_body, max_depth=max_depth)
    routes += cloudstorage.presigned_routes("ro")
    modules = [files, ro, gateway(routes, port=0)]
    async with actorkit.open_node(modules=modules, shutdown_grace=2.0) as node:
        host, port = gateway_address(node)
        async with httpx.AsyncClient(timeout=60.0) as http:
            http.base_url = f"http://{host}:{port}"
            yield node, http


def at(http: httpx.AsyncClient, url: str) -> str:
    """The presigned ``url`` sent to the gateway's real address instead of its base."""
    parts, real = urlsplit(url), urlsplit(str(http.base_url))
    return urlunsplit((real.scheme, real.netloc, parts.path, parts.query, ""))


@pytest.fixture
def clock() -> list[float]:
    return [1_000_000.0]


async def test_presigned_get_and_put_through_the_gateway(
    tmp_path: Path, clock: list[float]
) -> None:
    async with serving(tmp_path, clock) as (node, http), node.process() as proc:
        await proc.call(UploadObject("files", "docs/a b.txt", b"hello", content_type="text/x"))
        get_url = await proc.call(PresignedGetURL("files", "docs/a b.txt", expires=60))
        put_url = await proc.call(
            PresignedPutURL("files", "up/new.csv", content_type="text/csv", content_length=4)
        )
        got = await http.get(at(http, get_url))
        put = await http.put(
            at(http, put_url), content=b"x,y\n", headers={"content-type": "text/csv"}
        )
        after = await proc.call(DownloadObject("files", "up/new.csv"))
    assert get_url.startswith(f"{BASE}/files/docs/a%20b.txt?")
    assert (got.status_code, got.content) == (200, b"hello")
    assert got.headers["content-type"] == "text/x"
    assert put.status_code == 200
    assert put.headers["etag"] == after.info.etag
    assert (after.data, after.info.content_type) == (b"x,y\n", "text/csv")


async def test_bad_urls_are_refused_with_403_and_the_reason(
    tmp_path: Path, clock: list[float]
) -> None:
    async with serving(tmp_path, clock) as (node, http), node.process() as proc:
        await proc.call(UploadObject("files", "a.txt", b"hello"))
        get_url = at(http, await proc.call(PresignedGetURL("files", "a.txt", expires=60)))
        put_url = at(http, await proc.call(PresignedPutURL("files", "b.txt", content_length=3)))
        ro_url = at(http, await proc.call(PresignedPutURL("ro", "b.txt")))
        tampered = await http.get(get_url.replace("a.txt", "b.txt"))
        wrong_method = await http.put(get_url, content=b"abc")
        wrong_length = await http.put(put_url, content=b"abcd")
        read_only = await http.put(ro_url, content=b"abc")
        unsigned = await http.get(at(http, f"{BASE}/files/a.txt"))
        clock[0] += 61
        expired = await http.get(get_url)
        still = await proc.call(DownloadObject("files", "a.txt"))
    for response, reason in [
        (tampered, "signature does not match"),
        (wrong_method, "it allows GET, not PUT"),
        (wrong_length, "content length must be 3"),
        (read_only, "read-only"),
        (unsigned, "malformed"),
        (expired, "expired"),
    ]:
        assert response.status_code == 403, response.text
        assert reason in response.json()["error"]
    assert still.data == b"hello"


MIB = 1 << 20


def socket_slack() -> int:
    """The most bytes that can sit between a client and the gateway's reader: both
    loopback socket buffers at their largest, and 4 MiB for hypercorn's queue, the chunk
    being gathered and the write in flight."""
    largest = [
        int(Path(f"/proc/sys/net/ipv4/tcp_{k}").read_text().split()[2]) for k in ("rmem", "wmem")
    ]
    return sum(largest) + 4 * MIB


async def test_a_large_upload_streams_to_the_storage_while_it_arrives(
    tmp_path: Path, clock: list[float]
) -> None:
    """A large presigned PUT: when the client has sent all but 32 MiB, everything but the
    socket slack must already be in the storage's temp file (a gateway that buffered the
    body would have written nothing yet), and the gateway never held more than a chunk."""
    slack = socket_slack()
    checkpoint = slack // MIB + 32  # MiB sent when the temp file is looked at
    total = checkpoint + 32
    folder = tmp_path / "f" / "big"
    seen: list[int] = []

    async def body() -> AsyncIterator[bytes]:
        for i in range(total):
            if i == checkpoint:
                temps = list(folder.glob(".actorkit-tmp.*"))
                seen.extend(t.stat().st_size for t in temps)
            yield bytes([i % 256]) * MIB

    async with serving(tmp_path, clock, max_body=total * MIB) as (node, http):
        async with node.process() as proc:
            url = at(http, await proc.call(PresignedPutURL("files", "big/object.bin")))
            put = await http.put(url, content=body())
            info = await proc.call(HeadObject("files", "big/object.bin"))
        stats = gateway_stats(node)
    assert put.status_code == 200, put.text
    assert len(seen) == 1 and seen[0] >= checkpoint * MIB - slack, seen
    assert info.size == total * MIB
    assert stats.peak_request_body <= MIB
    assert not list(folder.glob(".actorkit-tmp.*"))


async def test_a_large_download_streams_from_the_open_file(
    tmp_path: Path, clock: list[float]
) -> None:
    """A large object served by a presigned GET: once the client has its first part, the
    object's tail (past what the socket buffers can hold) is rewritten on disk by hand; a
    gateway streaming from the open file sends the new tail, one that had read the object
    whole would send the old one."""
    tail = (socket_slack() // MIB + 8) * MIB
    size = tail + 16 * MIB
    async with serving(tmp_path, clock) as (node, http):
        path = tmp_path / "f" / "video.bin"
        path.write_bytes(b"a" * size)  # a file put under the root by hand is served too
        async with node.process() as proc:
            url = at(http, await proc.call(PresignedGetURL("files", "video.bin")))
        got = bytearray()
        async with http.stream("GET", url) as response:
            async for part in response.aiter_bytes():
                if not got:
                    with path.open("r+b") as f:  # the gateway has read less than the tail
                        f.seek(tail)
                        f.write(b"b" * (size - tail))
                got += part
        stats = gateway_stats(node)
    assert response.headers["content-length"] == str(size)
    assert len(got) == size
    assert got[tail:] == b"b" * (size - tail)
    assert stats.peak_response_body <= MIB


async def test_a_streamed_put_over_max_body_is_413_and_stores_nothing(
    tmp_path: Path, clock: list[float]
) -> None:
    async def chunked() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"x" * 1000

    async with serving(tmp_path, clock, max_body=4000) as (node, http), node.process() as proc:
        url = at(http, await proc.call(PresignedPutURL("files", "d/big.bin")))
        put = await http.put(url, content=chunked())  # no content-length: counted
        with pytest.raises(ObjectNotFoundError):
            await proc.call(HeadObject("files", "d/big.bin"))
    assert put.status_code == 413
    assert not list((tmp_path / "f").rglob(".actorkit-tmp.*"))


async def test_keys_of_any_depth_are_served(tmp_path: Path, clock: list[float]) -> None:
    key = "/".join(f"p{i}" for i in range(24)) + "/leaf.txt"
    async with serving(tmp_path, clock) as (node, http), node.process() as proc:
        put_url = at(http, await proc.call(PresignedPutURL("files", key)))
        put = await http.put(put_url, content=b"deep")
        get_url = at(http, await proc.call(PresignedGetURL("files", key)))
        got = await http.get(get_url)
    assert (put.status_code, got.content) == (200, b"deep")


async def test_missing_object_is_404_and_a_deep_key_needs_max_depth(
    tmp_path: Path, clock: list[float]
) -> None:
    async with serving(tmp_path, clock, max_depth=2) as (node, http), node.process() as proc:
        missing = at(http, await proc.call(PresignedGetURL("files", "gone.txt")))
        deep = at(http, await proc.call(PresignedGetURL("files", "a/b/c.txt")))
        got_missing = await http.get(missing)
        got_deep = await http.get(deep)
    assert got_missing.status_code == 404
    assert "gone.txt" in got_missing.json()["error"]
    assert got_deep.status_code == 404  # three parts, over max_depth


async def test_put_body_over_max_body_is_413(tmp_path: Path, clock: list[float]) -> None:
    async with serving(tmp_path, clock, max_body=4) as (node, http), node.process() as proc:
        url = at(http, await proc.call(PresignedPutURL("files", "big.bin")))
        put = await http.put(url, content=b"12345")
        ok = await http.put(url, content=b"1234")
        after = await proc.call(DownloadObject("files", "big.bin"))
    assert (put.status_code, ok.status_code, after.data) == (413, 200, b"1234")


def test_a_bad_prefix_is_a_route_error() -> None:
    with pytest.raises(RouteError, match="path"):
        cloudstorage.presigned_routes("files", prefix="storage")
