"""examples/08_store.py runs and counts every visit."""

from __future__ import annotations

import runpy
from pathlib import Path

import trio

from actorkit.modules import store
from actorkit.testing import open_test_node

EXAMPLE = Path(__file__).parents[3] / "examples" / "08_store.py"


async def test_store_example_counts_every_visit(autojump_clock: trio.abc.Clock) -> None:
    example = runpy.run_path(str(EXAMPLE))
    async with open_test_node(modules=[store.memory("cache")]) as node:
        with trio.fail_after(10):  # virtual time: a hang fails it, machine load does not
            result = await node.exec(example["main"])
    assert result == {
        "session": {"user": "ada"},
        "visits": {"visits:about": 3, "visits:home": 10},
    }
