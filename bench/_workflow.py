"""Journaled workflow steps per second vs the same commands in a plain process.

``workflow_steps``: a workflow (``workflow.Start`` from a driver process, then
``workflow.result``) does ``n`` ``workflow.SideEffect(fn)`` commands in a row; each one's
value is journaled, one ``INSERT`` into ``actorkit_journal`` in the sql module's database,
before the workflow goes on. The other side is a plain process calling the same
``SideEffect(fn)`` ``n`` times on the same node, where no seam journals it. The ratio is
what journaling costs per step: the workflow's time also holds its start (its row, its
lease) and its end (the result written), spread over the ``n`` steps.

``workflow_steps_vs_insert``: the same workflow against a plain process that does, per
step, the same ``SideEffect`` plus one autocommit ``INSERT`` of its own (``sql.Execute``):
the same database work by the same mechanism, so the ratio is the seam and journal code
beyond the write itself.

``workflow_tx_steps``: a workflow whose ``n`` steps each ``Call`` a transactional activity
that inserts one row (its ``INSERT`` and the journal's, committed together) against a
plain process doing ``Begin``, ``TxExecute`` of the same ``INSERT`` and ``TxCommit`` per
step: the exactly-once step vs the same transaction without a journal.

Two journals: a SQLite file in a temporary directory, and PostgreSQL at
``ACTORKIT_POSTGRES_DSN`` (default ``postgresql://postgres@127.0.0.1:5432/test``) in a
fresh schema dropped afterwards; the PostgreSQL row is left out, with a note on stderr,
when no server answers.

Run ``python -m bench._workflow [--quick]``.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import os
import sys
import tempfile
import uuid
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from time import perf_counter

import psycopg

import actorkit
from actorkit.modules import sql, workflow

from ._harness import join, median_rates, reps, spawned
from ._report import Result, header, row

NAME = "workflow_steps"
POSTGRES_DSN = os.environ.get("ACTORKIT_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")
BASELINE = "a plain process calling the same SideEffect(fn) n times (nothing journaled)"
BASELINE_INSERT = "a plain process: the same SideEffect(fn) and one sql.Execute INSERT per step"
BASELINE_TX = "a plain process: Begin, TxExecute of the same INSERT, TxCommit per step"
TABLE = "CREATE TABLE IF NOT EXISTS bench_steps (n INTEGER)"
_IDS = itertools.count()
Variant = Callable[[actorkit.Node, int], Awaitable[float]]


def _one() -> int:
    return 1


async def steps(proc: actorkit.Process, n: int) -> int:
    """The workflow: ``n`` journaled ``SideEffect`` s."""
    for _ in range(n):
        await proc.call(workflow.SideEffect(_one))
    return n


@workflow.transactional
async def insert(act: workflow.Activity, ph: str) -> int:
    """The transactional activity: one row, in the transaction of its journal entry."""
    await act.execute(f"INSERT INTO bench_steps VALUES ({ph})", 1)
    return 1


async def tx_steps(proc: actorkit.Process, n: int, ph: str) -> int:
    """The workflow: ``n`` transactional steps."""
    for _ in range(n):
        await proc.call(workflow.Call("insert", (ph,)))
    return n


async def _run_workflow(proc: actorkit.Process, n: int, flow: str = "steps", *args: str) -> float:
    workflow_id = f"bench-{next(_IDS)}"
    await proc.call(sql.Execute("wf", TABLE))
    start = perf_counter()
    await proc.call(workflow.Start(workflow_id, flow, (n, *args)))
    done = await workflow.result(proc, workflow_id)
    elapsed = perf_counter() - start
    assert done == n
    return elapsed


async def _run_plain(proc: actorkit.Process, n: int) -> float:
    start = perf_counter()
    await steps(proc, n)
    return perf_counter() - start


async def _run_tx_workflow(proc: actorkit.Process, n: int, ph: str) -> float:
    return await _run_workflow(proc, n, "tx_steps", ph)


async def _run_plain_insert(proc: actorkit.Process, n: int, ph: str) -> float:
    text = f"INSERT INTO bench_steps VALUES ({ph})"
    await proc.call(sql.Execute("wf", TABLE))
    start = perf_counter()
    for _ in range(n):
        await proc.call(workflow.SideEffect(_one))
        await proc.call(sql.Execute("wf", text, (1,)))
    return perf_counter() - start


async def _run_plain_tx(proc: actorkit.Process, n: int, ph: str) -> float:
    text = f"INSERT INTO bench_steps VALUES ({ph})"
    await proc.call(sql.Execute("wf", TABLE))
    start = perf_counter()
    for _ in range(n):
        tx = await proc.call(sql.Begin("wf"))
        await proc.call(sql.TxExecute(tx, text, (1,)))
        await proc.call(sql.TxCommit(tx))
    return perf_counter() - start


async def _timed(
    fn: Callable[[actorkit.Process, int], Awaitable[float]], node: actorkit.Node, n: int
) -> float:
    """Run ``fn(proc, n)`` in a process of its own; the seconds it measured."""
    elapsed = await join(spawned(node, fn, n))
    assert isinstance(elapsed, float)
    return elapsed


async def in_workflow(node: actorkit.Node, n: int) -> float:
    """A workflow of ``n`` steps, from ``Start`` to its result."""
    return await _timed(_run_workflow, node, n)


async def in_plain_process(node: actorkit.Node, n: int) -> float:
    """The same ``n`` commands in a plain process."""
    return await _timed(_run_plain, node, n)


def _variants(ph: str) -> Mapping[str, Variant]:
    bound = functools.partial
    return {
        "workflow": in_workflow,
        "plain": in_plain_process,
        "plain_insert": bound(_timed, bound(_run_plain_insert, ph=ph)),
        "tx_workflow": bound(_timed, bound(_run_tx_workflow, ph=ph)),
        "tx_plain": bound(_timed, bound(_run_plain_tx, ph=ph)),
    }


def _rates(database: actorkit.Component, ph: str, n: int, quick: bool) -> dict[str, float]:
    flows: dict[str, Callable[..., Awaitable[object]]] = {"steps": steps, "tx_steps": tx_steps}
    modules = [
        database,
        workflow.module("wf", workflows=flows, activities={"insert": insert}, history_limit=n + 10),
    ]
    return median_rates(_variants(ph), n, quick, modules)


def _rows(kind: str, rates: Mapping[str, float]) -> list[Result]:
    step = rates["workflow"]
    return [
        Result.rate(f"{NAME}_{kind}", step, rates["plain"], None, baseline=BASELINE),
        Result.rate(
            f"{NAME}_{kind}_vs_insert", step, rates["plain_insert"], None, baseline=BASELINE_INSERT
        ),
        Result.rate(
            f"workflow_tx_steps_{kind}",
            rates["tx_workflow"],
            rates["tx_plain"],
            None,
            baseline=BASELINE_TX,
        ),
    ]


def _postgres_schema() -> str | None:
    """A fresh schema on the PostgreSQL server, or None (with a note) if none answers."""
    schema = f"bench_wf_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(POSTGRES_DSN, autocommit=True, connect_timeout=2) as conn:
            conn.execute(f"CREATE SCHEMA {schema}".encode())
    except psycopg.Error as exc:
        print(f"workflow: PostgreSQL row skipped: {POSTGRES_DSN}: {exc}", file=sys.stderr)
        return None
    return schema


def _drop(schema: str) -> None:
    with psycopg.connect(POSTGRES_DSN, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE".encode())


def measure(quick: bool) -> list[Result]:
    """Journaled steps per second on SQLite and PostgreSQL vs a plain process."""
    n = 150 if quick else 400
    with tempfile.TemporaryDirectory() as where:
        results = _rows("sqlite", _rates(sql.sqlite("wf", Path(where) / "wf.db"), "?", n, quick))
    schema = _postgres_schema()
    if schema is not None:
        sep = "&" if "?" in POSTGRES_DSN else "?"
        dsn = f"{POSTGRES_DSN}{sep}options=-csearch_path%3D{schema}"
        try:
            results += _rows("postgres", _rates(sql.postgres("wf", dsn), "%s", n, quick))
        finally:
            _drop(schema)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    print(header(reps(quick)))
    for result in measure(quick):
        print(row(result))
