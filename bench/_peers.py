"""``python -m bench --peers``: actorkit against what a user might pick instead, same run.

asyncio (a task per actor, an ``asyncio.Queue`` per mailbox) and Pykka (a thread per
actor). Every side runs in this interpreter, in its own event loop (a fresh ``trio.run``
with a node for actorkit, a fresh ``asyncio.run``), the sides taking turns each round and
starting with a different one; the figure is the median. Memory is one fresh subprocess
per side. Ratios are actorkit / peer: for rates higher means actorkit is faster, for bytes
lower means actorkit is smaller.
"""

from __future__ import annotations

import gc
import importlib.util
import statistics
import sys
from collections.abc import Callable, Mapping

import trio

import actorkit

from . import _aio, _memory, _one_way, _round_trip, _spawn_exit
from ._harness import Variant, reps
from ._report import Result

NAME = "peers"
Side = Callable[[int], float]
"""Does ``n`` operations in its own event loop; the seconds they took."""

MISSING_PYKKA = (
    "pykka is not installed: the Pykka rows are left out "
    "(install the bench extra: .venv/bin/pip install -e '.[bench]')"
)


def on_node(variant: Variant) -> Side:
    """``variant`` in a fresh Trio run on a fresh node, warmed up with a tenth of ``n``."""

    async def run(n: int) -> float:
        async with actorkit.open_node(name="bench") as node:
            await variant(node, max(1, n // 10))
            return await variant(node, n)

    return lambda n: trio.run(run, n)


def median_rates(sides: Mapping[str, Side], n: int, rounds: int) -> dict[str, float]:
    """Operations per second of each side: the median of ``rounds`` alternated runs."""
    names = list(sides)
    times: dict[str, list[float]] = {name: [] for name in names}
    for turn in range(rounds):
        for name in names[turn % len(names) :] + names[: turn % len(names)]:
            gc.collect()
            times[name].append(sides[name](n))
    return {name: n / statistics.median(runs) for name, runs in times.items()}


# Per measure: actorkit's side, then each peer's side with what it does.
MEASURES: dict[str, tuple[Variant, dict[str, tuple[str, str]], tuple[int, int]]] = {
    "round_trip": (
        _round_trip.with_actorkit,
        {
            "asyncio": ("round_trip", "2 tasks, unbounded Queues, put_nowait + await get"),
            "pykka": ("ask", "ref.ask(i) from the main thread to one ThreadingActor"),
        },
        (500, 4000),
    ),
    "one_way": (
        _one_way.with_actorkit,
        {
            "asyncio": ("one_way", "Queue(1024), put_nowait / get_nowait, sleep(0) every 64"),
            "pykka": ("tell", "ref.tell(i) from the main thread, then one ask to flush"),
        },
        (3000, 20000),
    ),
    "spawn_exit": (
        _spawn_exit.with_actorkit,
        {
            "asyncio": ("spawn_exit", "n tasks that return at once, in one TaskGroup"),
            "pykka": ("start_stop", "start n ThreadingActors, then stop all, until stopped"),
        },
        (200, 2000),
    ),
}


def _peer_sides(have_pykka: bool) -> dict[str, Callable[[str], Side]]:
    sides: dict[str, Callable[[str], Side]] = {"asyncio": lambda fn: getattr(_aio, fn)}
    if have_pykka:
        from . import _pykka  # noqa: PLC0415 (an optional dependency)

        sides["pykka"] = lambda fn: getattr(_pykka, fn)
    return sides


def measure(quick: bool) -> list[Result]:
    """The peer rows: round trip, one-way, spawn/exit against asyncio and Pykka, and bytes
    per actor against Pykka."""
    have_pykka = importlib.util.find_spec("pykka") is not None
    if not have_pykka:
        print(MISSING_PYKKA, file=sys.stderr, flush=True)
    peers = _peer_sides(have_pykka)
    results: list[Result] = []
    for name, (variant, how, counts) in MEASURES.items():
        sides: dict[str, Side] = {"actorkit": on_node(variant)}
        sides.update({peer: peers[peer](how[peer][0]) for peer in peers})
        rates = median_rates(sides, counts[0] if quick else counts[1], reps(quick))
        for peer in peers:
            results.append(_row(name, peer, how[peer], rates))
    if have_pykka:
        results.append(_memory.versus_pykka(1_000 if quick else 10_000))
    return results


def _row(name: str, peer: str, how: tuple[str, str], rates: dict[str, float]) -> Result:
    fn, baseline = how
    label = f"{name}_vs_{peer}" if fn == name else f"{name}_vs_{peer}_{fn}"
    return Result.rate(label, rates["actorkit"], rates[peer], None, baseline=baseline, peer=peer)
