"""Three nodes as separate OS processes on loopback, with a driver node in the test.

A node killed with SIGKILL is declared down within the bound: monitors on the other nodes
fire with ``noconnection``, its cluster-wide names are released and its virtual actors are
activated again elsewhere. A node stopped with SIGSTOP past the bound is handled as down;
after SIGCONT it finds itself fenced and stops, and nothing it sent after being declared
down is delivered.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import trio

from actorkit import Exit, Node, Process
from actorkit.errors import NoProcessError
from actorkit.modules import cluster
from actorkit.modules.cluster.state import STATE
from actorkit.modules.process import Monitor

from ._cluster import cluster_name, open_cluster, redis_url, wait_members

__all__ = ["cluster_name"]

ROOT = Path(__file__).resolve().parents[2]
DOWN_AFTER = 3.0
NODES = ("n1", "n2", "n3")


class OsNode:
    """A node running ``tests.cluster._node_main`` in its own OS process."""

    def __init__(self, name: str, process: trio.Process, log: Path) -> None:
        self.name = name
        self.process = process
        self.log = log

    def signal(self, sig: signal.Signals) -> None:
        """Send ``sig`` to the node's OS process."""
        self.process.send_signal(sig)

    def output(self) -> str:
        """What the node printed so far."""
        return self.log.read_text(errors="replace")


async def start_node(
    name: str, cluster_arg: str, driver: Node, report: Process, tmp: Path
) -> OsNode:
    """Start one OS node that reports ``ready`` to ``report``."""
    log = tmp / f"{name}.log"
    pid_text = STATE.get(driver).codec.pid_text(report.pid)
    args = [sys.executable, "-m", "tests.cluster._node_main", name, cluster_arg]
    args += [redis_url(), str(DOWN_AFTER), pid_text]
    with log.open("wb") as out:
        process = await trio.lowlevel.open_process(
            args, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ}
        )
    return OsNode(name, process, log)


@asynccontextmanager
async def os_cluster(name: str, tmp: Path) -> AsyncGenerator[tuple[Node, Process, dict[str, Any]]]:
    """The driver node, a process of it, and the three OS nodes, each ready."""
    async with open_cluster(name, ["driver"], functions={}) as (driver,), driver.process() as proc:
        nodes = {n: await start_node(n, name, driver, proc, tmp) for n in NODES}
        try:
            ready = {(await proc.receive("ready")).payload for _ in NODES}
            assert ready == set(NODES)
            await wait_members(driver, {"driver", *NODES})
            yield driver, proc, nodes
        finally:
            for node in nodes.values():
                if node.process.returncode is None:
                    node.signal(signal.SIGKILL)
                await node.process.wait()


async def svc(proc: Process, node: str) -> Any:
    pid = await proc.call(cluster.WhereIs(f"svc-{node}"))
    assert pid is not None
    return pid


async def test_messages_spawn_names_groups_and_virtual_actors_across_os_processes(
    cluster_name: str, tmp_path: Path
) -> None:
    async with os_cluster(cluster_name, tmp_path) as (_driver, proc, _nodes):
        for node in NODES:
            assert await proc.request(await svc(proc, node), "q", [node, 1]) == [node, [node, 1]]
        members = await proc.call(cluster.Members("svcs"))
        assert sorted(pid.node for pid in members) == list(NODES)
        assert await proc.call(cluster.Broadcast("svcs", "hello")) == 3
        spawned = await proc.call(cluster.Spawn("n2", "echo", monitor=True))
        assert spawned.node == "n2"
        assert await proc.request(spawned, "q", {"x": (1, 2)}) == {"x": [1, 2]}
        for node in NODES:
            await proc.call(cluster.Spawn(node, "place", (f"key-{node}", proc.pid)))
            assert (await proc.receive("placed")).payload == [node, 1]
        for node in NODES:
            answer = await cluster.request_virtual(proc, "counter", f"key-{node}", "inc")
            assert answer == [node, 2]


async def test_sigkill_fires_monitors_releases_names_and_moves_virtual_actors(
    cluster_name: str, tmp_path: Path
) -> None:
    async with os_cluster(cluster_name, tmp_path) as (driver, proc, nodes):
        victim = await svc(proc, "n1")
        await proc.call(Monitor(victim))
        await proc.call(cluster.Spawn("n2", "watch", (victim, proc.pid)))
        await proc.receive("watching")
        await proc.call(cluster.Spawn("n1", "place", ("grain", proc.pid)))
        assert (await proc.receive("placed")).payload == ["n1", 1]

        nodes["n1"].signal(signal.SIGKILL)
        with trio.fail_after(DOWN_AFTER * 3):  # declared down within the bound, plus slack
            ended = await proc.receive(kind=Exit)
            watched = await proc.receive("watched")
        assert (ended.pid, ended.reason) == (victim, "noconnection")
        assert watched.payload == "noconnection"  # seen on n2, another OS process
        await wait_members(driver, {"driver", "n2", "n3"})
        assert await proc.call(cluster.WhereIs("svc-n1")) is None
        assert victim not in await proc.call(cluster.Members("svcs"))
        node, count = await cluster.request_virtual(proc, "counter", "grain", "inc")
        assert node != "n1"
        assert count == 1  # a fresh activation: its state died with n1


async def test_sigstop_past_the_bound_is_a_down_node_and_it_is_fenced_on_sigcont(
    cluster_name: str, tmp_path: Path
) -> None:
    async with os_cluster(cluster_name, tmp_path) as (driver, proc, nodes):
        old_svc = await svc(proc, "n1")
        ticker = await proc.call(cluster.Spawn("n1", "ticker", (proc.pid,), monitor=True))
        await proc.receive("tick")
        nodes["n1"].signal(signal.SIGSTOP)
        with trio.fail_after(DOWN_AFTER * 3):
            ended = await proc.receive(kind=Exit)
        assert (ended.pid, ended.reason) == (ticker, "noconnection")
        before = await _drain(proc)  # every tick pushed before the down came before the notice

        nodes["n1"].signal(signal.SIGCONT)
        with trio.fail_after(DOWN_AFTER * 5):
            code = await nodes["n1"].process.wait()
        assert code != 0
        assert "declared down" in nodes["n1"].output()
        assert await _drain(proc) == []  # nothing n1 sent after it was declared down arrived
        assert before == sorted(before)

        await wait_members(driver, {"driver", "n2", "n3"})
        nodes["n1"] = await start_node("n1", cluster_name, driver, proc, tmp_path)
        assert (await proc.receive("ready")).payload == "n1"  # a new life of the name
        await wait_members(driver, {"driver", *NODES})
        new_svc = await svc(proc, "n1")
        assert new_svc != old_svc
        with pytest.raises(NoProcessError):
            await proc.send(old_svc, "x")  # a PID of the old life names nobody


async def _drain(proc: Process) -> list[int]:
    """The ticks queued now, without waiting for more."""
    ticks: list[int] = []
    while True:
        try:
            msg = await proc.receive("tick", timeout=0)
        except trio.TooSlowError:
            return ticks
        ticks.append(msg.payload)  # type: ignore[arg-type]
