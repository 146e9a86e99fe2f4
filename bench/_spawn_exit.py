"""Spawn + exit of processes vs tasks that each open a nursery with one child."""

from __future__ import annotations

from time import perf_counter

import trio

import actorkit
from actorkit import lowlevel

from ._harness import median_rates
from ._report import Result

NAME = "spawn_exit"
TARGET = 0.8


async def _child() -> None:
    pass


async def _task_with_nursery() -> None:
    async with trio.open_nursery() as nursery:
        nursery.start_soon(_child)


async def raw(_node: actorkit.Node, n: int) -> float:
    """``n`` tasks, each opening its own nursery and starting one child, until all end."""
    start = perf_counter()
    async with trio.open_nursery() as nursery:
        for _ in range(n):
            nursery.start_soon(_task_with_nursery)
    return perf_counter() - start


async def _returns(_proc: actorkit.Process) -> None:
    pass


async def with_actorkit(node: actorkit.Node, n: int) -> float:
    """``node.spawn`` of a process that returns at once, until all ``n`` have exited
    (counted by an exit hook, which also catches any that failed)."""
    done = trio.Event()
    left = n
    failures: list[BaseException] = []

    def count(_state: object, _result: object, error: BaseException | None) -> None:
        nonlocal left
        left -= 1
        if error is not None:
            failures.append(error)
        if left == 0:
            done.set()

    lowlevel.add_exit_hook(node, count)
    start = perf_counter()
    for _ in range(n):
        node.spawn(_returns)
    await done.wait()
    elapsed = perf_counter() - start
    lowlevel.remove_exit_hook(node, count)
    if failures:
        raise failures[0]
    return elapsed


def measure(quick: bool) -> list[Result]:
    """Spawns (each with its exit) per second."""
    rates = median_rates({"raw": raw, "actorkit": with_actorkit}, 500 if quick else 1500, quick)
    return [Result.rate(NAME, rates["actorkit"], rates["raw"], TARGET)]
