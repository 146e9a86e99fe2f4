"""examples/15_security.py runs: a token's scope lets its actor read and not write."""

from __future__ import annotations

import runpy
from pathlib import Path

import trio

from actorkit.testing import open_test_node

EXAMPLE = Path(__file__).parents[3] / "examples" / "15_security.py"
EXPECTED = "ada read 'up 5%'; store.set on 'reports' refused; after revoking, the token is revoked"


async def test_security_example_reads_and_is_refused_a_write(
    autojump_clock: trio.abc.Clock,
) -> None:
    example = runpy.run_path(str(EXAMPLE))
    async with open_test_node(modules=example["MODULES"]) as node:
        with trio.fail_after(10):
            assert await node.exec(example["main"]) == EXPECTED
