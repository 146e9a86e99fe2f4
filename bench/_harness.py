"""Timing: run each variant of a measure on one node, alternating, and take the median."""

from __future__ import annotations

import gc
import statistics
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TypeVarTuple, Unpack

import attrs
import trio

import actorkit

Ts = TypeVarTuple("Ts")
Variant = Callable[[actorkit.Node, int], Awaitable[float]]
"""Does ``n`` operations and returns the seconds it took (``time.perf_counter``)."""

REPS = 7
QUICK_REPS = 3


def reps(quick: bool) -> int:
    """How many timed runs each variant gets."""
    return QUICK_REPS if quick else REPS


def median_rates(
    variants: Mapping[str, Variant],
    n: int,
    quick: bool,
    modules: Sequence[actorkit.Component] = (),
) -> dict[str, float]:
    """Operations per second of each variant: ``n`` over its median run time.

    One Trio run and one node for all variants. Each variant is warmed up with a tenth of
    ``n``; then the variants take turns, starting with a different one each round, with
    the garbage collected before every run. The median, not the best: on a shared machine
    a run now and then lands on an idle core and is far faster than the rest, which would
    decide the ratio by luck.
    """
    return trio.run(_median_rates, variants, n, reps(quick), modules)


async def _median_rates(
    variants: Mapping[str, Variant], n: int, rounds: int, modules: Sequence[actorkit.Component]
) -> dict[str, float]:
    names = list(variants)
    times: dict[str, list[float]] = {name: [] for name in names}
    async with actorkit.open_node(modules=modules, name="bench") as node:
        for name in names:
            await variants[name](node, max(1, n // 10))
        for turn in range(rounds):
            for name in names[turn % len(names) :] + names[: turn % len(names)]:
                gc.collect()
                times[name].append(await variants[name](node, n))
    return {name: n / statistics.median(runs) for name, runs in times.items()}


@attrs.frozen
class Spawned:
    """A process spawned from outside, to join later."""

    node: actorkit.Node
    pid: actorkit.PID


def spawned(
    node: actorkit.Node,
    fn: Callable[[actorkit.Process, Unpack[Ts]], Awaitable[object]],
    *args: *Ts,
) -> Spawned:
    """Spawn ``fn`` from outside and hold on to its PID, to join it later."""
    return Spawned(node, node.spawn(fn, *args))


async def join(proc: Spawned) -> object:
    """Wait until ``proc`` has exited; its result, or raise its error."""
    exit_ = await proc.node.wait(proc.pid)
    if exit_.error is not None:
        raise exit_.error
    return exit_.result
