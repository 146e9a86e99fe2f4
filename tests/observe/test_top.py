"""The observer endpoint and ``actorkit top`` against a running node (real time, loopback)."""

from __future__ import annotations

import sys

import trio

import actorkit
from actorkit.cli import main
from actorkit.modules import clock
from actorkit.observer import observer_address
from actorkit.observer.top import render, snapshots
from actorkit.testing import open_test_node


async def _worker(proc: actorkit.Process) -> None:
    async for _ in proc.messages():
        pass


async def _supervisor_like(proc: actorkit.Process) -> None:
    await proc.spawn(_worker, name="worker-a", link=True)
    await proc.spawn(_worker, name="worker-b", link=True)
    await proc.call(clock.Sleep(3600))


async def test_top_once_shows_processes_and_tree() -> None:
    async with open_test_node(modules=[actorkit.observer(interval=0.05)]) as node:
        _, port = observer_address(node)
        node.spawn(_supervisor_like, name="root")
        await trio.testing.wait_all_tasks_blocked()
        result = await trio.run_process(
            [sys.executable, "-m", "actorkit.cli", "top", "--port", str(port), "--once"],
            capture_stdout=True,
        )
    frame = result.stdout.decode()
    assert "processes 3" in frame
    assert "root" in frame and "waiting" in frame and "Sleep (id=10)" in frame
    assert "commands by module: " in frame and "clock=" in frame
    tree = frame.split("tree\n", 1)[1].splitlines()
    assert tree[0].endswith("root")
    assert sorted(line.strip().split()[1] for line in tree[1:3]) == ["worker-a", "worker-b"]
    assert all(line.startswith("    ") for line in tree[1:3])


async def test_observer_streams_a_snapshot_per_interval() -> None:
    async with open_test_node(modules=[actorkit.observer(interval=0.01)]) as node:
        host, port = observer_address(node)
        pid = node.spawn(_worker)
        stream = snapshots(host, port)
        first = await trio.to_thread.run_sync(next, stream)
        await node.send(pid, "m", 1)
        second = await trio.to_thread.run_sync(next, stream)
        stream.close()
    assert first["messages"] == 0
    assert second["messages"] == 1
    assert "MSG/S" in render(second)


def test_top_reports_an_unreachable_node() -> None:
    assert main(["top", "--port", "1", "--once"]) == 1
