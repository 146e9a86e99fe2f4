"""The contracts guide's example program runs: two bindings, and a refused input."""

from __future__ import annotations

import trio

from actorkit.testing import open_test_node

from . import greeter_example


async def test_contract_example_greets_through_both_bindings(
    autojump_clock: trio.abc.Clock,
) -> None:
    async with open_test_node(modules=greeter_example.MODULES) as node:
        with trio.fail_after(10):
            result = await node.exec(greeter_example.main)
    assert result == (
        "hello ada hello ada | HELLO BOB! | "
        "greeter.greet input field 'times': invalid value for type, expected int"
    )
