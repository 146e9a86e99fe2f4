"""The snapshot types: plain frozen data, so the observer can put them on the wire."""

from __future__ import annotations

import attrs


@attrs.frozen
class ProcessInfo:
    """One process in a snapshot."""

    pid: str
    name: str | None
    label: str | None
    function: str
    status: str
    mailbox: int
    current: str | None
    received: int
    message_rate: float
    parent: str | None


@attrs.frozen
class NodeStatistics:
    """A node at one instant; rates are per second since the previous snapshot."""

    node: str
    uptime: float
    process_count: int
    spawned: int
    commands: int
    messages: int
    dead_letters: int
    restarts: int
    messages_per_second: float
    commands_per_second: float
    inflight_by_module: dict[str, int]
    commands_by_module: dict[str, int]
    command_rates_by_module: dict[str, float]
    events: dict[str, int]
    processes: tuple[ProcessInfo, ...]
