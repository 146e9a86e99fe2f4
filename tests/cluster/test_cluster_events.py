"""The event bus forwards chosen systems to every node of the cluster."""

from __future__ import annotations

import trio

from actorkit.modules import event

from ._cluster import cluster_name, open_cluster

__all__ = ["cluster_name"]


async def test_a_forwarded_system_reaches_subscribers_on_other_nodes_once(
    cluster_name: str,
) -> None:
    async with (
        open_cluster(
            cluster_name, ["a", "b"], extra=[event.module()], forward_events=["orders"]
        ) as (a, b),
        a.process() as pub,
        b.process() as sub,
        a.process() as local_sub,
    ):
        await sub.call(event.Subscribe("*"))
        await local_sub.call(event.Subscribe("orders"))
        await pub.call(event.Send("private", "noise", "x", 0))  # not forwarded
        await pub.call(event.Send("orders", "placed", "o-1", {"n": 1}))
        got = await sub.receive(kind=event.BusEvent)
        assert (got.system, got.kind, got.path, got.data) == ("orders", "placed", "o-1", {"n": 1})
        mine = await local_sub.receive(kind=event.BusEvent)
        assert mine.path == "o-1"
        with trio.move_on_after(0.2):  # nothing more: no echo back, no private event
            extra = await sub.receive(kind=event.BusEvent)
            raise AssertionError(f"unexpected {extra}")
        with trio.move_on_after(0.05):
            extra = await local_sub.receive(kind=event.BusEvent)
            raise AssertionError(f"unexpected {extra}")
