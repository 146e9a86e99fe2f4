"""Transactions on every backend: commit, rollback, savepoints, options and ownership."""

from __future__ import annotations

import pymysql  # type: ignore[import-untyped]
import pytest
import trio
import trio.testing

import actorkit
from actorkit.modules import sql

from ._sql_cases import Case, booted, in_thread, table


async def count(proc: actorkit.Process, t: str) -> int:
    """Rows in ``t``, seen from outside any transaction."""
    return int((await proc.call(sql.Query("db", f"SELECT count(*) FROM {t}"))).scalar())


async def test_sql_commit_makes_the_work_visible(case: Case) -> None:
    async with booted(case) as node, node.process() as proc, table(proc) as t:
        tx = await proc.call(sql.Begin("db"))
        assert (tx.db, tx.owner) == ("db", proc.pid)
        await proc.call(sql.TxExecute(tx, case.sql(f"INSERT INTO {t} VALUES (?, ?)"), (1, "a")))
        inside = await proc.call(sql.TxQuery(tx, f"SELECT v FROM {t}"))
        assert inside.rows == [("a",)]
        await proc.call(sql.TxCommit(tx))
        assert await count(proc, t) == 1


async def test_sql_rollback_undoes_the_work(case: Case) -> None:
    async with booted(case) as node, node.process() as proc, table(proc) as t:
        tx = await proc.call(sql.Begin("db"))
        await proc.call(sql.TxExecute(tx, case.sql(f"INSERT INTO {t} VALUES (?, ?)"), (1, "a")))
        await proc.call(sql.TxRollback(tx))
        assert await count(proc, t) == 0


async def test_sql_savepoints_undo_part_of_a_transaction(case: Case) -> None:
    async with booted(case) as node, node.process() as proc, table(proc) as t:
        insert = case.sql(f"INSERT INTO {t} VALUES (?, ?)")
        tx = await proc.call(sql.Begin("db"))
        await proc.call(sql.TxExecute(tx, insert, (1, "kept")))
        await proc.call(sql.TxSavepoint(tx, "before_two"))
        await proc.call(sql.TxExecute(tx, insert, (2, "undone")))
        await proc.call(sql.TxRollbackTo(tx, "before_two"))
        await proc.call(sql.TxSavepoint(tx, "before_three"))
        await proc.call(sql.TxExecute(tx, insert, (3, "released")))
        await proc.call(sql.TxRelease(tx, "before_three"))
        await proc.call(sql.TxCommit(tx))
        rows = await proc.call(sql.Query("db", f"SELECT id, v FROM {t} ORDER BY id"))
        assert rows.rows == [(1, "kept"), (3, "released")]


async def test_sql_savepoint_names_must_be_identifiers(case: Case) -> None:
    async with booted(case) as node, node.process() as proc:
        tx = await proc.call(sql.Begin("db"))
        with pytest.raises(sql.SqlArgumentError, match=r"^TxSavepoint \(id=112\): name must be"):
            sql.TxSavepoint(tx, "x; DROP TABLE t")
        await proc.call(sql.TxSavepoint(tx, "fine_1"))
        await proc.call(sql.TxRollback(tx))


async def test_sql_read_only_transaction_refuses_writes(case: Case) -> None:
    async with booted(case) as node, node.process() as proc, table(proc) as t:
        tx = await proc.call(sql.Begin("db", read_only=True))
        assert (await proc.call(sql.TxQuery(tx, f"SELECT count(*) FROM {t}"))).scalar() == 0
        with pytest.raises(sql.SqlError) as caught:
            await proc.call(sql.TxExecute(tx, case.sql(f"INSERT INTO {t} VALUES (?, ?)"), (1, "")))
        assert (
            caught.value.code
            == {
                "sqlite": "SQLITE_READONLY",
                "postgres": "25006",
                "mysql": "1792",
            }[case.kind]
        )
        await proc.call(sql.TxRollback(tx))
        await proc.call(sql.Execute("db", case.sql(f"INSERT INTO {t} VALUES (?, ?)"), (1, "w")))
        assert await count(proc, t) == 1


