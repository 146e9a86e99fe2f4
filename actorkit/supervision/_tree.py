"""Booting a supervision tree as a component of the node."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from actorkit import PID, Boot, Component
from actorkit.lowlevel import add_shutdown_hook, lookup

from ._client import SupervisorClient

if TYPE_CHECKING:
    from actorkit import Node

    from ._supervisor import Supervisor


def supervision_tree(name: str, tree: Supervisor, *, depends_on: Sequence[str] = ()) -> Component:
    """A boot component that runs ``tree`` as a process registered under ``name``.

    Its start spawns the root supervisor and returns once the supervisor has started its
    children (one that cannot start fails the boot); its stop cancels the supervisor and
    waits while it stops its children in reverse start order, each within its grace period.
    List the components the children use in ``depends_on``.
    """

    async def start(boot: Boot) -> None:
        pid = boot.node.spawn(tree, name=name)
        async with boot.node.process() as proc:
            await SupervisorClient(proc, pid).which_children()
        add_shutdown_hook(boot.node, partial(_stop_tree, boot.node, pid))

    async def stop(boot: Boot) -> None:
        await _stop_tree(boot.node, name)

    return Component(name, depends_on=tuple(depends_on), start=start, stop=stop)


async def _stop_tree(node: Node, target: PID | str) -> None:
    """Cancel the root supervisor and wait while it stops its tree in order."""
    if lookup(node, target) is None:
        return
    async with node.process() as proc:
        await proc.terminate(target, "shutdown", grace=math.inf)
