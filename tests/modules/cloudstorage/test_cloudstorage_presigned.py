"""Presigned URLs: fetched with a plain HTTP client on S3, checked by verify_presigned on
the local directory; expired, tampered and misused ones are refused."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from actorkit.modules import cloudstorage
from actorkit.modules.cloudstorage import (
    AccessDeniedError,
    DownloadObject,
    ExpiredURLError,
    PresignedGetURL,
    PresignedPutURL,
    PresignedURLError,
    UploadObject,
    verify_presigned,
)
from actorkit.modules.cloudstorage.backends.s3 import S3Backend
from actorkit.modules.cloudstorage.state import storage_of
from actorkit.testing import open_test_node

from ._weed import BUCKET, READER
from .conftest import Box


async def test_cloudstorage_s3_presigned_get_and_put(box: Box) -> None:
    if box.kind != "s3":
        return
    key = box.key("shared/report.csv")
    async with box.node.process() as proc, httpx.AsyncClient() as client:
        await proc.call(UploadObject("box", key, b"a,b\n1,2\n"))
        get_url = await proc.call(PresignedGetURL("box", key, expires=60))
        put_url = await proc.call(
            PresignedPutURL("box", key, content_type="text/csv", content_length=4)
        )
        got = await client.get(get_url)
        put = await client.put(put_url, content=b"x,y\n", headers={"content-type": "text/csv"})
        after = await proc.call(DownloadObject("box", key))
        wrong_type = await client.put(
            put_url, content=b"x,y\n", headers={"content-type": "text/plain"}
        )
        wrong_method = await client.delete(get_url)
    assert (got.status_code, got.content) == (200, b"a,b\n1,2\n")
    assert put.status_code == 200
    assert (after.data, after.info.content_type) == (b"x,y\n", "text/csv")
    assert wrong_type.status_code == 403
    assert wrong_method.status_code == 403


async def test_cloudstorage_s3_expired_and_tampered_urls_are_refused(box: Box) -> None:
    if box.kind != "s3":
        return
    key = box.key("secret.txt")
    backend = storage_of(box.node, "box")
    assert isinstance(backend, S3Backend)
    async with box.node.process() as proc, httpx.AsyncClient() as client:
        await proc.call(UploadObject("box", key, b"classified"))
        url = await proc.call(PresignedGetURL("box", key, expires=60))
        expired = backend.presign("GET", key, 60, None, None, now=time.time() - 3600)
        other = url.replace("secret.txt", "secret.txu")
        longer = url.replace("X-Amz-Expires=60", "X-Amz-Expires=600")
        statuses = [(await client.get(u)).status_code for u in (url, expired, other, longer)]
    assert statuses == [200, 403, 403, 403]


@pytest.fixture
def clock() -> list[float]:
    """Wall-clock seconds the local storage's presigned URLs see."""
    return [1_800_000_000.0]


async def _local_node_url(tmp_path: Path, clock: list[float]) -> tuple[str, str]:
    comp = cloudstorage.local("files", str(tmp_path), base_url="http://gw", clock=lambda: clock[0])
    async with open_test_node(modules=[comp]) as node, node.process() as proc:
        url = await proc.call(PresignedPutURL("files", "a b/c.txt", content_length=3))
        grant = verify_presigned(node, "files", url, method="PUT", content_length=3)
        assert (grant.storage, grant.key, grant.method) == ("files", "a b/c.txt", "PUT")
        with pytest.raises(PresignedURLError, match="content length must be 3"):
            verify_presigned(node, "files", url, method="PUT", content_length=4)
        with pytest.raises(PresignedURLError, match="allows PUT, not GET"):
            verify_presigned(node, "files", url, method="GET", content_length=3)
        clock[0] += 3600
        with pytest.raises(ExpiredURLError):
            verify_presigned(node, "files", url, method="PUT", content_length=3)
        get_url = await proc.call(PresignedGetURL("files", "a b/c.txt", expires=5))
    return url, get_url


async def test_cloudstorage_local_presigned_urls(tmp_path: Path, clock: list[float]) -> None:
    url, get_url = await _local_node_url(tmp_path, clock)
    assert url.startswith("http://gw/files/a%20b/c.txt?")
    assert "X-Actorkit-Signature=" in get_url


async def test_cloudstorage_local_tampered_urls_are_refused(tmp_path: Path) -> None:
    comps = [
        cloudstorage.local("files", str(tmp_path / "f"), base_url="http://gw"),
        cloudstorage.local("other", str(tmp_path / "o"), base_url="http://gw"),
        cloudstorage.local("ro", str(tmp_path / "r"), base_url="http://gw", read_only=True),
    ]
    async with open_test_node(modules=comps) as node, node.process() as proc:
        url = await proc.call(PresignedGetURL("files", "doc.txt"))
        put = await proc.call(PresignedPutURL("files", "doc.txt", content_type="text/plain"))
        ro_put = await proc.call(PresignedPutURL("ro", "doc.txt"))
        assert verify_presigned(node, "files", url, method="get").key == "doc.txt"
        tampered = [
            url.replace("doc.txt", "doc.txu"),
            url.replace("Method=GET", "Method=PUT"),
            url.replace("Expires=", "Expires=9"),
            url.split("&X-Actorkit-Signature")[0],
            url.replace("http://gw/files/", "http://gw/other/"),
        ]
        for bad in tampered:
            with pytest.raises(PresignedURLError):
                verify_presigned(node, "files", bad, method="GET")
        with pytest.raises(PresignedURLError):
            verify_presigned(node, "other", url, method="GET")
        with pytest.raises(PresignedURLError, match="content type must be text/plain"):
            verify_presigned(node, "files", put, method="PUT", content_type="text/html")
        with pytest.raises(AccessDeniedError):
            verify_presigned(node, "ro", ro_put, method="PUT")


async def test_cloudstorage_s3_urls_are_not_verified_locally(box: Box) -> None:
    if box.kind != "s3":
        return
    with pytest.raises(PresignedURLError, match="not local"):
        verify_presigned(box.node, "box", "http://x/y", method="GET")


async def test_cloudstorage_s3_wrong_secret_is_access_denied(box: Box, tmp_path: Path) -> None:
    if box.kind != "s3":
        return
    assert box.endpoint is not None
    comp = cloudstorage.s3(
        "bad", bucket=BUCKET, access_key=READER.access_key, secret_key="wrong-secret",
        endpoint=box.endpoint,
    )  # fmt: skip
    async with open_test_node(modules=[comp]) as node, node.process() as proc:
        with pytest.raises(AccessDeniedError, match=r"HeadObject \(id=166\)"):
            await proc.call(cloudstorage.HeadObject("bad", "anything"))
