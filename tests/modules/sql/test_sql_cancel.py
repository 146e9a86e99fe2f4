"""Cancelling a command stops the statement itself; the connection stays usable.

The long statements are a runaway recursive CTE (SQLite), ``pg_sleep(10)`` and
``SLEEP(10)`` (marked per test, so parallel runs on one server do not confuse the checks).
Real time with short timeouts: threads and sockets are involved.
"""

from __future__ import annotations

import time

import pytest
import trio

import actorkit
from actorkit.modules import sql

from ._sql_cases import PROMPT, Case, booted, long_statement_runs, long_statement_stopped, table


async def test_sql_timeout_stops_the_running_statement(case: Case) -> None:
    async with booted(case) as node, node.process() as proc:
        start = time.monotonic()
        with pytest.raises(trio.TooSlowError, match=r"Query \(id=100\) timed out"):
            await proc.call(sql.Query("db", case.long_query), timeout=0.3)
        await long_statement_stopped(case)
        assert (await proc.call(sql.Query("db", "SELECT 1"), timeout=PROMPT)).scalar() == 1
        assert time.monotonic() - start < PROMPT


async def test_sql_cancelled_caller_stops_the_running_statement(case: Case) -> None:
    async with booted(case, **_one(case)) as node, node.process() as proc:
        start = time.monotonic()
        with trio.move_on_after(0.3) as scope:
            await proc.call(sql.Query("db", case.long_query))
        assert scope.cancelled_caught
        await long_statement_stopped(case)
        # One connection: it is back and usable.
        assert (await proc.call(sql.Query("db", "SELECT 2"), timeout=PROMPT)).scalar() == 2
        assert time.monotonic() - start < PROMPT


async def test_sql_process_killed_mid_statement_stops_it(case: Case) -> None:
    async def busy(proc: actorkit.Process) -> None:
        await proc.call(sql.Query("db", case.long_query))

    async with booted(case, **_one(case)) as node, node.process() as proc:
        pid = await proc.spawn(busy)
        await long_statement_runs(case, node)
        start = time.monotonic()
        assert await proc.terminate(pid, "killed") is True
        await long_statement_stopped(case)
        assert (await proc.call(sql.Query("db", "SELECT 3"), timeout=PROMPT)).scalar() == 3
        assert time.monotonic() - start < PROMPT


async def test_sql_cancelled_statement_rolls_its_transaction_back(case: Case) -> None:
    async with booted(case, **_one(case)) as node, node.process() as proc, table(proc) as t:
        tx = await proc.call(sql.Begin("db"))
        await proc.call(sql.TxExecute(tx, case.sql(f"INSERT INTO {t} VALUES (?, ?)"), (1, "a")))
        with pytest.raises(trio.TooSlowError):
            await proc.call(sql.TxQuery(tx, case.long_query), timeout=0.3)
        with pytest.raises(
            sql.SqlError, match=r"rolled back when TxQuery \(id=107\) was cancelled"
        ):
            await proc.call(sql.TxQuery(tx, "SELECT 1"), timeout=PROMPT)
        await long_statement_stopped(case)
        count = await proc.call(sql.Query("db", f"SELECT count(*) FROM {t}"), timeout=PROMPT)
        assert count.scalar() == 0


async def test_sql_queued_statement_is_dropped_when_its_caller_gives_up(sqlite_case: Case) -> None:
    case = sqlite_case
    async with booted(case) as node, node.process() as slow, node.process() as proc:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(_expect_timeout, slow, case.long_query, 0.5)
            await long_statement_runs(case, node)  # the long statement runs: the next one queues
            with pytest.raises(trio.TooSlowError):
                await proc.call(sql.Execute("db", "CREATE TABLE never (x)"), timeout=0.1)
        tables = await proc.call(sql.Query("db", "SELECT name FROM sqlite_master"))
        assert ("never",) not in tables.rows


async def _expect_timeout(proc: actorkit.Process, text: str, timeout: float) -> None:
    with pytest.raises(trio.TooSlowError):
        await proc.call(sql.Query("db", text), timeout=timeout)


def _one(case: Case) -> dict[str, int]:
    return {} if case.kind == "sqlite" else {"pool_size": 1}
