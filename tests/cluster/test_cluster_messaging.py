"""Messages, requests and replies between nodes of one cluster (in one Trio run)."""

from __future__ import annotations

import pytest
import trio

from actorkit import PID, Process, Request
from actorkit.errors import NoProcessError
from actorkit.modules import cluster
from actorkit.modules.cluster.state import STATE
from actorkit.redis import Redis

from ._cluster import cluster_name, members, open_cluster, redis_url

__all__ = ["cluster_name"]


async def echo(proc: Process) -> None:
    """Answer requests with what they carried; send plain messages back to their sender."""
    while True:
        msg = await proc.receive()
        if isinstance(msg, Request):
            if msg.topic == "slow":
                await proc.receive("go")
            proc.reply(msg, ("echo", msg.payload))
        elif msg.sender is not None:
            await proc.send(msg.sender, "back", msg.payload)


async def test_messages_between_two_nodes_keep_order_and_travel_in_batches(
    cluster_name: str,
) -> None:
    async with open_cluster(cluster_name, ["a", "b"]) as (a, b):
        target = b.spawn(echo)
        async with a.process() as proc:
            for i in range(500):
                await proc.send(target, "n", i)
            got = [(await proc.receive("back")).payload for _ in range(500)]
        assert got == list(range(500))
        outbox = STATE.get(a).outbox
        assert outbox.pushed >= 500
        assert outbox.batches < outbox.pushed / 5  # many frames ride one push


async def test_a_request_gets_its_reply_and_pids_cross_inside_payloads(cluster_name: str) -> None:
    async with open_cluster(cluster_name, ["a", "b"]) as (a, b):
        target = b.spawn(echo)
        async with a.process() as proc:
            answer = await proc.request(target, "q", {"me": proc.pid, "n": (1, 2)})
        assert answer == ["echo", {"me": proc.pid, "n": [1, 2]}]
        assert isinstance(answer[1]["me"], PID)
        assert answer[1]["me"].node == "a"


async def test_a_reply_after_the_timeout_is_dropped(cluster_name: str) -> None:
    async with open_cluster(cluster_name, ["a", "b"]) as (a, b):
        target = b.spawn(echo)
        async with a.process() as proc:
            with pytest.raises(trio.TooSlowError):
                await proc.request(target, "slow", 1, timeout=0.2)
            await proc.send(target, "go")  # the slow request is answered now, too late
            assert await proc.request(target, "q", 2) == ["echo", 2]
            assert await proc.request(target, "q", 3) == ["echo", 3]


async def test_a_payload_that_cannot_cross_fails_the_send(cluster_name: str) -> None:
    async with open_cluster(cluster_name, ["a", "b"]) as (a, b):
        target = b.spawn(echo)
        async with a.process() as proc:
            with pytest.raises(cluster.PayloadEncodeError, match=r"message 'x'.*object"):
                await proc.send(target, "x", object())
            await proc.send(target, "ok", 1)  # the node and the sender go on
            assert (await proc.receive("back")).payload == 1


async def test_a_pid_of_another_life_of_a_node_is_a_dead_letter(cluster_name: str) -> None:
    async with open_cluster(cluster_name, ["a", "b"]) as (a, b):
        target = b.spawn(echo)
        stale = PID("b", target.serial, STATE.get(b).creation + 100)
        async with a.process() as proc:
            with pytest.raises(NoProcessError, match="dead letter"):
                await proc.send(stale, "x", 1)
            with pytest.raises(NoProcessError):
                await proc.send(PID("nowhere", 1), "x", 1)


async def test_nodes_lists_every_member(cluster_name: str) -> None:
    async with open_cluster(cluster_name, ["a", "b", "c"]) as (a, _b, _c), a.process() as proc:
        assert await proc.call(cluster.Nodes()) == ("a", "b", "c")


async def test_a_node_rides_out_losing_its_redis_connections(cluster_name: str) -> None:
    async with open_cluster(cluster_name, ["a", "b"]) as (a, b):
        target = b.spawn(echo)
        async with a.process() as proc, Redis.open(redis_url()) as admin:
            assert await proc.request(target, "q", 1) == ["echo", 1]
            listing = await admin.execute("CLIENT", "LIST")
            assert isinstance(listing, bytes)
            ours = [
                line.split()[0].split(b"=")[1]
                for line in listing.splitlines()
                if f"name=actorkit-{cluster_name}-".encode() in line
            ]
            assert len(ours) >= 4  # both nodes' shared and blocking connections
            for client_id in ours:
                await admin.execute("CLIENT", "KILL", "ID", client_id)
            assert await proc.request(target, "q", 2) == ["echo", 2]
            for i in range(100):
                await proc.send(target, "n", i)
            assert [(await proc.receive("back")).payload for _ in range(100)] == list(range(100))
        assert members(a) == members(b) == {"a", "b"}


async def test_frames_that_cannot_be_applied_are_skipped_and_the_node_goes_on(
    cluster_name: str,
) -> None:
    async with open_cluster(cluster_name, ["a", "b"]) as (a, b):
        target = b.spawn(echo)
        inbox = f"ak:{{{cluster_name}}}:q:b"
        bad = [b"\xc1 not msgpack", b"\x91\x91\x63", b"\x91\x92\x00\x01"]  # [[99]], [[0, 1]]
        async with a.process() as proc, Redis.open(redis_url()) as admin:
            await admin.execute("RPUSH", inbox, *bad)
            assert await proc.request(target, "q", "after") == ["echo", "after"]
        assert STATE.get(b).bad_frames == 3
        assert members(a) == {"a", "b"}
