"""The local directory backend: keys that cannot leave the root, files on disk, atomicity."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import actorkit
from actorkit.modules import cloudstorage, stream
from actorkit.modules.cloudstorage import (
    DeleteObjects,
    DeleteResult,
    DownloadObject,
    HeadObject,
    InvalidKeyError,
    ListObjects,
    ObjectNotFoundError,
    UploadObject,
)
from actorkit.testing import open_test_node


@pytest.fixture
async def node(tmp_path: Path) -> AsyncIterator[actorkit.Node]:
    """A node with the local storage ``files`` at ``tmp_path / "root"``."""
    async with open_test_node(modules=[cloudstorage.local("files", str(tmp_path / "root"))]) as n:
        yield n


@pytest.mark.parametrize("key", ["../escape", "a/../../escape", "/etc/passwd", "a//b", "./a"])
async def test_cloudstorage_local_keys_cannot_leave_the_root(
    node: actorkit.Node, tmp_path: Path, key: str
) -> None:
    async with node.process() as proc:
        with pytest.raises(InvalidKeyError, match=r"UploadObject \(id=162\)"):
            await proc.call(UploadObject("files", key, b"x"))
        with pytest.raises(InvalidKeyError):
            await proc.call(HeadObject("files", key))
    assert not (tmp_path / "escape").exists()


async def test_cloudstorage_local_symlinks_are_refused(node: actorkit.Node, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_bytes(b"s")
    (tmp_path / "root" / "link").symlink_to(outside)
    async with node.process() as proc:
        for cmd in (
            UploadObject("files", "link/new", b"x"),
            DownloadObject("files", "link/secret"),
        ):
            with pytest.raises(InvalidKeyError, match=r"symlink|not a folder"):
                await proc.call(cmd)
        (result,) = await proc.call(DeleteObjects("files", ("link/secret",)))
        listing = await proc.call(ListObjects("files"))
    assert result.error is not None
    assert result.error.startswith("InvalidKey: ")
    assert listing.objects == ()
    assert sorted(p.name for p in outside.iterdir()) == ["secret"]


async def test_cloudstorage_local_reserved_names_are_refused(node: actorkit.Node) -> None:
    async with node.process() as proc:
        with pytest.raises(InvalidKeyError, match="reserved"):
            await proc.call(UploadObject("files", "a/.actorkit-meta.x.json", b"{}"))


async def test_cloudstorage_local_files_on_disk(node: actorkit.Node, tmp_path: Path) -> None:
    root = tmp_path / "root"
    async with node.process() as proc:
        info = await proc.call(
            UploadObject("files", "a/b.txt", b"hi", content_type="text/plain", metadata={"k": "v"})
        )
        assert (root / "a" / "b.txt").read_bytes() == b"hi"
        meta = json.loads((root / "a" / ".actorkit-meta.b.txt.json").read_text())
        assert meta["etag"] == info.etag
        assert meta["metadata"] == {"k": "v"}
        assert sorted(p.name for p in (root / "a").iterdir()) == [
            ".actorkit-meta.b.txt.json",
            "b.txt",
        ]
        assert await proc.call(DeleteObjects("files", ("a/b.txt",))) == (DeleteResult("a/b.txt"),)
    assert list(root.iterdir()) == []  # the emptied folder went too


async def test_cloudstorage_local_file_where_a_folder_must_be(node: actorkit.Node) -> None:
    async with node.process() as proc:
        await proc.call(UploadObject("files", "a", b"file"))
        with pytest.raises(InvalidKeyError, match="not a folder"):
            await proc.call(UploadObject("files", "a/b", b"x"))
        await proc.call(UploadObject("files", "d/e", b"x"))
        with pytest.raises(InvalidKeyError, match="folder"):
            await proc.call(UploadObject("files", "d", b"x"))
        with pytest.raises(ObjectNotFoundError):
            await proc.call(HeadObject("files", "d"))


async def test_cloudstorage_local_objects_written_by_hand_are_served(
    node: actorkit.Node, tmp_path: Path
) -> None:
    (tmp_path / "root" / "hand.txt").write_bytes(b"by hand")
    async with node.process() as proc:
        info = await proc.call(HeadObject("files", "hand.txt"))
        got = await proc.call(DownloadObject("files", "hand.txt", if_match=info.etag))
    assert (info.size, info.content_type, got.data) == (7, "application/octet-stream", b"by hand")


async def test_cloudstorage_local_bad_token_is_an_error(node: actorkit.Node) -> None:
    async with node.process() as proc:
        with pytest.raises(cloudstorage.StorageBackendError, match="not one of ours"):
            await proc.call(ListObjects("files", continuation_token="%%%"))


async def test_cloudstorage_local_corrupt_metadata_is_a_backend_error(
    node: actorkit.Node, tmp_path: Path
) -> None:
    async with node.process() as proc:
        await proc.call(UploadObject("files", "m.txt", b"m"))
        (tmp_path / "root" / ".actorkit-meta.m.txt.json").write_text("{not json")
        with pytest.raises(
            cloudstorage.StorageBackendError, match=r"HeadObject \(id=166\)"
        ) as info:
            await proc.call(HeadObject("files", "m.txt"))
    assert isinstance(info.value.__cause__, json.JSONDecodeError)


async def test_cloudstorage_upload_from_another_process_stream_is_refused(
    tmp_path: Path,
) -> None:
    (tmp_path / "src").write_bytes(b"data")
    mods = [
        cloudstorage.local("files", str(tmp_path / "root")),
        stream.module(allow_dirs=[tmp_path]),
    ]
    async with open_test_node(modules=mods) as n, n.process() as owner, n.process() as other:
        handle = await owner.call(stream.Open(str(tmp_path / "src")))
        with pytest.raises(stream.StreamOwnerError):
            await other.call(UploadObject("files", "k", from_stream=handle))
        with pytest.raises(ObjectNotFoundError):
            await other.call(HeadObject("files", "k"))


async def test_cloudstorage_local_delimited_listing_is_in_utf8_byte_order(
    node: actorkit.Node,
) -> None:
    names = ["photos/x.jpg", "photos-old.txt", "photos0.txt"]
    async with node.process() as proc:
        for name in names:
            await proc.call(UploadObject("files", name, b"."))
        entries: list[str] = []
        token: str | None = None
        while True:
            page = await proc.call(
                ListObjects("files", delimiter="/", max_keys=1, continuation_token=token)
            )
            entries += [o.key for o in page.objects] + list(page.prefixes)
            if page.next_token is None:
                break
            token = page.next_token
    assert entries == ["photos-old.txt", "photos/", "photos0.txt"]  # '-' < '/' < '0'


async def test_cloudstorage_local_upload_is_fsynced_before_and_after_the_rename(
    node: actorkit.Node, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real fsync and rename run; the spy only records what was synced, in order."""
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        events.append(("rename", str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    async with node.process() as proc:
        await proc.call(UploadObject("files", "new/deep/obj.bin", b"durable"))
    root = tmp_path / "root"
    folder = root / "new" / "deep"
    names = [(kind, Path(path).name) for kind, path in events]
    synced = [path for kind, path in events if kind == "fsync"]
    assert str(root) in synced and str(root / "new") in synced  # the folders made
    assert names.index(("rename", "obj.bin")) > max(
        i
        for i, (kind, name) in enumerate(names)
        if kind == "fsync" and name.startswith(".actorkit-tmp.")
    )  # the object and its metadata were synced before they were renamed into place
    assert events[-1] == ("fsync", str(folder))  # the renames are synced last
    assert (folder / "obj.bin").read_bytes() == b"durable"
