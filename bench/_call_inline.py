"""``proc.call`` of a command whose raw handler completes inline vs one checkpoint."""

from __future__ import annotations

from time import perf_counter

import trio

import actorkit

from ._harness import join, median_rates, spawned
from ._report import Result

NAME = "call_inline"
TARGET = 1.0
BASELINE = "a loop of trio.lowlevel.checkpoint()"


@actorkit.command(id=65000)
class Nop(actorkit.Command[None]):
    """A bench-only command that does nothing."""


def _complete_inline(
    _ctx: actorkit.HandlerContext, _cmd: Nop, tag: int, receiver: actorkit.Receiver
) -> None:
    receiver.complete_yield(tag, None, None)


HANDLERS = actorkit.handlers("bench", {Nop: _complete_inline})


async def raw(_node: actorkit.Node, n: int) -> float:
    """A loop of ``trio.lowlevel.checkpoint()``."""
    start = perf_counter()
    for _ in range(n):
        await trio.lowlevel.checkpoint()
    return perf_counter() - start


async def _caller(proc: actorkit.Process, n: int) -> float:
    start = perf_counter()
    for _ in range(n):
        await proc.call(Nop())
    return perf_counter() - start


async def with_actorkit(node: actorkit.Node, n: int) -> float:
    """A process calling ``Nop()`` in a loop (a new command each time, as users write it)."""
    elapsed = await join(spawned(node, _caller, n))
    assert isinstance(elapsed, float)
    return elapsed


def measure(quick: bool) -> list[Result]:
    """Calls per second vs checkpoints per second."""
    variants = {"raw": raw, "actorkit": with_actorkit}
    rates = median_rates(variants, 5000 if quick else 15000, quick, [HANDLERS])
    return [Result.rate(NAME, rates["actorkit"], rates["raw"], TARGET, baseline=BASELINE)]
