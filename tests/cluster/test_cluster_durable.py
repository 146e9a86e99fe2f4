"""Durable virtual actors: a kind whose activations are workflows keeps its state when
the node running it goes away, and another node of the cluster resumes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from actorkit import Component, Process, open_node
from actorkit.modules import cluster, sql, workflow

from ._cluster import cluster_name, redis_url, wait_members

__all__ = ["cluster_name"]


async def account(proc: Process, key: str) -> int:
    """Add up deposits (journaled signals) until a deposit of 0 closes the account."""
    balance = 0
    while (amount := await proc.call(workflow.Receive("deposit"))) != 0:
        balance += amount
        workflow.publish(proc, balance)
    return balance


def modules(name: str, db: Path) -> list[Component]:
    return [
        sql.sqlite("wf", str(db)),
        workflow.module("wf", workflows={"account": account}, lease=0.5, poll=0.05),
        cluster.module(
            redis_url(), cluster=name, down_after=3.0, virtual={"acct": cluster.durable("account")}
        ),
    ]


async def test_a_durable_virtual_actor_keeps_its_state_when_its_node_goes(
    cluster_name: str, tmp_path: Path
) -> None:
    db = tmp_path / "journal.db"
    async with open_node(name="b", modules=modules(cluster_name, db)) as b:
        async with open_node(name="a", modules=modules(cluster_name, db)) as a:
            await wait_members(b, {"a", "b"})
            async with a.process() as proc:
                await cluster.send_virtual(proc, "acct", "ada", "deposit", 5)
                await cluster.send_virtual(proc, "acct", "ada", "deposit", 7)
                info = await proc.call(workflow.Describe("acct/ada"))
                assert info.status == "running"
        # a is gone; the account is resumed on b from its journal, deposits and all
        async with b.process() as proc:
            await cluster.send_virtual(proc, "acct", "ada", "deposit", 30)
            await cluster.send_virtual(proc, "acct", "ada", "deposit", 0)
            assert await workflow.result(proc, "acct/ada") == 42
            with pytest.raises(cluster.ClusterArgumentError, match="durable"):
                await proc.call(cluster.SendVirtual("acct", "ada", "deposit", 1))
