"""Process identifiers."""

from __future__ import annotations

import attrs


@attrs.frozen(cache_hash=True)
class PID:
    """Names a process: the node it lives on and a serial number unique on that node.

    Printed as ``<node.serial>``. The node part lets routing cross machines later.
    """

    node: str
    serial: int

    def __str__(self) -> str:
        return f"<{self.node}.{self.serial}>"
