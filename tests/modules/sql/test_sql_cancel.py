"""Cancelling a command stops the statement itself; the connection stays usable.

The long statements are a runaway recursive CTE (SQLite), ``pg_sleep(120)`` and
``SLEEP(120)`` (marked per test, so parallel runs on one server do not confuse the checks).
Real time: threads and sockets are involved. No test measures how long anything took: a
statement that follows a stopped one finishing within PROMPT (far less than a long
statement's run) is the proof that it stopped.
"""

from __future__ import annotations

import pytest
import trio

import actorkit
from actorkit.modules import sql

from ._sql_cases import PROMPT, Case, booted, long_statement_runs, long_statement_stopped, table


async def test_sql_timeout_stops_the_running_statement(case: Case) -> None:
    async with booted(case) as node, node.process() as proc:
        with pytest.raises(trio.TooSlowError, match=r"Query \(id=100\) timed out"):
            await proc.call(sql.Query("db", case.long_query), timeout=0.3)
        await long_statement_stopped(case)
        assert (await proc.call(sql.Query("db", "SELECT 1"), timeout=PROMPT)).scalar() == 1


async def test_sql_cancelled_caller_stops_the_running_statement(case: Case) -> None:
    async with booted(case, **_one(case)) as node, node.process() as proc:
        with trio.move_on_after(0.3) as scope:
            await proc.call(sql.Query("db", case.long_query))
        assert scope.cancelled_caught
        await long_statement_stopped(case)
        # One connection: it is back and usable.
        assert (await proc.call(sql.Query("db", "SELECT 2"), timeout=PROMPT)).scalar() == 2


async def test_sql_process_killed_mid_statement_stops_it(case: Case) -> None:
    async def busy(proc: actorkit.Process) -> None:
        await proc.call(sql.Query("db", case.long_query))

    async with booted(case, **_one(case)) as node, node.process() as proc:
        pid = await proc.spawn(busy)
        await long_statement_runs(case, node)
        assert await proc.terminate(pid, "killed") is True
        await long_statement_stopped(case)
        assert (await proc.call(sql.Query("db", "SELECT 3"), timeout=PROMPT)).scalar() == 3


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
            nursery.start_soon(_run_until_cancelled, slow, case.long_query)
            await long_statement_runs(case, node)  # the long statement runs: the next one queues
            with pytest.raises(trio.TooSlowError):
                await proc.call(sql.Execute("db", "CREATE TABLE never (x)"), timeout=0.1)
            nursery.cancel_scope.cancel()  # only now does the connection come free
        tables = await proc.call(sql.Query("db", "SELECT name FROM sqlite_master"))
        assert ("never",) not in tables.rows


async def _run_until_cancelled(proc: actorkit.Process, text: str) -> None:
    await proc.call(sql.Query("db", text))


def _one(case: Case) -> dict[str, int]:
    return {} if case.kind == "sqlite" else {"pool_size": 1}
