"""Snapshots of a running node: what ``node.statistics()`` returns and ``actorkit top`` shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs
import trio

from ._command import module_of
from ._mailbox import WAKE_ON_COMPLETION, WAKE_ON_EVENT

if TYPE_CHECKING:
    from ._node import Node
    from ._proc_state import ProcessState


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


class Sampler:
    """Remembers the previous snapshot's counters to turn them into rates."""

    def __init__(self) -> None:
        self._time = 0.0
        self._messages = 0
        self._commands = 0
        self._received: dict[str, int] = {}
        self._by_module: dict[str, int] = {}

    def sample(self, node: Node) -> NodeStatistics:
        """Take a snapshot of ``node``."""
        now = trio.current_time()
        elapsed = max(now - (self._time or node.started_at), 1e-9)
        procs = tuple(self._info(proc, elapsed) for proc in node.processes())
        by_module = commands_by_module(node)
        stats = NodeStatistics(
            node=node.name,
            uptime=now - node.started_at,
            process_count=len(procs),
            spawned=node.spawned,
            commands=node.commands,
            messages=node.messages,
            dead_letters=node.dead_letters,
            restarts=node.event_counts.get("supervisor.restart", 0),
            messages_per_second=(node.messages - self._messages) / elapsed,
            commands_per_second=(node.commands - self._commands) / elapsed,
            inflight_by_module=_inflight_by_module(node.processes()),
            commands_by_module=by_module,
            command_rates_by_module={
                module: (count - self._by_module.get(module, 0)) / elapsed
                for module, count in by_module.items()
            },
            events=dict(node.event_counts),
            processes=procs,
        )
        self._time, self._messages, self._commands = now, node.messages, node.commands
        self._received = {info.pid: info.received for info in procs}
        self._by_module = by_module
        return stats

    def _info(self, proc: ProcessState, elapsed: float) -> ProcessInfo:
        pid = str(proc.pid)
        received = proc.mailbox.received
        return ProcessInfo(
            pid=pid,
            name=proc.name,
            label=proc.label,
            function=proc.function,
            status=_status(proc),
            mailbox=len(proc.mailbox),
            current=_describe(proc.current),
            received=received,
            message_rate=(received - self._received.get(pid, 0)) / elapsed,
            parent=str(proc.parent) if proc.parent is not None else None,
        )


def _status(proc: ProcessState) -> str:
    mode = proc.mailbox.parked_mode()
    if mode == WAKE_ON_EVENT:
        return "receiving"
    if mode == WAKE_ON_COMPLETION:
        return "waiting"
    return proc.status


def _describe(cmd: object) -> str | None:
    if cmd is None:
        return None
    return f"{type(cmd).__name__} (id={getattr(type(cmd), 'ID', '?')})"


def commands_by_module(node: Node) -> dict[str, int]:
    """Commands run since boot, by the module that owns their ID range."""
    counts: dict[str, int] = {}
    for cid, count in enumerate(node.command_counts):
        if count:
            module = module_of(cid)
            counts[module] = counts.get(module, 0) + count
    for cid, count in node.custom_counts.items():
        module = module_of(cid)
        counts[module] = counts.get(module, 0) + count
    return counts


def _inflight_by_module(procs: Sequence[ProcessState]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for proc in procs:
        cid = getattr(type(proc.current), "ID", None)
        if isinstance(cid, int):
            module = module_of(cid)
            counts[module] = counts.get(module, 0) + 1
    return counts
