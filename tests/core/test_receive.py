"""Selective receive: take the first matching event, keep the rest queued in order."""

from __future__ import annotations

import pytest
import trio
import trio.testing

import actorkit


async def drain_payloads(proc: actorkit.Process, count: int) -> list[object]:
    return [(await proc.receive()).payload for _ in range(count)]


async def test_receive_by_topic_keeps_the_rest_in_order(node: actorkit.Node) -> None:
    async with node.process() as proc:
        for topic, payload in [("a", 1), ("b", 2), ("c", 3), ("b", 4), ("a", 5)]:
            proc.send_nowait(proc.pid, topic, payload)
        taken = await proc.receive(topic="b")
        rest = await drain_payloads(proc, 4)
    assert (taken.topic, taken.payload) == ("b", 2)
    assert rest == [1, 3, 4, 5]


async def test_receive_by_predicate_keeps_the_rest_in_order(node: actorkit.Node) -> None:
    async with node.process() as proc:
        for payload in range(6):
            proc.send_nowait(proc.pid, "n", payload)
        taken = await proc.receive(match=lambda msg: msg.payload == 3)
        rest = await drain_payloads(proc, 5)
    assert taken.payload == 3
    assert rest == [0, 1, 2, 4, 5]


async def test_receive_topic_and_predicate_must_both_match(node: actorkit.Node) -> None:
    async with node.process() as proc:
        proc.send_nowait(proc.pid, "a", 7)
        proc.send_nowait(proc.pid, "b", 1)
        proc.send_nowait(proc.pid, "b", 7)
        taken = await proc.receive("b", match=lambda msg: msg.payload == 7)
        rest = await drain_payloads(proc, 2)
    assert (taken.topic, taken.payload) == ("b", 7)
    assert rest == [7, 1]


async def test_receive_message_kind_skips_other_events(node: actorkit.Node) -> None:
    async with node.process() as proc:
        await proc.monitor(actorkit.PID("test", 999))
        proc.send_nowait(proc.pid, "m", 1)
        msg = await proc.receive()
        event = await proc.receive(kind=actorkit.Event)
    assert msg.payload == 1
    assert isinstance(event, actorkit.Exit)


async def test_receive_waits_for_a_match_and_queues_others(node: actorkit.Node) -> None:
    async with node.process() as proc:
        received: list[actorkit.Message] = []

        async def receiver() -> None:
            received.append(await proc.receive(topic="wanted"))

        async with trio.open_nursery() as nursery:
            nursery.start_soon(receiver)
            await trio.testing.wait_all_tasks_blocked()
            await node.send(proc.pid, "other", 1)
            await trio.testing.wait_all_tasks_blocked()
            assert received == []
            await node.send(proc.pid, "wanted", 2)
        leftover = await proc.receive()
    assert [msg.payload for msg in received] == [2]
    assert leftover.payload == 1


async def test_receive_timeout_raises_too_slow_and_keeps_queue(node: actorkit.Node) -> None:
    async with node.process() as proc:
        proc.send_nowait(proc.pid, "other", 1)
        start = trio.current_time()
        with pytest.raises(trio.TooSlowError):
            await proc.receive(topic="never", timeout=2.5)
        elapsed = trio.current_time() - start
        leftover = await proc.receive(timeout=0)
    assert elapsed == pytest.approx(2.5)
    assert leftover.payload == 1


async def test_receive_sender_is_the_sending_process(node: actorkit.Node) -> None:
    async def sender(proc: actorkit.Process, dest: actorkit.PID) -> actorkit.PID:
        await proc.send(dest, "hi")
        return proc.pid

    async with node.process() as proc:
        child = await proc.spawn(sender, proc.pid)
        msg = await proc.receive(topic="hi")
        await node.send(proc.pid, "outside")
        outside = await proc.receive(topic="outside")
    assert msg.sender == child
    assert outside.sender is None


async def test_receive_kind_tuple_takes_any_of_them(node: actorkit.Node) -> None:
    async with node.process() as proc:
        proc.send_nowait(proc.pid, "m")
        await proc.monitor(actorkit.PID(node.name, 999))
        # The docstring allows a tuple of kinds; the overloads do not (a typing bug).
        kinds = (actorkit.Exit, actorkit.LinkDown)
        event = await proc.receive(kind=kinds)
        leftover = await proc.receive()
    assert isinstance(event, actorkit.Exit)
    assert leftover.topic == "m"
