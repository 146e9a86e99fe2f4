"""Every semantics test (the rules on the semantics page) runs twice: with the node's
direct hand-off (a call to an idle ``Server`` with a synchronous ``handle_call`` answered
on the caller's turn) and without it (every call through the server's mailbox)."""

from __future__ import annotations

import pytest

import actorkit


@pytest.fixture(params=[True, False], ids=["direct", "mailbox"])
async def node(node: actorkit.Node, request: pytest.FixtureRequest) -> actorkit.Node:
    """The test kit's node, with ``direct_handoff`` on or off."""
    node.direct_handoff = request.param
    return node
