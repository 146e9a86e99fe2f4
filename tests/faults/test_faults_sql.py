"""SQL under faults: killed connections and killed processes lose nothing and report
nothing that did not happen.

- A server session killed while an autocommit statement runs: the call fails with
  ``SqlOutcomeUnknownError`` (it is not run again), the next call works.
- Killed while a transaction runs a statement, or idles: the call fails with
  ``SqlConnectionError``, the transaction is over, nothing of it was committed.
- A process killed mid-transaction: its locks are released and nothing of its work is
  committed, on every backend.

Real time (threads and sockets); waits are for server state, with generous deadlines.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import attrs
import psycopg
import pymysql  # type: ignore[import-untyped]
import pytest
import trio

import actorkit
from actorkit.modules import sql
from actorkit.modules.sql.backends.mysql import parse_url
from actorkit.modules.sql.backends.sqlite import SqliteBackend
from actorkit.modules.sql.state import databases
from actorkit.testing import open_test_node, require_service

POSTGRES_DSN = "postgresql://postgres@127.0.0.1:5432/test"
MYSQL_URL = "mysql://root@127.0.0.1:3306/test"
WAIT = 20.0  # seconds: a deadline for server state, far beyond what it takes


@attrs.frozen
class Server:
    """One backend: how to declare it as ``db`` and to talk to it directly."""

    kind: str
    address: str

    def declare(self, **options: Any) -> actorkit.Component:
        if self.kind == "sqlite":
            return sql.sqlite("db", self.address)
        if self.kind == "postgres":
            return sql.postgres("db", self.address, **options)
        return sql.mysql("db", self.address, **options)

    def ph(self, text: str) -> str:
        return text if self.kind == "sqlite" else text.replace("?", "%s")

    def connect(self) -> Any:
        if self.kind == "sqlite":
            return sqlite3.connect(
                self.address, timeout=WAIT, isolation_level=None, check_same_thread=False
            )
        if self.kind == "postgres":
            return psycopg.connect(self.address, autocommit=True)
        return pymysql.connect(**parse_url(self.address), autocommit=True)

    def long_insert(self, table: str, mark: str) -> str:
        """An INSERT that writes only after a long wait (it is killed before)."""
        if self.kind == "postgres":
            return f"INSERT INTO {table} SELECT 99, '{mark}' FROM pg_sleep(60)"
        return f"INSERT INTO {table} SELECT 99, '{mark}' FROM (SELECT SLEEP(60)) AS s"


def _server(kind: str, tmp_path: Path) -> Server:
    if kind == "sqlite":
        return Server(kind, str(tmp_path / "faults.db"))
    if kind == "postgres":
        return Server(kind, require_service("PostgreSQL", "ACTORKIT_POSTGRES_DSN", POSTGRES_DSN))
    return Server(kind, require_service("MySQL/MariaDB", "ACTORKIT_MYSQL_URL", MYSQL_URL))


SERVERS = ["postgres", "mysql"]  # backends whose sessions can be killed
EVERY = ["sqlite", *SERVERS]


@pytest.fixture
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Server:
    """The backend a test is parametrised with (``indirect``)."""
    return _server(request.param, tmp_path)


class Direct:
    """A connection of the test's own, outside actorkit; blocking, used from threads."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.conn: Any = server.connect()

    def rows(self, text: str, *params: object) -> list[tuple[Any, ...]]:
        cur = self.conn.cursor()
        try:
            empty = () if self.server.kind == "sqlite" else None
            cur.execute(self.server.ph(text), params or empty)
            return list(cur.fetchall()) if cur.description else []
        finally:
            cur.close()

    def running(self, mark: str) -> list[int]:
        """Server IDs of the sessions running a statement that contains ``mark``."""
        if self.server.kind == "postgres":
            text = "SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE ? "
            text += "AND pid <> pg_backend_pid()"
        else:
            text = "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE ? "
            text += "AND ID <> CONNECTION_ID()"
        return [row[0] for row in self.rows(text, f"%{mark}%")]

    async def kill(self, server_id: int) -> None:
        """End a server session and wait until the server has let it go."""
        if self.server.kind == "postgres":  # waits for the backend to exit
            await in_thread(self.rows, "SELECT pg_terminate_backend(?, 10000)", server_id)
            return
        await in_thread(self.rows, "KILL ?", server_id)
        gone = "SELECT count(*) FROM information_schema.PROCESSLIST WHERE ID = ?"
        await until(lambda: self.rows(gone, server_id)[0][0] == 0)

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
async def direct(backend: Server) -> AsyncIterator[Direct]:
    """A direct connection to the backend under test."""
    conn = await trio.to_thread.run_sync(Direct, backend)
    try:
        yield conn
    finally:
        conn.close()


