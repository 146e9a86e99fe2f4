"""Journaled workflow steps per second vs the same commands in a plain process.

A workflow (``workflow.Start`` from a driver process, then ``workflow.result``) does ``n``
``workflow.SideEffect(fn)`` commands in a row; each one's value is journaled, one
``INSERT`` into ``actorkit_journal`` in the sql module's database, before the workflow
goes on. The other side is a plain process calling the same ``SideEffect(fn)`` ``n`` times
on the same node, where no seam journals it. The ratio is what journaling costs per step:
the workflow's time also holds its start (its row, its lease) and its end (the result
written), spread over the ``n`` steps.

Two journals: a SQLite file in a temporary directory, and PostgreSQL at
``ACTORKIT_POSTGRES_DSN`` (default ``postgresql://postgres@127.0.0.1:5432/test``) in a
fresh schema dropped afterwards; the PostgreSQL row is left out, with a note on stderr,
when no server answers.

Run ``python -m bench._workflow [--quick]``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import uuid
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
_IDS = itertools.count()


def _one() -> int:
    return 1


async def steps(proc: actorkit.Process, n: int) -> int:
    """The workflow: ``n`` journaled ``SideEffect`` s."""
    for _ in range(n):
        await proc.call(workflow.SideEffect(_one))
    return n


async def _run_workflow(proc: actorkit.Process, n: int) -> float:
    workflow_id = f"bench-{next(_IDS)}"
    start = perf_counter()
    await proc.call(workflow.Start(workflow_id, "steps", (n,)))
    done = await workflow.result(proc, workflow_id)
    elapsed = perf_counter() - start
    assert done == n
    return elapsed


async def _run_plain(proc: actorkit.Process, n: int) -> float:
    start = perf_counter()
    await steps(proc, n)
    return perf_counter() - start


async def in_workflow(node: actorkit.Node, n: int) -> float:
    """A workflow of ``n`` steps, from ``Start`` to its result."""
    elapsed = await join(spawned(node, _run_workflow, n))
    assert isinstance(elapsed, float)
    return elapsed


async def in_plain_process(node: actorkit.Node, n: int) -> float:
    """The same ``n`` commands in a plain process."""
    elapsed = await join(spawned(node, _run_plain, n))
    assert isinstance(elapsed, float)
    return elapsed


def _rates(database: actorkit.Component, n: int, quick: bool) -> dict[str, float]:
    modules = [
        database,
        workflow.module("wf", workflows={"steps": steps}, history_limit=n + 10),
    ]
    variants = {"workflow": in_workflow, "plain": in_plain_process}
    return median_rates(variants, n, quick, modules)


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
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as where:
        rates = _rates(sql.sqlite("wf", Path(where) / "wf.db"), n, quick)
    name = f"{NAME}_sqlite"
    results.append(Result.rate(name, rates["workflow"], rates["plain"], None, baseline=BASELINE))
    schema = _postgres_schema()
    if schema is not None:
        sep = "&" if "?" in POSTGRES_DSN else "?"
        dsn = f"{POSTGRES_DSN}{sep}options=-csearch_path%3D{schema}"
        try:
            rates = _rates(sql.postgres("wf", dsn), n, quick)
        finally:
            _drop(schema)
        name = f"{NAME}_postgres"
        results.append(
            Result.rate(name, rates["workflow"], rates["plain"], None, baseline=BASELINE)
        )
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    print(header(reps(quick)))
    for result in measure(quick):
        print(row(result))
