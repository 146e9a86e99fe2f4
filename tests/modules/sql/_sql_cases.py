"""The backends the sql contract runs on, and helpers shared by the sql tests.

Each case declares a database named ``db`` and knows its placeholder and how to talk to
its server directly (to check server-side state: sessions, locks, running queries).
Tests use real time (threads and sockets are involved), with short timeouts.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import attrs
import psycopg
import pymysql  # type: ignore[import-untyped]
import trio

import actorkit
from actorkit.modules import sql
from actorkit.modules.sql.backends.sqlite import SqliteBackend
from actorkit.modules.sql.state import databases
from actorkit.testing import open_test_node, require_service

POSTGRES_DSN = "postgresql://postgres@127.0.0.1:5432/test"
MYSQL_URL = "mysql://root@127.0.0.1:3306/test"
KINDS = ("sqlite", "postgres", "mysql")

# A statement that runs until it is stopped, per backend (the server ones end after two
# minutes, so a failed test does not leave a session behind for long).
LONG_QUERY = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
    "SELECT count(*) FROM c",
    "postgres": "SELECT pg_sleep(120)",
    "mysql": "SELECT SLEEP(120)",
}
# Seconds: a deadline for what should happen at once, generous for a loaded machine and
# still far less than a long statement takes, so meeting it proves the statement stopped.
PROMPT = 30.0


@attrs.frozen
class Case:
    """One backend: how to declare ``db`` and how to reach its server directly."""

    kind: str
    address: str
    app: str = attrs.field(factory=lambda: f"actorkit-test-{uuid.uuid4().hex[:10]}")

    @property
    def ph(self) -> str:
        """The positional placeholder."""
        return "?" if self.kind == "sqlite" else "%s"

    def named(self, name: str) -> str:
        """The named placeholder for ``name``."""
        return f":{name}" if self.kind == "sqlite" else f"%({name})s"

    def declare(self, name: str = "db", **options: Any) -> actorkit.Component:
        """The boot component of a database of this kind."""
        if self.kind == "sqlite":
            return sql.sqlite(name, self.address, **options)
        if self.kind == "postgres":
            return sql.postgres(name, self.address, application_name=self.app, **options)
        return sql.mysql(name, self.address, **options)

    @property
    def long_query(self) -> str:
        """A statement that runs until stopped, marked with this case's unique name so
        the server's session list can tell it from another test run's."""
        if self.kind == "sqlite":
            return LONG_QUERY["sqlite"]
        return f"{LONG_QUERY[self.kind]}, '{self.app}'"

    def sql(self, text: str) -> str:
        """``text`` with ``?`` placeholders turned into this backend's style."""
        return text.replace("?", self.ph)

    def direct(self) -> Direct:
        """A blocking connection of its own, outside actorkit (call it in a thread)."""
        return Direct(self)


class Direct:
    """A plain driver connection for checks from outside actorkit (blocking)."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.conn: Any = _connect(case)

    def scalar(self, text: str, *params: object) -> Any:
        """The first value of the first row of ``text`` (placeholders in the case's style)."""
        cur = self.conn.cursor()
        try:
            cur.execute(self.case.sql(text), params or None)
            row = cur.fetchone()
            return None if row is None else row[0]
        finally:
            cur.close()

    def running_ids(self) -> list[int]:
        """Server IDs of the other sessions running this case's long statement."""
        if self.case.kind == "postgres":
            text = "SELECT pid FROM pg_stat_activity WHERE query LIKE %s AND state = 'active' "
            text += "AND pid <> pg_backend_pid()"
        else:
            text = "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE %s "
            text += "AND ID <> CONNECTION_ID()"
        cur = self.conn.cursor()
        try:
            cur.execute(text, (f"%{self.case.app}%",))
            return [row[0] for row in cur.fetchall()]
        finally:
            cur.close()

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def _connect(case: Case) -> Any:
    if case.kind == "sqlite":
        return sqlite3.connect(case.address, timeout=0, isolation_level=None)
    if case.kind == "postgres":
        return psycopg.connect(case.address, autocommit=True)
    from actorkit.modules.sql.backends.mysql import parse_url  # noqa: PLC0415

    return pymysql.connect(**parse_url(case.address), autocommit=True)


def make_case(kind: str, tmp_path: Path) -> Case:
    """The case for ``kind``: skipped (or failed, when required) if its server is absent."""
    if kind == "sqlite":
        return Case(kind, str(tmp_path / "test.db"))
    if kind == "postgres":
        return Case(kind, require_service("PostgreSQL", "ACTORKIT_POSTGRES_DSN", POSTGRES_DSN))
    return Case(kind, require_service("MySQL/MariaDB", "ACTORKIT_MYSQL_URL", MYSQL_URL))


@asynccontextmanager
async def booted(case: Case, **options: Any) -> AsyncGenerator[actorkit.Node, None]:
    """A node with the case's database declared as ``db``."""
    async with open_test_node(modules=[case.declare("db", **options)]) as node:
        yield node


@asynccontextmanager
async def table(
    proc: actorkit.Process, columns: str = "id INTEGER PRIMARY KEY, v VARCHAR(100)"
) -> AsyncGenerator[str, None]:
    """A table with a unique name, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    await proc.call(sql.Execute("db", f"CREATE TABLE {name} ({columns})"))
    try:
        yield name
    finally:
        with trio.CancelScope(shield=True):
            await proc.call(sql.Execute("db", f"DROP TABLE {name}"), timeout=10)


async def in_thread(fn: Callable[..., Any], *args: object) -> Any:
    """Run a blocking check in a thread."""
    return await trio.to_thread.run_sync(fn, *args)


async def long_statement_runs(case: Case, node: actorkit.Node, count: int = 1) -> None:
    """Wait until ``count`` long statements run (on the server, when there is one)."""
    if case.kind == "sqlite":
        backend = databases(node)["db"].backend
        assert isinstance(backend, SqliteBackend)
        await until(lambda: backend.busy, timeout=PROMPT)
        return
    direct = case.direct()
    try:
        await until(lambda: len(direct.running_ids()) == count, timeout=PROMPT)
    finally:
        direct.close()


async def long_statement_stopped(case: Case) -> None:
    """The server no longer runs this case's long statement (the cancel reached it)."""
    if case.kind == "sqlite":
        return
    direct = case.direct()
    try:
        await until(lambda: not direct.running_ids(), timeout=PROMPT)
    finally:
        direct.close()


async def until(check: Callable[[], Any], timeout: float = 5.0) -> None:
    """Poll a server-side condition (state the server updates on its own time) until true."""
    with trio.fail_after(timeout):
        while not await in_thread(check):  # noqa: ASYNC110 - the server changes on its own time
            await trio.sleep(0.02)
