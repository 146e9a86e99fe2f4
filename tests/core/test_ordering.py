"""Ordering: messages from one sender arrive in send order; senders may interleave."""

from __future__ import annotations

from typing import cast

import trio

import actorkit


async def collect(proc: actorkit.Process, count: int) -> list[tuple[str, object]]:
    got: list[tuple[str, object]] = []
    for _ in range(count):
        msg = await proc.receive()
        got.append((msg.topic, msg.payload))
    return got


async def send_numbers(proc: actorkit.Process, dest: actorkit.PID, topic: str, count: int) -> None:
    for number in range(count):
        await proc.send(dest, topic, number)


async def test_ordering_one_sender_arrives_in_send_order(node: actorkit.Node) -> None:
    async with node.process() as proc:
        receiver = await proc.spawn(collect, 100, monitor=True)
        for number in range(100):
            await proc.send(receiver, "n", number)
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.result == [("n", number) for number in range(100)]


async def test_ordering_holds_under_backpressure(node: actorkit.Node) -> None:
    async with node.process() as proc:
        receiver = await proc.spawn(collect, 50, monitor=True, mailbox_size=2)
        await proc.spawn(send_numbers, receiver, "n", 50)
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.result == [("n", number) for number in range(50)]


async def test_ordering_is_per_sender_across_two_senders(node: actorkit.Node) -> None:
    async with node.process() as proc:
        receiver = await proc.spawn(collect, 60, monitor=True, mailbox_size=4)
        await proc.spawn(send_numbers, receiver, "a", 30)
        await proc.spawn(send_numbers, receiver, "b", 30)
        exit_event = await proc.receive(kind=actorkit.Exit)
    got = cast("list[tuple[str, object]]", exit_event.result)
    for topic in ("a", "b"):
        assert [payload for t, payload in got if t == topic] == list(range(30))


async def test_ordering_from_outside_the_node(node: actorkit.Node) -> None:
    pid = node.spawn(collect, 20)
    exits: list[actorkit.Exit] = []

    async def wait_for_exit() -> None:
        exits.append(await node.wait(pid))

    async with trio.open_nursery() as nursery:
        nursery.start_soon(wait_for_exit)
        for number in range(20):
            await node.send(pid, "n", number)
    [exit_event] = exits
    assert exit_event.result == [("n", number) for number in range(20)]
