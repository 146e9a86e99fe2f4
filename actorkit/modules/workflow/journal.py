"""The journal: three tables in a database of the sql module (SQLite or PostgreSQL).

``actorkit_workflows`` holds one row per workflow (its function, arguments, run, status,
result and attributes); ``actorkit_journal`` one row per journaled command, keyed by
workflow, run and position; ``actorkit_signals`` the signals sent to workflows, each
marked when a ``Receive`` consumed it (in the transaction that journals the ``Receive``).
Statements are written with ``?`` and turned into ``%s`` for PostgreSQL.

A lease's end is wall-clock seconds (about 1.8e9), so its column is ``DOUBLE PRECISION``:
PostgreSQL's ``REAL`` is four bytes, whose step at that size is 128 seconds, and a lease
stored in it ended up to a minute early or late. SQLite's ``REAL`` has always had eight.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

import attrs

from actorkit.modules.sql import ExecResult, Rows, SqlError, Statements

from .errors import JournalError

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS actorkit_workflows (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
    "args TEXT NOT NULL, run INTEGER NOT NULL, status TEXT NOT NULL, result TEXT, "
    "error TEXT, attrs TEXT NOT NULL, owner TEXT, lease_until DOUBLE PRECISION, state TEXT)",
    "CREATE TABLE IF NOT EXISTS actorkit_journal (workflow_id TEXT NOT NULL, "
    "run INTEGER NOT NULL, position INTEGER NOT NULL, command TEXT NOT NULL, result TEXT, "
    "error TEXT, PRIMARY KEY (workflow_id, run, position))",
    "CREATE TABLE IF NOT EXISTS actorkit_signals (workflow_id TEXT NOT NULL, "
    "seq INTEGER NOT NULL, name TEXT NOT NULL, payload TEXT NOT NULL, consumed INTEGER, "
    "PRIMARY KEY (workflow_id, seq))",
)
_COLUMNS = "id, name, args, run, status, result, error, attrs, state"


@attrs.frozen
class Entry:
    """One journaled command: its signature and its result or error (journal text)."""

    command: str
    result: str | None
    error: str | None


@attrs.frozen
class Row:
    """One workflow's row."""

    id: str
    name: str
    args: str
    run: int
    status: str
    result: str | None
    error: str | None
    attributes: dict[str, Any]
    state: str | None = None  # the last published state (journal text)


