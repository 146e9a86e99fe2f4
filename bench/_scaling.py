"""``python -m bench --scaling [--scaling-full]``: how the hot paths hold up as the node
grows, each point beside raw Trio doing the same work by the same mechanism.

- ``round_trip_idle_N``: round trips/s between two processes while ``N`` other processes
  sit idle in ``receive`` (raw: two tasks on unbounded channels while ``N`` tasks wait on
  their own channel).
- ``spawn_exit_N``: spawn + exit/s when ``N`` processes are spawned at once and all run to
  their end (raw: ``N`` plain tasks in one nursery). 1M only with ``--scaling-full``.
- ``fan_out_K``: one-way messages/s from one sender to ``K`` receivers in turn, 20k
  messages in all (raw: a channel(1024) per receiver, ``send_nowait`` / ``receive_nowait``,
  a checkpoint every 64 on each side, as in ``one_way``). Timed until every receiver has
  taken its share; starting and stopping the receivers is not timed.

Each point runs every side in a fresh event loop (a fresh ``trio.run`` and node), the sides
taking turns, 3 rounds; the figure is the median. Not part of the default table, nor of the
test suite.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from functools import partial
from time import perf_counter

import trio
import trio.testing

import actorkit

from . import _one_way, _round_trip, _spawn_exit
from ._harness import join, spawned
from ._peers import median_rates
from ._report import Result

IDLE = (1, 1_000, 10_000, 100_000)
SPAWN = (1_000, 10_000, 100_000)
SPAWN_FULL = (*SPAWN, 1_000_000)
FAN_OUT = (1, 100, 10_000)
ROUNDS = 3
ROUND_TRIPS = 5_000
MESSAGES = 20_000


def label(n: int) -> str:
    """1k, 100k, 1M."""
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def fresh(fn: Callable[[actorkit.Node], Awaitable[float]]) -> Callable[[int], float]:
    """``fn`` in a fresh Trio run on a fresh node; the ``n`` the harness passes is unused
    (each point fixes its own counts)."""

    async def run() -> float:
        async with actorkit.open_node(name="bench") as node:
            return await fn(node)

    return lambda _n: trio.run(run)


# -- round trips with idle processes alive ---------------------------------------------------


async def _idle(proc: actorkit.Process) -> None:
    async for _ in proc.messages():
        pass


async def round_trips_idle(node: actorkit.Node, idle: int, n: int) -> float:
    """``n`` round trips between two processes while ``idle`` processes wait in receive."""
    pids = [node.spawn(_idle) for _ in range(idle)]
    await trio.testing.wait_all_tasks_blocked()
    elapsed = await _round_trip.with_actorkit(node, n)
    for pid in pids:
        node.cancel(pid, "done")
    for pid in pids:
        await node.wait(pid)
    return elapsed


async def _idle_task(receive: trio.MemoryReceiveChannel[int]) -> None:
    await receive.receive()


async def raw_round_trips_idle(node: actorkit.Node, idle: int, n: int) -> float:
    """The raw ping-pong while ``idle`` tasks wait on their own size-0 channel."""
    async with trio.open_nursery() as nursery:
        for _ in range(idle):
            nursery.start_soon(_idle_task, trio.open_memory_channel[int](0)[1])
        await trio.testing.wait_all_tasks_blocked()
        elapsed = await _round_trip.raw(node, n)
        nursery.cancel_scope.cancel()
    return elapsed


# -- fan-out -----------------------------------------------------------------------------------


class _Countdown:
    """Set when every receiver has taken its share."""

    def __init__(self, receivers: int) -> None:
        self.left = receivers
        self.done = trio.Event()

    def one_done(self) -> None:
        self.left -= 1
        if self.left == 0:
            self.done.set()


async def _receiver(proc: actorkit.Process, share: int, countdown: _Countdown) -> None:
    for _ in range(share):
        await proc.receive()
    countdown.one_done()
    await proc.receive(kind=actorkit.Cancel)


async def _sender(proc: actorkit.Process, pids: list[actorkit.PID], share: int) -> None:
    for i in range(share):
        for pid in pids:
            await proc.send(pid, "m", i)


async def fan_out(node: actorkit.Node, receivers: int, messages: int) -> float:
    """One process sends ``messages`` in turn to ``receivers`` processes; the seconds until
    every receiver has taken its share."""
    share = max(1, messages // receivers)
    countdown = _Countdown(receivers)
    pids = [node.spawn(_receiver, share, countdown) for _ in range(receivers)]
    await trio.testing.wait_all_tasks_blocked()
    start = perf_counter()
    sender = spawned(node, _sender, pids, share)
    await countdown.done.wait()
    elapsed = perf_counter() - start
    await join(sender)
    for pid in pids:
        node.cancel(pid, "done")
    for pid in pids:
        await node.wait(pid)
    return elapsed


async def _raw_receiver(
    receive: trio.MemoryReceiveChannel[int], share: int, countdown: _Countdown
) -> None:
    for i in range(1, share + 1):
        try:
            receive.receive_nowait()
        except trio.WouldBlock:
            await receive.receive()
        if i % _one_way.BUDGET == 0:
            await trio.lowlevel.checkpoint()
    countdown.one_done()


async def raw_fan_out(_node: actorkit.Node, receivers: int, messages: int) -> float:
    """The same with a channel(1024) per receiver task, batched as ``one_way``'s raw side."""
    share = max(1, messages // receivers)
    countdown = _Countdown(receivers)
    channels = [trio.open_memory_channel[int](_one_way.CAPACITY) for _ in range(receivers)]
    async with trio.open_nursery() as nursery:
        for _, receive in channels:
            nursery.start_soon(_raw_receiver, receive, share, countdown)
        await trio.testing.wait_all_tasks_blocked()
        start = perf_counter()
        sent = 0
        for i in range(share):
            for send, _ in channels:
                try:
                    send.send_nowait(i)
                except trio.WouldBlock:
                    await send.send(i)
                sent += 1
                if sent % _one_way.BUDGET == 0:
                    await trio.lowlevel.checkpoint()
        await countdown.done.wait()
        return perf_counter() - start


# -- the curves --------------------------------------------------------------------------------


def _point(
    name: str,
    sides: dict[str, Callable[[actorkit.Node], Awaitable[float]]],
    count: int,
    baseline: str,
) -> Result:
    rates = median_rates({side: fresh(fn) for side, fn in sides.items()}, count, ROUNDS)
    return Result.rate(name, rates["actorkit"], rates["raw"], None, baseline=baseline)


def measure(quick: bool, full: bool = False) -> list[Result]:
    """Every point of the three curves."""
    return list(rows(quick, full))


def rows(quick: bool, full: bool = False) -> Iterator[Result]:
    """The scaling rows, each as soon as it is measured: round trips with idle processes,
    spawn, fan-out."""
    trips = ROUND_TRIPS // 10 if quick else ROUND_TRIPS
    messages = MESSAGES // 10 if quick else MESSAGES
    for idle in IDLE[:3] if quick else IDLE:
        yield _point(
            f"round_trip_idle_{label(idle)}",
            {
                "actorkit": partial(round_trips_idle, idle=idle, n=trips),
                "raw": partial(raw_round_trips_idle, idle=idle, n=trips),
            },
            trips,
            f"{_round_trip.BASELINE}; {label(idle)} idle tasks on their own channel",
        )
    for n in SPAWN[:2] if quick else SPAWN_FULL if full else SPAWN:
        yield _point(
            f"spawn_exit_{label(n)}",
            {
                "actorkit": partial(_spawn_exit.with_actorkit, n=n),
                "raw": partial(_spawn_exit.raw, n=n),
            },
            n,
            f"{label(n)} plain tasks started in one nursery, until all end",
        )
    for receivers in FAN_OUT:
        share = max(1, messages // receivers)
        yield _point(
            f"fan_out_{label(receivers)}",
            {
                "actorkit": partial(fan_out, receivers=receivers, messages=messages),
                "raw": partial(raw_fan_out, receivers=receivers, messages=messages),
            },
            receivers * share,
            f"a channel(1024) per receiver ({label(receivers)}), batched as one_way",
        )
