"""``proc.call`` of a command whose raw handler completes inline vs the same cancellation
check and reduction budget in a plain loop.

An inline call is a cancellation point every time and a schedule point once per 64 calls
(the reduction budget ``send`` spends too), so the fair raw side is a loop of
``checkpoint_if_cancelled()`` with a ``cancel_shielded_checkpoint()`` every 64. The old
baseline, a full ``checkpoint()`` per iteration, is kept as an info row: it yields 63 times
more often than actorkit does.
"""

from __future__ import annotations

from time import perf_counter

import trio

import actorkit

from ._harness import join, median_rates, spawned
from ._report import Result

NAME = "call_inline"
TARGET = 1.0
BUDGET = 64  # actorkit's reductions between schedule points
BASELINE = "a loop of checkpoint_if_cancelled(), a cancel_shielded_checkpoint() every 64"


@actorkit.command(id=65000)
class Nop(actorkit.Command[None]):
    """A bench-only command that does nothing."""


def _complete_inline(
    _ctx: actorkit.HandlerContext, _cmd: Nop, tag: int, receiver: actorkit.Receiver
) -> None:
    receiver.complete_yield(tag, None, None)


HANDLERS = actorkit.handlers("bench", {Nop: _complete_inline})


async def raw(_node: actorkit.Node, n: int) -> float:
    """A cancellation check per iteration and a schedule point every ``BUDGET``."""
    start = perf_counter()
    budget = BUDGET
    for _ in range(n):
        await trio.lowlevel.checkpoint_if_cancelled()
        budget -= 1
        if budget <= 0:
            budget = BUDGET
            await trio.lowlevel.cancel_shielded_checkpoint()
    return perf_counter() - start


async def raw_checkpoint(_node: actorkit.Node, n: int) -> float:
    """A loop of ``trio.lowlevel.checkpoint()`` (the old baseline: a yield every time)."""
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
    """Calls per second vs the same budget in a plain loop; the old checkpoint loop as info."""
    variants = {"raw": raw, "raw_checkpoint": raw_checkpoint, "actorkit": with_actorkit}
    rates = median_rates(variants, 5000 if quick else 15000, quick, [HANDLERS])
    ours = rates["actorkit"]
    return [
        Result.rate(NAME, ours, rates["raw"], TARGET, baseline=BASELINE),
        Result.rate(
            "call_inline_vs_checkpoint",
            ours,
            rates["raw_checkpoint"],
            None,
            baseline="(info, flatters) a loop of trio.lowlevel.checkpoint(): a yield per call",
        ),
    ]
