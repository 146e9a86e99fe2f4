"""Bad input: every sql command checks its fields when it is built.

A wrong field raises ``SqlArgumentError`` (a ``CommandArgumentError`` and a ``SqlError``)
naming the command, its ID and the field, before anything runs.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import pytest

from actorkit._core._pid import PID
from actorkit.errors import CommandArgumentError
from actorkit.modules import sql

# Untyped, to build commands with the wrong field types that a type checker would refuse.
S: Any = sql
TX = sql.Tx("db", 1, PID("test", 1))
STMT = sql.Stmt("db", 1, "SELECT 1")

BAD: list[tuple[Callable[[], object], str]] = [
    (lambda: S.Query(None, "SELECT 1"), "Query (id=100): db must be a non-empty str, got None"),
    (lambda: S.Query("", "SELECT 1"), "Query (id=100): db must be a non-empty str, got ''"),
    (lambda: S.Query("db", ""), "Query (id=100): sql must be a non-empty str"),
    (lambda: S.Query("db", b"SELECT 1"), "Query (id=100): sql must be a non-empty str"),
    (lambda: S.Query("db", "SELECT '\ud800'"), "Query (id=100): sql must be a non-empty str"),
    (lambda: S.Query("db", "SELECT ?", "ab"), "Query (id=100): params must be a sequence"),
    (lambda: S.Query("db", "SELECT ?", b"ab"), "Query (id=100): params must be a sequence"),
    (lambda: S.Query("db", "SELECT ?", 5), "Query (id=100): params must be a sequence"),
    (lambda: S.Query("db", "SELECT ?", {1, 2}), "Query (id=100): params must be a sequence"),
    (lambda: S.Query("db", "SELECT %(a)s", {1: 2}), "Query (id=100): params must be a sequence"),
    (lambda: S.Execute("db", None), "Execute (id=101): sql must be a non-empty str"),
    (lambda: S.Prepare("db", 3), "Prepare (id=102): sql must be a non-empty str"),
    (lambda: S.Begin(7), "Begin (id=103): db must be a non-empty str"),
    (lambda: S.Begin("db", isolation="snapshot"), "Begin (id=103): isolation must be an Iso"),
    (lambda: S.Begin("db", isolation=3), "Begin (id=103): isolation must be an Isolation"),
    (lambda: S.Begin("db", isolation=None), "Begin (id=103): isolation must be an Isolation"),
    (lambda: S.Begin("db", read_only=1), "Begin (id=103): read_only must be a bool, got 1"),
    (lambda: S.StmtQuery(None), "StmtQuery (id=104): stmt must be a Stmt"),
    (lambda: S.StmtExecute(STMT, "x"), "StmtExecute (id=105): params must be a sequence"),
    (lambda: S.StmtClose("stmt"), "StmtClose (id=106): stmt must be a Stmt"),
    (lambda: S.TxQuery(None, "SELECT 1"), "TxQuery (id=107): tx must be a Tx (what Begin"),
    (lambda: S.TxQuery(TX, None), "TxQuery (id=107): sql must be a non-empty str"),
    (lambda: S.TxExecute(1, "SELECT 1"), "TxExecute (id=108): tx must be a Tx"),
    (lambda: S.TxPrepare(TX, ""), "TxPrepare (id=109): sql must be a non-empty str"),
    (lambda: S.TxCommit(None), "TxCommit (id=110): tx must be a Tx"),
    (lambda: S.TxRollback("tx"), "TxRollback (id=111): tx must be a Tx"),
    (lambda: S.TxSavepoint(TX, None), "TxSavepoint (id=112): name must be a savepoint name"),
    (lambda: S.TxSavepoint(TX, "1st"), "TxSavepoint (id=112): name must be a savepoint name"),
    (lambda: S.TxSavepoint(TX, "a" * 64), "TxSavepoint (id=112): name must be a savepoint"),
    (lambda: S.TxRollbackTo(TX, "x y"), "TxRollbackTo (id=113): name must be a savepoint"),
    (lambda: S.TxRelease(None, "sp"), "TxRelease (id=114): tx must be a Tx"),
]


@pytest.mark.parametrize(("build", "message"), BAD, ids=[m for _, m in BAD])
def test_sql_bad_field_fails_when_the_command_is_built(
    build: Callable[[], object], message: str
) -> None:
    with pytest.raises(sql.SqlArgumentError) as caught:
        build()
    assert str(caught.value).startswith(message)
    assert isinstance(caught.value, CommandArgumentError)
    assert isinstance(caught.value, sql.SqlError)


def test_sql_argument_error_names_its_field_and_value() -> None:
    with pytest.raises(sql.SqlArgumentError) as caught:
        S.TxQuery(None, "SELECT 1")
    error = caught.value
    assert (error.command, error.field, error.value, error.database) == (
        "TxQuery (id=107)",
        "tx",
        None,
        "",
    )
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is sql.SqlArgumentError
    assert str(copy) == str(error)


@pytest.mark.parametrize(
    ("given", "level"),
    [
        ("SERIALIZABLE", sql.Isolation.SERIALIZABLE),
        ("read committed", sql.Isolation.READ_COMMITTED),
        ("Repeatable-Read", sql.Isolation.REPEATABLE_READ),
        ("READ_UNCOMMITTED", sql.Isolation.READ_UNCOMMITTED),
        ("default", sql.Isolation.DEFAULT),
        (sql.Isolation.SERIALIZABLE, sql.Isolation.SERIALIZABLE),
    ],
)
def test_sql_isolation_is_taken_by_name(given: Any, level: sql.Isolation) -> None:
    assert sql.Begin("db", isolation=given).isolation is level


def test_sql_parameters_become_tuples_or_stay_mappings() -> None:
    assert sql.Query("db", "SELECT ?", [1, 2]).params == (1, 2)
    assert sql.Query("db", "SELECT ?", range(2)).params == (0, 1)
    assert sql.Query("db", "SELECT 1", None).params == ()
    assert sql.Query("db", "SELECT :a", {"a": 1}).params == {"a": 1}
    assert sql.TxSavepoint(TX, "_a1").name == "_a1"
