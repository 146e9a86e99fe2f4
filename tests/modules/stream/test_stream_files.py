"""Open (58) of real files under the allowed directories; Seek, Flush, Stat; scanners."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from actorkit.modules import stream
from actorkit.testing import open_test_node


async def test_open_write_seek_read(tmp_path: Path) -> None:
    async with (
        open_test_node(modules=[stream.module(allow_dirs=[tmp_path])]) as node,
        node.process() as proc,
    ):
        handle = await proc.call(stream.Open("data.bin", "w"))
        assert handle.kind == "file" and handle.writable and not handle.readable
        await proc.call(stream.Write(handle, b"0123456789"))
        await proc.call(stream.Flush(handle))
        assert (tmp_path / "data.bin").read_bytes() == b"0123456789"
        await proc.call(stream.Close(handle))
        handle = await proc.call(stream.Open(str(tmp_path / "data.bin")))
        assert await proc.call(stream.Seek(handle, 4)) == 4
        assert await proc.call(stream.Read(handle, 3)) == b"456"
        assert await proc.call(stream.Seek(handle, -2, os.SEEK_END)) == 8
        stat = await proc.call(stream.Stat(handle))
        assert (stat.position, stat.size, stat.bytes_read) == (8, 10, 3)
        assert await proc.call(stream.Read(handle)) == b"89"


async def test_open_refuses_paths_outside_allowed_dirs(tmp_path: Path) -> None:
    inside = tmp_path / "in"
    inside.mkdir()
    (tmp_path / "secret").write_bytes(b"no")
    (inside / "link").symlink_to(tmp_path / "secret")
    async with (
        open_test_node(modules=[stream.module(allow_dirs=[inside])]) as node,
        node.process() as proc,
    ):
        for path in ["../secret", "link", str(tmp_path / "secret")]:
            with pytest.raises(stream.StreamPathError, match=r"^Open \(id=58\): .* outside"):
                await proc.call(stream.Open(path))
        with pytest.raises(stream.StreamPathError, match="No such file"):
            await proc.call(stream.Open("missing"))


async def test_open_refuses_everything_by_default(tmp_path: Path) -> None:
    async with open_test_node(modules=[stream.module()]) as node, node.process() as proc:
        with pytest.raises(stream.StreamPathError, match="no directory is allowed"):
            await proc.call(stream.Open(str(tmp_path / "x")))


async def test_scanner_lines_and_delimiter(tmp_path: Path) -> None:
    (tmp_path / "lines").write_bytes(b"one\r\ntwo\n\nthree")
    (tmp_path / "csv").write_bytes(b"a,bb,ccc")
    async with (
        open_test_node(modules=[stream.module(allow_dirs=[tmp_path])]) as node,
        node.process() as proc,
    ):
        scanner = await proc.call(stream.ScannerCreate(await proc.call(stream.Open("lines"))))
        tokens = [await proc.call(stream.ScannerScan(scanner)) for _ in range(5)]
        assert tokens == [b"one", b"two", b"", b"three", None]
        handle = await proc.call(stream.Open("csv"))
        scanner = await proc.call(stream.ScannerCreate(handle, delimiter=b","))
        assert await proc.call(stream.ScannerScan(scanner)) == b"a"
        assert await proc.call(stream.Read(handle, 3)) == b"bb,"  # reads see past the scanner
        assert await proc.call(stream.ScannerScan(scanner)) == b"ccc"


async def test_scanner_token_too_long_stops_it(tmp_path: Path) -> None:
    (tmp_path / "long").write_bytes(b"short\n" + b"x" * 100 + b"\nafter\n")
    async with (
        open_test_node(modules=[stream.module(allow_dirs=[tmp_path])]) as node,
        node.process() as proc,
    ):
        handle = await proc.call(stream.Open("long"))
        scanner = await proc.call(stream.ScannerCreate(handle, max_token_size=10))
        assert await proc.call(stream.ScannerScan(scanner)) == b"short"
        for _ in range(2):
            with pytest.raises(stream.TokenTooLongError, match=r"^ScannerScan \(id=57\): .*=10"):
                await proc.call(stream.ScannerScan(scanner))


async def test_scanner_and_seek_agree_on_the_position(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"ab\ncd\nef\n")
    async with (
        open_test_node(modules=[stream.module(allow_dirs=[tmp_path])]) as node,
        node.process() as proc,
    ):
        handle = await proc.call(stream.Open("f", "r+"))
        scanner = await proc.call(stream.ScannerCreate(handle))
        assert await proc.call(stream.ScannerScan(scanner)) == b"ab"
        assert (await proc.call(stream.Stat(handle))).position == 3  # not where the OS is
        assert await proc.call(stream.Seek(handle, 0, os.SEEK_CUR)) == 3
        assert await proc.call(stream.Read(handle, 2)) == b"cd"
        await proc.call(stream.Seek(handle, 0, os.SEEK_END))
        await proc.call(stream.Write(handle, b"gh\n"))
        await proc.call(stream.Seek(handle, 6))
        assert await proc.call(stream.ScannerScan(scanner)) == b"ef"
        assert await proc.call(stream.ScannerScan(scanner)) == b"gh"
        assert await proc.call(stream.ScannerScan(scanner)) is None


async def test_open_append_and_exclusive(tmp_path: Path) -> None:
    (tmp_path / "log").write_bytes(b"one\n")
    async with (
        open_test_node(modules=[stream.module(allow_dirs=[tmp_path])]) as node,
        node.process() as proc,
    ):
        handle = await proc.call(stream.Open("log", "a"))
        await proc.call(stream.Write(handle, b"two\n"))
        await proc.call(stream.Close(handle))
        assert (tmp_path / "log").read_bytes() == b"one\ntwo\n"
        with pytest.raises(stream.StreamPathError, match="File exists"):
            await proc.call(stream.Open("log", "x"))
