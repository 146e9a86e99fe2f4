"""The cloudstorage contract, on the local directory and on S3: same results, same errors."""

from __future__ import annotations

import hashlib

import pytest

import actorkit
from actorkit.modules.cloudstorage import (
    AccessDeniedError,
    DeleteObjects,
    DeleteResult,
    DownloadObject,
    HeadObject,
    InvalidRangeError,
    ListObjects,
    NoStorageError,
    ObjectNotFoundError,
    PreconditionFailedError,
    UploadObject,
)

from .conftest import Box


def _etag(data: bytes) -> str:
    return f'"{hashlib.md5(data, usedforsecurity=False).hexdigest()}"'


async def test_cloudstorage_upload_then_head_gives_the_same_info(box: Box) -> None:
    key = box.key("docs/hello.txt")
    upload = UploadObject(
        "box", key, b"hello", content_type="text/plain", cache_control="max-age=60",
        metadata={"author": "ada", "n": "1"},
    )  # fmt: skip
    async with box.node.process() as proc:
        written = await proc.call(upload)
        info = await proc.call(HeadObject("box", key))
    assert info == written
    assert (info.key, info.size, info.etag) == (key, 5, _etag(b"hello"))
    assert (info.content_type, info.cache_control) == ("text/plain", "max-age=60")
    assert info.metadata == {"author": "ada", "n": "1"}
    assert info.last_modified > 1_700_000_000


async def test_cloudstorage_upload_without_a_type_is_octet_stream(box: Box) -> None:
    async with box.node.process() as proc:
        info = await proc.call(UploadObject("box", box.key("blob"), b"\x00\x01"))
    assert (info.content_type, info.cache_control, info.metadata) == (
        "application/octet-stream",
        None,
        {},
    )


async def test_cloudstorage_download_whole_and_ranges(box: Box) -> None:
    key = box.key("digits")
    async with box.node.process() as proc:
        await proc.call(UploadObject("box", key, b"0123456789"))
        whole = await proc.call(DownloadObject("box", key))
        middle = await proc.call(DownloadObject("box", key, byte_range=(2, 4)))
        tail = await proc.call(DownloadObject("box", key, byte_range=(7, None)))
        past = await proc.call(DownloadObject("box", key, byte_range=(8, 100)))
    assert (whole.data, whole.length, whole.info.size) == (b"0123456789", 10, 10)
    assert (middle.data, middle.info.size) == (b"234", 10)
    assert tail.data == b"789"
    assert past.data == b"89"


async def test_cloudstorage_range_past_the_end_is_invalid(box: Box) -> None:
    key = box.key("short")
    async with box.node.process() as proc:
        await proc.call(UploadObject("box", key, b"abc"))
        with pytest.raises(InvalidRangeError, match=r"DownloadObject \(id=161\)"):
            await proc.call(DownloadObject("box", key, byte_range=(3, None)))


async def test_cloudstorage_download_if_match(box: Box) -> None:
    key = box.key("tagged")
    async with box.node.process() as proc:
        info = await proc.call(UploadObject("box", key, b"v1"))
        got = await proc.call(DownloadObject("box", key, if_match=info.etag))
        assert got.data == b"v1"
        with pytest.raises(PreconditionFailedError, match=r"DownloadObject \(id=161\)"):
            await proc.call(DownloadObject("box", key, if_match=_etag(b"other")))


async def test_cloudstorage_missing_key_is_not_found(box: Box) -> None:
    key = box.key("nothing")
    async with box.node.process() as proc:
        with pytest.raises(ObjectNotFoundError, match=r"HeadObject \(id=166\)"):
            await proc.call(HeadObject("box", key))
        with pytest.raises(ObjectNotFoundError, match=r"DownloadObject \(id=161\)"):
            await proc.call(DownloadObject("box", key))


async def test_cloudstorage_only_if_absent_and_if_none_match(box: Box) -> None:
    key = box.key("once")
    async with box.node.process() as proc:
        await proc.call(UploadObject("box", key, b"first", only_if_absent=True))
        for upload in (
            UploadObject("box", key, b"second", only_if_absent=True),
            UploadObject("box", key, b"second", if_none_match="*"),
        ):
            with pytest.raises(PreconditionFailedError, match=r"UploadObject \(id=162\)"):
                await proc.call(upload)
        got = await proc.call(DownloadObject("box", key))
    assert got.data == b"first"


