"""Virtual actors: activated on demand, once cluster-wide, deactivated when idle."""

from __future__ import annotations

import pytest
import trio

from actorkit import Exit, Process, Request
from actorkit.modules import cluster
from actorkit.modules.process import Monitor

from ._cluster import cluster_name, open_cluster

__all__ = ["cluster_name"]


async def counter(proc: Process, key: str) -> None:
    """Count what arrives; answer a request with (its PID text, the count so far)."""
    count = 0
    while True:
        msg = await proc.receive()
        count += 1
        if msg.topic == "crash":
            raise ValueError("crash")
        if isinstance(msg, Request):
            proc.reply(msg, (str(proc.pid), count))


VIRTUAL = {"counter": counter}


async def test_one_activation_serves_concurrent_callers_on_every_node(cluster_name: str) -> None:
    answers: list[tuple[str, int]] = []
    async with open_cluster(cluster_name, ["a", "b", "c"], virtual=VIRTUAL) as nodes:

        async def ask(node_index: int) -> None:
            async with nodes[node_index].process() as proc:
                for _ in range(10):
                    pid, count = await cluster.request_virtual(proc, "counter", "k", "inc")
                    answers.append((pid, count))

        async with trio.open_nursery() as nursery:
            for i in range(3):
                for _ in range(2):
                    nursery.start_soon(ask, i)
    assert len({pid for pid, _ in answers}) == 1
    assert sorted(n for _, n in answers) == list(range(1, 61))


async def test_send_virtual_reaches_the_activation_wherever_it_is(cluster_name: str) -> None:
    async with (
        open_cluster(cluster_name, ["a", "b"], virtual=VIRTUAL, placement="hash") as (a, b),
        a.process() as pa,
        b.process() as pb,
    ):
        for key in ("x", "y", "z", "w"):
            await pa.call(cluster.SendVirtual("counter", key, "inc"))
            await pb.call(cluster.SendVirtual("counter", key, "inc"))
        owners: set[str] = set()
        for key in ("x", "y", "z", "w"):
            pid, count = await cluster.request_virtual(pa, "counter", key, "get")
            assert count == 3
            owners.add(pid.split(".")[0])
        assert owners == {"<a", "<b"}  # the hash placement spread them


async def test_an_idle_activation_is_deactivated_and_comes_back_fresh(cluster_name: str) -> None:
    async with (
        open_cluster(cluster_name, ["a"], virtual=VIRTUAL, idle_after=0.2) as (a,),
        a.process() as proc,
    ):
        first, count = await cluster.request_virtual(proc, "counter", "k", "inc")
        assert count == 1
        pid = await proc.call(cluster.Locate("counter", "k"))
        await proc.call(Monitor(pid))
        ended = await proc.receive(kind=Exit)
        assert (ended.pid, ended.reason) == (pid, "cancelled")
        again, count = await cluster.request_virtual(proc, "counter", "k", "inc")
        assert (again != first, count) == (True, 1)


async def test_a_crashed_activation_is_activated_again_by_the_next_message(
    cluster_name: str,
) -> None:
    async with (
        open_cluster(cluster_name, ["a", "b"], virtual=VIRTUAL) as (a, _b),
        a.process() as proc,
    ):
        pid = await proc.call(cluster.Locate("counter", "k"))
        await proc.call(Monitor(pid))
        await proc.call(cluster.SendVirtual("counter", "k", "crash"))
        assert (await proc.receive(kind=Exit)).reason == "error"
        again, count = await cluster.request_virtual(proc, "counter", "k", "inc")
        assert again.split(".")[0] == str(pid).split(".")[0]  # the same node keeps the grain
        assert count == 1
        with pytest.raises(cluster.ClusterArgumentError, match="kind"):
            await proc.call(cluster.SendVirtual("nope", "k", "inc"))
