"""Monitors, links, cancels and remote spawn across nodes; a node leaving."""

from __future__ import annotations

import pytest

from actorkit import PID, Exit, LinkDown, Process, open_node
from actorkit.errors import CancelRequested, LinkedExitError
from actorkit.lowlevel import trap_links
from actorkit.modules import cluster
from actorkit.modules.process import Cancel, Link, Monitor, Terminate, Unmonitor

from ._cluster import cluster_name, open_cluster, redis_url, wait_members

__all__ = ["cluster_name"]


async def worker(proc: Process) -> str:
    """Exit as told: ``stop`` normally, ``crash`` with an error; a Cancel ends it too."""
    msg = await proc.receive()
    if msg.topic == "crash":
        raise ValueError("boom")
    return "done"


async def linked_to(proc: Process, target: PID, notify: PID) -> None:
    """Link to ``target`` (on another node), tell ``notify``, and wait forever."""
    await proc.call(Link(target))
    await proc.send(notify, "linked")
    await proc.receive("never")


async def pong(proc: Process) -> None:
    """Answer one request."""
    msg = await proc.receive()
    proc.reply(msg, "pong")


FUNCTIONS = {"worker": worker}


async def test_a_monitor_sees_a_remote_exit_with_its_reason_and_error(cluster_name: str) -> None:
    async with open_cluster(cluster_name, ["a", "b"]) as (a, b):
        normal, crash = b.spawn(worker), b.spawn(worker)
        async with a.process() as proc:
            await proc.call(Monitor(normal))
            await proc.call(Monitor(crash))
            await proc.send(normal, "stop")
            await proc.send(crash, "crash")
            exits = {e.pid: e for e in [await proc.receive(kind=Exit) for _ in range(2)]}
        assert exits[normal].reason == "normal"
        assert exits[crash].reason == "error"
        error = exits[crash].error
        assert isinstance(error, cluster.RemoteError)
        assert error.kind == "builtins.ValueError"
        assert "boom" in str(error)


async def test_monitoring_a_gone_remote_process_gives_noproc(cluster_name: str) -> None:
    async with open_cluster(cluster_name, ["a", "b"]) as (a, b):
        gone = b.spawn(worker)
        await b.send(gone, "stop")
        await b.wait(gone)
        async with a.process() as proc:
            await proc.call(Monitor(gone))
            exit_ = await proc.receive(kind=Exit)
        assert (exit_.pid, exit_.reason) == (gone, "noproc")


async def test_an_unmonitored_exit_is_not_delivered(cluster_name: str) -> None:
    async with open_cluster(cluster_name, ["a", "b"]) as (a, b):
        target, other = b.spawn(worker), b.spawn(worker)
        async with a.process() as proc:
            await proc.call(Monitor(target))
            await proc.call(Monitor(other))
            assert await proc.call(Unmonitor(target)) is True
            await proc.send(target, "stop")
            await b.wait(target)
            await proc.send(other, "stop")  # same route, later: its Exit comes after
            exit_ = await proc.receive(kind=Exit)
        assert exit_.pid == other


async def test_a_remote_crash_ends_a_linked_process_and_a_trapping_one_hears_it(
    cluster_name: str,
) -> None:
    async with open_cluster(cluster_name, ["a", "b"]) as (a, b):
        target = b.spawn(worker)
        async with a.process() as proc:
            linked = a.spawn(linked_to, target, proc.pid)
            trap_links(proc)
            await proc.call(Link(target))
            await proc.call(Monitor(linked))
            await proc.receive("linked")
            await proc.send(target, "crash")
            down = await proc.receive(kind=LinkDown)
            ended = await proc.receive(kind=Exit)
        assert down.pid == target
        assert "boom" in str(down.error)
        assert ended.pid == linked
        assert isinstance(ended.error, LinkedExitError)


async def test_a_local_crash_reaches_a_remote_linked_process(cluster_name: str) -> None:
    async with open_cluster(cluster_name, ["a", "b"]) as (a, b):
        local = a.spawn(worker)
        async with a.process() as proc:
            remote = b.spawn(linked_to, local, proc.pid)
            await proc.call(Monitor(remote))
            await proc.receive("linked")
            await proc.send(local, "crash")
            ended = await proc.receive(kind=Exit)
        assert ended.pid == remote
        assert ended.reason == "linked"


async def test_cancel_reaches_a_remote_process(cluster_name: str) -> None:
    async with open_cluster(cluster_name, ["a", "b"]) as (a, b):
        target = b.spawn(worker)
        async with a.process() as proc:
            await proc.call(Monitor(target))
            await proc.call(Cancel(target, "enough"))
            ended = await proc.receive(kind=Exit)
        assert ended.reason == "cancelled"


async def test_remote_spawn_runs_a_registered_function_and_links_it(cluster_name: str) -> None:
    async with (
        open_cluster(cluster_name, ["a", "b"], functions=FUNCTIONS) as (a, _b),
        a.process() as proc,
    ):
        trap_links(proc)
        pid = await proc.call(cluster.Spawn("b", "worker", link=True, monitor=True))
        assert pid.node == "b"
        await proc.send(pid, "crash")
        down = await proc.receive(kind=LinkDown)
        ended = await proc.receive(kind=Exit)
        assert down.pid == ended.pid == pid
        with pytest.raises(cluster.RemoteError, match="no process function 'nope'"):
            await proc.call(cluster.Spawn("b", "nope"))
        with pytest.raises(cluster.NodeDownError, match="'z'"):
            await proc.call(cluster.Spawn("z", "worker"))
        with pytest.raises(cluster.ClusterArgumentError, match=r"Spawn.*function"):
            cluster.Spawn("b", "")


async def test_a_node_that_shuts_down_delivers_its_exits_then_leaves(cluster_name: str) -> None:
    async with open_cluster(cluster_name, ["a"]) as (a,), a.process() as proc:
        trap_links(proc)
        comp = cluster.module(redis_url(), cluster=cluster_name, down_after=3.0)
        async with open_node(name="b", modules=[comp], shutdown_grace=1.0) as b:
            await wait_members(a, {"a", "b"})
            target, ponger = b.spawn(worker), b.spawn(pong)
            await proc.call(Monitor(target))
            await proc.call(Link(target))
            await proc.request(ponger, "ping")  # b has the monitor and the link: same route
        ended = await proc.receive(kind=Exit)  # b cancelled its processes, then left
        down = await proc.receive(kind=LinkDown)
        await wait_members(a, {"a"})
        with pytest.raises(cluster.NodeDownError):
            await proc.call(cluster.Spawn("b", "worker"))
    assert (ended.pid, ended.reason) == (target, "cancelled")
    assert down.pid == target


async def stubborn(proc: Process) -> None:
    """Ignore Cancel: only a kill stops it."""
    while True:
        try:
            await proc.receive("never")
        except CancelRequested:
            continue


async def test_terminate_stops_a_remote_process_and_waits_for_its_exit(cluster_name: str) -> None:
    async with open_cluster(cluster_name, ["a", "b"]) as (a, b), a.process() as proc:
        polite, hard = b.spawn(worker), b.spawn(stubborn)
        await proc.call(Monitor(polite))
        await proc.call(Monitor(hard))
        assert await proc.call(Terminate(polite, "bye", grace=5.0)) is True
        assert (await proc.receive(kind=Exit)).reason == "cancelled"  # it took the Cancel
        assert await proc.call(Terminate(hard, "now", grace=0.05)) is True
        ended = await proc.receive(kind=Exit)
        assert (ended.pid, ended.reason) == (hard, "terminated")
        assert await proc.call(Terminate(hard)) is False  # already gone
