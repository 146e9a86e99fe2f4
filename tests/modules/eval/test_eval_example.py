"""examples/14_eval.py runs: a Lua function, a Lua process serving a Python one, a refusal."""

from __future__ import annotations

import runpy
from pathlib import Path

import trio

from actorkit.testing import open_test_node

EXAMPLE = Path(__file__).parents[3] / "examples" / "14_eval.py"
EXPECTED = (
    "score(actor)=57; lua process trio=62 lua=34 trio=124, served 3; "
    "refused: escape:1: attempt to index a nil value (global 'io')"
)


async def test_eval_example_prints_its_line(autojump_clock: trio.abc.Clock) -> None:
    example = runpy.run_path(str(EXAMPLE))
    async with open_test_node(modules=example["MODULES"]) as node:
        with trio.fail_after(10):  # virtual time: a hang fails it, machine load does not
            assert await node.exec(example["main"]) == EXPECTED
