"""The sql contract on every backend: statements, rows, parameters, prepared statements."""

from __future__ import annotations

import pytest

import actorkit
from actorkit.modules import sql

from ._sql_cases import Case, booted, table


async def test_sql_query_returns_columns_and_typed_rows(case: Case) -> None:
    async with booted(case) as node, node.process() as proc, table(proc) as t:
        insert = case.sql(f"INSERT INTO {t} (id, v) VALUES (?, ?)")
        await proc.call(sql.Execute("db", insert, (1, "one")))
        await proc.call(sql.Execute("db", insert, [2, None]))
        rows = await proc.call(sql.Query("db", f"SELECT id, v FROM {t} ORDER BY id"))
        assert rows.columns == ("id", "v")
        assert rows.rows == [(1, "one"), (2, None)]
        assert rows.dicts() == [{"id": 1, "v": "one"}, {"id": 2, "v": None}]
        assert len(rows) == 2
        assert list(rows) == rows.rows
        assert rows.scalar() == 1


async def test_sql_query_with_no_rows_keeps_the_columns(case: Case) -> None:
    async with booted(case) as node, node.process() as proc, table(proc) as t:
        rows = await proc.call(sql.Query("db", f"SELECT id, v AS label FROM {t}"))
        assert rows.columns == ("id", "label")
        assert rows.rows == []
        assert rows.scalar() is None


async def test_sql_named_parameters_are_bound(case: Case) -> None:
    async with booted(case) as node, node.process() as proc, table(proc) as t:
        insert = f"INSERT INTO {t} (id, v) VALUES ({case.named('id')}, {case.named('v')})"
        await proc.call(sql.Execute("db", insert, {"id": 7, "v": "seven"}))
        where = f"SELECT v FROM {t} WHERE id = {case.named('id')}"
        assert (await proc.call(sql.Query("db", where, {"id": 7}))).scalar() == "seven"


async def test_sql_parameters_are_never_interpolated(case: Case) -> None:
    hostile = "x'); DROP TABLE users; --"
    async with booted(case) as node, node.process() as proc, table(proc) as t:
        await proc.call(sql.Execute("db", case.sql(f"INSERT INTO {t} VALUES (?, ?)"), (1, hostile)))
        got = await proc.call(
            sql.Query("db", case.sql(f"SELECT v FROM {t} WHERE v = ?"), [hostile])
        )
        assert got.scalar() == hostile


async def test_sql_values_keep_their_types(case: Case) -> None:
    columns = "id INTEGER PRIMARY KEY, f REAL, s VARCHAR(20), n INTEGER"
    async with booted(case) as node, node.process() as proc, table(proc, columns) as t:
        insert = case.sql(f"INSERT INTO {t} VALUES (?, ?, ?, ?)")
        await proc.call(sql.Execute("db", insert, (1, 2.5, "ünï ✓", None)))
        rows = await proc.call(sql.Query("db", f"SELECT id, f, s, n FROM {t}"))
        assert rows.rows == [(1, 2.5, "ünï ✓", None)]
        assert [type(v) for v in rows.rows[0][:3]] == [int, float, str]


async def test_sql_execute_reports_rows_affected(case: Case) -> None:
    async with booted(case) as node, node.process() as proc, table(proc) as t:
        for i in range(3):
            await proc.call(sql.Execute("db", case.sql(f"INSERT INTO {t} VALUES (?, ?)"), (i, "a")))
        done = await proc.call(
            sql.Execute("db", case.sql(f"UPDATE {t} SET v = ? WHERE id < ?"), ("b", 2))
        )
        assert done.rows_affected == 2
        gone = await proc.call(sql.Execute("db", f"DELETE FROM {t}"))
        assert gone.rows_affected == 3


