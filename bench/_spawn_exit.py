"""Spawn + exit of processes vs one plain Trio task per actor."""

from __future__ import annotations

from time import perf_counter

import trio

import actorkit
from actorkit import lowlevel

from ._harness import median_rates
from ._report import Result

NAME = "spawn_exit"
TARGET = 0.6
BASELINE = "one plain task per actor in one nursery (start_soon), until all end"


async def _child() -> None:
    pass


async def raw(_node: actorkit.Node, n: int) -> float:
    """``n`` plain tasks that return at once, started in one nursery, until all end."""
    start = perf_counter()
    async with trio.open_nursery() as nursery:
        for _ in range(n):
            nursery.start_soon(_child)
    return perf_counter() - start


async def _task_with_nursery() -> None:
    async with trio.open_nursery() as nursery:
        nursery.start_soon(_child)


async def raw_task_nursery(_node: actorkit.Node, n: int) -> float:
    """The old baseline: each task opens its own nursery with one child (2 tasks each)."""
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
    """Spawns (each with its exit) per second; the old baseline as an info row."""
    variants = {"raw": raw, "raw_task_nursery": raw_task_nursery, "actorkit": with_actorkit}
    rates = median_rates(variants, 500 if quick else 2000, quick)
    return [
        Result.rate(NAME, rates["actorkit"], rates["raw"], TARGET, baseline=BASELINE),
        Result.rate(
            "spawn_exit_vs_task_nursery",
            rates["actorkit"],
            rates["raw_task_nursery"],
            None,
            baseline="(info, flatters) a task per actor that opens a nursery with one child",
        ),
    ]