async def in_thread(fn: Callable[..., Any], *args: object) -> Any:
    return await trio.to_thread.run_sync(fn, *args)


async def until(check: Callable[[], Any]) -> Any:
    """Poll a server-side condition (the server changes on its own time) until it holds."""
    with trio.fail_after(WAIT):
        while not (found := await in_thread(check)):  # noqa: ASYNC110
            await trio.sleep(0.02)
    return found


@pytest.fixture
async def table(direct: Direct) -> AsyncIterator[str]:
    """A fresh table ``(id INTEGER PRIMARY KEY, v VARCHAR(100))``, dropped afterwards."""
    name = f"f_{uuid.uuid4().hex[:12]}"
    await in_thread(direct.rows, f"CREATE TABLE {name} (id INTEGER PRIMARY KEY, v VARCHAR(100))")
    try:
        yield name
    finally:
        await in_thread(direct.rows, f"DROP TABLE {name}")


@pytest.mark.parametrize("backend", SERVERS, indirect=True)
async def test_faults_sql_session_killed_mid_statement_is_outcome_unknown(
    backend: Server, direct: Direct, table: str
) -> None:
    mark = f"m_{uuid.uuid4().hex[:12]}"
    failures: list[BaseException] = []

    async def insert_late(proc: actorkit.Process) -> None:
        try:
            await proc.call(sql.Execute("db", backend.long_insert(table, mark)))
        except sql.SqlError as exc:
            failures.append(exc)

    async with open_test_node(modules=[backend.declare(pool_size=2)]) as node:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(node.exec, insert_late)
            (victim,) = await until(lambda: direct.running(mark))
            await direct.kill(victim)
        async with node.process() as proc:
            assert (await proc.call(sql.Query("db", "SELECT 1"), timeout=WAIT)).scalar() == 1
    (error,) = failures
    assert isinstance(error, sql.SqlOutcomeUnknownError)
    assert "may or may not have taken effect" in str(error)
    assert await in_thread(direct.rows, f"SELECT v FROM {table}") == []  # it did not


@pytest.mark.parametrize("backend", SERVERS, indirect=True)
async def test_faults_sql_session_killed_in_a_transaction_commits_nothing(
    backend: Server, direct: Direct, table: str
) -> None:
    mark = f"m_{uuid.uuid4().hex[:12]}"
    async with (
        open_test_node(modules=[backend.declare(pool_size=2)]) as node,
        node.process() as proc,
    ):
        tx = await proc.call(sql.Begin("db"))
        insert = backend.ph(f"INSERT INTO {table} VALUES (?, ?)")
        await proc.call(sql.TxExecute(tx, insert, (1, "in the transaction")))
        async with trio.open_nursery() as nursery:
            nursery.start_soon(_kill_when_running, direct, mark)
            with pytest.raises(sql.SqlConnectionError) as caught:
                await proc.call(sql.TxExecute(tx, backend.long_insert(table, mark)))
        assert not isinstance(caught.value, sql.SqlOutcomeUnknownError)
        with pytest.raises(sql.SqlError, match="lost with its connection"):
            await proc.call(sql.TxCommit(tx))
        assert (await proc.call(sql.Query("db", "SELECT 1"), timeout=WAIT)).scalar() == 1
    assert await in_thread(direct.rows, f"SELECT v FROM {table}") == []


async def _kill_when_running(direct: Direct, mark: str) -> None:
    (victim,) = await until(lambda: direct.running(mark))
    await direct.kill(victim)


