"""One cluster node as its own OS process, for the multi-process tests.

``python -m tests.cluster._node_main NAME CLUSTER URL DOWN_AFTER REPORT``: boots a node
named NAME in CLUSTER with the functions and virtual kinds below (placement ``local``),
starts a service registered as ``svc-NAME`` (in the group ``svcs``) that echoes requests,
and tells the process REPORT (a PID in the cluster's text form) ``ready`` with its PID.
Runs until killed; a node fenced by the cluster exits with the FencedError.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable

import trio

from actorkit import PID, Exit, Process, Request, open_node
from actorkit.modules import cluster
from actorkit.modules.process import Monitor


async def service(proc: Process, name: str, report: PID) -> None:
    """Register, join ``svcs``, report ready, then answer requests with ``(name, payload)``."""
    assert await proc.call(cluster.Register(f"svc-{name}"))
    await proc.call(cluster.Join("svcs"))
    await proc.send(report, "ready", name)
    while True:
        msg = await proc.receive()
        if isinstance(msg, Request):
            proc.reply(msg, (name, msg.payload))


async def echo(proc: Process) -> None:
    """Answer requests with their payload."""
    while True:
        msg = await proc.receive()
        if isinstance(msg, Request):
            proc.reply(msg, msg.payload)


async def watch(proc: Process, target: PID, report: PID) -> None:
    """Monitor ``target``, say so, and report the reason of its Exit."""
    await proc.call(Monitor(target))
    await proc.send(report, "watching")
    ended = await proc.receive(kind=Exit)
    await proc.send(report, "watched", ended.reason)


async def ticker(proc: Process, report: PID) -> None:
    """Send ``tick`` with a growing number to ``report`` every 20 ms."""
    n = 0
    while True:
        n += 1
        await proc.send(report, "tick", n)
        await trio.sleep(0.02)


async def place(proc: Process, key: str, report: PID) -> None:
    """Ask the virtual counter ``key`` once (placing it on this node), report its answer."""
    await proc.send(report, "placed", await cluster.request_virtual(proc, "counter", key, "inc"))


async def counter(proc: Process, key: str) -> None:
    """A virtual counter: answer a request with (its node, the count so far)."""
    count = 0
    while True:
        msg = await proc.receive()
        count += 1
        if isinstance(msg, Request):
            proc.reply(msg, (proc.pid.node, count))


FUNCTIONS: dict[str, Callable[..., Awaitable[object]]] = {
    "echo": echo,
    "watch": watch,
    "ticker": ticker,
    "place": place,
}
VIRTUAL = {"counter": counter}


async def main(name: str, cluster_name: str, url: str, down_after: float, report: str) -> None:
    """Boot the node and serve until killed."""
    comp = cluster.module(
        url,
        cluster=cluster_name,
        down_after=down_after,
        functions=FUNCTIONS,
        virtual=VIRTUAL,
        placement="local",
    )
    async with open_node(name=name, modules=[comp], shutdown_grace=0.5) as node:
        node.spawn(service, name, cluster.Codec(name, 0).parse_pid(report))
        await trio.sleep_forever()


if __name__ == "__main__":
    node_name, cluster_arg, url_arg, bound, report_arg = sys.argv[1:6]
    trio.run(main, node_name, cluster_arg, url_arg, float(bound), report_arg)