@pytest.mark.parametrize("level", list(sql.Isolation))
async def test_sql_every_isolation_level_begins(case: Case, level: sql.Isolation) -> None:
    async with booted(case) as node, node.process() as proc:
        tx = await proc.call(sql.Begin("db", isolation=level))
        if case.kind == "postgres" and level is not sql.Isolation.DEFAULT:
            shown = await proc.call(sql.TxQuery(tx, "SHOW transaction_isolation"))
            assert shown.scalar() == level.value.replace("_", " ")
        assert (await proc.call(sql.TxQuery(tx, "SELECT 1"))).scalar() == 1
        await proc.call(sql.TxCommit(tx))


async def _serializable(case: Case, proc: actorkit.Process, t: str, tx: sql.Tx) -> bool:
    """Whether ``tx`` runs at SERIALIZABLE, asked of the server.

    PostgreSQL says so (``SHOW transaction_isolation``). MariaDB has no variable for the
    level of the running transaction (``@@tx_isolation`` is the session's), so it is seen
    in what only SERIALIZABLE does in InnoDB: a plain SELECT takes a shared lock, which a
    second connection's ``FOR UPDATE NOWAIT`` then runs into. SQLite has only this level.
    """
    if case.kind == "sqlite":
        pragma = await proc.call(sql.TxQuery(tx, "PRAGMA read_uncommitted"))
        return bool(pragma.scalar() == 0)
    if case.kind == "postgres":
        shown = await proc.call(sql.TxQuery(tx, "SHOW transaction_isolation"))
        return bool(shown.scalar() == "serializable")
    await proc.call(sql.TxQuery(tx, f"SELECT v FROM {t} WHERE id = 1"))
    direct = case.direct()
    try:
        await in_thread(direct.scalar, f"SELECT v FROM {t} WHERE id = 1 FOR UPDATE NOWAIT")
    except pymysql.MySQLError as exc:
        return bool(exc.args[0] == 1205)  # the row is share-locked: serializable
    finally:
        direct.close()
    return False


@pytest.mark.parametrize("name", ["SERIALIZABLE", "serializable", " Serializable "])
async def test_sql_isolation_named_by_a_string_is_honoured(case: Case, name: str) -> None:
    async with booted(case) as node, node.process() as proc, table(proc) as t:
        await proc.call(sql.Execute("db", f"INSERT INTO {t} VALUES (1, 'a')"))
        tx = await proc.call(sql.Begin("db", isolation=name))  # type: ignore[arg-type]
        assert await _serializable(case, proc, t, tx)
        await proc.call(sql.TxCommit(tx))
        if case.kind != "sqlite":  # the level was for that transaction only
            tx = await proc.call(sql.Begin("db"))
            assert not await _serializable(case, proc, t, tx)
            await proc.call(sql.TxCommit(tx))


async def test_sql_transaction_belongs_to_the_process_that_began_it(case: Case) -> None:
    async with booted(case) as node, node.process() as owner, node.process() as other:
        tx = await owner.call(sql.Begin("db"))
        with pytest.raises(sql.SqlError, match=f"belongs to process {owner.pid}"):
            await other.call(sql.TxQuery(tx, "SELECT 1"))
        with pytest.raises(sql.SqlError, match="belongs to process"):
            await other.call(sql.TxCommit(tx))
        await owner.call(sql.TxCommit(tx))


async def test_sql_ended_transaction_cannot_be_used(case: Case) -> None:
    async with booted(case) as node, node.process() as proc:
        tx = await proc.call(sql.Begin("db"))
        await proc.call(sql.TxCommit(tx))
        with pytest.raises(
            sql.SqlError, match=r"TxQuery \(id=107\).*is not open \(it was committed\)"
        ):
            await proc.call(sql.TxQuery(tx, "SELECT 1"))
        with pytest.raises(sql.SqlError, match=r"TxCommit \(id=110\).*is not open"):
            await proc.call(sql.TxCommit(tx))


