"""Declaring databases at boot: names, defaults, unreachable servers, the handlers."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import trio

import actorkit
from actorkit.modules import sql
from actorkit.modules.sql.backends.mysql import parse_url
from actorkit.testing import open_test_node, require_service

from ._sql_cases import MYSQL_URL, POSTGRES_DSN


async def test_sql_sqlite_defaults_to_a_private_memory_database() -> None:
    modules = [sql.sqlite("a"), sql.sqlite("b")]
    async with open_test_node(modules=modules) as node, node.process() as proc:
        await proc.call(sql.Execute("a", "CREATE TABLE only_in_a (x)"))
        listed = "SELECT name FROM sqlite_master WHERE name = 'only_in_a'"
        assert (await proc.call(sql.Query("a", listed))).rows == [("only_in_a",)]
        assert (await proc.call(sql.Query("b", listed))).rows == []


async def test_sql_sqlite_file_database_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    modules = [sql.sqlite("db", tmp_path / "x.db")]
    async with open_test_node(modules=modules) as node, node.process() as proc:
        mode = await proc.call(sql.Query("db", "PRAGMA journal_mode"))
        assert mode.scalar() == "wal"
        assert (await proc.call(sql.Query("db", "PRAGMA foreign_keys"))).scalar() == 1


async def test_sql_sqlite_pragmas_run_on_connect() -> None:
    component = sql.sqlite("db", pragmas={"cache_size": -4000})
    async with open_test_node(modules=[component]) as node, node.process() as proc:
        assert (await proc.call(sql.Query("db", "PRAGMA cache_size"))).scalar() == -4000


async def test_sql_two_databases_with_one_name_fail_the_boot() -> None:
    with pytest.raises(actorkit.BootError, match=r"'sql\.db'"):
        async with open_test_node(modules=[sql.sqlite("db"), sql.sqlite("db")]):
            pass


async def test_sql_unopenable_sqlite_file_fails_the_boot(tmp_path: Path) -> None:
    with pytest.raises(actorkit.BootError, match=r"sql\.db") as caught:
        async with open_test_node(modules=[sql.sqlite("db", tmp_path / "no" / "x.db")]):
            pass
    assert isinstance(caught.value.__cause__, sql.SqlConnectionError)


@pytest.mark.parametrize(
    "component",
    [
        pytest.param(
            lambda: sql.postgres("db", POSTGRES_DSN.replace(":5432", ":1"), connect_timeout=1),
            id="postgres",
        ),
        pytest.param(
            lambda: sql.mysql("db", MYSQL_URL.replace(":3306", ":1"), connect_timeout=1),
            id="mysql",
        ),
    ],
)
async def test_sql_unreachable_server_fails_the_boot(
    component: Callable[[], actorkit.Component],
) -> None:
    with trio.fail_after(30), pytest.raises(actorkit.BootError, match=r"sql\.db") as caught:
        async with open_test_node(modules=[component()]):  # fails, it does not hang
            pass
    assert isinstance(caught.value.__cause__, sql.SqlConnectionError)
    assert "'db'" in str(caught.value.__cause__)


async def test_sql_module_alone_lets_tests_fake_the_commands() -> None:
    async with open_test_node(modules=[sql.module()]) as node, node.process() as proc:
        with pytest.raises(sql.SqlError, match=r"no database named 'db' \(declared: none\)"):
            await proc.call(sql.Query("db", "SELECT 1"))
        node.fake(sql.Query, lambda cmd: sql.Rows(("x",), [(cmd.sql,)]))
        assert (await proc.call(sql.Query("db", "anything"))).rows == [("anything",)]


async def test_sql_module_and_databases_boot_together() -> None:
    modules = [sql.sqlite("a"), sql.module(), sql.sqlite("b")]
    async with open_test_node(modules=modules) as node, node.process() as proc:
        assert node.registry.owner(sql.Query.ID) == "sql.a"
        assert (await proc.call(sql.Query("b", "SELECT 2"))).scalar() == 2


async def test_sql_commands_can_be_faked_with_no_sql_component() -> None:
    async with open_test_node() as node, node.process() as proc:
        fake = node.fake(sql.Execute, lambda cmd: sql.ExecResult(1, None))
        done = await proc.call(sql.Execute("db", "DELETE FROM t WHERE id = ?", (3,)))
        assert done == sql.ExecResult(1, None)
        assert [call.params for call in fake.calls] == [(3,)]


async def test_sql_mysql_takes_connection_options_as_keywords() -> None:
    url = require_service("MySQL/MariaDB", "ACTORKIT_MYSQL_URL", MYSQL_URL)
    options = parse_url(url)
    component = sql.mysql("db", **options)
    async with open_test_node(modules=[component]) as node, node.process() as proc:
        assert (await proc.call(sql.Query("db", "SELECT DATABASE()"))).scalar() == options.get(
            "database"
        )


BAD_OPTIONS: list[tuple[Callable[[], object], str]] = [
    (lambda: sql.sqlite(""), "sql.sqlite: name must be a non-empty str"),
    (lambda: sql.sqlite("db", busy_timeout=-1), "sql.sqlite('db'): busy_timeout must be"),
    (lambda: sql.postgres("db", POSTGRES_DSN, pool_size=0), "pool_size must be an int >= 1"),
    (lambda: sql.postgres("db", POSTGRES_DSN, min_size=-1), "min_size must be an int >= 0"),
    (lambda: sql.postgres("db", ""), "sql.postgres('db'): dsn must be a non-empty str"),
    (lambda: sql.mysql("db", connect_timeout=0), "sql.mysql('db'): connect_timeout must be"),
    (lambda: sql.mysql("db", pool_size=1.5), "sql.mysql('db'): pool_size must be an int"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("declare", "message"), BAD_OPTIONS, ids=[m for _, m in BAD_OPTIONS])
def test_sql_bad_options_fail_when_declared(declare: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        declare()
