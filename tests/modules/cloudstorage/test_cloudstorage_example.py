"""examples/18_cloudstorage.py runs on its MODULES and prints one deterministic line."""

from __future__ import annotations

import runpy
from pathlib import Path

import trio

from actorkit.testing import open_test_node

EXAMPLE = Path(__file__).parents[3] / "examples" / "18_cloudstorage.py"
LINE = (
    "listed 3 in 2 pages; range b'report b' of 18 bytes; overwrite refused True; "
    "URL grants GET reports/c.txt; deleted 3"
)


async def test_cloudstorage_example_lists_ranges_refuses_and_signs() -> None:
    example = runpy.run_path(str(EXAMPLE))
    async with open_test_node(modules=example["MODULES"]) as node:
        with trio.fail_after(30):
            assert await node.exec(example["main"]) == LINE
