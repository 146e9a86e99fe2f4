"""Turning a node's counters into snapshots, with rates since the previous one."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import trio

from ._snapshot import NodeStatistics, ProcessInfo
from ._view import NodeView, ProcessView


class Sampler:
    """Remembers the previous snapshot's counters to turn them into rates.

    Args:
        module_of: the module that owns a command ID (``clock`` for 10).
        parked_as: what to call a process parked in each mailbox mode (``receiving`` …);
            one not parked, or parked otherwise, shows its own status.
    """

    def __init__(self, module_of: Callable[[int], str], parked_as: Mapping[int, str]) -> None:
        self._module_of = module_of
        self._parked_as = parked_as
        self._time = 0.0
        self._messages = 0
        self._commands = 0
        self._received: dict[str, int] = {}
        self._by_module: dict[str, int] = {}

    def sample(self, node: NodeView) -> NodeStatistics:
        """Take a snapshot of ``node``."""
        now = trio.current_time()
        elapsed = max(now - (self._time or node.started_at), 1e-9)
        live = node.processes()
        procs = tuple(self._info(proc, elapsed) for proc in live)
        by_module = self.commands_by_module(node)
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
            inflight_by_module=self._inflight_by_module(live),
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

    def _info(self, proc: ProcessView, elapsed: float) -> ProcessInfo:
        pid = str(proc.pid)
        received = proc.mailbox.received
        return ProcessInfo(
            pid=pid,
            name=proc.name,
            label=proc.label,
            function=proc.function,
            status=self._parked_as.get(proc.mailbox.parked_mode(), proc.status),
            mailbox=len(proc.mailbox),
            current=_describe(proc.current),
            received=received,
            message_rate=(received - self._received.get(pid, 0)) / elapsed,
            parent=str(proc.parent) if proc.parent is not None else None,
        )

    def commands_by_module(self, node: NodeView) -> dict[str, int]:
        """Commands run since boot, by the module that owns their ID range."""
        counts: dict[str, int] = {}
        for cid, count in enumerate(node.command_counts):
            if count:
                module = self._module_of(cid)
                counts[module] = counts.get(module, 0) + count
        for cid, count in node.custom_counts.items():
            module = self._module_of(cid)
            counts[module] = counts.get(module, 0) + count
        return counts

    def _inflight_by_module(self, procs: Sequence[ProcessView]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for proc in procs:
            cid = getattr(type(proc.current), "ID", None)
            if isinstance(cid, int):
                module = self._module_of(cid)
                counts[module] = counts.get(module, 0) + 1
        return counts


def _describe(cmd: object) -> str | None:
    if cmd is None:
        return None
    return f"{type(cmd).__name__} (id={getattr(type(cmd), 'ID', '?')})"
