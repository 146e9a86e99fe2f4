"""SQLite point selects per second: the sql module vs a naive thread hop vs raw sqlite3.

``python -m bench._sql [--quick]``. Three ways to run ``SELECT id, v FROM t WHERE id = ?``
on a 1,000-row in-memory table, in one Trio run, with 1 caller and with many:

- raw: ``sqlite3`` called directly on the Trio thread (blocks the event loop; the ceiling);
- naive: ``await trio.to_thread.run_sync(query)`` per query with a ``CapacityLimiter(1)``;
- actorkit: ``await proc.call(sql.Query(...))`` from processes, on ``sql.sqlite``.

The target is actorkit ≥ 5× naive. Each figure is the best of several runs, variants
alternating; only ratios from the same run mean anything on a shared machine.
"""

from __future__ import annotations

import argparse
import gc
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from time import perf_counter

import trio

import actorkit
from actorkit.modules import sql

NAME = "sql_sqlite_select"
TARGET = 5.0
ROWS = 1000
SELECT = "SELECT id, v FROM t WHERE id = ?"
CONCURRENCY = (1, 32)

Variant = Callable[[int, int], Awaitable[float]]
"""Runs ``n`` queries from ``callers`` concurrent callers; returns the seconds taken."""


@dataclass(frozen=True)
class Row:
    """One line of the table: rates at each concurrency, and the ratio to naive."""

    name: str
    rates: dict[int, float]


def _connect(check_same_thread: bool = True) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=check_same_thread)
    _fill(conn)
    return conn


def _fill(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"v{i}") for i in range(ROWS)])


async def _spread(callers: int, n: int, one: Callable[[int], Awaitable[None]]) -> float:
    start = perf_counter()
    async with trio.open_nursery() as nursery:
        for _ in range(callers):
            nursery.start_soon(one, n // callers)
    return perf_counter() - start


def raw_variant() -> Variant:
    """sqlite3 called directly, blocking the Trio thread (one caller only makes sense)."""
    conn = _connect()

    async def run(n: int, callers: int) -> float:
        del callers
        start = perf_counter()
        for i in range(n):
            conn.execute(SELECT, (i % ROWS,)).fetchall()
        return perf_counter() - start

    return run


def naive_variant() -> Variant:
    """One ``trio.to_thread.run_sync`` per query, one thread at a time on the connection."""
    conn = _connect(check_same_thread=False)
    limiter = trio.CapacityLimiter(1)

    async def caller(count: int) -> None:
        for i in range(count):
            await trio.to_thread.run_sync(_select, conn, i % ROWS, limiter=limiter)

    async def run(n: int, callers: int) -> float:
        return await _spread(callers, n, caller)

    return run


def _select(conn: sqlite3.Connection, key: int) -> list[tuple[object, ...]]:
    return conn.execute(SELECT, (key,)).fetchall()


def actorkit_variant(node: actorkit.Node) -> Variant:
    """Processes calling ``sql.Query`` on the ``bench`` SQLite database."""

    async def querier(proc: actorkit.Process, count: int) -> None:
        for i in range(count):
            await proc.call(sql.Query("bench", SELECT, (i % ROWS,)))

    async def run(n: int, callers: int) -> float:
        start = perf_counter()
        pids = [node.spawn(querier, n // callers) for _ in range(callers)]
        for pid in pids:
            exit_ = await node.wait(pid)
            if exit_.error is not None:
                raise exit_.error
        return perf_counter() - start

    return run


async def _measure(n: int, reps: int) -> list[Row]:
    async with actorkit.open_node(modules=[sql.sqlite("bench")], name="bench") as node:
        async with node.process() as proc:
            await proc.call(sql.Execute("bench", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
            for i in range(ROWS):
                await proc.call(sql.Execute("bench", "INSERT INTO t VALUES (?, ?)", (i, f"v{i}")))
        variants = {
            "raw sqlite3 (blocking)": raw_variant(),
            "naive to_thread/query": naive_variant(),
            "actorkit sql.Query": actorkit_variant(node),
        }
        return [Row(name, rates) for name, rates in (await _best(variants, n, reps)).items()]


async def _best(variants: dict[str, Variant], n: int, reps: int) -> dict[str, dict[int, float]]:
    best = {name: dict.fromkeys(CONCURRENCY, float("inf")) for name in variants}
    names = list(variants)
    for name in names:
        await variants[name](max(n // 10, *CONCURRENCY), 1)
    for turn in range(reps):
        for name in names[turn % len(names) :] + names[: turn % len(names)]:
            for callers in CONCURRENCY:
                gc.collect()
                best[name][callers] = min(best[name][callers], await variants[name](n, callers))
    return {name: {c: n / s for c, s in seconds.items()} for name, seconds in best.items()}


def measure(quick: bool = False) -> list[Row]:
    """Run the three variants; rows in the order raw, naive, actorkit."""
    n, reps = (2_000, 2) if quick else (8_000, 4)
    return trio.run(_measure, n, reps)


def table(rows: list[Row]) -> str:
    """The rows as a text table with the actorkit/naive ratios and the target."""
    naive = rows[1].rates
    head = "".join(f"{f'{c} caller' + ('s' if c > 1 else ''):>14}" for c in CONCURRENCY)
    lines = [f"SQLite point selects/s ({ROWS} rows, :memory:)", f"{'variant':<26}{head}"]
    for row in rows:
        lines.append(f"{row.name:<26}" + "".join(f"{row.rates[c]:>14,.0f}" for c in CONCURRENCY))
    ratios = [rows[2].rates[c] / naive[c] for c in CONCURRENCY]
    lines.append(f"{'actorkit / naive':<26}" + "".join(f"{r:>14.2f}" for r in ratios))
    lines.append(
        f"{'actorkit / raw':<26}"
        + "".join(f"{rows[2].rates[c] / rows[0].rates[c]:>14.2f}" for c in CONCURRENCY)
    )
    verdict = "yes" if max(ratios) >= TARGET else "NO"
    lines.append(f"target: actorkit >= {TARGET}x naive with concurrent callers: {verdict}")
    return "\n".join(lines)


def main() -> None:
    """Print the table (``--quick`` for a smoke run)."""
    parser = argparse.ArgumentParser(prog="python -m bench._sql", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke test")
    args = parser.parse_args()
    print(table(measure(args.quick)), flush=True)


if __name__ == "__main__":
    main()
