"""``actorkit run --nodes N``: N nodes on this machine joined in one cluster, one per core.

The command's own node (``n0``) runs main; it starts ``N - 1`` workers, each ``actorkit run
TARGET --join CLUSTER`` in its own OS process (a node with the program's components and
the cluster, and no main), waits until all have joined, runs main, then stops them with
SIGTERM. A worker that exits before it joined fails the run.
"""

from __future__ import annotations

import signal
import sys
import uuid
from collections.abc import AsyncGenerator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import trio

if TYPE_CHECKING:
    from actorkit import Component, Node

JOIN_TIMEOUT = 60.0


def cluster_name(given: str | None) -> str:
    """The cluster to form: the one given, or a fresh one for this run."""
    return given or f"run-{uuid.uuid4().hex[:8]}"


def cluster_component(
    url: str | None, name: str, functions: Mapping[str, Any], virtual: Mapping[str, Any]
) -> Component:
    """The cluster module for a node of the run (imported here: it needs the cluster extra)."""
    from actorkit.modules import cluster  # noqa: PLC0415 (optional extra)

    return cluster.module(url, cluster=name, functions=functions, virtual=virtual)


@asynccontextmanager
async def started_workers(
    target: str, count: int, name: str, url: str | None, options: Sequence[str]
) -> AsyncGenerator[list[trio.Process], None]:
    """Start ``count - 1`` worker nodes; stop them (SIGTERM, then SIGKILL) at the end."""
    workers: list[trio.Process] = []
    try:
        for i in range(1, count):
            args = [sys.executable, "-m", "actorkit", "run", target, "--join", name]
            args += ["--node-name", f"n{i}", *options]
            if url is not None:
                args += ["--redis", url]
            workers.append(await trio.lowlevel.open_process(args))
        yield workers
    finally:
        with trio.CancelScope(shield=True):
            await _stop(workers)


async def _stop(workers: list[trio.Process]) -> None:
    for worker in workers:
        if worker.returncode is None:
            worker.send_signal(signal.SIGTERM)
    with trio.move_on_after(JOIN_TIMEOUT):
        for worker in workers:
            await worker.wait()
    for worker in workers:
        if worker.returncode is None:
            worker.kill()
            await worker.wait()


async def wait_joined(node: Node, count: int, workers: list[trio.Process]) -> None:
    """Block until ``count`` nodes are in the cluster; fail if a worker exits first."""
    from actorkit.modules import cluster  # noqa: PLC0415 (optional extra)

    async with trio.open_nursery() as nursery:
        for worker in workers:
            nursery.start_soon(_exited_early, worker)
        with trio.fail_after(JOIN_TIMEOUT):
            await cluster.wait_nodes(node, count)
        nursery.cancel_scope.cancel()


async def _exited_early(worker: trio.Process) -> None:
    code = await worker.wait()
    raise RuntimeError(f"a worker node exited with code {code} before the cluster formed")
