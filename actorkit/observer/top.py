"""``actorkit top``: a live table of a node's processes and supervision tree.

Attaches to a node that boots ``actorkit.observer(port=...)`` (or runs with
``actorkit run --observe PORT``) and redraws in place, like Erlang's observer in a terminal.
"""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Generator
from typing import Any, TextIO

Snapshot = dict[str, Any]
_CLEAR = "\x1b[H\x1b[2J"


def snapshots(host: str, port: int) -> Generator[Snapshot, None, None]:
    """Yield statistics snapshots from a node's observer endpoint until it closes."""
    with socket.create_connection((host, port), timeout=10.0) as sock, sock.makefile("r") as f:
        for line in f:
            yield json.loads(line)


def watch(host: str, port: int, *, once: bool = False, out: TextIO = sys.stdout) -> int:
    """Render snapshots as they arrive; ``once`` renders one and returns. Returns an exit code."""
    try:
        for snap in snapshots(host, port):
            if out.isatty() and not once:
                out.write(_CLEAR)
            out.write(render(snap))
            out.flush()
            if once:
                return 0
    except OSError as exc:
        print(f"actorkit top: cannot read {host}:{port}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0


def render(snap: Snapshot) -> str:
    """The text of one frame: summary, process table, supervision tree."""
    return "\n".join([*_summary(snap), "", *_table(snap), "", *_tree(snap), ""])


def _summary(snap: Snapshot) -> list[str]:
    inflight = ", ".join(f"{m}={n}" for m, n in sorted(snap["inflight_by_module"].items()))
    return [
        f"node {snap['node']}  up {snap['uptime']:.1f}s  processes {snap['process_count']}"
        f"  spawned {snap['spawned']}  restarts {snap['restarts']}"
        f"  dead letters {snap['dead_letters']}",
        f"messages {snap['messages']} ({snap['messages_per_second']:.0f}/s)"
        f"  commands {snap['commands']} ({snap['commands_per_second']:.0f}/s)"
        f"  in flight: {inflight or 'none'}",
        f"commands by module: {_by_module(snap) or 'none'}",
    ]


def _by_module(snap: Snapshot) -> str:
    rates = snap.get("command_rates_by_module", {})
    return ", ".join(
        f"{module}={count} ({rates.get(module, 0.0):.0f}/s)"
        for module, count in sorted(snap.get("commands_by_module", {}).items())
    )


_COLUMNS = "{pid:<14} {name:<20} {status:<10} {mailbox:>5} {rate:>8}  {current}"


def _table(snap: Snapshot) -> list[str]:
    rows = [
        _COLUMNS.format(
            pid="PID", name="NAME", status="STATUS", mailbox="MBOX", rate="MSG/S", current="CURRENT"
        )
    ]
    for proc in snap["processes"]:
        rows.append(
            _COLUMNS.format(
                pid=proc["pid"],
                name=(proc["name"] or proc.get("label") or proc["function"])[:20],
                status=proc["status"],
                mailbox=proc["mailbox"],
                rate=f"{proc['message_rate']:.0f}",
                current=proc["current"] or "",
            )
        )
    return rows


def _tree(snap: Snapshot) -> list[str]:
    procs = {p["pid"]: p for p in snap["processes"]}
    children: dict[str | None, list[str]] = {}
    for pid, proc in procs.items():
        parent = proc["parent"] if proc["parent"] in procs else None
        children.setdefault(parent, []).append(pid)
    lines = ["tree"]
    for root in children.get(None, []):
        lines.extend(_branch(root, procs, children, 1))
    return lines


def _branch(
    pid: str, procs: dict[str, Snapshot], children: dict[str | None, list[str]], depth: int
) -> list[str]:
    proc = procs[pid]
    lines = [f"{'  ' * depth}{pid} {proc['name'] or proc.get('label') or proc['function']}"]
    for child in children.get(pid, []):
        lines.extend(_branch(child, procs, children, depth + 1))
    return lines
