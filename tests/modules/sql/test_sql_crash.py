"""Crashes leave nothing behind: no open transaction, no lock, no connection.

A transaction belongs to the process that began it; when that process exits, is killed
or crashes, the transaction is rolled back and its connection returned. A node shut down
mid-query stops the statement and closes every connection.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable

import pytest
import trio

import actorkit
from actorkit.modules import sql

from ._sql_cases import Case, Direct, booted, in_thread, long_statement_runs, table, until

PROMPT = 30.0  # seconds: a deadline for what should happen at once, generous under load


def lock_row(case: Case, t: str) -> str:
    """A statement taking the write lock on row 1 (SQLite: on the database)."""
    if case.kind == "sqlite":
        return f"UPDATE {t} SET v = 'locked' WHERE id = 1"
    return f"SELECT v FROM {t} WHERE id = 1 FOR UPDATE"


async def holder(proc: actorkit.Process, case: Case, t: str, how: str) -> None:
    """Begin, take the row lock, report it, then die the way ``how`` says."""
    tx = await proc.call(sql.Begin("db"))
    await proc.call(sql.TxExecute(tx, lock_row(case, t)))
    await proc.send("test", "locked", None)
    if how == "crash":
        raise RuntimeError("crashed holding a row lock")
    if how == "mid-query":
        await proc.call(sql.TxQuery(tx, case.long_query))
    await proc.receive(topic="never")


async def take_lock(proc: actorkit.Process, case: Case, t: str) -> None:
    """Take the same lock (waiting at most PROMPT seconds for it), and commit.

    The dead process's rollback runs as its exit is handled, so the lock may still be
    held for a moment after ``terminate`` returns: the statement waits for it.
    """
    tx = await proc.call(sql.Begin("db"), timeout=PROMPT)
    await proc.call(sql.TxExecute(tx, lock_row(case, t)), timeout=PROMPT)
    await proc.call(sql.TxCommit(tx))


@pytest.mark.parametrize("how", ["terminate", "crash", "mid-query"])
async def test_sql_process_dying_in_a_transaction_leaves_no_lock(case: Case, how: str) -> None:
    one = {} if case.kind == "sqlite" else {"pool_size": 2}
    async with booted(case, **one) as node, node.process(name="test") as proc, table(proc) as t:
        await proc.call(sql.Execute("db", f"INSERT INTO {t} VALUES (1, 'free')"))
        pid = await proc.spawn(holder, case, t, how, monitor=True)
        await proc.receive(topic="locked", timeout=PROMPT)
        if how == "mid-query":
            await long_statement_runs(case, node)
        if how != "crash":
            assert await proc.terminate(pid, "killed holding a lock") is True
        exit_ = await proc.receive(kind=actorkit.Exit, timeout=PROMPT)
        assert exit_.error is not None
        await take_lock(proc, case, t)  # times out if the dead one still held it
        if case.kind == "sqlite":
            await in_thread(_no_sqlite_lock, case)
        rows = await proc.call(sql.Query("db", f"SELECT v FROM {t} WHERE id = 1"))
        assert rows.scalar() == ("locked" if case.kind == "sqlite" else "free")


def _no_sqlite_lock(case: Case) -> None:
    direct = case.direct()  # a second connection, timeout 0: fails at once if locked
    try:
        direct.conn.execute("BEGIN IMMEDIATE")
        direct.conn.execute("ROLLBACK")
    finally:
        direct.close()


async def test_sql_pool_gets_the_connection_of_a_dead_process_back(case: Case) -> None:
    async def begin_and_die(proc: actorkit.Process) -> None:
        await proc.call(sql.Begin("db"))
        raise RuntimeError("died with a transaction open")

    one = {} if case.kind == "sqlite" else {"pool_size": 1}
    async with booted(case, **one) as node, node.process() as proc:
        for _ in range(3):  # one connection: each Begin needs the last one back
            await proc.spawn(begin_and_die, monitor=True)
            assert (await proc.receive(kind=actorkit.Exit, timeout=PROMPT)).error is not None
        tx = await proc.call(sql.Begin("db"), timeout=PROMPT)
        await proc.call(sql.TxCommit(tx))


def count_sessions(case: Case, direct: Direct, ids: list[int]) -> int:
    """This node's sessions still on the server (PostgreSQL: by application_name)."""
    if case.kind == "postgres":
        return int(direct.scalar(PG_SESSIONS, case.app))
    if not ids:
        return 0
    listed = ", ".join(str(i) for i in ids)
    return int(
        direct.scalar(f"SELECT count(*) FROM information_schema.PROCESSLIST WHERE ID IN ({listed})")
    )


PG_SESSIONS = "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?"


async def test_sql_node_shut_down_mid_query_closes_every_connection(case: Case) -> None:
    async def busy(proc: actorkit.Process, in_tx: bool) -> None:
        if in_tx:
            tx = await proc.call(sql.Begin("db"))
            await proc.call(sql.TxQuery(tx, case.long_query))
        await proc.call(sql.Query("db", case.long_query))

    if case.kind == "sqlite":
        await _sqlite_shutdown_mid_query(case, busy)
        return
    direct = case.direct()
    try:
        with trio.fail_after(PROMPT):  # the shutdown does not wait for the statements
            async with booted(case, pool_size=3) as node:
                node.spawn(busy, False)
                node.spawn(busy, True)
                await long_statement_runs(case, node, count=2)
                ids = await in_thread(direct.running_ids)
                assert await in_thread(count_sessions, case, direct, ids) >= 2
        await until(lambda: count_sessions(case, direct, ids) == 0, timeout=PROMPT)
    finally:
        direct.close()


async def _sqlite_shutdown_mid_query(
    case: Case, busy: Callable[[actorkit.Process, bool], Awaitable[None]]
) -> None:
    with trio.fail_after(PROMPT):  # the shutdown does not wait for the statement
        async with booted(case) as node:
            node.spawn(busy, True)
            await long_statement_runs(case, node)
            assert [t for t in threading.enumerate() if t.name == "actorkit-sqlite-db"]
    assert not [t for t in threading.enumerate() if t.name == "actorkit-sqlite-db"]
    await in_thread(_no_sqlite_lock, case)
