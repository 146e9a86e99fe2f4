"""A cluster: CPU-bound jobs spread over every node, one node per core.

Run it alone (one node) or as a cluster of nodes on this machine, joined through Redis::

    actorkit run examples/20_cluster.py:main
    actorkit run examples/20_cluster.py:main --nodes 2

Every node boots the program's ``FUNCTIONS``, so main (on node ``n0``) can spawn ``share``
on any of them by name: one remote spawn per node hands it its share of the jobs, which it
runs as processes of its own. Results come back as plain messages to main's PID.
"""

from collections import Counter

import actorkit
from actorkit import PID
from actorkit.modules import cluster


async def crunch(proc: actorkit.Process, size: int, report: PID) -> None:
    """A CPU-bound job: report a checksum of ``size`` steps, with this node's name."""
    total = 0
    for i in range(size):
        total = (total + i * i) % 1_000_003
    await proc.send(report, "done", (proc.pid.node, total))


async def share(proc: actorkit.Process, count: int, size: int, report: PID) -> None:
    """A node's share of the jobs: ``count`` of them, each a process on this node."""
    for _ in range(count):
        await proc.spawn(crunch, size, report)


FUNCTIONS = {"share": share}


async def main(proc: actorkit.Process, jobs: str = "16", size: str = "100000") -> str:
    try:
        nodes = cluster.live_nodes(proc.node)
    except cluster.ClusterError:  # not in a cluster: every job runs here
        nodes = (proc.node.name,)
    counts = Counter(nodes[i % len(nodes)] for i in range(int(jobs)))
    for node, count in counts.items():  # the other nodes first: jobs here hold this thread
        if node != proc.node.name:
            await proc.call(cluster.Spawn(node, "share", (count, int(size), proc.pid)))
    await proc.spawn(share, counts[proc.node.name], int(size), proc.pid)
    results: list[tuple[str, int]] = []
    for _ in range(int(jobs)):
        done: tuple[str, int] = (await proc.receive("done")).payload  # type: ignore[assignment]
        node, value = done  # a list when it came from another node
        results.append((node, value))
    per_node = Counter(node for node, _ in results)
    total = sum(value for _, value in results) % 1_000_003
    spread = ", ".join(f"{node}: {n}" for node, n in sorted(per_node.items()))
    return f"{jobs} jobs on {len(nodes)} node(s) ({spread}), checksum {total}"


if __name__ == "__main__":
    print(actorkit.run(main))