async def test_sql_execute_reports_the_last_insert_id(case: Case) -> None:
    auto = {
        "sqlite": "id INTEGER PRIMARY KEY AUTOINCREMENT, v VARCHAR(10)",
        "postgres": "id SERIAL PRIMARY KEY, v VARCHAR(10)",
        "mysql": "id INTEGER PRIMARY KEY AUTO_INCREMENT, v VARCHAR(10)",
    }[case.kind]
    async with booted(case) as node, node.process() as proc, table(proc, auto) as t:
        insert = case.sql(f"INSERT INTO {t} (v) VALUES (?)")
        first = await proc.call(sql.Execute("db", insert, ("a",)))
        second = await proc.call(sql.Execute("db", insert, ("b",)))
        if case.kind == "postgres":
            assert (first.last_insert_id, second.last_insert_id) == (None, None)
        else:
            assert second.last_insert_id == (first.last_insert_id or 0) + 1


async def test_sql_prepared_statement_runs_many_times_until_closed(case: Case) -> None:
    async with booted(case) as node, node.process() as proc, table(proc) as t:
        put = await proc.call(sql.Prepare("db", case.sql(f"INSERT INTO {t} VALUES (?, ?)")))
        get = await proc.call(sql.Prepare("db", case.sql(f"SELECT v FROM {t} WHERE id = ?")))
        for i in range(6):
            assert (await proc.call(sql.StmtExecute(put, (i, f"v{i}")))).rows_affected == 1
        for i in range(6):
            assert (await proc.call(sql.StmtQuery(get, (i,)))).scalar() == f"v{i}"
        assert await proc.call(sql.StmtClose(get)) is True
        assert await proc.call(sql.StmtClose(get)) is False
        with pytest.raises(sql.SqlError, match=r"statement \d+ is not open"):
            await proc.call(sql.StmtQuery(get, (1,)))


async def test_sql_prepared_statement_belongs_to_its_process(case: Case) -> None:
    async with booted(case) as node, node.process() as owner, node.process() as other:
        stmt = await owner.call(sql.Prepare("db", "SELECT 1"))
        with pytest.raises(sql.SqlError, match="not open in this process"):
            await other.call(sql.StmtQuery(stmt))
        assert (await owner.call(sql.StmtQuery(stmt))).scalar() == 1


async def test_sql_unknown_database_fails_only_that_call(case: Case) -> None:
    async with booted(case) as node, node.process() as proc:
        with pytest.raises(sql.SqlError, match=r"Query \(id=100\) on 'nope': no database named"):
            await proc.call(sql.Query("nope", "SELECT 1"))
        assert (await proc.call(sql.Query("db", "SELECT 1"))).scalar() == 1


async def test_sql_many_processes_share_a_database(case: Case) -> None:
    async def writer(proc: actorkit.Process, t: str, first: int) -> None:
        for i in range(first, first + 10):
            await proc.call(sql.Execute("db", case.sql(f"INSERT INTO {t} VALUES (?, ?)"), (i, "w")))

    async with booted(case) as node, node.process() as proc, table(proc) as t:
        pids = {await proc.spawn(writer, t, 100 * k, monitor=True) for k in range(8)}
        for _ in pids:
            exit_ = await proc.receive(kind=actorkit.Exit, timeout=10)
            assert exit_.pid in pids
            assert exit_.error is None
        assert (await proc.call(sql.Query("db", f"SELECT count(*) FROM {t}"))).scalar() == 80


async def test_sql_many_statements_in_flight_from_one_process(case: Case) -> None:
    async with booted(case) as node, node.process() as proc, table(proc) as t:
        insert = case.sql(f"INSERT INTO {t} VALUES (?, ?)")
        tags = {proc.yield_(sql.Execute("db", insert, (i, f"v{i}"))) for i in range(20)}
        while tags:
            done = await proc.receive(kind=actorkit.Completion, timeout=10)
            assert done.error is None
            assert isinstance(done.result, sql.ExecResult)
            assert done.result.rows_affected == 1
            tags.remove(done.tag)
        rows = await proc.call(sql.Query("db", f"SELECT count(*), sum(id) FROM {t}"))
        assert rows.rows[0][0] == 20
        assert int(rows.rows[0][1]) == sum(range(20))
