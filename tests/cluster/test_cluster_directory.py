"""Cluster-wide names and groups."""

from __future__ import annotations

from actorkit import Process
from actorkit.modules import cluster

from ._cluster import cluster_name, expect_event, open_cluster

__all__ = ["cluster_name"]


async def holder(proc: Process, name: str, report: object) -> None:
    """Try to register ``name``, report the outcome, then wait to be told to stop."""
    got = await proc.call(cluster.Register(name))
    await proc.send(report, "registered", got)  # type: ignore[arg-type]
    await proc.receive("stop")


async def member(proc: Process, group: str, report: object) -> None:
    """Join ``group``, report, then pass on what arrives until told to stop."""
    await proc.call(cluster.Join(group))
    await proc.send(report, "joined")  # type: ignore[arg-type]
    while (msg := await proc.receive()).topic != "stop":
        await proc.send(report, "got", (str(proc.pid), msg.payload))  # type: ignore[arg-type]


async def test_a_name_is_held_once_cluster_wide_and_released_on_exit(cluster_name: str) -> None:
    async with open_cluster(cluster_name, ["a", "b"]) as (a, b), a.process() as proc:
        first = a.spawn(holder, "svc", proc.pid)
        assert (await proc.receive("registered")).payload is True
        second = b.spawn(holder, "svc", proc.pid)
        assert (await proc.receive("registered")).payload is False
        assert await proc.call(cluster.WhereIs("svc")) == first
        async with expect_event(a, "cluster", "released") as released:
            await proc.send(first, "stop")
            await released.wait()
        assert await proc.call(cluster.WhereIs("svc")) is None
        third = b.spawn(holder, "svc", proc.pid)
        assert (await proc.receive("registered")).payload is True
        assert await proc.call(cluster.WhereIs("svc")) == third
        await proc.send(second, "stop")
        await proc.send(third, "stop")


async def test_unregister_releases_only_a_name_the_caller_holds(cluster_name: str) -> None:
    async with open_cluster(cluster_name, ["a", "b"]) as (a, b), a.process() as proc:
        assert await proc.call(cluster.Register("mine")) is True
        async with b.process() as other:
            assert await other.call(cluster.Unregister("mine")) is False
        assert await proc.call(cluster.WhereIs("mine")) == proc.pid
        assert await proc.call(cluster.Unregister("mine")) is True
        assert await proc.call(cluster.WhereIs("mine")) is None


async def test_a_group_spans_nodes_and_broadcast_reaches_every_member(cluster_name: str) -> None:
    async with open_cluster(cluster_name, ["a", "b", "c"]) as (a, b, c), a.process() as proc:
        pids = [node.spawn(member, "g", proc.pid) for node in (a, b, c)]
        for _ in pids:
            await proc.receive("joined")
        assert await proc.call(cluster.Members("g")) == tuple(pids)
        assert await proc.call(cluster.Broadcast("g", "hello", 7)) == 3
        got: set[tuple[object, ...]] = set()
        for _ in pids:
            payload: list[object] = (await proc.receive("got")).payload  # type: ignore[assignment]
            got.add(tuple(payload))
        assert got == {(str(pid), 7) for pid in pids}
        async with expect_event(b, "cluster", "released") as released:
            await proc.send(pids[1], "stop")
            await released.wait()
        assert await proc.call(cluster.Members("g")) == (pids[0], pids[2])
        assert await proc.call(cluster.Leave("g")) is False
