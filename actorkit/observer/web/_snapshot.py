"""What the web view pushes: a node's statistics as JSON-ready data, with rates kept per
viewer and restarts counted per supervised child."""

from __future__ import annotations

from typing import Any

import attrs
import trio

from actorkit import Node
from actorkit.lowlevel import NodeVar, RuntimeEvent, add_listener, remove_listener

Json = dict[str, Any]
RESTARTS = NodeVar["RestartCounter"]("observer.web.restarts")


class RestartCounter:
    """Counts ``supervisor.restart`` runtime events by child (``<supervisor>/<child id>``,
    the label a supervised process carries)."""

    def __init__(self) -> None:
        self.by_child: dict[str, int] = {}
        self.users = 0

    def __call__(self, event: RuntimeEvent) -> None:
        if event.system == "supervisor" and event.kind == "restart":
            self.by_child[event.path] = self.by_child.get(event.path, 0) + 1


def watch_restarts(node: Node) -> None:
    """Start counting restarts per child on ``node`` (counted: call :func:`unwatch` once
    per call)."""
    counter = RESTARTS.setdefault(node, RestartCounter)
    if counter.users == 0:
        add_listener(node, counter)
    counter.users += 1


def unwatch_restarts(node: Node) -> None:
    """Undo one :func:`watch_restarts`."""
    counter = RESTARTS.find(node)
    if counter is None or counter.users == 0:
        return
    counter.users -= 1
    if counter.users == 0:
        remove_listener(node, counter)


@attrs.define
class Rates:
    """One viewer's previous counters, to turn the node's totals into rates."""

    time: float = 0.0
    messages: int = 0
    commands: int = 0
    received: dict[str, int] = attrs.field(factory=dict[str, int])
    by_module: dict[str, int] = attrs.field(factory=dict[str, int])

    def per_second(self, now: float, total: int, before: int) -> float:
        return round((total - before) / max(now - self.time, 1e-9), 1) if self.time else 0.0


def snapshot(node: Node, rates: Rates) -> Json:
    """The node now, as plain data: summary, processes (with restarts and message rates),
    the spawn tree and per-module in-flight commands. Updates ``rates``."""
    stats = node.statistics()
    now = trio.current_time()
    counter = RESTARTS.find(node)
    restarts = counter.by_child if counter is not None else {}
    procs = [
        {
            **attrs.asdict(info),
            "message_rate": rates.per_second(now, info.received, rates.received.get(info.pid, 0)),
            "restarts": restarts.get(info.label or "", 0),
        }
        for info in stats.processes
    ]
    data: Json = {
        "node": stats.node,
        "uptime": round(stats.uptime, 1),
        "process_count": stats.process_count,
        "spawned": stats.spawned,
        "messages": stats.messages,
        "commands": stats.commands,
        "dead_letters": stats.dead_letters,
        "restarts": stats.restarts,
        "messages_per_second": rates.per_second(now, stats.messages, rates.messages),
        "commands_per_second": rates.per_second(now, stats.commands, rates.commands),
        "inflight_by_module": stats.inflight_by_module,
        "command_rates_by_module": {
            module: rates.per_second(now, count, rates.by_module.get(module, 0))
            for module, count in stats.commands_by_module.items()
        },
        "events": stats.events,
        "processes": procs,
        "tree": tree(procs),
    }
    rates.time, rates.messages, rates.commands = now, stats.messages, stats.commands
    rates.by_module = dict(stats.commands_by_module)
    received: dict[str, int] = {info.pid: info.received for info in stats.processes}
    rates.received = received
    return data


def tree(procs: list[Json]) -> list[Json]:
    """The spawn tree (a supervision tree shows as supervisors over their children):
    ``[{"pid": ..., "children": [...]}, ...]`` from the roots down."""
    known = {p["pid"] for p in procs}
    children: dict[str | None, list[str]] = {}
    for proc in procs:
        parent = proc["parent"] if proc["parent"] in known else None
        children.setdefault(parent, []).append(proc["pid"])

    def branch(pid: str) -> Json:
        return {"pid": pid, "children": [branch(c) for c in children.get(pid, [])]}

    return [branch(root) for root in children.get(None, [])]
