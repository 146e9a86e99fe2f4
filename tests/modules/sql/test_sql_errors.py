"""Errors name the database, the statement and the backend's code, and fail one call only."""

from __future__ import annotations

import pickle

import pytest

from actorkit.modules import sql

from ._sql_cases import Case, booted, in_thread, table

SYNTAX = {"sqlite": "SQLITE_ERROR", "postgres": "42601", "mysql": "1064"}
DUPLICATE = {"sqlite": "SQLITE_CONSTRAINT_PRIMARYKEY", "postgres": "23505", "mysql": "1062"}


async def test_sql_syntax_error_fails_only_that_call(case: Case) -> None:
    async with booted(case) as node, node.process() as proc:
        with pytest.raises(sql.SqlError) as caught:
            await proc.call(sql.Query("db", "SELEC 1"))
        error = caught.value
        assert (error.database, error.statement, error.backend) == ("db", "SELEC 1", case.kind)
        assert error.code == SYNTAX[case.kind]
        assert isinstance(error, sql.SqlError)
        assert not isinstance(error, sql.SqlConnectionError)
        assert str(error).startswith(f"Query (id=100) on 'db' ({case.kind}): [{error.code}]")
        assert str(error).endswith("statement: SELEC 1")
        assert (await proc.call(sql.Query("db", "SELECT 1"))).scalar() == 1


async def test_sql_constraint_violation_fails_only_that_call(case: Case) -> None:
    async with booted(case) as node, node.process() as proc, table(proc) as t:
        insert = case.sql(f"INSERT INTO {t} VALUES (?, ?)")
        await proc.call(sql.Execute("db", insert, (1, "a")))
        with pytest.raises(sql.SqlError) as caught:
            await proc.call(sql.Execute("db", insert, (1, "again")))
        assert caught.value.code == DUPLICATE[case.kind]
        assert caught.value.statement == insert
        assert str(caught.value).startswith("Execute (id=101) on 'db'")
        await proc.call(sql.Execute("db", insert, (2, "b")))
        assert (await proc.call(sql.Query("db", f"SELECT count(*) FROM {t}"))).scalar() == 2


@pytest.mark.parametrize("params", [(1, 2, 3), (1,)])
async def test_sql_wrong_parameter_count_fails_only_that_call(
    case: Case, params: tuple[int, ...]
) -> None:
    async with booted(case) as node, node.process() as proc:
        text = case.sql("SELECT ?, ?")
        with pytest.raises(sql.SqlError) as caught:
            await proc.call(sql.Query("db", text, params))
        assert caught.value.code == "ProgrammingError"  # the driver refused it
        assert caught.value.statement == text
        assert (await proc.call(sql.Query("db", text, (5, 6)))).rows == [(5, 6)]


async def test_sql_no_parameters_sends_the_text_as_is(case: Case) -> None:
    async with booted(case) as node, node.process() as proc:
        assert (await proc.call(sql.Query("db", "SELECT '100%'"))).scalar() == "100%"
        with pytest.raises(sql.SqlError) as caught:
            await proc.call(sql.Query("db", case.sql("SELECT ?")))
        expected = {"sqlite": "ProgrammingError", "postgres": "42601", "mysql": "1064"}
        assert caught.value.code == expected[case.kind]


async def test_sql_error_inside_a_transaction_fails_only_that_call(case: Case) -> None:
    async with booted(case) as node, node.process() as proc, table(proc) as t:
        tx = await proc.call(sql.Begin("db"))
        await proc.call(sql.TxSavepoint(tx, "ok"))
        with pytest.raises(sql.SqlError) as caught:
            await proc.call(sql.TxQuery(tx, "SELEC 1"))
        assert caught.value.code == SYNTAX[case.kind]
        assert str(caught.value).startswith("TxQuery (id=107) on 'db'")
        await proc.call(sql.TxRollbackTo(tx, "ok"))  # PostgreSQL needs this to go on
        await proc.call(sql.TxExecute(tx, case.sql(f"INSERT INTO {t} VALUES (?, ?)"), (1, "a")))
        await proc.call(sql.TxCommit(tx))
        assert (await proc.call(sql.Query("db", f"SELECT count(*) FROM {t}"))).scalar() == 1


async def test_sql_lost_server_connection_fails_only_that_call(server_case: Case) -> None:
    case = server_case
    own_id = {"postgres": "SELECT pg_backend_pid()", "mysql": "SELECT CONNECTION_ID()"}
    kill = {"postgres": "SELECT pg_terminate_backend(?)", "mysql": "KILL ?"}
    direct = case.direct()
    try:
        async with booted(case, pool_size=1) as node, node.process() as proc:
            server_id = (await proc.call(sql.Query("db", own_id[case.kind]))).scalar()
            await in_thread(direct.scalar, kill[case.kind], server_id)
            with pytest.raises(sql.SqlConnectionError) as caught:
                await proc.call(sql.Query("db", "SELECT 1"), timeout=10)
            assert caught.value.database == "db"
            assert caught.value.backend == case.kind
            assert (await proc.call(sql.Query("db", "SELECT 1"), timeout=10)).scalar() == 1
            fresh = (await proc.call(sql.Query("db", own_id[case.kind]))).scalar()
            assert fresh != server_id
    finally:
        direct.close()


async def test_sql_lost_connection_in_a_transaction_ends_it(server_case: Case) -> None:
    case = server_case
    own_id = {"postgres": "SELECT pg_backend_pid()", "mysql": "SELECT CONNECTION_ID()"}
    kill = {"postgres": "SELECT pg_terminate_backend(?)", "mysql": "KILL ?"}
    direct = case.direct()
    try:
        async with booted(case, pool_size=1) as node, node.process() as proc:
            tx = await proc.call(sql.Begin("db"))
            server_id = (await proc.call(sql.TxQuery(tx, own_id[case.kind]))).scalar()
            await in_thread(direct.scalar, kill[case.kind], server_id)
            with pytest.raises(sql.SqlConnectionError):
                await proc.call(sql.TxQuery(tx, "SELECT 1"), timeout=10)
            with pytest.raises(sql.SqlError, match="it was lost with its connection"):
                await proc.call(sql.TxCommit(tx), timeout=10)
            assert (await proc.call(sql.Query("db", "SELECT 1"), timeout=10)).scalar() == 1
    finally:
        direct.close()


def test_sql_errors_survive_pickling() -> None:
    error = sql.SqlConnectionError(
        "Query (id=100)", "gone", database="db", statement="SELECT 1", code="57P01", backend="x"
    )
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is sql.SqlConnectionError
    assert str(copy) == str(error)
    assert (copy.database, copy.statement, copy.code, copy.backend, copy.detail) == (
        "db",
        "SELECT 1",
        "57P01",
        "x",
        "gone",
    )