async def test_cloudstorage_if_match_writes_only_over_that_version(box: Box) -> None:
    key = box.key("cas")
    async with box.node.process() as proc:
        first = await proc.call(UploadObject("box", key, b"one"))
        second = await proc.call(UploadObject("box", key, b"two", if_match=first.etag))
        assert second.etag == _etag(b"two")
        with pytest.raises(PreconditionFailedError):
            await proc.call(UploadObject("box", key, b"three", if_match=first.etag))
        with pytest.raises(PreconditionFailedError):
            await proc.call(UploadObject("box", box.key("absent"), b"x", if_match=first.etag))
        assert (await proc.call(DownloadObject("box", key))).data == b"two"


async def test_cloudstorage_list_pages_in_key_order(box: Box) -> None:
    names = ["b", "a/2", "a/1", "c", "a/10"]
    async with box.node.process() as proc:
        for name in names:
            await proc.call(UploadObject("box", box.key(name), name.encode()))
        pages: list[list[str]] = []
        token: str | None = None
        while True:
            page = await proc.call(
                ListObjects("box", prefix=box.prefix, max_keys=2, continuation_token=token)
            )
            pages.append([o.key.removeprefix(box.prefix) for o in page.objects])
            if not page.truncated:
                break
            token = page.next_token
        under_a = await proc.call(ListObjects("box", prefix=box.key("a/")))
    assert pages == [["a/1", "a/10"], ["a/2", "b"], ["c"]]
    assert [o.key.removeprefix(box.prefix) for o in under_a.objects] == ["a/1", "a/10", "a/2"]
    assert under_a.next_token is None
    first = under_a.objects[0]
    assert (first.size, first.etag) == (3, _etag(b"a/1"))


TREE = [
    "a.txt", "photos/2024/x.jpg", "photos/2024/y.jpg", "photos/2025/z.jpg",
    "photos/p.jpg", "photos-old.txt", "videos/v.mp4", "z.txt",
]  # fmt: skip


async def _listed(box: Box, proc: actorkit.Process, prefix: str, **options: object) -> list[str]:
    """Every entry of a delimited listing, page after page: keys as they are, common
    prefixes ending in their delimiter (both without the test's own prefix)."""
    entries: list[str] = []
    token: str | None = None
    while True:
        page = await proc.call(
            ListObjects("box", prefix=box.key(prefix), continuation_token=token, **options)  # type: ignore[arg-type]
        )
        names = [o.key for o in page.objects] + list(page.prefixes)
        entries += sorted((n.removeprefix(box.prefix) for n in names), key=str.encode)
        if page.next_token is None:
            return entries
        token = page.next_token


async def test_cloudstorage_list_with_a_delimiter_rolls_up_common_prefixes(box: Box) -> None:
    async with box.node.process() as proc:
        for name in TREE:
            await proc.call(UploadObject("box", box.key(name), b"."))
        top = await proc.call(ListObjects("box", prefix=box.prefix, delimiter="/"))
        photos = await proc.call(ListObjects("box", prefix=box.key("photos/"), delimiter="/"))
        years = await proc.call(ListObjects("box", prefix=box.key("photos/20"), delimiter="/"))
        by_dash = await proc.call(ListObjects("box", prefix=box.prefix, delimiter="-"))
    assert [o.key for o in top.objects] == [
        box.key(k) for k in ("a.txt", "photos-old.txt", "z.txt")
    ]
    assert top.prefixes == (box.key("photos/"), box.key("videos/"))
    assert top.next_token is None
    assert [o.key for o in photos.objects] == [box.key("photos/p.jpg")]
    assert photos.prefixes == (box.key("photos/2024/"), box.key("photos/2025/"))
    assert years.objects == ()
    assert years.prefixes == (box.key("photos/2024/"), box.key("photos/2025/"))
    assert by_dash.prefixes == (box.key("photos-"),)
    assert len(by_dash.objects) == len(TREE) - 1


async def test_cloudstorage_delimited_pages_count_prefixes_as_entries(box: Box) -> None:
    # no "photos-old.txt": SeaweedFS sorts "photos/" before it, S3 and the local directory
    # after it ('-' < '/' in UTF-8 byte order); the guide notes it
    async with box.node.process() as proc:
        for name in TREE:
            if name != "photos-old.txt":
                await proc.call(UploadObject("box", box.key(name), b"."))
        one_by_one = await _listed(box, proc, "", delimiter="/", max_keys=1)
        by_two = await _listed(box, proc, "", delimiter="/", max_keys=2)
        first = await proc.call(ListObjects("box", prefix=box.prefix, delimiter="/", max_keys=2))
    expected = ["a.txt", "photos/", "videos/", "z.txt"]
    assert one_by_one == by_two == expected
    assert (len(first.objects) + len(first.prefixes), first.truncated) == (2, True)


