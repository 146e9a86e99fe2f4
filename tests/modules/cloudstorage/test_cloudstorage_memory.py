"""Bounded memory: a file much larger than a chunk goes up and comes down through the
module while Python's allocations stay a few chunks (tracemalloc's peak, not a timing)."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

from actorkit.modules.cloudstorage import DownloadObject, UploadObject
from actorkit.modules.cloudstorage.backends.s3 import PART

from .conftest import Box

SIZE = 32 << 20
LIMIT = 2 * PART  # a part being built and slices of it being sent; half of SIZE


async def test_cloudstorage_large_object_moves_in_bounded_memory(box: Box, tmp_path: Path) -> None:
    source, target = tmp_path / "big.in", tmp_path / "big.out"
    with source.open("wb") as f:
        for _ in range(SIZE >> 20):
            f.write(os.urandom(1 << 20))
    key = box.key("big")
    async with box.node.process() as proc:
        tracemalloc.start()
        try:
            await proc.call(UploadObject("box", key, from_file=str(source)), timeout=120)
            _, upload_peak = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            got = await proc.call(DownloadObject("box", key, to_file=str(target)), timeout=120)
            _, download_peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert got.length == SIZE
    assert target.stat().st_size == SIZE
    assert upload_peak < LIMIT, f"upload peaked at {upload_peak >> 20} MiB"
    assert download_peak < LIMIT, f"download peaked at {download_peak >> 20} MiB"