@pytest.mark.parametrize("backend", SERVERS, indirect=True)
async def test_faults_sql_commit_after_the_session_was_killed_reports_the_rollback(
    backend: Server, direct: Direct, table: str
) -> None:
    own_id = {"postgres": "SELECT pg_backend_pid()", "mysql": "SELECT CONNECTION_ID()"}
    async with (
        open_test_node(modules=[backend.declare(pool_size=2)]) as node,
        node.process() as proc,
    ):
        tx = await proc.call(sql.Begin("db"))
        insert = backend.ph(f"INSERT INTO {table} VALUES (?, ?)")
        await proc.call(sql.TxExecute(tx, insert, (1, "never committed")))
        victim = (await proc.call(sql.TxQuery(tx, own_id[backend.kind]))).scalar()
        await direct.kill(victim)
        with pytest.raises(sql.SqlConnectionError) as caught:
            await proc.call(sql.TxCommit(tx), timeout=WAIT)
        assert not isinstance(caught.value, sql.SqlOutcomeUnknownError)
        assert "rolled the transaction back" in str(caught.value)
        with pytest.raises(sql.SqlError, match=r"rolled back: its COMMIT failed"):
            await proc.call(sql.TxRollback(tx))
        assert (await proc.call(sql.Query("db", "SELECT 1"), timeout=WAIT)).scalar() == 1
    assert await in_thread(direct.rows, f"SELECT v FROM {table}") == []


@pytest.mark.parametrize("how", ["idle", "mid-statement"])
@pytest.mark.parametrize("backend", EVERY, indirect=True)
async def test_faults_sql_process_killed_mid_transaction_releases_locks_commits_nothing(
    backend: Server, direct: Direct, table: str, how: str
) -> None:
    mark = f"m_{uuid.uuid4().hex[:12]}"
    long_query = {
        "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
        "SELECT count(*) FROM c",
        "postgres": f"SELECT pg_sleep(60), '{mark}'",
        "mysql": f"SELECT SLEEP(60), '{mark}'",
    }[backend.kind]
    insert = backend.ph(f"INSERT INTO {table} VALUES (?, ?)")

    async def writer(proc: actorkit.Process) -> None:
        tx = await proc.call(sql.Begin("db"))
        for n in range(1, 4):
            await proc.call(sql.TxExecute(tx, insert, (n, f"row {n}")))
        await proc.send("test", "written", None)
        if how == "mid-statement":
            await proc.call(sql.TxQuery(tx, long_query))
        await proc.receive(topic="never")

    async with (
        open_test_node(modules=[backend.declare()]) as node,
        node.process(name="test") as proc,
    ):
        pid = await proc.spawn(writer, monitor=True)
        await proc.receive(topic="written", timeout=WAIT)
        if how == "mid-statement":
            await until(lambda: _running(node, direct, mark))
        assert await proc.terminate(pid, "killed mid-transaction") is True
        assert (await proc.receive(kind=actorkit.Exit, timeout=WAIT)).error is not None
        # The same keys from outside: waits for the dead writer's locks, which must go.
        await in_thread(_insert_with_lock_wait, direct, insert)
        rows = await proc.call(sql.Query("db", f"SELECT id, v FROM {table} ORDER BY id"))
    assert rows.rows == [(1, "outside"), (2, "outside"), (3, "outside")]


def _running(node: actorkit.Node, direct: Direct, mark: str) -> bool:
    if direct.server.kind == "sqlite":
        backend = databases(node)["db"].backend
        return isinstance(backend, SqliteBackend) and backend.busy
    return bool(direct.running(mark))


def _insert_with_lock_wait(direct: Direct, insert: str) -> None:
    if direct.server.kind == "postgres":
        direct.rows(f"SET lock_timeout = '{int(WAIT)}s'")
    elif direct.server.kind == "mysql":
        direct.rows(f"SET innodb_lock_wait_timeout = {int(WAIT)}")
    for n in range(1, 4):
        direct.rows(insert.replace("%s", "?"), n, "outside")