class Journal:
    """Journal reads and writes through the sql module's :class:`~actorkit.modules.sql.Statements`.
    Every method is a checkpoint."""

    def __init__(self, statements: Statements) -> None:
        self.db = statements.db
        self.statements = statements
        self.kind = statements.kind

    async def _run(self, sql: str, *params: object, session: Statements | None = None) -> Any:
        if self.kind != "sqlite":
            sql = sql.replace("?", "%s")
        on = session or self.statements
        try:
            if sql.startswith("SELECT"):
                return await on.query(sql, *params)
            return await on.execute(sql, *params)
        except SqlError as exc:
            raise JournalError(f"the workflow journal on {self.db!r} failed: {exc}") from exc

    async def setup(self) -> None:
        """Create the tables if they are missing, and bring older ones up to date."""
        for statement in SCHEMA:
            await self._run(statement)
        await self._upgrade()

    async def _upgrade(self) -> None:
        """Journals made before published states were stored lack the ``state`` column;
        PostgreSQL journals made before leases were stored in ``DOUBLE PRECISION`` have a
        four-byte ``REAL`` ``lease_until``. The columns are looked at first: an ALTER
        TABLE would lock the table, on every start."""
        if self.kind == "sqlite":  # its REAL is eight bytes already
            look = "SELECT name, type FROM pragma_table_info('actorkit_workflows')"
            add = "ALTER TABLE actorkit_workflows ADD COLUMN state TEXT"
        else:
            look = (
                "SELECT column_name, data_type FROM information_schema.columns WHERE "
                "table_schema = current_schema() AND table_name = 'actorkit_workflows'"
            )
            add = "ALTER TABLE actorkit_workflows ADD COLUMN IF NOT EXISTS state TEXT"
        rows: Rows = await self._run(look)
        types = {str(name): str(kind).lower() for name, kind in rows.rows}
        if "state" not in types:
            await self._run(add)
        if self.kind != "sqlite" and types.get("lease_until") == "real":
            await self._run(
                "ALTER TABLE actorkit_workflows ALTER COLUMN lease_until TYPE DOUBLE PRECISION"
            )

    @asynccontextmanager
    async def transaction(self) -> AsyncGenerator[Statements, None]:
        """A transaction, committed when the block ends, rolled back if it raises."""
        async with self.statements.transaction() as session:
            yield session

    async def create(self, workflow_id: str, name: str, args: str) -> bool:
        """Insert a running workflow; False if the ID exists."""
        result: ExecResult = await self._run(
            "INSERT INTO actorkit_workflows (id, name, args, run, status, attrs) "
            "VALUES (?, ?, ?, 1, 'running', '{}') ON CONFLICT DO NOTHING",
            workflow_id,
            name,
            args,
        )
        return result.rows_affected == 1

    async def workflow(self, workflow_id: str) -> Row | None:
        """The workflow's row, or None."""
        rows: Rows = await self._run(
            f"SELECT {_COLUMNS} FROM actorkit_workflows WHERE id = ?", workflow_id
        )
        return _row(rows.rows[0]) if rows.rows else None

    async def workflows(self, status: str | None = None) -> list[Row]:
        """Every workflow (with ``status``), by ID."""
        if status is None:
            rows: Rows = await self._run(f"SELECT {_COLUMNS} FROM actorkit_workflows ORDER BY id")
        else:
            text = f"SELECT {_COLUMNS} FROM actorkit_workflows WHERE status = ? ORDER BY id"
            rows = await self._run(text, status)
        return [_row(r) for r in rows.rows]

    async def history(self, workflow_id: str, run: int) -> dict[int, Entry]:
        """The run's journal by position."""
        rows: Rows = await self._run(
            "SELECT position, command, result, error FROM actorkit_journal "
            "WHERE workflow_id = ? AND run = ?",
            workflow_id,
            run,
        )
        return {int(r[0]): Entry(r[1], r[2], r[3]) for r in rows.rows}

    async def append(
        self, key: tuple[str, int, int], entry: Entry, session: Statements | None = None
    ) -> None:
        """Journal ``entry`` at ``key`` (workflow, run, position); a second one is ignored."""
        await self._run(
            "INSERT INTO actorkit_journal VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            *key,
            entry.command,
            entry.result,
            entry.error,
            session=session,
        )

    async def finish(
        self, workflow_id: str, status: str, result: str | None, error: str | None
    ) -> None:
        """Record how the workflow ended."""
        await self._run(
            "UPDATE actorkit_workflows SET status = ?, result = ?, error = ? WHERE id = ?",
            status,
            result,
            error,
            workflow_id,
        )

    async def set_state(self, workflow_id: str, owner: str, state: str | None) -> None:
        """Store the published state on the workflow's row, while ``owner`` holds it."""
        await self._run(
            "UPDATE actorkit_workflows SET state = ? WHERE id = ? AND owner = ?",
            state,
            workflow_id,
            owner,
        )

    async def set_attributes(self, workflow_id: str, attributes: dict[str, Any]) -> None:
        """Replace the workflow's attributes."""
        text = json.dumps(attributes, sort_keys=True)
        await self._run("UPDATE actorkit_workflows SET attrs = ? WHERE id = ?", text, workflow_id)

    async def continue_as_new(self, workflow_id: str, run: int, args: str) -> None:
        """Start run ``run + 1`` with ``args`` and drop run ``run``'s journal."""
        async with self.transaction() as session:
            await self._run(
                "UPDATE actorkit_workflows SET run = ?, args = ? WHERE id = ?",
                run + 1,
                args,
                workflow_id,
                session=session,
            )
            await self._run(
                "DELETE FROM actorkit_journal WHERE workflow_id = ? AND run = ?",
                workflow_id,
                run,
                session=session,
            )

    async def claim(self, workflow_id: str, owner: str, now: float, until: float) -> bool:
        """Take the workflow's lease unless another owner holds it past ``now``."""
        result: ExecResult = await self._run(
            "UPDATE actorkit_workflows SET owner = ?, lease_until = ? WHERE id = ? "
            "AND status = 'running' AND (owner IS NULL OR owner = ? OR lease_until < ?)",
            owner,
            until,
            workflow_id,
            owner,
            now,
        )
        return result.rows_affected == 1

    async def renew(self, workflow_id: str, owner: str, until: float) -> bool:
        """Extend the lease; False if ``owner`` no longer holds it."""
        result: ExecResult = await self._run(
            "UPDATE actorkit_workflows SET lease_until = ? WHERE id = ? AND owner = ?",
            until,
            workflow_id,
            owner,
        )
        return result.rows_affected == 1

    async def release(self, workflow_id: str, owner: str) -> None:
        """Give the lease up, so that another node may resume the workflow at once."""
        await self._run(
            "UPDATE actorkit_workflows SET owner = NULL, lease_until = NULL "
            "WHERE id = ? AND owner = ?",
            workflow_id,
            owner,
        )

    async def unleased(self, now: float) -> list[Row]:
        """Running workflows that no node holds (released, or their lease ran out)."""
        rows: Rows = await self._run(
            f"SELECT {_COLUMNS} FROM actorkit_workflows WHERE status = 'running' "
            "AND (owner IS NULL OR lease_until < ?) ORDER BY id",
            now,
        )
        return [_row(r) for r in rows.rows]

    async def add_signal(self, workflow_id: str, name: str, payload: str) -> None:
        """Journal a signal for the workflow."""
        await self._run(
            "INSERT INTO actorkit_signals SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, NULL "
            "FROM actorkit_signals WHERE workflow_id = ?",
            workflow_id,
            name,
            payload,
            workflow_id,
        )

    async def take_signal(self, key: tuple[str, int, int], name: str, command: str) -> str | None:
        """Consume the oldest signal ``name`` and journal it at ``key``, in one transaction."""
        async with self.transaction() as session:
            rows: Rows = await self._run(
                "SELECT seq, payload FROM actorkit_signals WHERE workflow_id = ? AND name = ? "
                "AND consumed IS NULL ORDER BY seq LIMIT 1",
                key[0],
                name,
                session=session,
            )
            if not rows.rows:
                return None
            seq, payload = rows.rows[0]
            await self._run(
                "UPDATE actorkit_signals SET consumed = ? WHERE workflow_id = ? AND seq = ?",
                key[2],
                key[0],
                seq,
                session=session,
            )
            await self.append(key, Entry(command, payload, None), session)
            return str(payload)


def _row(values: tuple[Any, ...]) -> Row:
    wid, name, args, run, status, result, error, attributes, state = values
    return Row(wid, name, args, int(run), status, result, error, json.loads(attributes), state)