async def test_cloudstorage_list_exactly_one_full_page_is_not_truncated(box: Box) -> None:
    async with box.node.process() as proc:
        for name in ("x", "y"):
            await proc.call(UploadObject("box", box.key(name), b"."))
        page = await proc.call(ListObjects("box", prefix=box.prefix, max_keys=2))
        empty = await proc.call(ListObjects("box", prefix=box.key("nope/")))
    assert len(page.objects) == 2
    assert page.next_token is None
    assert empty.objects == ()


async def test_cloudstorage_delete_several_keys(box: Box) -> None:
    keys = (box.key("d/1"), box.key("d/2"), box.key("d/never"))
    async with box.node.process() as proc:
        for key in keys[:2]:
            await proc.call(UploadObject("box", key, b"x"))
        results = await proc.call(DeleteObjects("box", keys))
        left = await proc.call(ListObjects("box", prefix=box.prefix))
    assert results == tuple(DeleteResult(k) for k in keys)
    assert all(r.ok for r in results)
    assert left.objects == ()


async def test_cloudstorage_read_only_access_is_denied_writes(box: Box) -> None:
    key = box.key("guarded")
    async with box.node.process() as proc:
        await proc.call(UploadObject("box", key, b"mine"))
        assert (await proc.call(DownloadObject("ro", key))).data == b"mine"
        with pytest.raises(AccessDeniedError, match=r"UploadObject \(id=162\)"):
            await proc.call(UploadObject("ro", key, b"theirs"))
        (refused,) = await proc.call(DeleteObjects("ro", (key,)))
        assert refused.key == key
        assert refused.error is not None
        assert refused.error.startswith("AccessDenied: ")
        assert (await proc.call(DownloadObject("box", key))).data == b"mine"


async def test_cloudstorage_unknown_storage(box: Box) -> None:
    async with box.node.process() as proc:
        with pytest.raises(NoStorageError, match="no storage named 'elsewhere'"):
            await proc.call(HeadObject("elsewhere", "k"))


async def test_cloudstorage_keys_with_spaces_and_unicode(box: Box) -> None:
    key = box.key("dir/ünï cødé+&=?#%.txt")
    async with box.node.process() as proc:
        await proc.call(UploadObject("box", key, b"odd"))
        info = await proc.call(HeadObject("box", key))
        page = await proc.call(ListObjects("box", prefix=box.key("dir/ü")))
        got = await proc.call(DownloadObject("box", key))
        (deleted,) = await proc.call(DeleteObjects("box", (key,)))
    assert info.key == key
    assert [o.key for o in page.objects] == [key]
    assert got.data == b"odd"
    assert deleted.ok


async def test_cloudstorage_empty_object(box: Box) -> None:
    key = box.key("empty")
    async with box.node.process() as proc:
        info = await proc.call(UploadObject("box", key, b""))
        got = await proc.call(DownloadObject("box", key))
        with pytest.raises(InvalidRangeError):
            await proc.call(DownloadObject("box", key, byte_range=(0, None)))
    assert (info.size, info.etag, got.data) == (0, _etag(b""), b"")


async def test_cloudstorage_concurrent_only_if_absent_has_one_winner(box: Box) -> None:
    key = box.key("race")
    outcomes: list[str] = []

    async def writer(proc: actorkit.Process, n: int) -> None:
        try:
            await proc.call(UploadObject("box", key, f"writer {n}".encode(), only_if_absent=True))
            outcomes.append(f"won {n}")
        except PreconditionFailedError:
            outcomes.append("lost")

    async with box.node.process() as proc:
        for n in range(6):
            await proc.spawn(writer, n, monitor=True)
        for _ in range(6):
            await proc.receive(kind=actorkit.Exit, timeout=30)
        got = await proc.call(DownloadObject("box", key))
    winners = [o for o in outcomes if o.startswith("won")]
    assert len(winners) == 1
    assert outcomes.count("lost") == 5
    assert got.data == f"writer {winners[0].split()[1]}".encode()
