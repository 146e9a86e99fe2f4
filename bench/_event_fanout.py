"""Event fan-out: one ``event.Send`` to 100 subscriber processes vs raw Trio sending the
same item to 100 memory channels (each drained by its own task), same buffer sizes."""

from __future__ import annotations

from time import perf_counter

import trio

import actorkit
from actorkit.modules import event

from ._harness import join, median_rates, spawned
from ._report import Result

NAME = "event_fanout"
SUBSCRIBERS = 100
BUFFER = 64  # channel capacity = mailbox size


async def _drain(
    receive: trio.MemoryReceiveChannel[int],
    n: int,
    task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
) -> None:
    task_status.started()
    for _ in range(n):
        await receive.receive()


async def _channels(nursery: trio.Nursery, n: int) -> list[trio.MemorySendChannel[int]]:
    sends: list[trio.MemorySendChannel[int]] = []
    for _ in range(SUBSCRIBERS):
        send, receive = trio.open_memory_channel[int](BUFFER)
        sends.append(send)
        await nursery.start(_drain, receive, n)
    return sends


async def raw(_node: actorkit.Node, n: int) -> float:
    """``await send`` of each item to 100 channels; done when every task has all ``n``."""
    async with trio.open_nursery() as nursery:
        sends = await _channels(nursery, n)
        start = perf_counter()
        for i in range(n):
            for send in sends:
                await send.send(i)
    return perf_counter() - start


async def raw_nowait(_node: actorkit.Node, n: int) -> float:
    """``send_nowait``, ``await send`` only when full (what the bus does)."""
    async with trio.open_nursery() as nursery:
        sends = await _channels(nursery, n)
        start = perf_counter()
        for i in range(n):
            for send in sends:
                try:
                    send.send_nowait(i)
                except trio.WouldBlock:
                    await send.send(i)
            await trio.lowlevel.checkpoint()
    return perf_counter() - start


async def _subscriber(proc: actorkit.Process, driver: actorkit.PID, n: int) -> None:
    await proc.call(event.Subscribe("bench.fan"))
    await proc.send(driver, "ready", None)
    for _ in range(n):
        await proc.receive(kind=event.BusEvent)


async def _driver(proc: actorkit.Process, n: int) -> float:
    for _ in range(SUBSCRIBERS):
        await proc.spawn(_subscriber, proc.pid, n, mailbox_size=BUFFER, monitor=True)
    for _ in range(SUBSCRIBERS):
        await proc.receive("ready")
    start = perf_counter()
    for i in range(n):
        await proc.call(event.Send("bench.fan", "tick", "", i))
    for _ in range(SUBSCRIBERS):
        await proc.receive(kind=actorkit.Exit)
    return perf_counter() - start


async def with_actorkit(node: actorkit.Node, n: int) -> float:
    """A process's ``event.Send`` in a loop; done when every subscriber has all ``n``."""
    elapsed = await join(spawned(node, _driver, n))
    assert isinstance(elapsed, float)
    return elapsed


def measure(quick: bool) -> list[Result]:
    """Events per second (one event = one Send to 100 subscribers); no target."""
    variants = {"raw": raw, "raw_nowait": raw_nowait, "actorkit": with_actorkit}
    rates = median_rates(variants, 300 if quick else 1000, quick, [event.module()])
    return [
        Result.rate(
            NAME,
            rates["actorkit"],
            rates["raw"],
            None,
            baseline="await send of each item to 100 channel(64)s, a task draining each",
        ),
        Result.rate(
            "event_fanout_nowait_raw",
            rates["actorkit"],
            rates["raw_nowait"],
            None,
            baseline="send_nowait to 100 channel(64)s (await send if full), a checkpoint per event",
        ),
    ]
