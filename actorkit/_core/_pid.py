"""Process identifiers."""

from __future__ import annotations

import attrs


@attrs.frozen(cache_hash=True)
class PID:
    """Names a process: the node it lives on and a serial number unique on that node.

    Printed as ``<node.serial>``. The node part lets the cluster route it to another node.
    ``creation`` tells apart two lives of one node name in a cluster (Erlang's creation):
    0 on the node's own PIDs; the cluster's codec stamps its membership's number on the
    wire, so a PID from a node that was declared down and came back names nobody.
    """

    node: str
    serial: int
    creation: int = 0

    def __str__(self) -> str:
        return f"<{self.node}.{self.serial}>"
