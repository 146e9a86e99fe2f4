"""What a security scope costs: ``proc.call`` of an inline command, confined vs not.

The same process loop as ``call_inline`` (a bench-only command whose handler completes
inline), once in a process with no identity and once in one confined to a scope that
allows the command (so every call goes through the seam, maps the command to its action
and finds the decision in the identity's cache). A refused call is not timed: it raises.

Run ``python -m bench._security [--quick]``.
"""

from __future__ import annotations

import argparse
from time import perf_counter

import actorkit
from actorkit import lowlevel
from actorkit.modules import security

from ._call_inline import HANDLERS, Nop
from ._harness import join, median_rates, reps, spawned
from ._report import Result, header, row

NAME = "security_scope"
BASELINE = "the same call_inline loop in a process with no scope"
SCOPE = security.Scope("bench", [security.allow("custom.nop"), security.deny("store.*")])


def _pass(
    ctx: lowlevel.HandlerContext,
    cmd: object,
    tag: int,
    rcv: lowlevel.Receiver,
    next_: lowlevel.Handler,
) -> None:
    next_(ctx, cmd, tag, rcv)


async def _loop(proc: actorkit.Process, n: int, kind: str) -> float:
    if kind == "scoped":
        security.set_scope(proc, SCOPE, actor=security.Actor("bench"))
    elif kind == "seam":
        lowlevel.add_seam(lowlevel.ref_of(proc), _pass)
    start = perf_counter()
    for _ in range(n):
        await proc.call(Nop())
    return perf_counter() - start


async def unscoped(node: actorkit.Node, n: int) -> float:
    """A process with no identity calling ``Nop()`` in a loop."""
    elapsed = await join(spawned(node, _loop, n, "none"))
    assert isinstance(elapsed, float)
    return elapsed


async def scoped(node: actorkit.Node, n: int) -> float:
    """The same loop in a process confined to a scope that allows ``Nop``."""
    elapsed = await join(spawned(node, _loop, n, "scoped"))
    assert isinstance(elapsed, float)
    return elapsed


async def seam_only(node: actorkit.Node, n: int) -> float:
    """The loop with a seam that only hands each command on (the kernel's share)."""
    elapsed = await join(spawned(node, _loop, n, "seam"))
    assert isinstance(elapsed, float)
    return elapsed


def measure(quick: bool) -> list[Result]:
    """Calls per second with a scope vs without."""
    variants = {"unscoped": unscoped, "scoped": scoped, "seam": seam_only}
    modules = [HANDLERS, security.module()]
    rates = median_rates(variants, 5000 if quick else 15000, quick, modules)
    check = "the same loop through a pass-through seam (the policy check's own cost)"
    return [
        Result.rate(NAME, rates["scoped"], rates["unscoped"], None, baseline=BASELINE),
        Result.rate(f"{NAME}_check", rates["scoped"], rates["seam"], None, baseline=check),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    print(header(reps(quick)))
    for result in measure(quick):
        print(row(result))
