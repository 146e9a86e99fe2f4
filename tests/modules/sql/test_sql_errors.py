"""Errors name the database, the statement and the backend's code, and fail one call only."""

from __future__ import annotations

import enum
import pickle

import pytest

from actorkit.modules import sql

from ._sql_cases import Case, booted, in_thread, table, until

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


class Opaque:
    """A type no driver knows how to send."""


@pytest.mark.parametrize("value", [object(), Opaque()], ids=["object", "own class"])
async def test_sql_unsupported_parameter_type_is_refused_alike(case: Case, value: object) -> None:
    async with booted(case) as node, node.process() as proc:
        text = case.sql("SELECT ?")
        with pytest.raises(sql.SqlError) as caught:
            await proc.call(sql.Query("db", text, (value,)))
        assert caught.value.code == "ProgrammingError"  # the driver refused it, none sent
        assert type(value).__name__ in caught.value.detail
        assert not isinstance(caught.value, sql.SqlConnectionError)
        assert (await proc.call(sql.Query("db", text, (7,)))).scalar() == 7


async def test_sql_parameter_subclasses_are_sent_as_their_base_type(case: Case) -> None:
    class Level(enum.IntEnum):
        HIGH = 3

    async with booted(case) as node, node.process() as proc:
        got = await proc.call(sql.Query("db", case.sql("SELECT ? + 1"), (Level.HIGH,)))
        assert got.scalar() == 4


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


OWN_ID = {"postgres": "SELECT pg_backend_pid()", "mysql": "SELECT CONNECTION_ID()"}
KILL = {"postgres": "SELECT pg_terminate_backend(?)", "mysql": "KILL ?"}


async def kill_sessions(case: Case, ids: list[int]) -> None:
    """End server sessions ``ids`` and wait until the server has let them go."""
    listed = ", ".join(str(i) for i in ids)
    gone = {
        "postgres": f"SELECT count(*) FROM pg_stat_activity WHERE pid IN ({listed})",
        "mysql": f"SELECT count(*) FROM information_schema.PROCESSLIST WHERE ID IN ({listed})",
    }[case.kind]
    direct = case.direct()
    try:
        for server_id in ids:
            await in_thread(direct.scalar, KILL[case.kind], server_id)
        await until(lambda: direct.scalar(gone) == 0)
    finally:
        direct.close()


async def test_sql_idle_connections_killed_on_the_server_cost_no_failed_call(
    server_case: Case,
) -> None:
    case = server_case
    async with booted(case, pool_size=4) as node, node.process() as proc:
        txs = [await proc.call(sql.Begin("db")) for _ in range(4)]  # four connections out
        ids = [(await proc.call(sql.TxQuery(tx, OWN_ID[case.kind]))).scalar() for tx in txs]
        for tx in txs:
            await proc.call(sql.TxRollback(tx))  # ... and back in the pool, idle
        await kill_sessions(case, ids)
        for _ in range(4):  # each would get a dead connection if nobody looked
            fresh = (await proc.call(sql.Query("db", OWN_ID[case.kind]), timeout=10)).scalar()
            assert fresh not in ids
        tx = await proc.call(sql.Begin("db"), timeout=10)
        assert (await proc.call(sql.TxQuery(tx, OWN_ID[case.kind]))).scalar() not in ids
        await proc.call(sql.TxCommit(tx))


async def test_sql_lost_connection_in_a_transaction_ends_it(server_case: Case) -> None:
    case = server_case
    async with booted(case, pool_size=1) as node, node.process() as proc:
        tx = await proc.call(sql.Begin("db"))
        server_id = (await proc.call(sql.TxQuery(tx, OWN_ID[case.kind]))).scalar()
        await kill_sessions(case, [server_id])
        with pytest.raises(sql.SqlConnectionError) as caught:
            await proc.call(sql.TxQuery(tx, "SELECT 1"), timeout=10)
        assert not isinstance(caught.value, sql.SqlOutcomeUnknownError)  # rolled back
        with pytest.raises(sql.SqlError, match="it was lost with its connection"):
            await proc.call(sql.TxCommit(tx), timeout=10)
        assert (await proc.call(sql.Query("db", "SELECT 1"), timeout=10)).scalar() == 1


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