async def test_sql_statement_prepared_in_a_transaction_ends_with_it(case: Case) -> None:
    async with booted(case) as node, node.process() as proc, table(proc) as t:
        tx = await proc.call(sql.Begin("db"))
        put = await proc.call(sql.TxPrepare(tx, case.sql(f"INSERT INTO {t} VALUES (?, ?)")))
        assert put.tx == tx.id
        for i in range(3):
            await proc.call(sql.StmtExecute(put, (i, "p")))
        await proc.call(sql.TxCommit(tx))
        assert await count(proc, t) == 3
        with pytest.raises(sql.SqlError, match="is not open"):
            await proc.call(sql.StmtExecute(put, (9, "late")))


async def test_sql_process_exiting_with_an_open_transaction_rolls_it_back(case: Case) -> None:
    async def forgetful(proc: actorkit.Process, t: str) -> None:
        tx = await proc.call(sql.Begin("db"))
        await proc.call(sql.TxExecute(tx, case.sql(f"INSERT INTO {t} VALUES (?, ?)"), (1, "x")))

    one = _one_connection(case)
    async with booted(case, **one) as node, node.process() as proc, table(proc) as t:
        await proc.spawn(forgetful, t, monitor=True)
        assert (await proc.receive(kind=actorkit.Exit, timeout=30)).error is None
        assert await count(proc, t) == 0
        tx = await proc.call(sql.Begin("db"), timeout=30)  # the connection came back
        await proc.call(sql.TxRollback(tx))


def _one_connection(case: Case) -> dict[str, int]:
    return {} if case.kind == "sqlite" else {"pool_size": 1}


async def test_sql_commit_of_a_failed_postgres_transaction_raises(pg_case: Case) -> None:
    case = pg_case
    async with booted(case) as node, node.process() as proc, table(proc) as t:
        tx = await proc.call(sql.Begin("db"))
        await proc.call(sql.TxExecute(tx, case.sql(f"INSERT INTO {t} VALUES (?, ?)"), (1, "a")))
        with pytest.raises(sql.SqlError):
            await proc.call(sql.TxQuery(tx, "SELEC 1"))
        with pytest.raises(sql.SqlError, match="rolled back instead of committed") as caught:
            await proc.call(sql.TxCommit(tx))
        assert caught.value.code == "25P02"
        assert await count(proc, t) == 0


# -- SQLite: one connection, so a transaction has it to itself ---------------------------------


async def test_sql_sqlite_statements_wait_for_an_open_transaction(sqlite_case: Case) -> None:
    case = sqlite_case
    async with booted(case) as node, node.process() as writer, node.process() as reader:
        seen: list[int] = []
        async with table(writer) as t, trio.open_nursery() as nursery:
            tx = await writer.call(sql.Begin("db"))
            await writer.call(sql.TxExecute(tx, f"INSERT INTO {t} VALUES (1, 'a')"))

            async def read() -> None:
                seen.append(await count(reader, t))

            nursery.start_soon(read)
            await trio.testing.wait_all_tasks_blocked()
            assert seen == []  # waiting: the transaction holds the connection
            await writer.call(sql.TxCommit(tx))
        assert seen == [1]


async def test_sql_sqlite_statement_outside_own_transaction_fails_fast(sqlite_case: Case) -> None:
    case = sqlite_case
    async with booted(case) as node, node.process() as proc:
        tx = await proc.call(sql.Begin("db"))
        with pytest.raises(sql.SqlError, match=f"holds transaction {tx.id}"):
            await proc.call(sql.Query("db", "SELECT 1"))
        with pytest.raises(sql.SqlError, match=f"holds transaction {tx.id}"):
            await proc.call(sql.Begin("db"))
        await proc.call(sql.TxCommit(tx))
        assert (await proc.call(sql.Query("db", "SELECT 1"))).scalar() == 1
