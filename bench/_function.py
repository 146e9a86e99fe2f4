"""Function ``Call`` of a trivial async function vs awaiting it directly in raw Trio.

``python -m bench._function [--quick]``. Every variant runs in one Trio run on one node,
taking turns, best of several runs each; the ratios are what to compare (absolute rates
depend on the machine's load). Context rows: the same function as a Trio task per call
(what a Call does structurally: its own task under its own cancel scope), and a
``cheap=True`` sync function, whose Call completes inside the handler.
"""

from __future__ import annotations

import argparse
import gc
from collections.abc import Awaitable, Callable
from time import perf_counter

import trio

import actorkit
from actorkit.modules import function

NAME = "function_call"
REPS, QUICK_REPS = 5, 3
N, QUICK_N = 50_000, 5_000

Variant = Callable[[actorkit.Node, int], Awaitable[float]]


async def add(a: int, b: int) -> int:
    """The trivial async function: no checkpoint."""
    return a + b


def add_sync(a: int, b: int) -> int:
    """The same as a cheap sync function."""
    return a + b


MODULE = function.module({"add": add}, function.Function("add_sync", add_sync, cheap=True))


async def raw_await(_node: actorkit.Node, n: int) -> float:
    """``await add(1, 2)`` in a loop."""
    start = perf_counter()
    for _ in range(n):
        await add(1, 2)
    return perf_counter() - start


async def raw_task(_node: actorkit.Node, n: int) -> float:
    """Each call as a task in a nursery, its result kept."""
    results: list[int] = []

    async def run() -> None:
        results.append(await add(1, 2))

    start = perf_counter()
    for _ in range(n):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(run)
    return perf_counter() - start


def calling(name: str) -> Variant:
    """A process that runs ``Call(name, (1, 2))`` ``n`` times."""

    async def caller(proc: actorkit.Process, n: int) -> float:
        start = perf_counter()
        for _ in range(n):
            await proc.call(function.Call(name, (1, 2)))
        return perf_counter() - start

    async def variant(node: actorkit.Node, n: int) -> float:
        elapsed: float = await node.exec(caller, n)
        return elapsed

    return variant


VARIANTS: dict[str, Variant] = {
    "raw await": raw_await,
    "raw task per call": raw_task,
    "Call (async)": calling("add"),
    "Call (cheap sync)": calling("add_sync"),
}


async def _best_rates(n: int, rounds: int) -> dict[str, float]:
    names = list(VARIANTS)
    best = dict.fromkeys(names, float("inf"))
    async with actorkit.open_node(modules=[MODULE], name="bench") as node:
        for name in names:
            await VARIANTS[name](node, max(1, n // 10))
        for turn in range(rounds):
            for name in names[turn % len(names) :] + names[: turn % len(names)]:
                gc.collect()
                best[name] = min(best[name], await VARIANTS[name](node, n))
    return {name: n / seconds for name, seconds in best.items()}


def rates(quick: bool) -> dict[str, float]:
    """Calls per second of every variant (``raw await`` is the baseline)."""
    n, rounds = (QUICK_N, QUICK_REPS) if quick else (N, REPS)
    return trio.run(_best_rates, n, rounds)


def main() -> None:
    """Print calls/s, µs per call and the ratio to ``raw await`` for every variant."""
    parser = argparse.ArgumentParser(prog="python -m bench._function", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke test")
    measured = rates(parser.parse_args().quick)
    base = measured["raw await"]
    print(f"{'variant':<20} {'calls/s':>12} {'µs/call':>9} {'ratio':>8}")
    for name, rate in measured.items():
        print(f"{name:<20} {rate:>12,.0f} {1e6 / rate:>9.2f} {rate / base:>8.4f}")
    print(f"{NAME}: Call ÷ raw await = {measured['Call (async)'] / base:.4f}")


if __name__ == "__main__":
    main()
